"""What the candidate tells lemonade once: who, where, what happened and what they want to share."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .._errors import InputError
from .._shipped import shipped
from ._files import FieldError, fields_at, invalid, parse, read_data
from ._text import name_key, one_line, shareable_url, some_lines

__all__ = [
    "ORGANIZATION_KINDS",
    "Address",
    "Company",
    "OrganizationKind",
    "Outcome",
    "Person",
    "Resource",
    "Situation",
    "Tone",
    "as_situation",
    "known_fields",
    "load_situation",
    "situation_from_text",
    "web_url",
]

Outcome = Literal["rejected", "declined_offer"]
Tone = Literal["warm", "formal", "brief"]
OrganizationKind = Literal[
    "company",
    "startup",
    "firm",
    "agency",
    "hospital",
    "clinic",
    "university",
    "college",
    "school",
    "lab",
    "nonprofit",
    "foundation",
    "charity",
    "government",
]
ORGANIZATION_KINDS: tuple[OrganizationKind, ...] = get_args(OrganizationKind)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(one_line)]
"""A non-empty line of text: no control or line-break characters, NFC, white space collapsed."""
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A link, kept exactly as given (its validator says whether it can be shared)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(value: str) -> str:
    """Accept ``value`` only as an email address: something@somewhere.tld, no white space."""
    if not _EMAIL.match(value):
        raise ValueError(f"is not an email address: {value!r}")
    return value


Email = Annotated[Text, AfterValidator(email_address)]
"""An email address on one line."""
_X_HANDLE = re.compile(r"^@?[A-Za-z0-9_]{1,15}$")
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "des", "di", "da", "das", "do", "dos", "du", "la", "le", "lo",
     "ter", "ten", "op", "bin", "ibn", "al", "el", "af", "av", "zu"}
)  # fmt: skip
_INITIAL = re.compile(r"^\w\.?$")


def _x_handle(value: str | None) -> str | None:
    if value is None:
        return None
    if not _X_HANDLE.match(value):
        raise ValueError(f"is not an X handle (letters, digits, _; at most 15): {value!r}")
    return "@" + value.lstrip("@")


def web_url(value: str) -> str:
    """Accept only an absolute http(s) URL with a host that is safe to share (see ``shareable_url``)."""
    return shareable_url(value)


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Address(_Input):
    """A postal address; ``region`` is optional because not every country has one."""

    lines: list[Text] = Field(min_length=1, description="Street lines, first to last.")
    city: Text
    postal_code: Text
    country: Text
    region: Text | None = None

    def as_lines(self) -> list[str]:
        """The address as the lines of a letter block."""
        locality = self.city + (f", {self.region}" if self.region else "") + f" {self.postal_code}"
        return [*self.lines, locality, self.country]


class Person(_Input):
    """The candidate or the hiring manager."""

    name: Text
    title: Text | None = None
    courtesy_title: Text | None = Field(default=None, description='E.g. "Ms.", "Dr."; used in "Dear Ms. Ruiz:".')
    salutation_name: Text | None = Field(
        default=None,
        description='How to address them after "Dear", e.g. "Dr. Peña" for Dr. Inés Peña Solís. By default: '
        "the courtesy title and surname where the name shows the surname, else the name as given.",
    )
    email: Email | None = None
    phone: Text | None = None
    address: Address | None = None
    linkedin_url: Url | None = None
    x_handle: Text | None = None

    @field_validator("linkedin_url")
    @classmethod
    def _linkedin(cls, value: str | None) -> str | None:
        return None if value is None else web_url(value)

    @field_validator("x_handle")
    @classmethod
    def _x_handle(cls, value: str | None) -> str | None:
        return _x_handle(value)

    @field_validator("salutation_name")
    @classmethod
    def _salutation_name(cls, value: str | None) -> str | None:
        if value is not None and re.match(r"(?i)^(?:dear|hi|hello)\b", value):
            raise ValueError(f'is the name alone, without "Dear": e.g. "Dr. Peña", not {value!r}')
        return value

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def last_name(self) -> str:
        return self.name.split()[-1]

    @property
    def surname(self) -> str | None:
        """The family name where the name's shape shows it: the last of two words, with any particles or
        initials between ("Jan van der Berg" gives "van der Berg"). None for one word, and for three words or
        more, where given names and surnames cannot be told apart ("Mary Kate Smith", "Inés Peña Solís")."""
        words = self.name.split()
        if len(words) < 2 or not all(w.casefold() in _PARTICLES or _INITIAL.match(w) for w in words[1:-1]):
            return None
        start = len(words) - 1
        while start > 1 and words[start - 1].casefold() in _PARTICLES:
            start -= 1
        return " ".join(words[start:])

    @property
    def formal_name(self) -> str:
        """How a letter or a formal email addresses them: ``salutation_name`` where given; else "Ms. Ruiz" (the
        courtesy title and the surname) where the surname is plain; else the name as given, after the courtesy
        title where it has more than one word. Nothing is guessed: "Dr. Inés" is never written."""
        if self.salutation_name:
            return self.salutation_name
        if self.courtesy_title and (surname := self.surname):
            return f"{self.courtesy_title} {surname}"
        if self.courtesy_title and len(self.name.split()) > 1:
            return f"{self.courtesy_title} {self.name}"
        return self.name


class Company(_Input):
    """The organisation the candidate interviewed with."""

    name: Text
    address: Address | None = None
    kind: OrganizationKind | None = Field(
        default=None, description="What kind of organisation it is; drafts never call a hospital a company."
    )
    x_handle: Text | None = Field(default=None, description="Its X handle, mentioned in the X post.")

    @field_validator("x_handle")
    @classmethod
    def _x_handle(cls, value: str | None) -> str | None:
        return _x_handle(value)


class Resource(_Input):
    """A link the candidate chose to share, on one of the interview topics."""

    url: Url
    title: Text
    topic: Text = Field(description="One of the situation's interview_topics.")
    note: Text | None = Field(default=None, description="Why it is worth their time, in the candidate's words.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return web_url(value)


class Situation(_Input):
    """Everything lemonade knows about one follow-up; every draft is written from this and nothing else."""

    outcome: Outcome
    candidate: Person
    hiring_manager: Person
    company: Company
    role: Text
    interview_topics: list[Text] = Field(default_factory=list)
    notes: str | None = None
    resources: list[Resource] = Field(default_factory=list)
    decline_reason: Text | None = None
    tone: Tone = "warm"

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return some_lines(value).strip() or None if value is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.decline_reason is not None and self.outcome != "declined_offer":
            raise FieldError("is only for outcome 'declined_offer' (the candidate said no)", loc=("decline_reason",))
        known = {name_key(t) for t in self.interview_topics}
        for i, resource in enumerate(self.resources):
            if name_key(resource.topic) not in known:
                shown = ", ".join(repr(t) for t in self.interview_topics[:5])
                more = f", ... ({len(self.interview_topics):,} in all)" if len(self.interview_topics) > 5 else ""
                raise FieldError(
                    f"{resource.topic[:80]!r} is not one of interview_topics [{shown}{more}]",
                    loc=("resources", i, "topic"),
                )
        if name_key(self.candidate.name) == name_key(self.hiring_manager.name):
            raise FieldError(
                f"is the candidate's name ({self.candidate.name!r}); the hiring manager is someone else",
                loc=("hiring_manager", "name"),
            )
        return self

    @functools.cached_property
    def own_words(self) -> tuple[str, ...]:
        """The situation's own words, lowercase, longest first: names, company, role, topics, titles and the
        resources' titles and notes. The guardrails never read them as phrases or links (``Bitterman``,
        ``Booking.com``). Computed once per situation."""
        people = (self.candidate, self.hiring_manager)
        words = [self.company.name, self.role, *self.interview_topics]
        words += [
            x for p in people for x in (p.name, *p.name.split(), p.title, getattr(p, "salutation_name", None)) if x
        ]
        words += [x for r in self.resources for x in (r.title, r.note) if x]
        return tuple(sorted({w.lower() for w in words if len(w) > 1}, key=len, reverse=True))

    @property
    def resource_urls(self) -> tuple[str, ...]:
        return tuple(r.url for r in self.resources)

    @classmethod
    def from_file(cls, path: str | Path) -> Situation:
        """A situation from a ``.toml`` or ``.json`` file; ``InputError`` names the file, field and line."""
        return load_situation(path)

    @classmethod
    def example(cls, outcome: Outcome = "rejected") -> Situation:
        """The shipped example situation (``lemonade example`` prints it with comments)."""
        name = f"{outcome}.toml"
        return situation_from_text(shipped("examples").joinpath(name).read_text(encoding="utf-8"), name)


def known_fields(loc: tuple[Any, ...]) -> list[str]:
    """The field names a situation allows at ``loc`` (for "did you mean"), e.g. ``("candidate",)``."""
    return fields_at(Situation, loc)


def _validated(data: dict[str, Any], text: str, path: Path | str) -> Situation:
    try:
        return Situation.model_validate(data)
    except ValidationError as e:
        raise invalid(e, text, path, known_fields) from e


def situation_from_text(text: str, path: Path | str) -> Situation:
    """A Situation from TOML (or, for a ``.json`` path, JSON) text; errors name ``path``, the field and line."""
    return _validated(parse(text, path), text, path)


def load_situation(path: str | Path) -> Situation:
    """A Situation from a ``.toml`` or ``.json`` file."""
    path = Path(path)
    data, text = read_data(path)
    return _validated(data, text, path)


def as_situation(situation: Situation | Mapping[str, Any]) -> Situation:
    """A Situation from itself or from a mapping; bad input raises ``InputError`` naming the field."""
    if isinstance(situation, Situation):
        return situation
    if not isinstance(situation, Mapping):
        raise InputError(f"expected a Situation or a mapping, got {type(situation).__name__}", field="situation")
    try:
        return Situation.model_validate(situation)
    except ValidationError as e:
        raise invalid(e, None, "situation", known_fields) from e
