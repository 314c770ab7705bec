"""Hostile cases for what lemonade writes and for the CLI under faults, run through the real console script against
`lemonade.testing.ScriptedServer` over real HTTP. Each case asserts the exit code, the exact files present (and
absent) in the folder, and the number of requests the server received.

Groups: unsafe answers never become files to send; faults keep what finished; the folder is never harmed;
hostile situations write nothing; `check` trusts no file.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_cli import run

from lemonade import Letter, Situation, check
from lemonade.drafts._values import VALUE_TYPES
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data

GOOD = EXAMPLE_ANSWERS["rejected"]
FILES = {
    "call_request": {"call_request.eml"},
    "referral_questions": {"referral_questions.md"},
    "thank_you": {"thank_you.eml", "thank_you_letter.txt"},
    "value_add": {"value_add.eml", "x_post.txt", "linkedin_message.txt"},
}
EVERYTHING = set().union(*FILES.values()) | {"kit.json"}


@pytest.fixture
def me(tmp_path: Path) -> Path:
    """The situation the example answers were written for, with an address for the manager (a To line)."""
    path = tmp_path / "me.json"
    data = example_situation_data(hiring_manager={"name": "Dana Ruiz", "courtesy_title": "Ms.",
                                                  "email": "dana.ruiz@example.com"})  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def present(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} - {".lemonade.json"} if folder.exists() else set()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def draft(me: Path, out: Path, replies: dict[str, Reply], *args: str) -> tuple[Any, ScriptedServer]:
    """Run ``lemonade draft`` against a server answering each step well, except as ``replies`` say."""
    defaults = {step: Reply(content=answer) for step, answer in GOOD.items()} | replies
    with ScriptedServer(defaults=defaults) as server:
        done = run("draft", str(me), "--base-url", server.url, "--out", str(out), *args)
    return done, server


# -- unsafe answers never become files to send -----------------------------------------------------------------


def _letter(step: str, answer: dict[str, Any], s: Situation) -> dict[str, Any]:
    """The printed letter lemonade builds for a thank-you answer."""
    if step != "thank_you":
        return {}
    return {"letter": Letter.for_situation(s, answer["letter_paragraphs"], on=date(2026, 11, 26))}


PHISH = "https://evil.example/phish"
UNSAFE = [
    ("call_request", {"body": GOOD["call_request"]["body"].replace("schedule.", f"schedule. Book here: {PHISH}")},
     "unknown_link"),
    ("call_request", {"body": GOOD["call_request"]["body"].replace("schedule.", "schedule. See evil.com/login")},
     "unknown_link"),
    ("call_request", {"body": GOOD["call_request"]["body"].replace("schedule.", "schedule. Please reconsider me.")},
     "reconsider"),
    ("call_request", {"subject": "About [Company]"}, "placeholder"),
    ("call_request", {"body": GOOD["call_request"]["body"].replace("15 minutes", "45 minutes"), "call_minutes": 45},
     "call_too_long"),
    ("thank_you", {"email_body": GOOD["thank_you"]["email_body"].replace("again.", f"again. {PHISH}")},
     "unknown_link"),
    ("thank_you", {"letter_paragraphs": [*GOOD["thank_you"]["letter_paragraphs"], "The process was unfair to me."]},
     "negative_tone"),
    ("value_add", {"x_post": f"Read this first: {PHISH}"}, "unknown_link"),
    ("value_add", {"linkedin_message": "Dear Hiring Manager, a guide: https://example.org/dbt-guide"},
     "wrong_recipient"),
    ("value_add", {"email_body": "Hi Dana,\n\nNothing to share today.\n\nAll the best,\nJill Moreno"}, "no_link"),
    ("referral_questions", {"questions": ["Do you know anyone hiring?", *GOOD["referral_questions"]["questions"]]},
     "not_open_question"),
    ("referral_questions", {"questions": [f"Who works on topic {i}?" for i in range(9)]}, "question_count"),
    ("call_request", {"subject": "A call?\r\nBcc: everyone@example.com"}, "control_character"),
]  # fmt: skip


@pytest.mark.parametrize(("step", "change", "code"), UNSAFE, ids=[f"{s}-{c}" for s, _, c in UNSAFE])
def test_an_unsafe_answer_is_written_only_as_a_failing_draft(
    step: str, change: dict[str, Any], code: str, me: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kit"
    done, server = draft(me, out, {step: Reply(content={**GOOD[step], **change})})
    assert done.returncode == 1, done.stderr
    assert present(out) == (EVERYTHING - FILES[step]) | {f"{step}.failing.json"}
    # A failing answer is sent back twice before it is kept. A subject the guardrails pass but no email header can
    # carry is not sent back; it is kept as failing when the files are written.
    s = Situation.model_validate(json.loads(me.read_text(encoding="utf-8")))
    answer = {**GOOD[step], **change}
    flagged = not check(VALUE_TYPES[step].model_validate({**answer, **_letter(step, answer, s)}), s).ok
    asks = 3 if flagged else 1
    assert server.count(step) == asks and server.count() == asks + 3
    assert code in done.stdout + done.stderr and f"{step}.failing.json" in done.stderr
    sent = b"".join(data for name, data in snapshot(out).items() if not name.endswith(".json"))
    assert b"evil" not in sent and b"Bcc:" not in sent and b"[Company]" not in sent
    assert json.loads((out / f"{step}.failing.json").read_text(encoding="utf-8"))["value"]


# -- faults keep what finished ---------------------------------------------------------------------------------


def test_a_bad_key_writes_nothing_and_says_so_once(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    done, server = draft(me, out, {s: Reply(status=401, error="bad key") for s in GOOD})
    assert done.returncode == 3 and not out.exists() and server.count() == 4
    (line,) = done.stderr.splitlines()
    assert "call_request, referral_questions, thank_you, value_add: ProviderError: 401: bad key" in line


FAULTS = [
    ("thank_you", [Reply(status=403, error="forbidden")], 3, 1, "ProviderError: 403"),
    ("value_add", [Reply(status=500, headers={"retry-after-ms": "1"})], 3, 4, "RetryError"),
    ("call_request", [Reply(content=None, refusal="I can't help with that.")], 3, 1, "refused"),
    ("referral_questions", [Reply(content=GOOD["referral_questions"], finish_reason="length")], 3, 3, "max_tokens"),
    ("thank_you", [Reply(content="I'm sorry, here is the email you asked for: Dear Dana")], 1, 3,
     "the model's last answer began: \"I'm sorry, here is the email"),
    ("value_add", [Reply(content={"nonsense": True})], 1, 3, "schema"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("step", "replies", "code", "asks", "said"), FAULTS, ids=[f"{f[0]}-{f[4][:12]}" for f in FAULTS]
)
def test_a_failing_step_keeps_what_finished(
    step: str, replies: list[Reply], code: int, asks: int, said: str, me: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kit"
    done, server = draft(me, out, {step: replies[0]})
    assert done.returncode == code, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    finished = [s for s in GOOD if s != step]
    assert present(out) == set().union(*(FILES[s] for s in finished)) | {f"{s}.json" for s in finished}
    assert server.count(step) == asks and server.count() == asks + 3
    for other in finished:
        assert f"==== {other} (gpt-4o-mini) ====" in done.stdout


def test_a_passing_retry_writes_everything(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    defaults = {step: Reply(content=answer) for step, answer in GOOD.items()}
    with ScriptedServer(defaults=defaults) as server:
        server.script("value_add", Reply(status=429, headers={"retry-after-ms": "5"}))
        done = run("draft", str(me), "--base-url", server.url, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert present(out) == EVERYTHING and server.count("value_add") == 2 and server.count() == 5


@pytest.mark.parametrize(("faults", "code"), [
    ({"call_request": Reply(content={**GOOD["call_request"], "subject": "[Company]"}),
      "thank_you": Reply(status=401, error="bad key")}, 1),
    ({"call_request": Reply(status=401, error="bad key"),
      "value_add": Reply(content={**GOOD["value_add"], "x_post": PHISH})}, 3),
])  # fmt: skip
def test_the_exit_code_is_the_first_failing_steps(
    faults: dict[str, Reply], code: int, me: Path, tmp_path: Path
) -> None:
    done, server = draft(me, tmp_path / "kit", faults)
    assert done.returncode == code
    guarded = next(s for s, r in faults.items() if r.status == 200)
    assert f"{guarded}.failing.json" in present(tmp_path / "kit")
    assert server.count() == 3 + 1 + 2  # the failing answer sent back twice, the bad key tried once, two good


def test_a_server_without_json_schema_still_gets_every_step(me: Path, tmp_path: Path) -> None:
    defaults = {step: Reply(content=answer) for step, answer in GOOD.items()}
    with ScriptedServer(defaults=defaults, reject_json_schema=True) as server:
        done = run("draft", str(me), "--base-url", server.url, "--out", str(tmp_path / "kit"))
        modes = [r.body["response_format"]["type"] for r in server.requests]
    assert done.returncode == 0, done.stderr
    assert present(tmp_path / "kit") == EVERYTHING
    assert modes.count("json_object") == 4 and modes.count("json_schema") <= 4


# -- the folder is never harmed --------------------------------------------------------------------------------


def offline(me: Path, out: Path, *args: str) -> Any:
    return run("draft", str(me), "--backend", "offline", "--out", str(out), *args)


def test_out_naming_a_file_is_refused(me: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "kit"
    blocker.write_text("mine", encoding="utf-8")
    done = offline(me, blocker)
    assert done.returncode == 2 and blocker.read_text(encoding="utf-8") == "mine" and "Traceback" not in done.stderr


def test_an_edited_file_stops_the_write_and_nothing_changes(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert offline(me, out).returncode == 0
    (out / "thank_you_letter.txt").write_text("My own letter.\n", encoding="utf-8")
    before = snapshot(out)
    done = offline(me, out, "--seed", "9")
    assert done.returncode == 2 and "thank_you_letter.txt" in done.stderr
    assert snapshot(out) == before and {p.name for p in out.iterdir()} == set(before)  # no temp file left behind


def test_files_that_are_not_lemonades_are_left_alone(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    assert offline(me, out).returncode == 0
    assert present(out) == EVERYTHING | {"notes.md"} and (out / "notes.md").read_text(encoding="utf-8") == "mine"


def test_a_symlinked_file_is_replaced_never_followed(me: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "kit", tmp_path / "precious.txt"
    out.mkdir()
    outside.write_text("keep", encoding="utf-8")
    (out / "x_post.txt").symlink_to(outside)
    done = offline(me, out)
    assert done.returncode == 2 and "x_post.txt" in done.stderr and present(out) == {"x_post.txt"}
    assert offline(me, out, "--force").returncode == 0
    assert not (out / "x_post.txt").is_symlink() and outside.read_text(encoding="utf-8") == "keep"


def test_a_forged_manifest_cannot_remove_anything_outside(me: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "kit", tmp_path / "precious.txt"
    out.mkdir()
    outside.write_text("keep", encoding="utf-8")
    forged = {"../precious.txt": "0" * 64, str(outside): "0" * 64, ".lemonade.json": "0" * 64}
    (out / ".lemonade.json").write_text(json.dumps({"version": 1, "files": forged}), encoding="utf-8")
    assert offline(me, out).returncode == 0
    assert outside.read_text(encoding="utf-8") == "keep" and present(out) == EVERYTHING


@pytest.mark.parametrize("manifest", ['{"version": 99, "files": {}}', "not json at all", '{"files": [1, 2]}'])
def test_a_strange_manifest_never_loses_a_file(manifest: str, me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert offline(me, out).returncode == 0
    (out / ".lemonade.json").write_text(manifest, encoding="utf-8")
    before = snapshot(out)
    done = offline(me, out, "--seed", "4")
    assert done.returncode == 2 and snapshot(out) == before  # unknown or newer: nothing counts as lemonade's


def test_a_step_failing_now_removes_its_stale_files_to_send(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    done, _ = draft(me, out, {})
    assert done.returncode == 0 and present(out) == EVERYTHING
    done, _ = draft(me, out, {"value_add": Reply(content={**GOOD["value_add"], "x_post": PHISH})})
    assert done.returncode == 1 and present(out) == (EVERYTHING - FILES["value_add"]) | {"value_add.failing.json"}


def test_a_stale_file_edited_by_hand_is_kept(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    assert draft(me, out, {})[0].returncode == 0
    (out / "x_post.txt").write_text("My edit https://example.org/dbt-guide\n", encoding="utf-8")
    before = snapshot(out)
    done, _ = draft(me, out, {"value_add": Reply(content={**GOOD["value_add"], "x_post": PHISH})})
    assert done.returncode == 2 and snapshot(out) == before


def test_a_nested_out_folder_is_made(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "kit"
    assert offline(me, out).returncode == 0 and present(out) == EVERYTHING


# -- hostile situations write nothing --------------------------------------------------------------------------

HOSTILE_NAMES = [
    ("candidate", "Jill\nMoreno"),
    ("candidate", "Jill\rMoreno"),
    ("candidate", "Jill\x00Moreno"),
    ("candidate", "Jill\x1b[2JMoreno"),
    ("candidate", "Jill\x07Moreno"),
    ("candidate", "Jill\u202eMoreno"),
    ("hiring_manager", "Dana\nBcc: all@example.com"),
    ("hiring_manager", "Dana\x1b]0;owned\x07Ruiz"),
]


@pytest.mark.parametrize(("who", "name"), HOSTILE_NAMES, ids=[f"{w}-{n.encode()!r}" for w, n in HOSTILE_NAMES])
def test_a_name_that_would_break_a_header_writes_nothing(who: str, name: str, tmp_path: Path) -> None:
    data = example_situation_data(hiring_manager={"name": "Dana Ruiz", "email": "dana@example.com"})
    data[who] = {**data[who], "name": name}
    me = tmp_path / "me.json"
    me.write_text(json.dumps(data), encoding="utf-8")
    done = offline(me, tmp_path / "kit")
    assert done.returncode == 2 and not (tmp_path / "kit").exists()
    assert f"{who}.name" in done.stderr and "Traceback" not in done.stderr


# -- check trusts no file --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "said"), [
    ("call_request.eml", b"\x00\xff\xfe garbage \x89PNG", "cannot read it as an email"),
    ("thank_you.eml", b"Content-Type: image/png\r\n\r\n\x89PNG", "no plain-text body"),
    ("call_request.failing.json", b'{"value": {"subject": "x", "body": "y", "evil": 1}}', "not a draft"),
    ("referral_questions.md", b"# Call sheet\n\n## Questions\n\n1. Who?\n", "no section"),
    ("thank_you_letter.txt", b"Dear Dana:\n\nThanks.\n", "cannot find the letter's date"),
    ("kit.json", b'{"call_request": ', "not valid JSON"),
    ("x_post.txt", b"\xff\xfe\x00b\x00a\x00d", "cannot read it"),
])  # fmt: skip
def test_check_refuses_a_file_it_cannot_read_with_one_message(
    name: str, content: bytes, said: str, me: Path, tmp_path: Path
) -> None:
    (tmp_path / name).write_bytes(content)
    done = run("check", str(tmp_path / name), "--situation", str(me))
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_check_of_a_folder_with_no_drafts_is_bad_input(me: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    done = run("check", str(tmp_path), "--situation", str(me))
    assert done.returncode == 2 and "holds no drafts" in done.stderr


def test_check_reads_an_email_a_mail_program_saved_as_multipart(me: Path, tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "A quick call for advice?"
    message.set_content(GOOD["call_request"]["body"], cte="base64")
    message.add_alternative("<p>" + GOOD["call_request"]["body"] + "</p>", subtype="html")
    (tmp_path / "call_request.eml").write_bytes(bytes(message))
    done = run("check", str(tmp_path / "call_request.eml"), "--situation", str(me))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "call_request (call_request.eml): ok" in done.stdout


def test_nothing_here_leaves_a_temporary_file(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit"
    for seed in ("1", "2", "3"):
        assert offline(me, out, "--seed", seed).returncode == 0
    assert not [p for p in os.listdir(out) if p.startswith(".") and p != ".lemonade.json"]
