"""Reading situation files (TOML, or JSON for ``.json``): their data, and errors that name the file, the field and
the line. Nothing here knows what a situation holds; ``_situation`` validates the data."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import InputError

__all__ = ["invalid", "parse", "read_data"]


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The TOML line where the field at ``loc`` is set (or its table starts), if it can be found."""
    if not loc:
        return None
    lines = text.splitlines()
    key = loc[-1] if isinstance(loc[-1], str) else None
    parents = loc[:-1] if key is not None else loc
    table = ".".join(k for k in parents if isinstance(k, str))
    index = next((k for k in reversed(parents) if isinstance(k, int)), 0)
    headers = [i for i, line in enumerate(lines) if re.match(r"^\s*\[", line)]
    start, end = 0, headers[0] if headers else len(lines)
    if table:
        own = [i for i in headers if re.match(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(?:#.*)?$", lines[i])]
        if not own:
            return None
        start = own[min(index, len(own) - 1)] + 1
        end = next((i for i in headers if i >= start), len(lines))
    if key is None:
        return start if table else None
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    found = next((i for i in range(start, end) if pattern.match(lines[i])), None)
    return found + 1 if found is not None else (start if table else None)


def parse(text: str, path: Path | str) -> dict[str, Any]:
    try:
        data = json.loads(text) if str(path).lower().endswith(".json") else tomllib.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}: not valid JSON: {e.msg}", field=str(path)) from e
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: not valid TOML: {e}", field=str(path)) from e
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a table of fields at the top level", field=str(path))
    return data


def read_data(path: Path) -> tuple[dict[str, Any], str]:
    """The file's data (TOML by default, JSON for ``.json``) and its text; InputError naming the line if it cannot."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file", field=str(path)) from e
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it: {e}", field=str(path)) from e
    return parse(text, path), text


def invalid(error: ValidationError, text: str, path: Path | str) -> InputError:
    """One ``InputError`` listing every problem in ``error``, each with ``path``, its field and its line."""
    problems = []
    for err in error.errors(include_url=False):
        field = ".".join(map(str, err["loc"])) or "situation"
        line = _line_of(text, err["loc"])
        where = f" (line {line})" if line else ""
        problems.append(f"{path}: {field}: {err['msg']}{where}")
    first = ".".join(map(str, error.errors()[0]["loc"])) or "situation"
    return InputError("\n".join(problems), field=first)
