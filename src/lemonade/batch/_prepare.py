"""Writing OpenAI Batch API input: one JSONL line per (situation, step), split where a file would pass the limits.

Each line is ``{"custom_id": "<key>/<step>", "method": "POST", "url": "/v1/chat/completions", "body": {...}}``
and its body is exactly what a live request would send: the model, the messages, the strict
``response_format`` and ``max_tokens``. A re-ask's ``custom_id`` ends with the number of the answer it
asks for (``<key>/<step>/2``). A file holds at most 50,000 requests and 200 MB (OpenAI's limits);
beyond that the lines go on in ``batch-2.jsonl``, ``batch-3.jsonl`` and so on. Beside each file,
``batch.situations.jsonl`` keeps the situations its lines were written from (one per line, with its
key), which is how ``collect`` checks each answer. Files are written whole or not at all.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Final

from .._errors import InputError
from ..drafts._values import STEPS, Step
from ..situation._situation import Situation

__all__ = [
    "ENDPOINT",
    "MAX_BYTES",
    "MAX_REQUESTS",
    "BatchWriter",
    "custom_id",
    "parse_custom_id",
    "situations_beside",
    "write_batch",
]

ENDPOINT: Final = "/v1/chat/completions"
MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1000 * 1000


def custom_id(key: str, step: Step, answer: int = 1) -> str:
    """The id of one request: traceable to its key and step (and, for a re-ask, the answer it asks for)."""
    return f"{key}/{step}" if answer == 1 else f"{key}/{step}/{answer}"


def parse_custom_id(text: str) -> tuple[str, Step, int]:
    """``(key, step, answer)`` from a ``custom_id`` that ``custom_id`` wrote; InputError for any other."""
    parts = text.split("/")
    answer = 1
    if len(parts) >= 3 and parts[-1].isdigit():
        answer = int(parts.pop())
    step = parts.pop() if len(parts) >= 2 else ""
    key = "/".join(parts)
    if step not in STEPS or not key or answer < 1:
        raise InputError(f"custom_id {text!r} was not written by lemonade (expected <key>/<step>)", field="custom_id")
    return key, step, answer


def situations_beside(batch_file: Path) -> Path:
    """Where the situations of ``batch.jsonl`` are kept: ``batch.situations.jsonl`` beside it."""
    return batch_file.with_name(f"{batch_file.stem}.situations.jsonl")


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class BatchWriter:
    """Writes request lines into ``out`` (and ``out-2``, ... as the limits require), and the situations they
    need beside each file; nothing appears until ``finish``, and ``abandon`` leaves no trace."""

    def __init__(self, out: Path, *, max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES) -> None:
        if out.suffix != ".jsonl":
            raise InputError(f"--out {out}: name a .jsonl file, e.g. batch.jsonl", field="out")
        if max_requests < 1 or max_bytes < 1:
            raise InputError("max_requests and max_bytes must be positive", field="max_requests")
        out.parent.mkdir(parents=True, exist_ok=True)
        self.out, self.max_requests, self.max_bytes = out, max_requests, max_bytes
        self._parts: list[tuple[Path, IO[bytes], IO[bytes]]] = []
        self._ids: set[str] = set()
        self._lines = self._bytes = 0
        self._kept: set[str] = set()
        self.requests = 0

    def _part_path(self, number: int) -> Path:
        return self.out if number == 1 else self.out.with_name(f"{self.out.stem}-{number}{self.out.suffix}")

    def _open_part(self) -> None:
        path = self._part_path(len(self._parts) + 1)
        beside = situations_beside(path)
        requests = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)  # noqa: SIM115
        situations = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{beside.name}.", delete=False)  # noqa: SIM115
        self._parts.append((path, requests, situations))
        self._lines = self._bytes = 0
        self._kept = set()

    def add(self, key: str, situation: Situation, step: Step, body: dict[str, Any], answer: int = 1) -> None:
        """One request line for ``step`` of the situation keyed ``key``."""
        cid = custom_id(key, step, answer)
        if cid in self._ids:
            raise InputError(f"custom_id {cid!r} would be written twice; each key must be unique", field="key")
        self._ids.add(cid)
        line = _dumps({"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": body})
        if len(line) > self.max_bytes:
            message = f"the request {cid!r} alone is {len(line):,} bytes, over the {self.max_bytes:,} a file may hold"
            raise InputError(message, field="max_bytes")
        if not self._parts or self._lines >= self.max_requests or self._bytes + len(line) > self.max_bytes:
            self._open_part()
        _, requests, situations = self._parts[-1]
        if key not in self._kept:
            situations.write(_dumps({"key": key, **situation.model_dump(mode="json", exclude_none=True)}))
            self._kept.add(key)
        requests.write(line)
        self._lines += 1
        self._bytes += len(line)
        self.requests += 1

    def finish(self) -> list[Path]:
        """Put every file in place; returns the request files, in order."""
        if not self._parts:
            raise InputError("nothing to write: no requests", field="situations")
        umask = os.umask(0)
        os.umask(umask)
        for path, requests, situations in self._parts:
            for target, handle in ((path, requests), (situations_beside(path), situations)):
                handle.close()
                os.chmod(handle.name, 0o666 & ~umask)  # as a file made with open() would be
                os.replace(handle.name, target)
        return [path for path, _, _ in self._parts]

    def abandon(self) -> None:
        for _, *handles in self._parts:
            for handle in handles:
                handle.close()
                Path(handle.name).unlink(missing_ok=True)
        self._parts = []


def write_batch(
    requests: Iterable[tuple[str, Situation, Step, dict[str, Any], int]], writer: BatchWriter
) -> list[Path]:
    """Write every request through ``writer``, all or nothing."""
    try:
        for key, situation, step, body, answer in requests:
            writer.add(key, situation, step, body, answer)
        return writer.finish()
    except BaseException:
        writer.abandon()
        raise
