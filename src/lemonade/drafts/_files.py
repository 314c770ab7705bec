"""The files a draft value is written as, and those files read back into the parts of a value.

These work on a step's value and its situation, not on ``Draft`` or ``Kit``, which offer them as methods.
A kit is written as ``call_request.eml``, ``thank_you.eml`` and ``value_add.eml`` (see ``_email``),
``thank_you_letter.txt`` (block format, at most 65 columns), ``x_post.txt``, ``linkedin_message.txt``,
``referral_questions.md`` (a call sheet) and ``kit.json``. A draft that fails its guardrails is never written
as any of the files to send: it becomes ``STEP.failing.json``, the draft with its report, to edit and check.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..situation._situation import Situation
from ._email import as_datetime, email_message
from ._letter import Letter
from ._values import CallRequest, ReferralQuestions, Step, ThankYouNote, ValueAddShare

__all__ = [
    "EMAIL_FILES",
    "FAILING",
    "STEP_FILES",
    "call_sheet",
    "email_of",
    "own_files",
    "read_call_sheet",
    "read_letter",
    "value_files",
    "write_files",
]

EMAIL_FILES: dict[Step, str] = {
    "call_request": "call_request.eml",
    "thank_you": "thank_you.eml",
    "value_add": "value_add.eml",
}
STEP_FILES: dict[Step, tuple[str, ...]] = {
    "call_request": ("call_request.eml",),
    "referral_questions": ("referral_questions.md",),
    "thank_you": ("thank_you.eml", "thank_you_letter.txt"),
    "value_add": ("value_add.eml", "x_post.txt", "linkedin_message.txt"),
}
"""The files each step's draft is sent or printed from."""
FAILING = ".failing.json"
"""The suffix of a failing draft's file: ``value_add.failing.json``."""


def own_files(step: Step) -> tuple[str, ...]:
    """Every file a step's draft may be written as: those to send or print, ``STEP.failing.json`` and
    ``STEP.json``; a write that drafts the step again retires those it does not write again."""
    return (*STEP_FILES[step], f"{step}{FAILING}", f"{step}.json")


def email_of(value: Any, s: Situation | None, *, when: date | datetime | None = None) -> EmailMessage:
    """The ``.eml`` file of an email draft: From the candidate, To the hiring manager where their address is
    known, dated ``when`` (a day means 09:00 local time; None means now)."""
    if s is None:
        raise InputError("this draft does not carry its situation, so it has no From or To", field="situation")
    if isinstance(value, CallRequest):
        subject, body, field = value.subject, value.body, "subject"
    elif isinstance(value, ThankYouNote | ValueAddShare):
        subject, body, field = value.email_subject, value.email_body, "email_subject"
    else:
        raise InputError(f"a {type(value).__name__} is not an email", field="value")
    return email_message(subject, body, s.candidate, s.hiring_manager, when=as_datetime(when), subject_field=field)


def call_sheet(value: ReferralQuestions, situation: Situation | None) -> str:
    """The referral questions as a Markdown call sheet to keep open during the call."""
    who = f" with {situation.hiring_manager.name} ({situation.company.name})" if situation else ""
    questions = "\n".join(f"{i}. {q.strip()}" for i, q in enumerate(value.questions, 1))
    return (
        f"# Call sheet{who}\n\n## Opener\n\n{value.opener.strip()}\n\n## Questions\n\n{questions}\n\n"
        f"## Before you hang up\n\n{value.permission_question.strip()}\n\n## Closing\n\n{value.closing.strip()}\n"
    )


def value_files(
    step: str, value: Any, situation: Situation | None, *, when: date | datetime | None = None, emails: bool = True
) -> dict[str, bytes]:
    """The files one step's draft is sent or printed from (its ``.eml`` only when ``emails``)."""
    files: dict[str, bytes] = {}
    if step in EMAIL_FILES and emails:
        files[EMAIL_FILES[step]] = bytes(email_of(value, situation, when=when))
    if isinstance(value, ThankYouNote):
        files["thank_you_letter.txt"] = value.letter.render().encode()
    if isinstance(value, ValueAddShare):
        files["x_post.txt"] = (value.x_post.strip() + "\n").encode()
        files["linkedin_message.txt"] = (value.linkedin_message.strip() + "\n").encode()
    if isinstance(value, ReferralQuestions):
        files["referral_questions.md"] = call_sheet(value, situation).encode()
    return files


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file whole (a temporary file beside it, then a rename), so a reader never sees half of one; a
    new file gets the mode the user's umask gives, a replaced one keeps its own. Returns the paths, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = folder / name
        try:
            mode = path.stat().st_mode & 0o777 if not path.is_symlink() else 0o666 & ~_umask()
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", delete=False) as tmp:
            tmp.write(data)
        try:
            os.chmod(tmp.name, mode)
            os.replace(tmp.name, path)
        except OSError:
            os.unlink(tmp.name)
            raise
        written.append(path)
    return written


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^##[ \t]+(.+?)[ \t]*$", text, flags=re.MULTILINE)
    return {title.strip().casefold(): body.strip() for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def read_call_sheet(text: str, *, where: str) -> dict[str, Any]:
    """A call sheet a person may have edited, as the fields of a ``ReferralQuestions``."""
    sections = _sections(text)
    names = {"opener": "opener", "questions": "questions", "before you hang up": "permission_question",
             "closing": "closing"}  # fmt: skip
    if missing := [title for title in names if title not in sections]:
        raise InputError(f"{where}: the call sheet has no section {', '.join(repr(f'## {m}') for m in missing)}",
                         field=where)  # fmt: skip
    questions: list[str] = []
    for line in sections["questions"].splitlines():
        if item := re.match(r"^\s*(?:\d+[.)]|[-*])\s+(.*)$", line):
            questions.append(item.group(1).strip())
        elif line.strip() and questions:  # a question a person wrapped over two lines
            questions[-1] += " " + line.strip()
    fields = {field: " ".join(sections[title].split()) for title, field in names.items() if field != "questions"}
    return {**fields, "questions": questions}


def read_letter(text: str, *, where: str) -> Letter:
    """A printed letter a person may have edited, read back from its blocks: sender, date, recipient,
    salutation, paragraphs, then the closing and the signature."""
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    salutation = next((i for i, b in enumerate(blocks) if re.match(r"(?i)^(?:dear|to)\b", b)), None)
    if salutation is None or salutation < 2 or len(blocks) < salutation + 3:
        raise InputError(f"{where}: cannot find the letter's date, salutation and closing", field=where)
    try:
        when = datetime.strptime(" ".join(blocks[salutation - 2].split()), "%B %d, %Y").date()
    except ValueError as e:
        raise InputError(f"{where}: the letter's date should read like 'November 27, 2026'", field=where) from e
    return Letter(
        sender_lines="\n".join(blocks[: salutation - 2]).splitlines(),
        date=when,
        recipient_lines=blocks[salutation - 1].splitlines(),
        salutation=blocks[salutation],
        paragraphs=[" ".join(b.split()) for b in blocks[salutation + 1 : -2]],
        closing=blocks[-2],
        signature=blocks[-1],
    )
