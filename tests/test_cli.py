"""The console script, run for real in a subprocess: every subcommand and every exit code."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lemonade import Kit, Situation
from lemonade.drafts._email import read_email
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPT = shutil.which("lemonade", path=str(Path(sys.executable).parent))


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LEMONADE_MODEL")}
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "lemonade"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=base | (env or {}), cwd=cwd, timeout=120, check=False
    )


def test_console_script_is_installed() -> None:
    assert SCRIPT is not None


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_example_prints_a_valid_commented_situation(outcome: str, tmp_path: Path) -> None:
    done = run("example", "--outcome", outcome)
    assert done.returncode == 0
    assert done.stdout.startswith("# A situation for lemonade")
    (tmp_path / "s.toml").write_text(done.stdout, encoding="utf-8")
    import tomllib

    assert Situation.model_validate(tomllib.loads(done.stdout)).outcome == outcome


def test_draft_offline_writes_every_file(tmp_path: Path) -> None:
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    assert "lemonade: note: writing offline" in done.stderr and "Lemonade(" not in done.stderr
    assert "Traceback" not in done.stderr
    for step in ("call_request", "referral_questions", "thank_you", "value_add"):
        assert f"==== {step} (offline) ====" in done.stdout
    kit_dir = tmp_path / "kit"
    names = {p.name for p in kit_dir.iterdir()}
    assert names == {"call_request.eml", "thank_you.eml", "value_add.eml", "thank_you_letter.txt", "x_post.txt",
                     "linkedin_message.txt", "referral_questions.md", "kit.json", ".lemonade.json"}  # fmt: skip
    # every export parses back
    for name in ("call_request.eml", "thank_you.eml", "value_add.eml"):
        message = email.message_from_bytes((kit_dir / name).read_bytes(), policy=email.policy.default)
        assert message["From"].addresses[0].addr_spec == "jill@example.com"
        assert message["To"].addresses[0].display_name == "Dana Ruiz"
        assert message["Subject"]
        assert "Jill Moreno" in message.get_content()
    kit = Kit.load(kit_dir)
    assert kit.ok and kit.call_request.model == "offline"
    assert read_email((kit_dir / "call_request.eml").read_bytes(), where="x")[1] == kit.call_request.value.body
    letter = (kit_dir / "thank_you_letter.txt").read_text(encoding="utf-8")
    assert letter == kit.thank_you.value.letter.render()
    assert max(len(line) for line in letter.splitlines()) <= 65 and len(letter.splitlines()) <= 54
    sheet = (kit_dir / "referral_questions.md").read_text(encoding="utf-8")
    for question in kit.referral_questions.value.questions:
        assert question in sheet
    assert (kit_dir / "x_post.txt").read_text(encoding="utf-8").strip() == kit.value_add.value.x_post
    assert (kit_dir / "linkedin_message.txt").read_text(
        encoding="utf-8"
    ).strip() == kit.value_add.value.linkedin_message


def test_draft_one_step_as_json_and_markdown() -> None:
    done = run("draft", str(EXAMPLES / "declined_offer.toml"), "--step", "thank_you", "--format", "json", "--seed", "4")
    assert done.returncode == 0, done.stderr
    draft = json.loads(done.stdout)
    assert draft["model"] == "offline" and draft["value"]["letter"]["salutation"] == "Dear Mr. Okafor:"
    md = run("draft", str(EXAMPLES / "declined_offer.toml"), "--format", "markdown")
    assert md.returncode == 0 and "## Follow-up kit ✅" in md.stdout


def test_draft_through_a_model_server(tmp_path: Path) -> None:
    with ScriptedServer(defaults={s: Reply(content=a) for s, a in EXAMPLE_ANSWERS["rejected"].items()}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url,
                   "--model", "llama3.1", "--out", str(tmp_path))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert server.count() == 1 and server.requests[0].body["model"] == "llama3.1"
    assert "==== call_request (llama3.1) ====" in done.stdout
    assert {p.name for p in tmp_path.iterdir()} == {"call_request.eml", "call_request.json", ".lemonade.json"}


def test_guardrail_failure_exits_1(tmp_path: Path) -> None:
    bad = dict(EXAMPLE_ANSWERS["rejected"]["call_request"], subject="About [Company]")
    with ScriptedServer(defaults={"call_request": Reply(content=bad)}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url)
    assert done.returncode == 1
    assert "placeholder" in done.stdout
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(bad), encoding="utf-8")
    checked = run("check", str(draft), "--situation", str(EXAMPLES / "rejected.toml"))
    assert checked.returncode == 1 and "placeholder in subject" in checked.stdout


def test_check_passes_an_edited_kit(tmp_path: Path) -> None:
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(tmp_path)).returncode == 0
    kit = json.loads((tmp_path / "kit.json").read_text(encoding="utf-8"))
    kit["call_request"]["value"]["subject"] = "A short call?"
    (tmp_path / "edited.json").write_text(json.dumps(kit), encoding="utf-8")
    done = run("check", str(tmp_path / "edited.json"), "--situation", str(EXAMPLES / "rejected.toml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok: no guardrail findings") == 4


def test_preview_shows_messages_and_tokens() -> None:
    done = run("preview", str(EXAMPLES / "rejected.toml"), "--step", "value_add")
    assert done.returncode == 0, done.stderr
    assert "prompt tokens: " in done.stdout and "---- system ----" in done.stdout
    assert "https://example.org/guides/stored-procedures-to-dbt" in done.stdout
    tokens = int(done.stdout.split("prompt tokens: ")[1].split()[0])
    assert 300 < tokens < 4000


def test_bad_input_names_file_field_and_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "rejected.toml").read_text(encoding="utf-8").replace('name = "Dana Ruiz"', 'name = ""')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    done = run("draft", str(bad))
    assert done.returncode == 2
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == 'name = ""')
    assert f"bad.toml: hiring_manager.name: String should have at least 1 character (line {line})" in done.stderr
    assert "Traceback" not in done.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text('outcome = "rejected"\nrole = \n', encoding="utf-8")
    done = run("preview", str(broken), "--step", "call_request")
    assert done.returncode == 2 and "broken.toml: not valid TOML" in done.stderr and "line 2" in done.stderr
    js = tmp_path / "s.json"
    js.write_text('{"outcome": "rejected",\n "role": }', encoding="utf-8")
    done = run("draft", str(js))
    assert done.returncode == 2 and "s.json: line 2: not valid JSON" in done.stderr
    missing = run("draft", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "nope.toml: no such file" in missing.stderr


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "cover_letter")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_provider_error_exits_3() -> None:
    with ScriptedServer(defaults={"call_request": Reply(status=401, error="bad key")}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url)
    assert done.returncode == 3
    assert "ProviderError: 401: bad key" in done.stderr


def test_python_dash_m_works_too() -> None:
    done = subprocess.run([sys.executable, "-m", "lemonade", "example"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "outcome = " in done.stdout


def test_line_of_a_field_in_an_array_of_tables(tmp_path: Path) -> None:
    text = (EXAMPLES / "rejected.toml").read_text(encoding="utf-8")
    text = text.replace('url = "https://example.org/books/forecasting-principles"', 'url = "ftp://example.org/x"')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    done = run("draft", str(bad))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith('url = "ftp'))
    assert done.returncode == 2
    assert "resources[1].url: must be an http:// or https:// URL" in done.stderr
    assert f"(line {line})" in done.stderr


def test_progress_shows_on_a_terminal_only() -> None:
    import pty

    leader, follower = pty.openpty()
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "lemonade"]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    done = subprocess.run(
        [*command, "draft", str(EXAMPLES / "rejected.toml")],
        stdout=subprocess.PIPE, stderr=follower, env=env, timeout=120, check=False,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"drafting 4 step(s)" in shown
    for step in ["call request", "referral questions", "thank you", "value add"]:
        assert f"drafted {step} (".encode() in shown
    assert b"(4/4)" in shown
    piped = run("draft", str(EXAMPLES / "rejected.toml"))
    assert "drafting" not in piped.stderr


def test_an_unwritable_out_folder_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(blocker / "kit"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and str(blocker) in done.stderr


def test_draft_asks_a_model_for_the_four_steps_at_once(tmp_path: Path) -> None:
    replies = {step: Reply(content=answer, delay=0.5) for step, answer in EXAMPLE_ANSWERS["rejected"].items()}
    situation_file = tmp_path / "situation.json"  # the situation the example answers were written for
    situation_file.write_text(json.dumps(example_situation_data()), encoding="utf-8")
    with ScriptedServer(defaults=replies) as server:
        done = run("draft", str(situation_file), "--base-url", server.url, "--out", str(tmp_path / "kit"))
        arrivals = sorted(r.arrived for r in server.requests)
    assert done.returncode == 0, done.stderr
    assert len(arrivals) == 4 and arrivals[-1] - arrivals[0] < 0.5
    assert Kit.load(tmp_path / "kit").call_request.model == "gpt-4o-mini"


def test_one_failing_step_stops_the_rest_cleanly() -> None:
    replies = {step: Reply(content=answer, delay=0.3) for step, answer in EXAMPLE_ANSWERS["rejected"].items()}
    replies["thank_you"] = Reply(status=403, error="forbidden")
    with ScriptedServer(defaults=replies) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--base-url", server.url)
    assert done.returncode == 3
    assert "ProviderError: 403: forbidden" in done.stderr
    assert "Task exception was never retrieved" not in done.stderr and "Traceback" not in done.stderr
