"""The files a draft value is written as, and writing them atomically.

These work on a step's value and its situation, not on ``Draft`` or ``Kit``, which offer them as
methods. ``Kit.save(folder)`` writes ``call_request.eml``, ``thank_you.eml`` and ``value_add.eml`` (RFC 5322,
UTF-8, marked unsent so mail programs open them as drafts), ``thank_you_letter.txt`` (block format,
at most 65 columns), ``x_post.txt``, ``linkedin_message.txt``, ``referral_questions.md`` (a call sheet)
and ``kit.json`` (everything, loadable with ``Kit.load``). Files are written whole or not at all.
"""

from __future__ import annotations

import email.policy
import os
import tempfile
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..situation._situation import Person, Situation
from ._values import CallRequest, ReferralQuestions, ThankYouNote, ValueAddShare

__all__ = ["EMAIL_FILES", "call_sheet", "email_message", "value_files", "write_files"]

EMAIL_FILES = {"call_request": "call_request.eml", "thank_you": "thank_you.eml", "value_add": "value_add.eml"}


def _address(person: Person, field: str) -> Address:
    if not person.email:
        raise InputError(f"{field}.email is needed to write an email file", field=f"{field}.email")
    username, _, domain = person.email.partition("@")
    return Address(display_name=person.name, username=username, domain=domain)


def _subject_and_body(value: Any) -> tuple[str, str]:
    if isinstance(value, CallRequest):
        return value.subject, value.body
    if isinstance(value, ThankYouNote | ValueAddShare):
        return value.email_subject, value.email_body
    raise InputError(f"a {type(value).__name__} is not an email", field="value")


def email_message(value: Any, s: Situation | None) -> EmailMessage:
    """One email draft as a message: From the candidate, To the hiring manager (where an address is known)."""
    if s is None:
        raise InputError("this draft does not carry its situation, so it has no From or To", field="situation")
    subject, body = _subject_and_body(value)
    message = EmailMessage(policy=email.policy.SMTPUTF8)
    message["From"] = _address(s.candidate, "candidate")
    if s.hiring_manager.email:
        message["To"] = _address(s.hiring_manager, "hiring_manager")
    message["Subject"] = subject
    message["Date"] = datetime.now(UTC)
    message["X-Unsent"] = "1"
    message.set_content(body.strip() + "\n", charset="utf-8", cte="8bit")  # readable as plain text
    return message


def call_sheet(value: ReferralQuestions, situation: Situation | None) -> str:
    """The referral questions as a Markdown call sheet to keep open during the call."""
    who = f" with {situation.hiring_manager.name} ({situation.company.name})" if situation else ""
    questions = "\n".join(f"{i}. {q.strip()}" for i, q in enumerate(value.questions, 1))
    return (
        f"# Call sheet{who}\n\n## Opener\n\n{value.opener.strip()}\n\n## Questions\n\n{questions}\n\n"
        f"## Before you hang up\n\n{value.permission_question.strip()}\n\n## Closing\n\n{value.closing.strip()}\n"
    )


def value_files(step: str, value: Any, situation: Situation | None) -> dict[str, bytes]:
    """The files one step's draft is written as."""
    files: dict[str, bytes] = {}
    if step in EMAIL_FILES:
        files[EMAIL_FILES[step]] = bytes(email_message(value, situation))
    if isinstance(value, ThankYouNote):
        files["thank_you_letter.txt"] = value.letter.render().encode()
    if isinstance(value, ValueAddShare):
        files["x_post.txt"] = (value.x_post.strip() + "\n").encode()
        files["linkedin_message.txt"] = (value.linkedin_message.strip() + "\n").encode()
    if isinstance(value, ReferralQuestions):
        files["referral_questions.md"] = call_sheet(value, situation).encode()
    return files


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file whole (a temporary file beside it, then a rename), so a reader never sees half of one."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, folder / name)
        written.append(folder / name)
    return written
