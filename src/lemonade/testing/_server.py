"""The scripted server: a threaded HTTP server on 127.0.0.1 that answers chat completions from a script
and records every request (see ``lemonade.testing``)."""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Recorded", "Reply", "Routed", "ScriptedServer", "step_of"]

_SCHEMA_NAME = re.compile(r"\(schema name: (\w+)\)")


@dataclass(frozen=True)
class Reply:
    """One scripted answer: JSON content (a dict is serialised), or an error status, with extras.

    The faults a proxy, a gateway or a broken server produce can be scripted too: ``raw`` is sent as the
    body instead (with ``content_type``), for an HTML page, an empty or cut-off body, a stream nobody
    asked for or a huge answer; ``cut_off`` announces the whole body but sends half of it and hangs up;
    ``reset`` drops the connection without answering; ``delay`` answers late.
    """

    content: str | Mapping[str, Any] | None = None
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"
    refusal: str | None = None
    error: str = "scripted error"
    usage: bool = True
    model: str | None = None
    raw: bytes | str | None = None
    content_type: str = "application/json"
    cut_off: bool = False
    reset: bool = False

    def payload(self, request: Mapping[str, Any]) -> bytes:
        """The bytes of the body."""
        if self.raw is not None:
            return self.raw.encode() if isinstance(self.raw, str) else self.raw
        return json.dumps(self.body(request)).encode()

    def body(self, request: Mapping[str, Any]) -> dict[str, Any]:
        if self.status != 200:
            return {"error": {"message": self.error, "type": "scripted", "code": None}}
        content = json.dumps(self.content) if isinstance(self.content, Mapping) else self.content
        answer: dict[str, Any] = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model or request.get("model", "scripted"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": self.finish_reason,
                    "message": {"role": "assistant", "content": content, "refusal": self.refusal},
                }
            ],
        }
        if self.usage:
            prompt = sum(len(str(m.get("content", ""))) for m in request.get("messages", [])) // 4
            done = len(content or "") // 4
            answer["usage"] = {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}
        return answer


Routed = tuple[int, Mapping[str, str], bytes]
"""A route's answer: status, headers and body."""


@dataclass(frozen=True)
class Recorded:
    """A request the server received, and when it arrived (``time.perf_counter``)."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    step: str | None
    arrived: float
    peer: int = 0
    """The client's port: requests that share one are on one reused connection."""


def step_of(body: Mapping[str, Any]) -> str | None:
    """The step a request is for: its json_schema name, or the schema name in a JSON-mode prompt."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        name = fmt.get("json_schema", {}).get("name")
        return str(name) if name else None
    for message in body.get("messages", []):
        if message.get("role") == "system" and (m := _SCHEMA_NAME.search(str(message.get("content")))):
            return m.group(1)
    return None


class _Listener(ThreadingHTTPServer):
    request_queue_size = 1024  # the listen backlog: the default of 5 drops connections under load


class ScriptedServer:
    """A threaded HTTP server on 127.0.0.1 that answers chat completions from a script.

    Subclasses add modes through two hooks: ``_route`` answers other paths (files and batches), and
    ``_admit`` may turn a chat request away or add headers (the rate-limited mode).
    """

    def __init__(
        self,
        *,
        defaults: Mapping[str, Reply] | None = None,
        reject_json_schema: bool = False,
    ) -> None:
        self.defaults = dict(defaults or {})
        self.reject_json_schema = reject_json_schema
        self.requests: list[Recorded] = []
        self._queues: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Listener(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="scripted-server", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, step: str, *replies: Reply) -> None:
        """Queue replies for ``step``; each request takes the next, then the default."""
        with self._lock:
            self._queues[step].extend(replies)

    def count(self, step: str | None = None) -> int:
        """How many requests arrived (for ``step``, or in all)."""
        with self._lock:
            return sum(1 for r in self.requests if step is None or r.step == step)

    def for_step(self, step: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.step == step]

    def _next(self, step: str | None) -> Reply:
        with self._lock:
            queue = self._queues.get(step or "")
            if queue:
                return queue.popleft()
        if step in self.defaults:
            return self.defaults[step]
        return Reply(status=400, error=f"no scripted reply for step {step!r}")

    def _route(self, method: str, path: str, headers: Mapping[str, str], raw: bytes) -> Routed | None:
        """Answer a request that is not a chat completion; None leaves it to the chat script."""
        return None

    def _admit(self, body: Mapping[str, Any]) -> tuple[Reply | None, Mapping[str, str]]:
        """Before a chat request is answered: a reply that replaces the script's (None: go on), and headers to add."""
        return None, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle delay, as a real server would, so timings are honest.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, headers: Mapping[str, str], payload: bytes) -> None:
                self.send_response(status)
                self.send_header("content-length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                missing = (404, {"content-type": "application/json"}, b'{"error": {"message": "no such path"}}')
                headers = {name.lower(): value for name, value in self.headers.items()}
                self._answer(*(server._route("GET", self.path, headers, b"") or missing))

            def do_POST(self) -> None:
                arrived = time.perf_counter()
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                if (routed := server._route("POST", self.path, headers, raw)) is not None:
                    return self._answer(*routed)
                body = json.loads(raw or b"{}")
                step = step_of(body)
                with server._lock:
                    recorded = Recorded(self.path, dict(self.headers), body, step, arrived, self.client_address[1])
                    server.requests.append(recorded)
                fmt = body.get("response_format") or {}
                turned_away, extra = server._admit(body)
                if turned_away is not None:
                    reply = turned_away
                elif server.reject_json_schema and fmt.get("type") == "json_schema":
                    reply = Reply(status=400, error="response_format of type json_schema is not supported")
                else:
                    reply = server._next(step)
                if reply.delay:
                    server._stopping.wait(reply.delay)
                if reply.reset:
                    self.close_connection = True
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                payload = reply.payload(body)
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(payload)))
                    for name, value in {**extra, **reply.headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.cut_off:
                        self.close_connection = True
                        payload = payload[: len(payload) // 2]
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler
