"""The console script as a newcomer meets it, run for real in a subprocess: help and version, what it says (and
does not say) about the writer, partial kits, the files it writes and how `check` reads them back."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_cli import EXAMPLES, run

from lemonade import kit_dates
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data

SENT = {"call_request.eml", "thank_you.eml", "value_add.eml", "thank_you_letter.txt", "x_post.txt",
        "linkedin_message.txt", "referral_questions.md"}  # fmt: skip


def situation_file(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(example_situation_data(**changes)), encoding="utf-8")
    return path


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} - {".lemonade.json"}


# -- help ------------------------------------------------------------------------------------------------------


def test_bare_lemonade_prints_the_help_and_version_is_there() -> None:
    bare = run()
    assert bare.returncode == 2 and "usage: lemonade" in bare.stdout
    for command in ("example", "draft", "check", "preview"):
        assert command in bare.stdout
    version = run("--version")
    assert version.returncode == 0 and re.fullmatch(r"lemonade \d+\.\d+\.\d+\n", version.stdout)


@pytest.mark.parametrize(("command", "flags"), [
    ("draft", ["--step", "--backend", "--format", "--out", "--force", "--timeout", "--max-tokens", "--max-reasks",
               "--seed", "--model", "--base-url"]),
    ("check", ["--situation"]),
    ("example", ["--outcome"]),
    ("preview", ["--step", "--model"]),
])  # fmt: skip
def test_every_flag_has_help(command: str, flags: list[str]) -> None:
    shown = run(command, "--help").stdout
    for flag in flags:
        line = next(line for line in shown.splitlines() if line.strip().startswith(flag))
        rest = shown.split(line, 1)[1].split("\n  -", 1)[0]
        assert len((line.split(flag, 1)[1] + rest).split()) >= 4, flag  # a flag, then words saying what it does


def test_preview_shows_all_four_steps_by_default() -> None:
    done = run("preview", str(EXAMPLES / "rejected.toml"))
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if line.startswith("==== ")] == [
        "==== call_request ====",
        "==== referral_questions ====",
        "==== thank_you ====",
        "==== value_add ====",
    ]


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_the_example_is_true_for_a_pip_user_and_the_rejected_one_shows_every_field(outcome: str) -> None:
    from lemonade import Address, Company, Person, Resource, Situation

    text = run("example", "--outcome", outcome).stdout
    assert "examples/" not in text and "README" not in text and "lemonade example" in text
    if outcome == "rejected":
        for model in (Situation, Person, Company, Resource, Address):
            for field in model.model_fields:
                assert re.search(rf"^\s*#?\s*(?:\[+[\w.]*\b{field}\]+|{field}\s*=)", text, re.M), field


# -- what it says about the writer -----------------------------------------------------------------------------


def test_asking_for_offline_says_nothing_about_models(tmp_path: Path) -> None:
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--backend", "offline")
    assert done.returncode == 0 and done.stderr == ""
    auto = run("draft", str(EXAMPLES / "rejected.toml"))
    assert auto.stderr.startswith("lemonade: note: writing offline") and "Lemonade(" not in auto.stderr
    assert auto.stderr.count("\n") == 1


def test_backend_openai_without_a_server_says_what_to_set() -> None:
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--backend", "openai")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "--base-url"):
        assert name in done.stderr


def test_an_estimated_token_count_says_so_in_one_short_line(tmp_path: Path) -> None:
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path / "empty"), "HTTPS_PROXY": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9"}  # no tokenizer file, and no way to fetch one  # fmt: skip
    done = run("preview", str(EXAMPLES / "rejected.toml"), "--step", "call_request", env=env)
    assert done.returncode == 0, done.stderr
    assert re.search(r"prompt tokens: \d+ \(estimated\)", done.stdout)
    (line,) = done.stderr.splitlines()
    assert line.startswith("lemonade: note: token counts are estimated") and len(line) < 200
    assert "Error" not in line and "http" not in line


def test_the_estimate_warning_is_one_short_line_without_the_error_behind_it() -> None:
    import warnings

    from lemonade import TokenCounter, TokenEstimateWarning

    def unloadable(name: str) -> Any:
        raise ConnectionError(f"HTTPSConnectionPool(host='download.example', port=443): {'x' * 400}")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        count = TokenCounter(load_encoding=unloadable).count("some words to count", "gpt-4o-mini")
    (warning,) = caught
    assert warning.category is TokenEstimateWarning and count.estimated
    text = str(warning.message)
    assert "\n" not in text and len(text) < 160 and "download" not in text and "HTTPS" not in text


def test_model_flags_reach_the_requests() -> None:
    bad = dict(EXAMPLE_ANSWERS["rejected"]["call_request"], subject="About [Company]")
    with ScriptedServer(defaults={"call_request": Reply(content=bad)}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url,
                   "--max-tokens", "333", "--max-reasks", "0")  # fmt: skip
        assert server.count() == 1 and server.requests[0].body["max_tokens"] == 333
    assert done.returncode == 1
    with ScriptedServer(defaults={"call_request": Reply(content=bad, delay=5)}) as server:
        slow = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url,
                   "--timeout", "0.2")  # fmt: skip
        assert server.count() == 2  # a timeout is tried once more, not four times
    assert slow.returncode == 3 and "timeout=0.2" in slow.stderr and "--timeout" in slow.stderr
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--timeout", "0").returncode == 2


def test_a_model_drafts_usage_is_shown() -> None:
    with ScriptedServer(defaults={s: Reply(content=a) for s, a in EXAMPLE_ANSWERS["rejected"].items()}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "thank_you", "--base-url", server.url)
    assert done.returncode == 0, done.stderr
    assert re.search(r"usage: 1 request · \d+ prompt \+ \d+ completion tokens", done.stdout)


# -- partial kits ----------------------------------------------------------------------------------------------


def test_no_resources_drafts_the_other_three_and_says_how_to_add_one(tmp_path: Path) -> None:
    me = situation_file(tmp_path, resources=[])
    done = run("draft", str(me), "--out", str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    assert "skipped value_add" in done.stderr and "[[resources]]" in done.stderr and str(me) in done.stderr
    assert "==== value_add" not in done.stdout
    assert names(tmp_path / "kit") == {"call_request.eml", "thank_you.eml", "thank_you_letter.txt",
                                       "referral_questions.md", "call_request.json", "referral_questions.json",
                                       "thank_you.json"}  # fmt: skip
    one = run("draft", str(me), "--step", "value_add")
    assert one.returncode == 2 and "[[resources]]" in one.stderr


def test_no_candidate_email_writes_everything_but_the_emails(tmp_path: Path) -> None:
    me = situation_file(tmp_path, candidate={"name": "Jill Moreno"})
    done = run("draft", str(me), "--out", str(tmp_path / "kit"))
    assert done.returncode == 0, done.stderr
    assert names(tmp_path / "kit") == SENT - {"call_request.eml", "thank_you.eml", "value_add.eml"} | {"kit.json"}
    (note,) = [line for line in done.stderr.splitlines() if "skipped" in line]
    assert "call_request.eml, thank_you.eml, value_add.eml" in note and str(me) in note and "[candidate]" in note


def test_a_three_part_name_is_written_in_full_with_a_note(tmp_path: Path) -> None:
    me = situation_file(tmp_path, hiring_manager={"name": "Inés Peña Solís", "courtesy_title": "Dr."}, tone="formal")
    done = run("draft", str(me))
    assert done.returncode == 0
    assert "Dear Dr. Inés Peña Solís:" in done.stdout and "salutation_name" in done.stderr


# -- the files, written and read back --------------------------------------------------------------------------


def test_emails_are_dated_by_the_campaign_plan(tmp_path: Path) -> None:
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(tmp_path)).returncode == 0
    dates = {n: email.message_from_bytes((tmp_path / n).read_bytes(), policy=email.policy.default)["Date"].datetime
             for n in ("call_request.eml", "thank_you.eml", "value_add.eml")}  # fmt: skip
    planned = kit_dates(dates["call_request.eml"].date())
    assert dates["call_request.eml"] < dates["thank_you.eml"] < dates["value_add.eml"]
    assert (
        dates["thank_you.eml"].date() == planned["thank_you"] and dates["value_add.eml"].date() == planned["value_add"]
    )
    assert dates["thank_you.eml"].weekday() < 5 and dates["value_add.eml"].weekday() < 5


def test_writing_again_over_a_hand_edit_needs_force(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(kit)).returncode == 0
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(kit), "--seed", "2").returncode == 0
    (kit / "linkedin_message.txt").write_text("Hi Dana, my own words.\n\nJill\n", encoding="utf-8")
    done = run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(kit), "--seed", "3")
    assert done.returncode == 2 and "linkedin_message.txt" in done.stderr and "--force" in done.stderr
    assert (kit / "linkedin_message.txt").read_text(encoding="utf-8") == "Hi Dana, my own words.\n\nJill\n"
    forced = run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(kit), "--seed", "3", "--force")
    assert forced.returncode == 0 and "my own words" not in (kit / "linkedin_message.txt").read_text(encoding="utf-8")


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    folder = tmp_path / "kit"
    assert run("draft", str(EXAMPLES / "rejected.toml"), "--out", str(folder)).returncode == 0
    (folder / "kit.json").unlink()  # only what a person opens and edits
    return folder


def check(path: Path) -> Any:
    return run("check", str(path), "--situation", str(EXAMPLES / "rejected.toml"))


def test_check_reads_a_whole_kit_folder(kit: Path) -> None:
    done = check(kit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok: no guardrail findings") == 4
    assert "value_add (value_add.eml, x_post.txt, linkedin_message.txt)" in done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_reads_an_edited_eml(kit: Path) -> None:
    eml = kit / "call_request.eml"
    edit(eml, "Subject: ", "Subject: [Name]: ")
    done = check(eml)
    assert done.returncode == 1 and "placeholder in subject" in done.stdout


def test_check_reads_an_edited_x_post_and_linkedin_message(kit: Path) -> None:
    (kit / "x_post.txt").write_text("Great read: https://evil.example/phish\n", encoding="utf-8")
    done = check(kit / "x_post.txt")
    assert done.returncode == 1 and "unknown_link in x_post" in done.stdout
    edit(kit / "linkedin_message.txt", "Hi Dana,", "Dear Hiring Manager,")
    assert "wrong_recipient in linkedin_message" in check(kit / "linkedin_message.txt").stdout


def test_check_reads_an_edited_letter_and_call_sheet(kit: Path) -> None:
    letter = kit / "thank_you_letter.txt"
    text = letter.read_text(encoding="utf-8")
    paragraph = text.split("\n\n")[4]
    letter.write_text(text.replace(paragraph, paragraph + " I hope you will reconsider."), encoding="utf-8")
    done = check(letter)
    assert done.returncode == 1 and "reconsider in letter_paragraphs[0]" in done.stdout
    sheet = kit / "referral_questions.md"
    edit(sheet, "## Questions\n\n1. ", "## Questions\n\n1. Do you know anyone hiring? ")
    assert "not_open_question in questions[0]" in check(sheet).stdout


def test_check_of_one_file_says_what_it_could_not_check(tmp_path: Path) -> None:
    (tmp_path / "x_post.txt").write_text("A good read: https://example.org/dbt-guide\n", encoding="utf-8")
    done = run("check", str(tmp_path / "x_post.txt"), "--situation", str(EXAMPLES / "rejected.toml"))
    assert done.returncode == 1  # the example's resources do not include that link
    me = situation_file(tmp_path)
    done = run("check", str(tmp_path / "x_post.txt"), "--situation", str(me))
    assert done.returncode == 0, done.stdout
    assert "not checked, no file gives them: email_body, email_subject, linkedin_message" in done.stdout


def test_a_failing_draft_is_fixed_in_its_file_and_checked(tmp_path: Path) -> None:
    bad = dict(EXAMPLE_ANSWERS["rejected"]["call_request"], subject="About [Company]")
    me = situation_file(tmp_path)
    with ScriptedServer(defaults={"call_request": Reply(content=bad)}) as server:
        done = run("draft", str(me), "--step", "call_request", "--base-url", server.url, "--out", str(tmp_path / "k"))
    assert done.returncode == 1
    failing = tmp_path / "k" / "call_request.failing.json"
    assert names(tmp_path / "k") == {"call_request.failing.json"}
    assert f"lemonade check {failing} --situation {me}" in done.stderr
    assert run("check", str(failing), "--situation", str(me)).returncode == 1
    edit(failing, "About [Company]", "A short call?")
    fixed = run("check", str(failing), "--situation", str(me))
    assert fixed.returncode == 0, fixed.stdout
