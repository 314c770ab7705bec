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
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._errors import InputError
from ..drafts._files import write_files
from ..drafts._values import VALUE_TYPES
from ..guardrails._report import Violation
from ..situation._files import field_path
from ..situation._followup import Call
from ..situation._situation import Situation
from ._dates import Timing, zone

__all__ = [
    "FILE_NAME",
    "SCHEMA_VERSION",
    "CampaignState",
    "DraftRecord",
    "FileRecord",
    "PlanStep",
    "StepRecord",
    "Stored",
    "load_state",
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


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileRecord(_Record):
    """A file lemonade wrote into the campaign folder, and its checksum when written."""

    name: str
    sha256: str


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

    key: str = Field(description="call_request, nudge, …, or introduction_request:priya-shah for a referral.")
    step: PlanStep
    referral: str | None = Field(default=None, description="The referral's key, for the introduction steps.")
    on: dt.date | None = Field(default=None, description="The planned day.")
    status: Stored = "planned"
    sent_on: dt.date | None = None
    note: str | None = Field(default=None, description="Why it was skipped, or what changed.")
    sequence: int = Field(default=0, ge=0, description="The calendar's SEQUENCE: grows when the event changes.")
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

    def step(self, key: str) -> StepRecord:
        for record in self.steps:
            if record.key == key:
                return record
        raise KeyError(key)


# -- reading -----------------------------------------------------------------------------------------------


def _json_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line each value in a JSON document starts on, by its path (keys and indexes)."""
    lines: dict[tuple[Any, ...], int] = {}
    pos = 0
    token = re.compile(r'\s*(?:"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+)', re.DOTALL)

    def line() -> int:
        return text.count("\n", 0, pos) + 1

    def skip_space() -> None:
        nonlocal pos
        while pos < len(text) and text[pos].isspace():
            pos += 1

    def value(path: tuple[Any, ...]) -> None:
        nonlocal pos
        skip_space()
        lines.setdefault(path, line())
        if pos >= len(text):
            return
        if text[pos] == "{":
            pos += 1
            while True:
                skip_space()
                if pos >= len(text) or text[pos] == "}":
                    pos += 1
                    return
                match = token.match(text, pos)
                if match is None:
                    return
                key = json.loads(match.group(0).strip()) if match.group(0).strip().startswith('"') else None
                pos = match.end()
                skip_space()
                pos += 1  # the colon
                value((*path, key))
                skip_space()
                if pos < len(text) and text[pos] == ",":
                    pos += 1
        elif text[pos] == "[":
            pos += 1
            index = 0
            while True:
                skip_space()
                if pos >= len(text) or text[pos] == "]":
                    pos += 1
                    return
                value((*path, index))
                index += 1
                skip_space()
                if pos < len(text) and text[pos] == ",":
                    pos += 1
        else:
            match = token.match(text, pos)
            pos = match.end() if match else len(text)

    value(())
    return lines


def _invalid(error: ValidationError, text: str, path: Path, prefix: tuple[Any, ...] = ()) -> InputError:
    lines = _json_lines(text)
    problems = []
    for err in error.errors(include_url=False):
        loc = (*prefix, *err["loc"])
        field = field_path(loc, "campaign")
        line = next((lines[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in lines), None)
        problems.append(f"{path}: {field}: {err['msg']}" + (f" (line {line})" if line else ""))
    first = field_path((*prefix, *error.errors()[0]["loc"]), "campaign")
    return InputError("\n".join(problems), field=first)


def load_state(folder: Path) -> CampaignState:
    """The campaign in ``folder``; ``InputError`` naming the file, the field and its line where it cannot be."""
    path = folder / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError(f"{folder}: no campaign here ({FILE_NAME} is missing); start one first", field="folder") from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}: not valid JSON: {e.msg}", field=str(path)) from e
    if not isinstance(data, dict) or data.get("format") != "lemonade campaign":
        raise InputError(f'{path}: not a lemonade campaign file (no "format": "lemonade campaign")', field="format")
    version = data.get("version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise InputError(
            f"{path}: written by a newer lemonade (campaign file version {version}); this one reads version "
            f"{SCHEMA_VERSION}. Upgrade lemonade to open it.",
            field="version",
        )
    try:
        state = CampaignState.model_validate(data)
    except ValidationError as e:
        raise _invalid(e, text, path) from e
    for i, record in enumerate(state.steps):
        if record.draft is not None:
            value_type = VALUE_TYPES.get(record.draft.step)
            if value_type is None:
                message = f"{path}: steps.{i}.draft.step: {record.draft.step!r} is not a step lemonade drafts"
                raise InputError(message, field=f"steps.{i}.draft.step")
            try:
                value_type.model_validate(record.draft.value)
            except ValidationError as e:
                raise _invalid(e, text, path, ("steps", i, "draft", "value")) from e
    return state


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
