"""What happens after the decision, as the candidate tells it: the call held with the hiring manager, the
people the manager named on it, and the facts each follow-up step is written from.

Each fact is a frozen model with ``variables()``, the text its step's prompt file may use; the engine adds
them to the situation's own variables, and the step's guardrails read the same object.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ._situation import Email, Text
from ._text import shortened

__all__ = [
    "REFERRAL_KEY",
    "Call",
    "CheckInFacts",
    "HowIntroduced",
    "Introduction",
    "NoReply",
    "Referral",
    "spoken_date",
]

REFERRAL_KEY = r"[a-z0-9]+(?:-[a-z0-9]+)*"
"""What a referral's key looks like: lowercase letters and digits in words joined by hyphens."""
_KEY_LENGTH = 48
"""A referral's key is at most this long, so that every file named after it fits any file system."""

HowIntroduced = Literal["forward", "direct", "both"]
"""How a referral is approached: the manager forwards the candidate's note (double opt-in), the candidate
writes directly, or both (the note first, then a direct email if nothing comes of it)."""


def spoken_date(day: dt.date) -> str:
    """A date as a person writes it: "Thursday, December 3"."""
    return f"{day:%A}, {day:%B} {day.day}"


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Referral(_Fact):
    """Someone the hiring manager suggested the candidate talk to."""

    name: Text
    title: Text | None = None
    organization: Text | None = None
    email: Email | None = None
    relation: Text | None = Field(default=None, description="How the manager knows them, in a few words.")
    introduction: HowIntroduced | None = Field(
        default=None,
        description="forward: the manager forwards a note; direct: the candidate writes; both. "
        "Unset: direct where an email is known, else forward.",
    )

    @property
    def how(self) -> HowIntroduced:
        """How this person is approached, with the default applied."""
        return self.introduction or ("direct" if self.email else "forward")

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def key(self) -> str:
        """A file-name-safe key for this person: ``Zoë O'Brien-Díaz`` → ``zoe-obrien-diaz``; a long name is cut
        short and ends with a digest of the whole name (at most 48 characters), so it stays one person's."""
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode().lower()
        key = re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-")
        key = key or "referral-" + "-".join(f"{ord(c):x}" for c in self.name if not c.isspace())
        return shortened(key, limit=_KEY_LENGTH, source=self.name)

    def described(self) -> str:
        """ "Priya Shah, Head of Data at Northwind (former colleague of Dana's)"."""
        where = " at ".join(x for x in (self.title, self.organization) if x)
        return self.name + (f", {where}" if where else "") + (f" ({self.relation})" if self.relation else "")

    def variables(self) -> dict[str, str]:
        return {
            "referral_name": self.name,
            "referral_first_name": self.first_name,
            "referral_title": self.title or "not given",
            "referral_organization": self.organization or "not given",
            "referral_relation": self.relation or "not given",
        }


class Call(_Fact):
    """The call the candidate held with the hiring manager: when, what was said, and who was suggested."""

    on: dt.date
    notes: str = ""
    referrals: tuple[Referral, ...] = ()

    @field_validator("referrals")
    @classmethod
    def _distinct(cls, value: tuple[Referral, ...]) -> tuple[Referral, ...]:
        keys = [r.key for r in value]
        if len(set(keys)) != len(keys):
            raise ValueError("names the same person twice")
        return value

    def variables(self) -> dict[str, str]:
        lines = [f"- {r.described()}" for r in self.referrals]
        return {
            "call_date": spoken_date(self.on),
            "call_notes": self.notes or "none",
            "referrals": "\n".join(lines) if lines else "- nobody was named",
        }


class Introduction(_Fact):
    """One referral from one call: what an introduction request or an outreach email is written from."""

    call: Call
    referral: Referral

    def variables(self) -> dict[str, str]:
        return {**self.call.variables(), **self.referral.variables()}


class NoReply(_Fact):
    """The call request, sent and not answered: what the one nudge follows up."""

    sent_on: dt.date
    subject: str
    call_minutes: int = Field(default=15, ge=1, le=15, description="The call length the request asked for.")

    def variables(self) -> dict[str, str]:
        return {
            "sent_on": spoken_date(self.sent_on),
            "earlier_subject": self.subject,
            "earlier_minutes": str(self.call_minutes),
        }


class CheckInFacts(_Fact):
    """What the check-in, months after the decision, is written from."""

    decided_on: dt.date
    on: dt.date
    call: Call | None = None
    shared: tuple[str, ...] = Field(default=(), description="Links already shared, e.g. by the value-add share.")

    @property
    def months(self) -> int:
        return max(1, round((self.on - self.decided_on).days / 30.4))

    def variables(self) -> dict[str, str]:
        names = ", ".join(r.name for r in self.call.referrals) if self.call else ""
        return {
            "decision_date": spoken_date(self.decided_on),
            "months_since": str(self.months),
            "call_summary": (
                f"They spoke on {spoken_date(self.call.on)}; the manager suggested: {names or 'nobody by name'}."
                if self.call
                else "The manager did not reply to the call request; there was no call."
            ),
            "shared_before": ", ".join(self.shared) or "none",
        }
