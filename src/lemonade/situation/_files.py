"""Reading the files lemonade reads: situation files (TOML, or JSON for ``.json``), and the JSON it writes and reads
back (``kit.json``, drafts, ``campaign.json``, journal rows, batch files, manifests). Every one goes through the
same guards: a file that cannot be read, is not valid JSON or TOML, holds a number too long to convert, or is
nested deeper than any file lemonade writes becomes an ``InputError`` naming the file (and the line); a value
that does not validate names the file, the field and its line. Nothing here knows what the files hold: callers
pass the model to validate with."""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "READ",
    "FieldError",
    "JsonLines",
    "field_path",
    "fields_at",
    "invalid",
    "json_lines",
    "jsonl_lines",
    "load_json",
    "load_toml",
    "parse",
    "read_data",
    "read_json",
    "read_text",
    "validated",
]

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 1_000_000
"""A situation file larger than this is refused: a real one is a few kilobytes, notes included."""
READ = (".toml", ".json")
"""The extensions a situation file may have."""
_SHOWN = 8
"""At most this many problems are listed in one message; the rest are counted."""
MAX_DEPTH = 64
"""Data nested deeper than this is refused: lemonade's own files are nested a handful of levels, and a deeper
file could exhaust the stack of the parser, the validator or the writer that saves it again."""


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


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names ``model`` allows at ``loc`` (for "did you mean"), e.g. ``("candidate",)``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = None
        if field is not None:
            for candidate in (field.annotation, *getattr(field.annotation, "__args__", ())):
                for inner in (candidate, *getattr(candidate, "__args__", ())):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        current = inner
    return list(current.model_fields) if current is not None else []


def invalid(
    error: ValidationError,
    text: str | None,
    path: Path | str,
    known: Callable[[tuple[Any, ...]], Sequence[str]],
    *,
    prefix: tuple[Any, ...] = (),
    root: str = "situation",
) -> InputError:
    """One short ``InputError`` listing the problems in ``error``, each with ``path``, its field and its line.

    ``prefix`` is where the validated value sits in the file (``("steps", 0, "draft", "value")``); ``root`` names
    the whole file where a problem is with all of it. JSON (a ``.json`` or ``.jsonl`` path) is located exactly;
    TOML by its keys and tables."""
    found = [((*prefix, *loc), message) for loc, message in problems(error, known)]
    lines: JsonLines | _Lines | None = None
    if text is not None:
        lines = JsonLines(text) if str(path).lower().endswith((".json", ".jsonl")) else _Lines(text)
    shown = []
    for loc, message in found[:_SHOWN]:
        line = lines.line_of(loc) if lines is not None else None
        shown.append(f"{path}: {field_path(loc, root)}: {message}" + (f" (line {line})" if line else ""))
    if len(found) > _SHOWN:
        shown.append(f"... and {len(found) - _SHOWN:,} more problems")
    first = field_path(found[0][0], root) if found else root
    if len(found) == 1:
        return InputError(shown[0], field=first)
    return InputError(f"{path}: {len(found):,} problems:\n" + "\n".join(f"  {s}" for s in shown), field=first)


def validated(
    model: type[M],
    data: Any,
    *,
    path: Path | str,
    text: str | None = None,
    prefix: tuple[Any, ...] = (),
    root: str = "$",
) -> M:
    """``data`` validated as ``model``; an ``InputError`` naming ``path``, each field and its line where it is not."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise invalid(e, text, path, functools.partial(fields_at, model), prefix=prefix, root=root) from e
    except RecursionError as e:
        raise InputError(f"{path}: is nested too deeply to be read", field=str(path)) from e


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def json_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line each value of a JSON document starts on, by its path (keys and indexes), found in one pass
    without recursion (so no depth of nesting can exhaust the stack)."""
    lines: dict[tuple[Any, ...], int] = {}
    stack: list[list[Any]] = []  # [path, key or index, wants a key (objects only)]
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        token, top = match.group(), stack[-1] if stack else None
        if top is not None and top[2]:  # an object, before a key
            if token == "}":
                stack.pop()
            elif token.startswith('"'):
                try:
                    top[1] = json.loads(token)
                except ValueError:
                    top[1] = token[1:-1]
                top[2] = False
            continue
        if token == ":":
            continue
        if token == ",":
            if top is not None and isinstance(top[1], int) and top[2] is None:
                top[1] += 1
            elif top is not None:
                top[2] = True
            continue
        if token in "}]":
            if stack:
                stack.pop()
            continue
        where = () if top is None else (*top[0], top[1])
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(where, line)
        if token == "{":
            stack.append([where, None, True])
        elif token == "[":
            stack.append([where, 0, None])
    return lines


