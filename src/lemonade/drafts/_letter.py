"""The printed letter: block format, built by lemonade from the situation and the paragraphs a model wrote."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..guardrails import _rules as rules
from ..guardrails._report import Violation
from ..situation._situation import Situation, Tone
from ._value import DraftValue

__all__ = ["SIGN_OFFS", "Letter", "LetterNote", "letter_note_findings"]

SIGN_OFFS: dict[Tone, str] = {"formal": "Sincerely,", "warm": "Warm regards,", "brief": "Best regards,"}
"""The one sign-off of a kit in each tone: the printed letter's closing, and every email's."""


class Letter(BaseModel):
    """A printed letter in block format, built by lemonade from the situation and the model's paragraphs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sender_lines: list[str] = Field(description="The candidate's name and postal address.")
    date: dt.date
    recipient_lines: list[str] = Field(description="Inside address: manager, title, company, address.")
    salutation: str
    paragraphs: list[str]
    closing: str
    signature: str

    @classmethod
    def for_situation(cls, situation: Situation, paragraphs: list[str], *, on: dt.date) -> Letter:
        """The thank-you letter for ``situation``, dated ``on``."""
        c, m, co = situation.candidate, situation.hiring_manager, situation.company
        sender = [c.name, *(c.address.as_lines() if c.address else [])]
        sender += [x for x in (c.email, c.phone) if x]
        recipient = [f"{m.courtesy_title} {m.name}" if m.courtesy_title else m.name]
        recipient += [x for x in (m.title, co.name) if x]
        recipient += co.address.as_lines() if co.address else []
        closing = SIGN_OFFS[situation.tone]
        return cls(
            sender_lines=sender,
            date=on,
            recipient_lines=recipient,
            salutation=f"Dear {m.formal_name}:",
            paragraphs=list(paragraphs),
            closing=closing,
            signature=c.name,
        )

    def render(self, width: int = 65) -> str:
        """Printable text, every line at most ``width`` columns."""

        def wrap(text: str) -> str:
            return textwrap.fill(" ".join(text.split()), width=width)

        when = f"{self.date:%B} {self.date.day}, {self.date.year}"
        blocks = [
            "\n".join(wrap(line) for line in self.sender_lines),
            when,
            "\n".join(wrap(line) for line in self.recipient_lines),
            self.salutation,
            *(wrap(p) for p in self.paragraphs),
            f"{self.closing}\n\n\n{self.signature}",
        ]
        return "\n\n".join(blocks) + "\n"


class LetterNote(DraftValue):
    """A thank-you that is an email and a printed letter (the kit's, and the one after a call): the fields,
    and the letter taking the note's own paragraphs when it is given without them."""

    email_subject: str
    email_body: str
    letter_paragraphs: list[str]
    letter: Letter

    @model_validator(mode="before")
    @classmethod
    def _letter_paragraphs(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("letter"), dict) and "paragraphs" not in data["letter"]:
            data = {**data, "letter": {**data["letter"], "paragraphs": data.get("letter_paragraphs", [])}}
        return data

    @property
    def text(self) -> str:
        """The email, then the letter, ready to paste."""
        return (
            f"Subject: {self.email_subject}\n\n{self.email_body.strip()}\n\n---- Letter ----\n\n{self.letter.render()}"
        )


def letter_note_findings(note: LetterNote, s: Situation, *, email_words: int, letter_words: int) -> list[Violation]:
    """The rules of an email that comes with a printed letter: its subject, greeting and signature, the word
    limits of both, the company named in both, and a letter that holds the note's own paragraphs."""
    email = {"email_subject": note.email_subject, "email_body": note.email_body}
    paragraphs = {f"letter_paragraphs[{i}]": p for i, p in enumerate(note.letter_paragraphs)}
    found = [
        *rules.subject("email_subject", note.email_subject),
        *rules.emails("email_body", note.email_body, s.hiring_manager, s.candidate),
        *rules.length("email_body", note.email_body, email_words),
        *rules.length("letter_paragraphs", " ".join(note.letter_paragraphs), letter_words),
        *rules.names_company("email_body", email.values(), s.company.name),
        *rules.names_company("letter_paragraphs", paragraphs.values(), s.company.name),
    ]
    if not note.letter_paragraphs:
        found.append(Violation(code="empty", severity="error", field="letter_paragraphs", message="is empty"))
    if list(note.letter.paragraphs) != list(note.letter_paragraphs):
        found.append(
            Violation(code="letter_mismatch", severity="error", field="letter.paragraphs",
                      message="differ from letter_paragraphs; edit both, or rebuild the letter")
        )  # fmt: skip
    return found
