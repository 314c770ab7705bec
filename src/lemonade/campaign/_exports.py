"""The files a campaign step is written as, dated by its planned day, and writing them without ever
overwriting one a person edited.

Emails are ``<step>.eml``, written like the kit's (``lemonade.drafts._email``: ASCII headers with RFC 2047
words, format=flowed bodies, marked unsent), and ``<step>-<referral>.eml`` for the
introductions (``referral_outreach-priya-shah.eml``); each carries a ``Date`` at 9:00 on its planned day
in the candidate's time zone. The thank-you also gives ``thank_you_letter.txt``, dated the same day; the
value-add share ``x_post.txt`` and ``linkedin_message.txt``; the questions ``referral_questions.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import InputError
from ..drafts._check import run_checks
from ..drafts._email import email_message, read_email
from ..drafts._files import call_sheet, write_files
from ..drafts._letter import Letter
from ..drafts._values import VALUE_TYPES, ReferralQuestions, StepContext, ValueAddShare
from ..guardrails._report import GuardrailReport
from ..situation._situation import Person, Situation
from ..situation._text import shortened
from ._dates import zone
from ._plan import the_referral
from ._state import CampaignState, DraftRecord, FileRecord, StepRecord

__all__ = ["checked_email", "dated_letter", "edited", "file_stem", "step_files", "write_step_files"]

SEND_HOUR = dt.time(9, 0)


_STEM_LENGTH = 100
"""A step's file names are at most this long before their extension (a referral's key is shorter still)."""


def file_stem(record: StepRecord) -> str:
    """``thank_you``, or ``referral_outreach-priya-shah`` for a step about one referral; a key longer than any
    lemonade makes (from a hand edit, or an older lemonade) is cut short with a digest of itself."""
    return shortened(record.key.replace(":", "-"), limit=_STEM_LENGTH)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _message(s: Situation, to: Person | None, subject: str, body: str, on: dt.date, timezone: str) -> bytes:
    if not s.candidate.email:
        field = "situation.candidate.email"
        raise InputError(f"{field} is needed to write an email file", field=field)
    when = dt.datetime.combine(on, SEND_HOUR, tzinfo=zone(timezone))
    return bytes(email_message(subject, body, s.candidate, to, when=when, subject_field="subject"))


def dated_letter(value: Any, on: dt.date) -> Any:
    """The value with its printed letter (where it has one) dated ``on``."""
    letter = getattr(value, "letter", None)
    if isinstance(letter, Letter) and letter.date != on:
        return value.model_copy(update={"letter": letter.model_copy(update={"date": on})})
    return value


def step_files(state: CampaignState, record: StepRecord, value: Any, on: dt.date) -> dict[str, bytes]:
    """The files one drafted step is written as, dated ``on``."""
    s, stem = state.situation, file_stem(record)
    if isinstance(value, ReferralQuestions):
        return {f"{stem}.md": call_sheet(value, s).encode()}
    to: Person | None = s.hiring_manager
    if record.step == "referral_outreach":
        referral = the_referral(state, record.referral)
        to = Person(name=referral.name, email=referral.email) if referral else None
    subject = getattr(value, "subject", None) or value.email_subject
    body = getattr(value, "body", None) or value.email_body
    files = {f"{stem}.eml": _message(s, to, subject, body, on, state.timezone)}
    letter = getattr(value, "letter", None)
    if isinstance(letter, Letter):
        files[f"{stem}_letter.txt"] = dated_letter(value, on).letter.render().encode()
    if isinstance(value, ValueAddShare):
        files["x_post.txt"] = (value.x_post.strip() + "\n").encode()
        files["linkedin_message.txt"] = (value.linkedin_message.strip() + "\n").encode()
    return files


def edited(folder: Path, state: CampaignState) -> list[str]:
    """The files lemonade wrote that a person has changed (or removed) since."""
    return [f.name for record in state.steps for f in record.files if _digest_of(folder / f.name) != f.sha256]


def _digest_of(path: Path) -> str | None:
    """The file's checksum; None where there is no file to read (removed, or a folder in its place)."""
    try:
        return _sha(path.read_bytes()) if not path.is_symlink() else None
    except OSError:
        return None


def write_step_files(folder: Path, state: CampaignState, record: StepRecord, files: dict[str, bytes]) -> list[str]:
    """Write a step's files, except any a person edited (or that lemonade did not write); returns those kept.

    Each file is written whole (a temporary file, then a rename), and its checksum is recorded as it is written:
    where one cannot be written, those written before it are recorded all the same, and the error is raised."""
    known = {f.name: f.sha256 for r in state.steps for f in r.files}
    writable, kept = {}, []
    for name, data in files.items():
        path = folder / name
        if (path.exists() or path.is_symlink()) and (name not in known or known[name] != _digest_of(path)):
            kept.append(name)
        else:
            writable[name] = data
    previous = {f.name: f for f in record.files}
    written: dict[str, FileRecord] = {}
    try:
        for name, data in writable.items():
            write_files(folder, {name: data})
            written[name] = FileRecord(name=name, sha256=_sha(data))
    finally:
        record.files = [written.get(name) or previous[name] for name in files if name in written or name in previous]
    return kept


def checked_email(path: Path, draft: DraftRecord, situation: Situation, context: StepContext | None) -> GuardrailReport:
    """Every guardrail on an ``.eml`` a person edited: its subject and text replace the draft's, and the rest
    (the letter, the call length) stays as drafted."""
    try:
        subject_text, text = read_email(path.read_bytes(), where=str(path))
    except OSError as e:
        raise InputError(f"{path}: cannot read it as an email: {e}", field=str(path)) from e
    value = dict(draft.value)
    subject, main = ("subject", "body") if "subject" in value else ("email_subject", "email_body")
    value[subject], value[main] = subject_text, text
    try:
        _, found = run_checks(VALUE_TYPES[draft.step], value, situation, context)
    except ValidationError as e:
        raise InputError(f"{path}: {e.errors()[0]['msg']}", field=str(path)) from e
    return GuardrailReport(violations=tuple(found))