class JsonLines:
    """Where each value of a JSON document starts (see ``json_lines``)."""

    def __init__(self, text: str) -> None:
        self._lines = json_lines(text)

    def line_of(self, loc: Sequence[Any]) -> int | None:
        """The line of the value at ``loc``, or of the nearest value holding it (a missing field's object)."""
        loc = tuple(loc)
        return next((self._lines[loc[:i]] for i in range(len(loc), -1, -1) if loc[:i] in self._lines), None)


def _too_deep(data: Any) -> bool:
    """Whether ``data`` is nested deeper than ``MAX_DEPTH`` (looked at without recursion)."""
    level: list[Any] = [data]
    for _ in range(MAX_DEPTH + 1):
        level = [
            v
            for item in level
            if isinstance(item, dict | list)
            for v in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def load_json(text: str, where: Path | str, *, what: str = "a file lemonade reads") -> Any:
    """The data in JSON ``text``; an ``InputError`` naming ``where`` (and the line) where it is not valid JSON,
    holds a number too long to read, or is nested deeper than ``what`` ever is."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: line {e.lineno}: not valid JSON: {e.msg}", field=str(where)) from e
    except RecursionError as e:
        raise InputError(f"{where}: is nested too deeply to be {what}", field=str(where)) from e
    except ValueError as e:  # a number of more digits than Python converts
        raise InputError(f"{where}: not valid JSON: {e}", field=str(where)) from e
    if _too_deep(data):
        raise InputError(f"{where}: is nested too deeply to be {what}", field=str(where))
    return data


def load_toml(text: str, where: Path | str, *, what: str = "a file lemonade reads") -> dict[str, Any]:
    """The data in TOML ``text``; an ``InputError`` naming ``where`` where it is not valid TOML, holds a number
    too long to read, or is nested deeper than ``what`` ever is."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{where}: not valid TOML: {e}", field=str(where)) from e
    except RecursionError as e:
        raise InputError(f"{where}: is nested too deeply to be {what}", field=str(where)) from e
    except ValueError as e:  # a number of more digits than Python converts
        raise InputError(f"{where}: not valid TOML: {e}", field=str(where)) from e
    if _too_deep(data):
        raise InputError(f"{where}: is nested too deeply to be {what}", field=str(where))
    return data


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Each non-blank line of a JSON Lines file with its number, read one at a time; an ``InputError`` naming
    ``path`` where it is missing, unreadable or not UTF-8."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file", field=str(path)) from e
    except OSError as e:
        raise InputError(f"{path}: cannot read it: {e.strerror}", field=str(path)) from e
    with handle:
        try:
            for number, text in enumerate(handle, 1):
                if text.strip():
                    yield number, text
        except UnicodeDecodeError as e:
            raise InputError(f"{path}: not UTF-8 text: {e.reason}", field=str(path)) from e


def read_text(path: Path, *, max_bytes: int | None = None, what: str = "a file lemonade reads") -> str:
    """The UTF-8 text of the file at ``path``; an ``InputError`` naming it where it cannot be read."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(f"{path}: is larger than {max_bytes:,} bytes, too large to be {what}", field=str(path))
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file", field=str(path)) from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a folder, not a file", field=str(path)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e


def read_json(path: Path, *, max_bytes: int | None = None, what: str = "a file lemonade reads") -> tuple[Any, str]:
    """The data in the JSON file at ``path``, and its text (for ``validated`` to find lines in)."""
    text = read_text(path, max_bytes=max_bytes, what=what)
    return load_json(text, path, what=what), text


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
    reader = load_json if suffix == ".json" else load_toml
    data = reader(text, path, what="a situation")
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
