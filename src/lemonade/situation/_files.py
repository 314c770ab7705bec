"""Reading situation files (TOML, or JSON for ``.json``): their data, and errors that name the file, the field and
the line. Nothing here knows what a situation holds; ``_situation`` validates the data."""

from __future__ import annotations

import bisect
import difflib
import json
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import InputError

__all__ = ["MAX_FILE_BYTES", "READ", "FieldError", "field_path", "invalid", "parse", "read_data"]

MAX_FILE_BYTES = 1_000_000
"""A situation file larger than this is refused: a real one is a few kilobytes, notes included."""
READ = (".toml", ".json")
"""The extensions a situation file may have."""
_SHOWN = 8
"""At most this many problems are listed in one message; the rest are counted."""


def field_path(loc: Sequence[Any], root: str = "situation") -> str:
    """``("resources", 1, "topic")`` as ``resources[1].topic``: one style for every message; ``root`` where
    the location is empty (the whole thing)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or root


class FieldError(ValueError):
    """A problem a whole-situation check found in one field, at ``loc`` (e.g. ``("resources", 1, "topic")``)."""

    def __init__(self, message: str, *, loc: tuple[str | int, ...]) -> None:
        super().__init__(f"{field_path(loc)}: {message}")
        self.loc = loc
        self.bare = message


class _Lines:
    """Where each key is set in a file's text, found in one pass: TOML ``key =`` and ``[table]`` / ``[[table]]``
    headers, and JSON ``"key":``."""

    _KEY = re.compile(r'^\s*"?([A-Za-z0-9_\-]+)"?\s*[=:]|"([A-Za-z0-9_\-]+)"\s*:')
    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, text: str) -> None:
        self.keys: dict[str, list[int]] = {}
        self.headers: dict[str, list[int]] = {}
        self.breaks: list[int] = []
        for number, line in enumerate(text.splitlines(), 1):
            if header := self._HEADER.match(line):
                self.headers.setdefault(header.group(1), []).append(number)
                self.breaks.append(number)
            elif key := self._KEY.search(line):
                self.keys.setdefault(key.group(1) or key.group(2), []).append(number)

    def line_of(self, loc: Sequence[Any]) -> int | None:
        """The line where the field at ``loc`` is set (or its table starts), if it can be found."""
        line, table, found, skip = 0, "", None, 0
        for part in loc:
            if isinstance(part, int):
                starts = self.headers.get(table, [])
                if part < len(starts) and starts[part] >= line:  # the n-th [[table]]
                    line = found = starts[part]
                else:  # an array written inline (or JSON): the n-th element holds the n-th of the next key
                    skip = part
                continue
            table = f"{table}.{part}" if table else part
            # A key belongs to the table it follows: look no further than the next [header].
            end = bisect.bisect_right(self.breaks, line)
            limit = self.breaks[end] if end < len(self.breaks) else None
            tables = [n for n in self.headers.get(table, []) if n >= line][:1]
            keys = [n for n in self.keys.get(part, []) if n >= line and (limit is None or n < limit)]
            keys, skip = keys[skip : skip + 1], 0
            nearest = min(tables + keys, default=None)
            if nearest is None:
                return found
            line = found = nearest
        return found


def _message(err: Any) -> str:
    context = err.get("ctx") or {}
    if err["type"] == "extra_forbidden":
        return "is not a field lemonade knows"
    if isinstance(context.get("error"), FieldError):
        return str(context["error"].bare)
    if err["type"] == "value_error" and context.get("error") is not None:
        return str(context["error"])
    return str(err["msg"]).removeprefix("Value error, ")


def _where(err: Any) -> tuple[Any, ...]:
    error = (err.get("ctx") or {}).get("error")
    return (*err["loc"], *error.loc) if isinstance(error, FieldError) else tuple(err["loc"])


def problems(
    error: ValidationError, known: Callable[[tuple[Any, ...]], Sequence[str]]
) -> list[tuple[tuple[Any, ...], str]]:
    """Each problem in ``error`` as (where, what), with "did you mean" for a misspelled key from ``known`` names."""
    out = []
    for err in error.errors(include_url=False):
        loc, message = _where(err), _message(err)
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            close = difflib.get_close_matches(loc[-1], known(loc[:-1]), n=1, cutoff=0.6)
            if close:
                message += f"; did you mean `{close[0]}`?"
        out.append((loc, message))
    return out


def invalid(
    error: ValidationError, text: str | None, path: Path | str, known: Callable[[tuple[Any, ...]], Sequence[str]]
) -> InputError:
    """One short ``InputError`` listing the problems in ``error``, each with ``path``, its field and its line."""
    found = problems(error, known)
    lines = _Lines(text) if text is not None else None
    shown = []
    for loc, message in found[:_SHOWN]:
        line = lines.line_of(loc) if lines else None
        shown.append(f"{path}: {field_path(loc)}: {message}" + (f" (line {line})" if line else ""))
    if len(found) > _SHOWN:
        shown.append(f"... and {len(found) - _SHOWN:,} more problems")
    first = field_path(found[0][0]) if found else "situation"
    if len(found) == 1:
        return InputError(shown[0], field=first)
    return InputError(f"{path}: {len(found):,} problems:\n" + "\n".join(f"  {s}" for s in shown), field=first)


def parse(text: str, path: Path | str) -> dict[str, Any]:
    """The data in a situation file's ``text``: JSON for a ``.json`` path, TOML for ``.toml``."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in READ:
        raise InputError(
            f"{path}: lemonade reads situation files ending in .toml or .json, not {suffix or 'no extension'}",
            field=str(path),
        )
    if len(text) > MAX_FILE_BYTES:
        raise InputError(f"{path}: is larger than {MAX_FILE_BYTES:,} bytes; a situation is a few kB", field=str(path))
    if not text.strip() or (suffix == ".toml" and not re.search(r"^\s*[^#\s]", text, re.MULTILINE)):
        raise InputError(
            f"{path}: is empty; a situation needs at least outcome, candidate, hiring_manager, company and role "
            "(`lemonade example` prints a commented one)",
            field=str(path),
        )
    try:
        data = json.loads(text) if suffix == ".json" else tomllib.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}: not valid JSON: {e.msg}", field=str(path)) from e
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: not valid TOML: {e}", field=str(path)) from e
    except RecursionError as e:
        raise InputError(f"{path}: is nested too deeply to be a situation", field=str(path)) from e
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a table of fields at the top level", field=str(path))
    return data


def read_data(path: Path) -> tuple[dict[str, Any], str]:
    """The file's data and its text; ``InputError`` naming the file (and the line) if it cannot be read."""
    try:
        if path.suffix.lower() in READ and path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(
                f"{path}: is larger than {MAX_FILE_BYTES:,} bytes; a situation is a few kB", field=str(path)
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file", field=str(path)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e
    return parse(text, path), text
