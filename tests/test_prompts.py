"""Prompt files: shipped, checked at load time, replaceable, and rendered with every fact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import engine, situation

from lemonade import Lemonade, PromptError, load_prompts
from lemonade.prompting._prompts import VARIABLES, PromptFile, default_prompts_dir
from lemonade.testing import ScriptedServer

GOOD_FILE = """
id = "call_request"
version = "9.9.9"
variables = ["company", "outcome_framing"]
system = "Write to $company. $outcome_framing"
user = "Go."
[framing]
rejected = "Not selected."
declined_offer = "Declined for $company."
"""


def test_shipped_prompts_load_and_declare_what_they_use() -> None:
    prompts = load_prompts()
    kit = {"call_request", "referral_questions", "thank_you", "value_add"}
    follow_ups = {"nudge", "thank_you_after_call", "introduction_request", "referral_outreach", "check_in"}
    assert set(prompts.steps) == kit | follow_ups
    for step, prompt in prompts.steps.items():
        assert prompt.id == step
        assert set(prompt.variables) <= set(VARIABLES)
    assert load_prompts() is prompts  # loaded once, then cached


def test_from_text_accepts_a_valid_file() -> None:
    prompt = PromptFile.from_text(GOOD_FILE)
    messages = prompt.render({"company": "ABC Corp"}, "declined_offer")
    assert messages[0]["content"] == "Write to ABC Corp. Declined for ABC Corp."


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("$company. $outcome_framing", "$company $salary. $outcome_framing"), "undeclared variable(s) ['salary']"),
        (('"company", "outcome_framing"', '"company", "outcome_framing", "salary"'), "unknown variable(s) ['salary']"),
        (('"company", "outcome_framing"', '"company", "outcome_framing", "role"'), "never uses: ['role']"),
        (('declined_offer = "Declined for $company."', ""), "[framing] has no text for ['declined_offer']"),
        (('user = "Go."', 'user = "Costs $5."'), "is not a variable"),
        (('user = "Go."', 'user = "Go."\nextra = 1'), "Extra inputs are not permitted"),
        (('id = "call_request"', "id = "), "not valid TOML"),
    ],
)
def test_bad_files_fail_at_load_time(edit: tuple[str, str], message: str) -> None:
    with pytest.raises(PromptError) as info:
        PromptFile.from_text(GOOD_FILE.replace(*edit), path="my.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("my.toml: ")


def copy_prompts(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(Path(str(default_prompts_dir())), target)
    return target


def test_users_own_prompt_folder(tmp_path: Path, server: ScriptedServer) -> None:
    folder = copy_prompts(tmp_path)
    text = (folder / "call_request.toml").read_text(encoding="utf-8")
    (folder / "call_request.toml").write_text(
        text.replace('version = "1.1.0"', 'version = "1.1.0-mine"').replace("You help job seekers", "MINE:"),
        encoding="utf-8",
    )
    lm = engine(server, prompts_dir=folder)
    preview = lm.preview("call_request", situation())
    assert preview.messages[0]["content"].startswith("MINE:")
    assert lm.prompts.steps["call_request"].version == "1.1.0-mine"


def test_missing_file_and_wrong_id(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    (folder / "thank_you.toml").unlink()
    with pytest.raises(PromptError, match=r"thank_you\.toml: no such prompt file"):
        Lemonade(prompts_dir=folder)
    other = copy_prompts(tmp_path / "b")
    text = (other / "value_add.toml").read_text(encoding="utf-8")
    (other / "value_add.toml").write_text(text.replace('id = "value_add"', 'id = "thank_you"'), encoding="utf-8")
    with pytest.raises(PromptError, match="expected 'value_add'"):
        Lemonade(prompts_dir=other)
    with pytest.raises(PromptError, match="not a folder"):
        Lemonade(prompts_dir=tmp_path / "nowhere")


def test_prompt_file_may_not_point_outside_its_folder(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    outside = tmp_path / "elsewhere.toml"
    shutil.move(folder / "call_request.toml", outside)
    (folder / "call_request.toml").symlink_to(outside)
    with pytest.raises(PromptError, match="outside the prompts folder"):
        Lemonade(prompts_dir=folder)


def test_shared_file_checks_its_variables(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    text = (folder / "shared.toml").read_text(encoding="utf-8")
    (folder / "shared.toml").write_text(text.replace("$problems", "the problems"), encoding="utf-8")
    with pytest.raises(PromptError, match=r"reask must use exactly \['problems'\]"):
        Lemonade(prompts_dir=folder)


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
@pytest.mark.parametrize("step", ["call_request", "referral_questions", "thank_you", "value_add"])
def test_rendered_prompts_carry_the_playbook_and_the_facts(step: str, outcome: str) -> None:
    s = situation(outcome)
    preview = Lemonade().preview(step, s)  # type: ignore[arg-type]
    system, user = (m["content"] for m in preview.messages)
    assert "$" not in system + user
    assert "ABC Corp" in system + user and "Dana" in system + user
    assert "moving reporting to dbt" in user
    assert "reconsider" in system  # every step forbids asking them to reconsider
    if outcome == "declined_offer":
        assert "declined" in system or "decline" in system
        assert "relocating next year" in user
    else:
        assert "not selected" in system
    if step == "call_request":
        assert "at most 15 minutes" in system
    if step == "value_add":
        assert "https://example.org/dbt-guide" in system


def test_wheel_ships_the_prompts(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(root)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("lemonade-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("call_request", "referral_questions", "thank_you", "value_add", "shared", "nudge", "check_in"):
        assert f"lemonade/prompts/{name}.toml" in names
    assert "lemonade/py.typed" in names


@pytest.mark.parametrize(
    ("manager", "line"),
    [
        (
            {"name": "Dana Ruiz", "title": "Director", "courtesy_title": "Ms."},
            "Hiring manager: Ms. Ruiz (Dana Ruiz), Director",
        ),
        ({"name": "Dana Ruiz", "courtesy_title": "Ms."}, "Hiring manager: Ms. Ruiz (Dana Ruiz)\n"),
        ({"name": "Dana Ruiz", "title": "Director"}, "Hiring manager: Dana Ruiz, Director\n"),
        ({"name": "Dana Ruiz"}, "Hiring manager: Dana Ruiz\n"),
    ],
)
def test_facts_always_give_the_managers_full_name(manager: dict[str, str], line: str) -> None:
    preview = Lemonade(backend="offline").preview("thank_you", situation(hiring_manager=manager))
    assert line in preview.messages[1]["content"]
