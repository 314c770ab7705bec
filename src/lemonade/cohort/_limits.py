"""What a server says about its rate limits: OpenAI's ``x-ratelimit-*`` headers and ``retry-after``.

OpenAI sends, on every answer, the per-minute ceilings (``x-ratelimit-limit-requests``,
``x-ratelimit-limit-tokens``), what is left of them (``x-ratelimit-remaining-*``) and how long until they
are full again (``x-ratelimit-reset-*``), the last as Go durations such as ``6m0s``, ``1s``, ``12ms`` or
``4m12.172s``. A naive ``(\\d+)m`` reads ``12ms`` as twelve minutes; ``go_duration`` reads the units whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["RateLimitHeaders", "go_duration", "read_headers"]

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
# Longest unit first, so that "ms" is never read as "m" followed by a stray "s".
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|h|m|s)")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def go_duration(text: str) -> float | None:
    """Seconds in a Go duration (``1h2m3.5s``, ``12ms``, ``0``), or in a bare number of seconds; None if unreadable."""
    text = text.strip()
    if not text:
        return None
    sign = -1.0 if text[0] == "-" else 1.0
    body = text[1:] if text[0] in "+-" else text
    if _NUMBER.fullmatch(body):
        seconds = float(body)
    else:
        seconds, at = 0.0, 0
        for part in _PART.finditer(body):
            if part.start() != at:
                return None
            seconds += float(part.group(1)) * _UNITS[part.group(2)]
            at = part.end()
        if at != len(body) or at == 0:
            return None
    return sign * seconds if math.isfinite(seconds) else None


def _count(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


@dataclass(frozen=True, slots=True)
class RateLimitHeaders:
    """The rate-limit facts in one answer's headers; None where the server did not say.

    Limits and remainders are per minute, as OpenAI reports them; resets and ``retry_after`` are seconds.
    """

    limit_requests: float | None = None
    limit_tokens: float | None = None
    remaining_requests: float | None = None
    remaining_tokens: float | None = None
    reset_requests: float | None = None
    reset_tokens: float | None = None
    retry_after: float | None = None

    @property
    def says_anything(self) -> bool:
        return self.limit_requests is not None or self.limit_tokens is not None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    ms = _count(headers.get("retry-after-ms"))
    if ms is not None:
        return ms / 1000.0
    return _count(headers.get("retry-after"))  # an HTTP date here is left to the retry layer's own reading


def read_headers(headers: Mapping[str, str]) -> RateLimitHeaders:
    """The rate-limit headers of one answer (names in any case)."""
    lowered = {name.lower(): value for name, value in headers.items()}

    def duration(name: str) -> float | None:
        value = lowered.get(name)
        seconds = go_duration(value) if value is not None else None
        return max(0.0, seconds) if seconds is not None else None

    return RateLimitHeaders(
        limit_requests=_count(lowered.get("x-ratelimit-limit-requests")),
        limit_tokens=_count(lowered.get("x-ratelimit-limit-tokens")),
        remaining_requests=_count(lowered.get("x-ratelimit-remaining-requests")),
        remaining_tokens=_count(lowered.get("x-ratelimit-remaining-tokens")),
        reset_requests=duration("x-ratelimit-reset-requests"),
        reset_tokens=duration("x-ratelimit-reset-tokens"),
        retry_after=_retry_after(lowered),
    )
