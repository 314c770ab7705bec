"""Pacing a cohort's requests under a server's rate limits, requests and tokens alike.

``Pacer`` is what ``Lemonade(pacer=...)`` calls around every HTTP attempt: ``reserve(tokens)`` books a
request of that many tokens (prompt tokens plus ``max_tokens``, as OpenAI counts them against TPM) and
says how long to wait before sending it; ``settle(status, headers)`` hears how it went.

Requests and tokens each refill continuously at the ceiling's rate (a generic cell rate algorithm, one
clock for both): a reservation is scheduled at the first moment both can afford it, so the binding
limit sets the pace and the other is never exceeded meanwhile. The burst is one request, because a
server may enforce its per-minute limit over a second or less. The ceiling comes from ``rpm=`` and
``tpm=``, else from the ``x-ratelimit-limit-*`` headers of the answers (the lower where both say).

A 429 slows the whole cohort: every later reservation waits out the server's ``retry-after-ms``, and
the pace drops by 15% (at most once per round trip), climbing back 1% per good answer. A server that
says nothing of its limits but answers 429 gets a guessed ceiling, one request per ``retry-after``,
raised 2% with every good answer until the next 429: requests released together after a wait would
otherwise meet the same 429 again, each one counting against the limit they wait for. The pacer also
times each round trip, so the cohort can keep just enough requests in flight to reach the ceiling.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from .._errors import InputError
from ._limits import RateLimitHeaders, read_headers

__all__ = ["DEFAULT_CONCURRENCY", "Pacer"]

DEFAULT_CONCURRENCY = 16
"""Requests in flight when no ceiling is known (a server that sends no rate-limit headers, no rpm/tpm)."""

_CUT, _FLOOR, _CLIMB = 0.85, 0.25, 0.01
_FIRST_LATENCY = 1.0  # a guess until the first answer is timed
_LATENCY_WEIGHT = 0.2


def _positive(value: float | None, name: str) -> float | None:
    if value is not None and not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError(f"{name} must be a positive number, not {value!r}", field=name)
    return value


class Pacer:
    """Keeps a cohort's requests under the server's requests-per-minute and tokens-per-minute ceilings.

    Parameters:
        rpm, tpm: the ceilings, for servers that send no rate-limit headers; where the headers also say,
            the lower of the two is kept.
        headroom: the share of the ceiling left unused, for the clocks of client and server to disagree.
        clock: seconds, monotonic (injected in tests).
    """

    def __init__(
        self,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        headroom: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._given_rpm, self._given_tpm = _positive(rpm, "rpm"), _positive(tpm, "tpm")
        if not 0 <= headroom < 0.5:
            raise InputError(f"headroom must be at least 0 and under 0.5, not {headroom!r}", field="headroom")
        self._headroom, self._clock = headroom, clock
        self._lock = threading.Lock()
        self._heard_rpm: float | None = None
        self._heard_tpm: float | None = None
        self._guessed_rpm: float | None = None
        self._next_request = self._next_token = self._hold_until = -math.inf
        self._pace = 1.0
        self._last_cut = -math.inf
        self._sent: deque[float] = deque(maxlen=100_000)
        self._latency: float | None = None
        self._tokens_per_request: float | None = None
        self.reserved = 0
        """Reservations made: HTTP attempts, retries included."""
        self.answered = 0
        """Answers heard, of any status."""
        self.throttled = 0
        """429 answers heard."""

    # -- the ceiling ----------------------------------------------------------------------------------

    @property
    def rpm(self) -> float | None:
        """The requests-per-minute ceiling in force, or None while none is known (nor guessed after a 429)."""
        known = _lower(self._given_rpm, self._heard_rpm)
        return self._guessed_rpm if known is None else known

    @property
    def tpm(self) -> float | None:
        """The tokens-per-minute ceiling in force, or None while none is known."""
        return _lower(self._given_tpm, self._heard_tpm)

    @property
    def pace(self) -> float:
        """The share of the ceiling in use: 1.0, less for a while after a 429."""
        return self._pace

    def _rate(self, ceiling: float | None) -> float | None:
        """Units per second allowed now, for a per-minute ``ceiling``."""
        return None if ceiling is None else ceiling / 60.0 * (1.0 - self._headroom) * self._pace

    # -- the protocol the engine calls ----------------------------------------------------------------

    def reserve(self, tokens: int) -> float:
        """Book one request of ``tokens``; return the seconds to wait before sending it."""
        tokens = max(0, int(tokens))
        with self._lock:
            now = self._clock()
            at = max(now, self._hold_until)
            per_request, per_token = self._rate(self.rpm), self._rate(self.tpm)
            if per_request is not None:
                at = max(at, self._next_request)
            if per_token is not None:
                at = max(at, self._next_token)
            if per_request is not None:
                self._next_request = max(self._next_request, at) + 1.0 / per_request
            if per_token is not None:
                self._next_token = max(self._next_token, at) + tokens / per_token
            seen = self._tokens_per_request
            self._tokens_per_request = tokens if seen is None else seen + (tokens - seen) * 0.1
            self._sent.append(at)
            self.reserved += 1
            return at - now

    def settle(self, status: int | None, headers: Mapping[str, str]) -> None:
        """Hear one answer (``status`` None for a lost connection or a timeout) and its headers."""
        said = read_headers(headers) if headers else RateLimitHeaders()
        with self._lock:
            now = self._clock()
            self.answered += 1
            if self._sent:
                sample = max(0.0, now - self._sent.popleft())
                seen = self._latency
                self._latency = sample if seen is None else seen + (sample - seen) * _LATENCY_WEIGHT
            if said.limit_requests:
                self._heard_rpm = said.limit_requests
            if said.limit_tokens:
                self._heard_tpm = said.limit_tokens
            if status == 429:
                self._throttled(now, said)
            elif status is not None and status < 400:
                self._pace = min(1.0, self._pace + _CLIMB)
                if self._guessed_rpm is not None:
                    self._guessed_rpm *= 1.0 + 2 * _CLIMB
                self._respect_remaining(now, said)

    def _throttled(self, now: float, said: RateLimitHeaders) -> None:
        self.throttled += 1
        wait = said.retry_after
        if wait is None:
            exhausted = [
                reset
                for remaining, reset in ((said.remaining_requests, said.reset_requests),
                                         (said.remaining_tokens, said.reset_tokens))
                if remaining is not None and remaining < 1 and reset is not None
            ]  # fmt: skip
            wait = min(exhausted) if exhausted else 1.0
        self._hold_until = max(self._hold_until, now + wait)
        if self._given_rpm is None and self._heard_rpm is None and self._given_tpm is None and self._heard_tpm is None:
            guess = 60.0 / max(wait, 0.01)
            self._guessed_rpm = guess if self._guessed_rpm is None else min(self._guessed_rpm, guess)
        if now - self._last_cut >= (self._latency or _FIRST_LATENCY):  # one cut per round trip, not per 429
            self._pace = max(_FLOOR, self._pace * _CUT)
            self._last_cut = now

    def _respect_remaining(self, now: float, said: RateLimitHeaders) -> None:
        """Where the server says it is spent (someone else shares the key), wait until it can take one more."""
        if said.remaining_requests is not None and said.remaining_requests < 1 and self.rpm:
            self._hold_until = max(self._hold_until, now + 60.0 / self.rpm)
        wanted = self._tokens_per_request
        if said.remaining_tokens is not None and wanted and self.tpm and said.remaining_tokens < wanted:
            self._hold_until = max(self._hold_until, now + (wanted - said.remaining_tokens) * 60.0 / self.tpm)

    # -- what the cohort asks -------------------------------------------------------------------------

    @property
    def latency(self) -> float | None:
        """The recent round trip in seconds, from the moment a request may be sent to its answer."""
        return self._latency

    def requests_per_second(self) -> float | None:
        """The pace the ceiling allows now, in requests per second; None while no ceiling is known."""
        per_request, per_token = self._rate(self.rpm), self._rate(self.tpm)
        if per_token is not None and self._tokens_per_request:
            per_token = per_token / self._tokens_per_request
        elif per_token is not None:
            per_token = None
        known = [rate for rate in (per_request, per_token) if rate is not None]
        return min(known) if known else None

    def wanted_in_flight(self) -> int | None:
        """How many requests to keep in flight: enough to reach the ceiling at the latency seen, and no
        more. 1 until the first answer says what the ceiling is; None where no ceiling is known."""
        if self.answered == 0 and self.rpm is None and self.tpm is None:
            return 1
        rate = self.requests_per_second()
        if rate is None:
            return None
        return max(1, math.ceil(rate * (self._latency or _FIRST_LATENCY) * 1.5) + 1)


def _lower(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)
