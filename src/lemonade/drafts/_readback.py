"""A kit's files read back into draft values, so that what a person opened and edited can be checked: the
``.eml`` files, the printed letter, the X and LinkedIn texts, the call sheet, and the JSON lemonade writes
(``kit.json``, ``STEP.json``, ``STEP.failing.json``, or a bare value).

A file names its step; its fields come from the file, and the step's other fields from its sibling files and
JSON in the same folder. Where a field has no source at all, a blank stands in and ``fields`` says which
fields were read, so a caller reports only findings about those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .._errors import InputError
from ..situation._files import read_json, read_text, validated
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
_MAX_BYTES = 5_000_000
"""A draft's file larger than this is refused: a whole kit is a few tens of kB."""
_FILE_STEP: dict[str, Step] = {name: step for step, names in STEP_FILES.items() for name in names}
_WORD_MINUTES = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30}
_MINUTES = re.compile(r"\b(\d{1,3}|" + "|".join(_WORD_MINUTES) + r")[\s-]*(?:minutes?|mins?)\b", re.IGNORECASE)


def _json(path: Path) -> tuple[Any, str]:
    return read_json(path, max_bytes=_MAX_BYTES, what="a draft")


def _json_values(data: Any, path: Path) -> dict[Step, tuple[dict[str, Any], tuple[str | int, ...]]]:
    """The draft values in JSON: a kit (the four drafts), one Draft (with ``value``), or a bare value; each with
    where it sits in the file."""
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a draft: expected a JSON object", field=str(path))
    if set(STEPS) <= data.keys():
        found = {}
        for step in STEPS:
            value, inner = _json_values(data[step], path)[step]
            found[step] = (value, (step, *inner))
        return found
    where: tuple[str | int, ...] = ()
    if isinstance(data.get("value"), dict):
        data, where = data["value"], ("value",)
    matched = _KEYS.get(frozenset(data))
    if matched is None:
        raise InputError(f"{path}: not a draft: its keys {sorted(data)} match no draft type", field=str(path))
    return {matched: (data, where)}


def _read_text(path: Path) -> str:
    return read_text(path, max_bytes=_MAX_BYTES, what="a draft")


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
            values = _json_values(_json(folder / name)[0], folder / name)
            if step in values:
                return values[step][0], name
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
        data["letter"] = _letter(situation, data["letter_paragraphs"], today) or data["letter"]
    value = validated(VALUE_TYPES[step], data, path=" + ".join(sources), root="$")
    return ReadBack(step, value, tuple(sources), frozenset(fields))


def _letter(situation: Situation, paragraphs: Any, today: date) -> dict[str, Any] | None:
    """The letter for ``paragraphs`` as a person wrote them; None where they are not a list of text (then the
    value's own check says which paragraph is not)."""
    if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
        return None
    return Letter.for_situation(situation, paragraphs, on=today).model_dump()


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
    found, text = _json(path)
    out = []
    for step, (data, where) in _json_values(found, path).items():
        if step == "thank_you" and "letter" not in data:
            letter = _letter(situation, data.get("letter_paragraphs", []), today)
            data = {**data, "letter": letter} if letter is not None else data
        value = validated(VALUE_TYPES[step], data, path=path, text=text, prefix=where, root="$")
        out.append(ReadBack(step, value, (path.name,), frozenset(data)))
    return out
