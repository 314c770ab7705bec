"""The campaign file, ``campaign.json``: its versioned schema, reading it (a newer version is refused, a hand
edit that no longer validates names the field and its line), writing it atomically, and the lock that
keeps two commands from interleaving their changes.

A person can read and edit the file: it holds the situation, the call, and each step with its date,
status, draft and the files written for it (with a checksum, so a file edited by hand is never
overwritten).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._errors import InputError
from ..drafts._files import write_files
from ..drafts._values import VALUE_TYPES
from ..guardrails._report import Violation
from ..situation._files import FieldError, JsonLines, read_json, validated
from ..situation._followup import REFERRAL_KEY, Call
from ..situation._situation import Situation
from ._dates import Timing, zone

__all__ = [
    "DRAFTED_BY",
    "FILE_NAME",
    "KIT_STEPS",
    "MAX_SEQUENCE",
    "REFERRAL_STEPS",
    "SCHEMA_VERSION",
    "CampaignState",
    "DraftRecord",
    "FileRecord",
    "PlanStep",
    "StepRecord",
    "Stored",
    "load_state",
    "located",
    "locked",
    "save_state",
]

FILE_NAME = "campaign.json"
SCHEMA_VERSION = 1
"""The version of campaign.json this lemonade writes; it reads this one and refuses newer ones."""

PlanStep = Literal[
    "call_request",
    "referral_questions",
    "nudge",
    "thank_you",
    "introduction_request",
    "referral_outreach",
    "value_add",
    "check_in",
]
Stored = Literal["planned", "drafted", "sent", "skipped"]
KIT_STEPS: tuple[PlanStep, ...] = ("call_request", "referral_questions", "nudge", "thank_you", "value_add", "check_in")
"""The steps every campaign has, once each; the introduction steps come with the call, one per referral."""
REFERRAL_STEPS: tuple[PlanStep, ...] = ("introduction_request", "referral_outreach")
DRAFTED_BY: dict[str, tuple[str, ...]] = {"thank_you": ("thank_you", "thank_you_after_call")}
"""The steps whose draft a plan step may hold, where that is not the plan step itself."""
MAX_SEQUENCE = 2**31 - 1
"""The largest SEQUENCE a calendar holds (RFC 5545 integers are 32 bits); an event's stays there once reached."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileRecord(_Record):
    """A file lemonade wrote into the campaign folder, and its checksum when written."""

    name: str = Field(pattern=r"^[A-Za-z0-9_][\w.-]*$", max_length=255, description="A file name, no folder.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class DraftRecord(_Record):
    """The draft a step was given: which step drafted it, by whom, when, and the checked value."""

    step: str = Field(description="The step that drafted it, e.g. thank_you or thank_you_after_call.")
    model: str
    prompt: str = Field(description="The prompt file's id and version, e.g. nudge@1.0.0.")
    on: dt.date
    value: dict[str, Any]
    findings: list[Violation] = Field(default_factory=list)


class StepRecord(_Record):
    """One step of the plan as stored."""

    key: str = Field(
        pattern=f"^[a-z_]+(?::{REFERRAL_KEY})?$",
        description="call_request, nudge, …, or introduction_request:priya-shah for a referral.",
    )
    step: PlanStep
    referral: str | None = Field(
        default=None, pattern=f"^{REFERRAL_KEY}$", description="The referral's key, for the introduction steps."
    )
    on: dt.date | None = Field(default=None, description="The planned day.")
    status: Stored = "planned"
    sent_on: dt.date | None = None
    note: str | None = Field(default=None, description="Why it was skipped, or what changed.")
    sequence: int = Field(
        default=0, ge=0, le=MAX_SEQUENCE, description="The calendar's SEQUENCE: grows when the event changes."
    )
    draft: DraftRecord | None = None
    files: list[FileRecord] = Field(default_factory=list)
    files_on: dt.date | None = Field(default=None, description="The day the files were dated.")


class CampaignState(_Record):
    """Everything in campaign.json."""

    format: Literal["lemonade campaign"] = "lemonade campaign"
    version: int = SCHEMA_VERSION
    id: str = Field(min_length=8, description="Stable for the campaign's life; calendar UIDs derive from it.")
    timezone: str
    start: dt.date = Field(description="The day of the decision, when the call request goes out.")
    timing: Timing = Field(default_factory=Timing)
    situation: Situation
    call: Call | None = None
    steps: list[StepRecord]

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zone(value)
        except InputError as e:
            raise ValueError(str(e)) from None
        return value

    @model_validator(mode="after")
    def _one_of_each(self) -> Self:
        """Every kit step once, each referral step keyed by its referral, and each draft one its step writes."""
        seen: dict[str, int] = {}
        for i, record in enumerate(self.steps):
            if record.key in seen:
                raise FieldError(f"{record.key!r} is also steps[{seen[record.key]}]", loc=("steps", i, "key"))
            seen[record.key] = i
            if record.step in REFERRAL_STEPS:
                if record.referral is None or record.key != f"{record.step}:{record.referral}":
                    raise FieldError(
                        f"should be {record.step}:<referral>, with the same referral as its referral field",
                        loc=("steps", i, "key"),
                    )
            elif record.key != record.step or record.referral is not None:
                raise FieldError(f"should be {record.step!r}, with no referral", loc=("steps", i, "key"))
            if record.draft is not None and record.draft.step not in DRAFTED_BY.get(record.step, (record.step,)):
                raise FieldError(
                    f"a {record.draft.step} draft cannot stand for the {record.step} step",
                    loc=("steps", i, "draft", "step"),
                )
        if missing := [step for step in KIT_STEPS if step not in seen]:
            raise FieldError(
                f"has no {', '.join(missing)} step: every campaign keeps its steps (leave one out with "
                "`lemonade campaign skip`)",
                loc=("steps",),
            )
        return self

    def step(self, key: str) -> StepRecord:
        for record in self.steps:
            if record.key == key:
                return record
        raise KeyError(key)


# -- reading -----------------------------------------------------------------------------------------------


def load_state(folder: Path) -> CampaignState:
    """The campaign in ``folder``; ``InputError`` naming the file, the field and its line where it cannot be."""
    path = folder / FILE_NAME
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{folder}: no campaign here ({FILE_NAME} is missing); start one first", field="folder")
    data, text = read_json(path, what="a campaign file")
    if not isinstance(data, dict) or data.get("format") != "lemonade campaign":
        raise InputError(f'{path}: not a lemonade campaign file (no "format": "lemonade campaign")', field="format")
    version = data.get("version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise InputError(
            f"{path}: written by a newer lemonade (campaign file version {version}); this one reads version "
            f"{SCHEMA_VERSION}. Upgrade lemonade to open it.",
            field="version",
        )
    state = validated(CampaignState, data, path=path, text=text, root="campaign")
    for i, record in enumerate(state.steps):
        if record.draft is not None:
            where = ("steps", i, "draft", "value")
            validated(VALUE_TYPES[record.draft.step], record.draft.value, path=path, text=text, prefix=where)
    return state


def located(path: Path, field: str) -> str:
    """`` (line N)``: where ``field`` (``steps[2].sent_on``) is set in the JSON file at ``path``; empty if unknown."""
    loc = tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\[\d+\]|[^.\[\]]+", field))
    try:
        line = JsonLines(path.read_text(encoding="utf-8")).line_of(loc)
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (line {line})" if line else ""


# -- writing -----------------------------------------------------------------------------------------------


def save_state(folder: Path, state: CampaignState) -> None:
    """Write campaign.json whole: a temporary file beside it, then a rename."""
    write_files(folder, {FILE_NAME: (state.model_dump_json(indent=2) + "\n").encode()})


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the campaign's lock (``.campaign.lock`` in its folder) for a read-change-write; another command
    waits its turn. The operating system releases it if the holder dies."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".campaign.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
