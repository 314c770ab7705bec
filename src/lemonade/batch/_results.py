"""Reading what a batch answered: OpenAI's output and error files, and vLLM ``run_batch``'s single output file.

Every line is ``{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null, "error"}``.
Success is judged by ``response.status_code`` alone: OpenAI writes a failed request with ``error: null``
and a 4xx or 5xx status whose body holds the error; a request that never ran has no response and an
``error`` object (``batch_expired``, ``batch_cancelled``); vLLM writes its errors inline in the one output
file, with no body and ``error`` a string or an error object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..drafts._values import Step
from ..situation._files import jsonl_lines, load_json
from ._prepare import parse_custom_id

__all__ = ["BatchAnswer", "read_answers"]


@dataclass(frozen=True)
class BatchAnswer:
    """One line of a batch's results: which request, its HTTP status, and its body or what went wrong."""

    custom_id: str
    key: str
    step: Step
    answer: int
    status: int | None
    body: dict[str, Any] | None
    problem: str | None
    where: str

    @property
    def ok(self) -> bool:
        """A 2xx answer holding a chat completion."""
        status_ok = self.status is not None and 200 <= self.status < 300
        return status_ok and isinstance(self.body, dict) and "choices" in self.body


def _said(error: Any) -> str | None:
    """The words of an error in any of the shapes servers write: a string, ``{message}``, ``{error: {message}}``."""
    if error is None:
        return None
    if isinstance(error, str):
        return error
    if isinstance(error, dict):
        inner = error.get("error")
        if isinstance(inner, dict | str):
            return _said(inner)
        message, code = error.get("message"), error.get("code")
        if message:
            return f"{code}: {message}" if isinstance(code, str) and code else str(message)
    return json.dumps(error)


def _answer(line: dict[str, Any], where: str) -> BatchAnswer:
    cid = line.get("custom_id")
    if not isinstance(cid, str):
        raise InputError(f"{where}: no custom_id: is this a batch's output file?", field="custom_id")
    try:
        key, step, answer = parse_custom_id(cid)
    except InputError as e:
        raise InputError(f"{where}: {e}", field="custom_id") from e
    response = line.get("response")
    status = body = None
    if isinstance(response, dict):
        status = response.get("status_code") if isinstance(response.get("status_code"), int) else None
        body = response.get("body") if isinstance(response.get("body"), dict) else None
    found = BatchAnswer(cid, key, step, answer, status, body, None, where)
    if found.ok:
        return found
    problem = _said(line.get("error")) or _said(body) or (f"HTTP {status}" if status else "no response")
    return BatchAnswer(cid, key, step, answer, status, body, problem, where)


def read_answers(path: Path) -> Iterator[BatchAnswer]:
    """Every answer in a batch output or error file, one at a time."""
    for number, text in jsonl_lines(path):
        where = f"{path}:{number}"
        line = load_json(text, where, what="a batch's answer")
        if not isinstance(line, dict):
            raise InputError(f"{where}: expected a JSON object", field=str(path))
        yield _answer(line, where)
