"""The printed letter: block format, built by lemonade from the situation and the paragraphs a model wrote."""

from __future__ import annotations

import datetime as dt
import textwrap

from pydantic import BaseModel, ConfigDict, Field

from ..situation._situation import Situation, Tone

__all__ = ["SIGN_OFFS", "Letter"]

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
