"""A kit's files read back into draft values, so that what a person opened and edited can be checked: the
``.eml`` files, the printed letter, the X and LinkedIn texts, the call sheet, and the JSON lemonade writes
(``kit.json``, ``STEP.json``, ``STEP.failing.json``, or a bare value).

A file names its step; its fields come from the file, and the step's other fields from its sibling files and
JSON in the same folder. Where a field has no source at all, a blank stands in and ``fields`` says which
fields were read, so a caller reports only findings about those.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._errors import InputError
from ..situation._files import field_path
from ..situation._situation import Situation
from ._email import read_email
from ._files import FAILING, STEP_FILES, read_call_sheet, read_letter
from ._values import STEPS, VALUE_TYPES, Letter, Step

__all__ = ["ReadBack", "read_back"]


@dataclass(frozen=True)
class ReadBack:
    """One step's value as read from files: which files, and which of its fields they gave."""

    step: Step
    value: BaseModel
    sources: tuple[str, ...]
    fields: frozenset[str]


_KEYS: dict[frozenset[str], Step] = {
    frozenset(VALUE_TYPES[step].model_fields) - extra: step
    for step in STEPS
    for extra in (frozenset(), frozenset({"letter"}))
}
_FILE_STEP: dict[str, Step] = {name: step for step, names in STEP_FILES.items() for name in names}
_WORD_MINUTES = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30}
_MINUTES = re.compile(r"\b(\d{1,3}|" + "|".join(_WORD_MINUTES) + r")[\s-]*(?:minutes?|mins?)\b", re.IGNORECASE)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}: not valid JSON: {e.msg}", field=str(path)) from e


def _json_values(data: Any, path: Path) -> dict[Step, dict[str, Any]]:
    """The draft values in JSON: a kit (the four drafts), one Draft (with ``value``), or a bare value."""
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a draft: expected a JSON object", field=str(path))
    if set(STEPS) <= data.keys():
        return {step: _json_values(data[step], path)[step] for step in STEPS}
    if isinstance(data.get("value"), dict):
        data = data["value"]
    step = _KEYS.get(frozenset(data))
    if step is None:
        raise InputError(f"{path}: not a draft: its keys {sorted(data)} match no draft type", field=str(path))
    return {step: data}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e


def _file_fields(step: Step, path: Path) -> dict[str, Any]:
    """The fields of ``step``'s value that the file at ``path`` holds."""
    where = str(path)
    if path.suffix == ".eml":
        try:
            subject, body = read_email(path.read_bytes(), where=where)
        except OSError as e:
            raise InputError(f"{path}: cannot read it: {e.strerror}", field=where) from e
        if step == "call_request":
            found = _MINUTES.search(body)
            minutes = {} if found is None else {"call_minutes": _WORD_MINUTES.get(found[1].lower()) or int(found[1])}
            return {"subject": subject, "body": body, **minutes}
        return {"email_subject": subject, "email_body": body}
    text = _read_text(path)
    if step == "referral_questions":
        return read_call_sheet(text, where=where)
    if path.name == "thank_you_letter.txt":
        letter = read_letter(text, where=where)
        return {"letter": letter.model_dump(), "letter_paragraphs": list(letter.paragraphs)}
    return {"x_post" if path.name == "x_post.txt" else "linkedin_message": text.strip()}


def _blank(step: Step, situation: Situation, today: date) -> dict[str, Any]:
    if step == "call_request":
        return {"subject": "", "body": "", "call_minutes": 15}
    if step == "referral_questions":
        return {"opener": "", "questions": [], "permission_question": "", "closing": ""}
    if step == "thank_you":
        letter = Letter.for_situation(situation, [], on=today)
        return {"email_subject": "", "email_body": "", "letter_paragraphs": [], "letter": letter.model_dump()}
    return {"email_subject": "", "email_body": "", "x_post": "", "linkedin_message": ""}


def _json_base(folder: Path, step: Step) -> tuple[dict[str, Any], str] | None:
    """The step's value as lemonade last wrote it in ``folder``: its failing draft, its draft, or the kit's."""
    for name in (f"{step}{FAILING}", f"{step}.json", "kit.json"):
        if (folder / name).is_file():
            values = _json_values(_json(folder / name), folder / name)
            if step in values:
                return values[step], name
    return None


def _assemble(step: Step, folder: Path, files: list[Path], situation: Situation, today: date) -> ReadBack:
    data = _blank(step, situation, today)
    sources: list[str] = []
    fields: set[str] = set()
    if (base := _json_base(folder, step)) is not None:
        data |= base[0]
        sources.append(base[1])
        fields |= base[0].keys()
    for path in files:
        read = _file_fields(step, path)
        data |= read
        sources.append(path.name)
        fields |= read.keys()
    if step == "thank_you" and "letter" not in fields and "letter_paragraphs" in fields:
        data["letter"] = Letter.for_situation(situation, list(data["letter_paragraphs"]), on=today).model_dump()
    return ReadBack(step, _validated(step, data, " + ".join(sources)), tuple(sources), frozenset(fields))


def _validated(step: Step, data: dict[str, Any], where: str) -> BaseModel:
    try:
        return VALUE_TYPES[step].model_validate(data)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        field = field_path(first["loc"], "$")
        raise InputError(f"{where}: {field}: {first['msg']}", field=field) from e


def read_back(path: Path, situation: Situation, *, today: date) -> list[ReadBack]:
    """The draft values in ``path``: a kit folder (every step it holds), one file a kit was written as (its
    step, with its siblings filling the step's other fields), or a JSON draft, kit or bare value."""
    if path.is_dir():
        present = {name: path / name for name in _FILE_STEP if (path / name).is_file()}
        steps = [s for s in STEPS if any(_FILE_STEP[n] == s for n in present) or _json_base(path, s)]
        if not steps:
            raise InputError(f"{path}: holds no drafts lemonade can read", field=str(path))
        return [
            _assemble(s, path, [p for n, p in present.items() if _FILE_STEP[n] == s], situation, today) for s in steps
        ]
    if path.name in _FILE_STEP:
        step = _FILE_STEP[path.name]
        siblings = [path.parent / n for n in STEP_FILES[step] if n != path.name and (path.parent / n).is_file()]
        return [_assemble(step, path.parent, [*siblings, path], situation, today)]
    if not path.is_file():
        raise InputError(f"{path}: no such file", field=str(path))
    values = _json_values(_json(path), path)
    out = []
    for step, data in values.items():
        if step == "thank_you" and "letter" not in data:
            letter = Letter.for_situation(situation, list(data.get("letter_paragraphs") or []), on=today)
            data = {**data, "letter": letter.model_dump()}
        out.append(ReadBack(step, _validated(step, data, str(path)), (path.name,), frozenset(data)))
    return out
