"""The scripted server's batch mode: enough of OpenAI's ``/v1/files`` and ``/v1/batches`` to test a batch
end to end over HTTP with the real openai client.

Files: upload (multipart, ``purpose="batch"``), retrieve, and content. Batches: create (from an uploaded
file, ``endpoint="/v1/chat/completions"``, ``completion_window="24h"``), retrieve and cancel. A batch
is checked as OpenAI checks one (every line a POST to the batch's endpoint, ``custom_id`` unique, one
model, at most 50,000 lines) and fails with ``errors`` naming the line where it is not. Each line is
answered from the chat script, like a live request: a 200 goes to the output file, anything else to the
error file with its status and body (``error`` null, as OpenAI writes it), and lines a cancelled batch
never ran are listed there with a ``batch_cancelled`` error and no response.

Batches finish as soon as they are created, unless ``hold_batches=True``: then they stay
``in_progress`` until ``finish_batch(id)`` or a cancel.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._server import Reply, Routed, ScriptedServer, step_of

__all__ = ["MAX_BATCH_LINES", "BatchServer"]

MAX_BATCH_LINES = 50_000
_JSON = {"content-type": "application/json"}
_FILE = re.compile(r"^/v1/files/(?P<id>[\w-]+)(?P<content>/content)?$")
_BATCH = re.compile(r"^/v1/batches/(?P<id>[\w-]+)(?P<cancel>/cancel)?$")


def _json(status: int, data: Any) -> Routed:
    return status, _JSON, json.dumps(data).encode()


def _error(status: int, message: str) -> Routed:
    return _json(status, {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}})


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    created_at: int
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})
    times: dict[str, int] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86_400,
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
            **{f"{name}_at": at for name, at in self.times.items()},
        }


class BatchServer(ScriptedServer):
    """A ``ScriptedServer`` that also speaks OpenAI's files and batches API (see the module's docstring).

    ``files`` holds every file by id (uploads and the output and error files it wrote), ``batches`` every
    batch's current JSON by id.
    """

    def __init__(
        self,
        *,
        defaults: Mapping[str, Reply] | None = None,
        hold_batches: bool = False,
        max_lines: int = MAX_BATCH_LINES,
    ) -> None:
        super().__init__(defaults=defaults)
        self.hold_batches, self.max_lines = hold_batches, max_lines
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._batches: dict[str, _Batch] = {}
        self._ids = itertools.count(1)
        self._store = threading.Lock()

    def __enter__(self) -> BatchServer:
        self.start()
        return self

    @property
    def files(self) -> dict[str, bytes]:
        with self._store:
            return {fid: data for fid, (_, data) in self._files.items()}

    @property
    def batches(self) -> dict[str, dict[str, Any]]:
        with self._store:
            return {bid: batch.as_json() for bid, batch in self._batches.items()}

    def _new_file(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        fid = f"file-{next(self._ids):06d}"
        meta = {"id": fid, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                "filename": filename, "purpose": purpose, "status": "processed", "status_details": None}  # fmt: skip
        self._files[fid] = (meta, data)
        return meta

    # -- routes ------------------------------------------------------------------------------------------

    def _route(self, method: str, path: str, headers: Mapping[str, str], raw: bytes) -> Routed | None:
        path = path.split("?")[0]
        if path == "/v1/files" and method == "POST":
            return self._upload(headers.get("content-type", ""), raw)
        if path == "/v1/batches" and method == "POST":
            return self._create(raw)
        if (found := _FILE.match(path)) and method == "GET":
            with self._store:
                stored = self._files.get(found["id"])
            if stored is None:
                return _error(404, f"No such File object: {found['id']}")
            if found["content"]:
                return 200, {"content-type": "application/octet-stream"}, stored[1]
            return _json(200, stored[0])
        if found := _BATCH.match(path):
            with self._store:
                batch = self._batches.get(found["id"])
                if batch is not None and found["cancel"] and method == "POST":
                    self._cancel(batch)
                answer = batch.as_json() if batch is not None else None
            return _json(200, answer) if answer is not None else _error(404, f"No such batch: {found['id']}")
        return None

    def _upload(self, content_type: str, raw: bytes) -> Routed:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = (part.get_filename(), payload)
        if "file" not in fields:
            return _error(400, "a multipart field named 'file' is required")
        purpose = fields.get("purpose", (None, b""))[1].decode()
        if purpose != "batch":
            return _error(400, f"purpose must be 'batch' here, not {purpose!r}")
        filename, data = fields["file"]
        with self._store:
            return _json(200, self._new_file(data, filename or "upload.jsonl", purpose))

    def _create(self, raw: bytes) -> Routed:
        asked = json.loads(raw or b"{}")
        with self._store:
            stored = self._files.get(str(asked.get("input_file_id")))
            if stored is None:
                return _error(400, f"No such File object: {asked.get('input_file_id')}")
            if asked.get("endpoint") != "/v1/chat/completions":
                return _error(400, f"endpoint must be /v1/chat/completions here, not {asked.get('endpoint')!r}")
            if asked.get("completion_window") != "24h":
                return _error(400, f"completion_window must be '24h', not {asked.get('completion_window')!r}")
            batch = _Batch(
                id=f"batch_{next(self._ids):06d}",
                input_file_id=stored[0]["id"],
                endpoint=asked["endpoint"],
                completion_window="24h",
                metadata=asked.get("metadata"),
                created_at=int(time.time()),
            )
            self._batches[batch.id] = batch
            self._validate(batch, stored[1])
        if batch.status == "in_progress" and not self.hold_batches:
            self.finish_batch(batch.id)
        with self._store:
            return _json(200, batch.as_json())

    def _validate(self, batch: _Batch, data: bytes) -> None:
        seen: set[str] = set()
        models: set[str] = set()
        for number, text in enumerate(data.decode("utf-8").splitlines(), 1):
            try:
                line = json.loads(text)
                custom_id, body = line["custom_id"], line["body"]
                if line.get("method") != "POST" or line.get("url") != batch.endpoint:
                    raise ValueError(f"each line must POST to {batch.endpoint}")
            except (ValueError, KeyError, TypeError) as e:
                batch.errors.append({"code": "invalid_request", "line": number, "message": str(e), "param": None})
                continue
            if custom_id in seen:
                batch.errors.append({"code": "duplicate_custom_id", "line": number, "param": "custom_id",
                                     "message": f"The custom_id {custom_id!r} is used more than once."})  # fmt: skip
            seen.add(custom_id)
            models.add(str(body.get("model")))
            batch.lines.append(line)
        if len(batch.lines) > self.max_lines:
            batch.errors.append({"code": "too_many_requests", "line": None, "param": None,
                                 "message": f"A batch holds at most {self.max_lines:,} requests."})  # fmt: skip
        if len(models) > 1:
            batch.errors.append({"code": "mismatched_model", "line": None, "param": "model",
                                 "message": f"Every line must use one model, not {sorted(models)}."})  # fmt: skip
        if batch.errors or not batch.lines:
            batch.status, batch.times["failed"] = "failed", int(time.time())
            if not batch.errors:
                batch.errors.append({"code": "empty_file", "line": None, "param": None, "message": "No requests."})
            return
        batch.status, batch.counts["total"] = "in_progress", len(batch.lines)
        batch.times["in_progress"] = int(time.time())

    # -- running ----------------------------------------------------------------------------------------

    def finish_batch(self, batch_id: str) -> None:
        """Answer every line of a batch from the script and write its output and error files."""
        with self._store:
            batch = self._batches[batch_id]
            if batch.status != "in_progress":
                return
            lines, batch.status = list(batch.lines), "finalizing"
        outputs: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for number, line in enumerate(lines, 1):
            body = line["body"]
            reply = self._next(step_of(body))
            answer = {"status_code": reply.status, "request_id": f"req_{batch_id}_{number}", "body": reply.body(body)}
            written = {"id": f"batch_req_{batch_id}_{number}", "custom_id": line["custom_id"], "response": answer,
                       "error": None}  # fmt: skip
            (outputs if reply.status == 200 else errors).append(written)
        with self._store:
            self._close(batch, outputs, errors, "completed")

    def _cancel(self, batch: _Batch) -> None:
        if batch.status in ("validating", "in_progress"):
            never_ran = [
                {"id": f"batch_req_{batch.id}_{n}", "custom_id": line["custom_id"], "response": None,
                 "error": {"code": "batch_cancelled", "message": "The batch was cancelled before this request ran."}}
                for n, line in enumerate(batch.lines, 1)
            ]  # fmt: skip
            batch.times["cancelling"] = int(time.time())
            self._close(batch, [], never_ran, "cancelled")

    def _close(self, batch: _Batch, outputs: list[dict[str, Any]], errors: list[dict[str, Any]], status: str) -> None:
        def jsonl(rows: list[dict[str, Any]]) -> bytes:
            return "".join(json.dumps(row) + "\n" for row in rows).encode()

        if outputs:
            batch.output_file_id = self._new_file(jsonl(outputs), f"{batch.id}_output.jsonl", "batch_output")["id"]
        if errors:
            batch.error_file_id = self._new_file(jsonl(errors), f"{batch.id}_error.jsonl", "batch_output")["id"]
        done = sum(1 for row in outputs)
        batch.counts.update(completed=done, failed=len(errors) if status == "completed" else 0)
        batch.status, batch.times[status] = status, int(time.time())
