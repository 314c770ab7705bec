"""Situations in bulk: a folder of situation files, or a JSONL file with one situation per line, each with a key.

A file's key is its name without the extension; a JSONL line's key is its ``key`` field, else
``line-N``. Keys become folder names (``DIR/<key>/``), made safe for a path (at most 100 characters, never
a name the run's own files take: those end in ``.json`` or ``.jsonl``), and two situations whose keys end
up the same folder are refused. Files are read lazily, one situation at a time, so a file of a
hundred thousand lines never sits in memory; ``check_all`` reads everything once before anything is
sent, and a bad situation is named by its file, its line and its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import InputError
from ..situation._files import invalid, jsonl_lines, load_json
from ..situation._situation import Situation, known_fields, load_situation
from ..situation._text import shortened

__all__ = ["Keyed", "SituationIndex", "check_all", "count_situations", "read_situations", "safe_key"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SUFFIXES = (".toml", ".json")
_KEY_LENGTH = 100
_RESERVED_SUFFIXES = ("json", "jsonl")
"""A run's own files in its folder end so (failures.jsonl, collect.json, a batch's output); no key's folder does."""


def safe_key(key: str) -> str:
    """``key`` as a folder name: letters, digits, ``.``, ``_`` and ``-`` only, at most 100 characters (a longer
    key is cut short and ends with a digest of itself), and never ending in ``.json`` or ``.jsonl``, the names
    of the files a run writes beside the folders (``failures.jsonl`` becomes ``failures-jsonl``)."""
    safe = shortened(_UNSAFE.sub("-", key).strip(".-"), limit=_KEY_LENGTH, source=key).strip(".-")
    stem, dot, suffix = safe.rpartition(".")
    if dot and suffix.lower() in _RESERVED_SUFFIXES:
        safe = f"{stem}-{suffix}"
    return safe or "situation"


@dataclass(frozen=True)
class Keyed:
    """One situation of many, with its key and where it came from (``file`` or ``file:line``)."""

    key: str
    situation: Situation
    where: str


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def _line_key(data: dict[str, Any], number: int, where: str) -> str:
    key = data.pop("key", None)
    if key is None:
        return f"line-{number}"
    if isinstance(key, bool) or not isinstance(key, str | int) or not str(key).strip():
        raise InputError(f"{where}: key: must be a non-empty string, not {str(key)[:80]!r}", field="key")
    return str(key).strip()


def _from_line(text: str, number: int, path: Path) -> Keyed:
    where = f"{path}:{number}"
    data = load_json(text, where, what="a situation")
    if not isinstance(data, dict):
        raise InputError(
            f"{where}: expected a JSON object (one situation), got a {type(data).__name__}", field=str(path)
        )
    key = _line_key(data, number, where)
    try:
        situation = Situation.model_validate(data)
    except ValidationError as e:
        raise invalid(e, None, f"{where} (key {key!r})", known_fields) from e
    return Keyed(key, situation, where)


def read_situations(path: Path) -> Iterator[Keyed]:
    """Every situation in ``path`` (a folder of .toml/.json files, or a .jsonl file), one at a time."""
    if path.is_dir():
        for file in _files(path):
            yield Keyed(file.stem, load_situation(file), str(file))
        return
    if not path.exists():
        raise InputError(f"{path}: no such file or folder", field=str(path))
    for number, text in jsonl_lines(path):
        yield _from_line(text, number, path)


def count_situations(path: Path) -> int:
    """How many situations ``path`` holds, without reading them."""
    if path.is_dir():
        return len(_files(path))
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def check_all(
    path: Path, *, needs_email: bool = False, needs_resources: bool = False, taken: Mapping[str, str] | None = None
) -> int:
    """Read every situation once and refuse the first bad one (or a repeated key); returns how many there are.

    ``needs_email``: each candidate needs an address (their drafts are written as email files);
    ``needs_resources``: each needs a link to share (the value-add step is asked for); ``taken``: names in
    the output folder that are not kits' (the journal, say), each with what it is."""
    seen: dict[str, str] = {name.casefold(): what for name, what in (taken or {}).items()}
    lowered = set(seen)
    count = 0
    for keyed in read_situations(path):
        folder = safe_key(keyed.key)
        if folder.casefold() in seen:  # a folder named Jill is jill's on macOS and Windows
            other = seen[folder.casefold()]
            fix = "give one another name" if folder.casefold() in lowered else "keys must be unique"
            message = f"{keyed.where}: key {keyed.key!r} is the same folder name ({folder}) as {other}; {fix}"
            raise InputError(message, field="key")
        seen[folder.casefold()] = keyed.where
        if needs_email and not keyed.situation.candidate.email:
            message = f"{keyed.where}: candidate.email is needed to write the email drafts"
            raise InputError(message, field="candidate.email")
        if needs_resources and not keyed.situation.resources:
            raise InputError(f"{keyed.where}: resources: value_add needs at least one link to share", field="resources")
        count += 1
    if count == 0:
        raise InputError(f"{path}: holds no situations", field=str(path))
    return count


class SituationIndex:
    """Situations by key, read from their file only when asked for (a JSONL file is indexed by line offset)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._where: dict[str, tuple[int, int] | Path] = {}
        if path.is_dir():
            for keyed_file in _files(path):
                self._where[keyed_file.stem] = keyed_file
            return
        try:
            with path.open("rb") as handle:
                offset, number = 0, 0
                for raw in handle:
                    number += 1
                    if raw.strip():
                        data = load_json(raw.decode("utf-8"), f"{path}:{number}", what="a situation")
                        key = _line_key(data, number, f"{path}:{number}") if isinstance(data, dict) else str(number)
                        self._where[key] = (offset, number)
                    offset += len(raw)
        except FileNotFoundError as e:
            raise InputError(f"{path}: no such file or folder (the situations)", field="situations") from e
        except IsADirectoryError as e:
            raise InputError(f"{path}: is a folder; name the situations file", field="situations") from e
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: line {number}: not UTF-8 text", field="situations") from e
        except OSError as e:
            raise InputError(f"{path}: cannot read it: {e.strerror}", field="situations") from e

    def __contains__(self, key: str) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def get(self, key: str) -> Situation:
        where = self._where.get(key)
        if where is None:
            raise InputError(f"{self.path} has no situation with key {key!r}", field="situations")
        if isinstance(where, Path):
            return load_situation(where)
        offset, number = where
        with self.path.open("rb") as handle:
            handle.seek(offset)
            line = handle.readline().decode("utf-8")
        return _from_line(line, number, self.path).situation
