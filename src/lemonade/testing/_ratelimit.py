"""The scripted server's rate-limited mode: requests and tokens per minute, enforced the way OpenAI does.

Each limit is a bucket that refills continuously at the per-minute rate. OpenAI enforces a per-minute
limit over shorter windows too ("60 RPM may be enforced as 1 request per second"), so a request must
also fit a second bucket that holds only ``window`` seconds' worth: a client that spends a minute's
quota in one burst is turned away, however much of the minute is left. Tokens are counted as OpenAI
counts them when a request arrives: the prompt's tokens plus ``max_tokens``. A request turned away
still counts against the request limit, as OpenAI's does.

Every answer carries OpenAI's headers (``x-ratelimit-limit-*``, ``-remaining-*`` and ``-reset-*``, the
resets as Go durations such as ``6m0s`` or ``12ms``); a request over a limit gets a 429 with
``retry-after-ms``. ``latency`` delays every admitted answer.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..prompting._tokens import TokenCounter
from ._server import Reply, ScriptedServer

__all__ = ["RateLimitedServer", "go_format"]


def go_format(seconds: float) -> str:
    """A duration as Go writes it: ``6m0s``, ``1.5s``, ``120ms``, ``250µs``, ``0s``."""
    if seconds <= 0:
        return "0s"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3f}".rstrip("0").rstrip(".") + "µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3f}".rstrip("0").rstrip(".") + "ms"
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, fraction = divmod(rest, 1000)
    text = f"{hours}h" if hours else ""
    text += f"{minutes}m" if hours or minutes else ""
    return text + (f"{whole}.{fraction:03d}".rstrip("0") + "s" if fraction else f"{whole}s")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


@dataclass
class _Bucket:
    """Refills continuously at ``rate`` a second up to ``capacity``; may go below zero (a debt)."""

    capacity: float
    rate: float
    level: float
    at: float

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.at) * self.rate)
        self.at = now

    def short_by(self, cost: float) -> float:
        """Seconds until ``cost`` fits (0 if it does now)."""
        need = min(cost, self.capacity) - self.level
        return max(0.0, need / self.rate)


class _RateLimited(Reply):
    """OpenAI's 429 body: ``rate_limit_exceeded``, saying which limit and what it is."""

    def body(self, request: Mapping[str, Any]) -> dict[str, Any]:
        return {"error": {"message": self.error, "type": "requests", "param": None, "code": "rate_limit_exceeded"}}


class RateLimitedServer(ScriptedServer):
    """A ``ScriptedServer`` that enforces requests and tokens per minute and says so in OpenAI's headers.

    Parameters:
        rpm, tpm: the per-minute limits (either may be None for no limit of that kind).
        window: the short window, in seconds, over which a minute's limit is also enforced.
        latency: seconds every admitted answer takes.
        headers: False to leave out the ``x-ratelimit-*`` headers (a 429 still says ``retry-after-ms``),
            like a server whose limits a client must be told by hand.
        clock: seconds, monotonic.

    ``throttled`` counts the 429s sent, ``admitted`` the requests let through.
    """

    def __init__(
        self,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        window: float = 1.0,
        latency: float = 0.0,
        headers: bool = True,
        defaults: Mapping[str, Reply] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(defaults=defaults)
        self.rpm, self.tpm, self.window, self.latency, self.headers = rpm, tpm, window, latency, headers
        self._clock = clock
        self._limits_lock = threading.Lock()
        self._counter = TokenCounter()
        now = clock()
        self._requests = self._buckets(rpm, now, least=1.0)
        self._tokens = self._buckets(tpm, now, least=0.0)
        self.throttled = 0
        self.admitted = 0

    def __enter__(self) -> RateLimitedServer:
        self.start()
        return self

    def _buckets(self, per_minute: float | None, now: float, least: float) -> tuple[_Bucket, _Bucket] | None:
        if per_minute is None:
            return None
        rate = per_minute / 60.0
        short = max(least, per_minute * self.window / 60.0)
        return _Bucket(per_minute, rate, per_minute, now), _Bucket(short, rate, short, now)

    def tokens_of(self, body: Mapping[str, Any]) -> int:
        """What a request counts against TPM: its prompt's tokens plus ``max_tokens``."""
        messages = [dict(m) for m in body.get("messages", []) if isinstance(m, Mapping)]
        asked = body.get("max_tokens") or body.get("max_completion_tokens") or 0
        return self._counter.count_messages(messages, str(body.get("model") or "gpt-4o-mini")).tokens + int(asked)

    def _admit(self, body: Mapping[str, Any]) -> tuple[Reply | None, Mapping[str, str]]:
        cost = self.tokens_of(body) if self._tokens else 0
        with self._limits_lock:
            now = self._clock()
            for bucket in (*(self._requests or ()), *(self._tokens or ())):
                bucket.refill(now)
            waits = {
                "requests": max((b.short_by(1.0) for b in self._requests or ()), default=0.0),
                "tokens": max((b.short_by(cost) for b in self._tokens or ()), default=0.0),
            }
            for bucket in self._requests or ():
                bucket.level -= 1.0  # a request turned away counts too
            over = [kind for kind, wait in waits.items() if wait > 0]
            if over:
                self.throttled += 1
            else:
                self.admitted += 1
                for bucket in self._tokens or ():
                    bucket.level -= cost
            said = self._said(now) if self.headers else {}
        if over:
            kind = over[0]
            limit = self.rpm if kind == "requests" else self.tpm
            wait = max(waits[k] for k in over)
            message = (
                f"Rate limit reached for {kind} per min: limit {_number(limit or 0)}; "
                f"please try again in {go_format(wait)}."
            )
            ask = {"retry-after-ms": str(max(1, math.ceil(wait * 1000)))}
            return _RateLimited(status=429, error=message, headers=ask), said
        if self.latency:
            self._stopping.wait(self.latency)
        return None, said

    def _said(self, now: float) -> dict[str, str]:
        said: dict[str, str] = {}
        for kind, buckets, limit in (("requests", self._requests, self.rpm), ("tokens", self._tokens, self.tpm)):
            if buckets is None or limit is None:
                continue
            minute = buckets[0]
            said[f"x-ratelimit-limit-{kind}"] = _number(limit)
            said[f"x-ratelimit-remaining-{kind}"] = str(max(0, math.floor(minute.level)))
            said[f"x-ratelimit-reset-{kind}"] = go_format((minute.capacity - minute.level) / minute.rate)
        return said
