"""An .eml file's headers are exactly the text that was checked: a subject or a name that holds an RFC 2047
encoded word is written so that every mail program shows it as typed, and never injects a header; a model's
subject that holds one is refused by the guardrails (encoded_word), so it is never written as ready to send.
Read with Python's email package and with fast-mail-parser, written apart from it."""

from __future__ import annotations

import base64
import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path

import fast_mail_parser
import pytest
from conftest import GOOD, situation, situation_data
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from test_cli import EXAMPLES, run

from lemonade import CallRequest, Lemonade, Situation, check
from lemonade.drafts._email import email_message
from lemonade.testing import Reply, ScriptedServer

HEADERS = ["From", "To", "Subject", "Date", "X-Unsent", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"]


def word(text: bytes, encoding: str = "b") -> str:
    if encoding == "b":
        return "=?utf-8?b?" + base64.b64encode(text).decode() + "?="
    return "=?utf-8?q?" + "".join(f"={b:02X}" for b in text) + "?="


INJECTIONS = [
    word(b"A call?\r\nBcc: eve@evil.io"),
    word(b"A call?\nBcc: eve@evil.io", "q"),
    "Hi " + word(b"\r\nBcc: eve@evil.io") + " there",
    "=?iso-8859-1?q?A_call=0D=0ABcc:_eve@evil.io?=",
    "=?utf-8?B?" + base64.b64encode(b"see evil.com/login").decode() + "?=",
    "Q&A =? maybe",
    "=?",
]


def situation_of(sender: str, recipient: str) -> Situation:
    return Situation.model_validate(
        situation_data(
            candidate={"name": sender, "email": "jill@example.com"},
            hiring_manager={"name": recipient, "email": "dana@example.com"},
        )
    )


def written(subject: str, sender: str = "Jill Moreno", recipient: str = "Dana Ruiz") -> bytes:
    s = situation_of(sender, recipient)
    when = datetime(2026, 12, 1, 9, tzinfo=UTC)
    return bytes(email_message(subject, "Hello.", s.candidate, s.hiring_manager, when=when, subject_field="subject"))


def read_both(data: bytes) -> tuple[email.message.EmailMessage, fast_mail_parser.PyMail]:
    ours = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(ours, email.message.EmailMessage)
    return ours, fast_mail_parser.parse_email(data, strict=True)


def assert_exact(data: bytes, subject: str, sender: str, recipient: str) -> None:
    ours, theirs = read_both(data)
    assert sorted(ours.keys()) == sorted(HEADERS)
    assert sorted(theirs.headers) == sorted(HEADERS) and all(len(v) == 1 for v in theirs.headers.values())
    assert str(ours["Subject"]) == theirs.subject == subject
    assert (
        ours["From"].addresses[0].display_name == sender and ours["From"].addresses[0].addr_spec == "jill@example.com"
    )
    assert ours["To"].addresses[0].display_name == recipient and ours["To"].addresses[0].addr_spec == "dana@example.com"
    assert (
        theirs.from_ is not None and theirs.from_.display_name == sender and theirs.from_.address == "jill@example.com"
    )
    assert theirs.to[0].display_name == recipient and theirs.to[0].address == "dana@example.com"
    assert not ours.defects and theirs.warnings == []


@pytest.mark.parametrize("text", INJECTIONS)
def test_an_encoded_word_in_a_subject_or_a_name_is_written_as_typed(text: str) -> None:
    assert_exact(written(text), text, "Jill Moreno", "Dana Ruiz")
    assert_exact(written("A quick call?", sender=text), "A quick call?", text, "Dana Ruiz")
    assert_exact(written("A quick call?", recipient=text), "A quick call?", "Jill Moreno", text)


_CHARS = st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\x85")
_PIECES = st.sampled_from(
    ["=?", "?=", "=?utf-8?b?", "?q?", "=?utf-8?q?A=0D=0ABcc:_x@y.z?=", "Bcc:", "\u00e9", " ", "  "]
)
_TEXTS = st.lists(st.text(_CHARS, min_size=1, max_size=60) | _PIECES, min_size=1, max_size=6).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXTS.map(str.strip).filter(bool), _TEXTS.map(lambda t: " ".join(t.split())).filter(bool))
def test_any_subject_and_name_is_written_exactly_as_checked(subject: str, name: str) -> None:
    try:  # as the situation holds it (NFC, one line); a name it refuses is not written at all
        name = situation_of("Jill Moreno", name).hiring_manager.name
    except ValidationError:
        reject()
    assert_exact(written(subject, recipient=name), subject, "Jill Moreno", name)
    assert_exact(written(subject, sender=name), subject, name, "Dana Ruiz")


def test_a_subject_holding_an_encoded_word_is_refused_and_a_near_miss_is_not() -> None:
    base = GOOD["rejected"]["call_request"]
    bad = check(CallRequest.model_validate({**base, "subject": INJECTIONS[0]}), situation())
    assert "encoded_word" in bad.codes and not bad.ok
    for honest in ("Q&A =? maybe", "Is 2+2=4? A quick call", "A quick call? =)"):
        report = check(CallRequest.model_validate({**base, "subject": honest}), situation())
        assert "encoded_word" not in report.codes and report.ok, honest


def test_a_name_that_is_an_encoded_word_reaches_the_file_as_typed() -> None:
    name = word(b"Dana\r\nBcc: eve@evil.io")
    s = Situation.model_validate(situation_data(hiring_manager={"name": name, "email": "dana@example.com"}))
    draft = Lemonade(backend="offline").call_request(s)
    assert draft.report.ok
    data = draft.files()["call_request.eml"]
    assert isinstance(data, bytes)
    ours, theirs = read_both(data)
    assert sorted(ours.keys()) == sorted(HEADERS) and ours["Bcc"] is None and "Bcc" not in theirs.headers
    assert ours["To"].addresses[0].display_name == name == theirs.to[0].display_name
    assert draft.to_eml()["To"].addresses[0].display_name == name  # the message in memory reads the same


def test_a_models_encoded_subject_is_never_written_by_the_cli(tmp_path: Path) -> None:
    answer = {**GOOD["rejected"]["call_request"], "subject": INJECTIONS[0]}
    kit = tmp_path / "kit"
    with ScriptedServer(defaults={"call_request": Reply(content=answer)}) as server:
        done = run("draft", str(EXAMPLES / "rejected.toml"), "--step", "call_request", "--base-url", server.url,
                   "--max-reasks", "0", "--out", str(kit))  # fmt: skip
    assert done.returncode == 1
    assert not (kit / "call_request.eml").exists() and (kit / "call_request.failing.json").exists()
    assert "encoded_word" in done.stdout + done.stderr
