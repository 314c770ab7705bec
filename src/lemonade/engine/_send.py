"""Sending one chat request, with the one retry layer for transient failures.

The SDK's own retries are switched off; tenacity retries 408, 429, 5xx, timeouts and lost
connections with jittered exponential backoff, waiting what the server asks for in
``retry-after-ms`` or ``retry-after`` where it says. Every other API error is final.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import tenacity
from tenacity import AsyncRetrying, RetryCallState, Retrying

from .._errors import ProviderError, RetryError

__all__ = ["default_async_retrying", "default_retrying", "is_transient", "retry_after", "send", "send_async"]

MAX_RETRY_AFTER = 60.0
R = TypeVar("R")


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: timeouts, lost connections, 408, 429 and 5xx."""
    import openai  # here, not at import time: lemonade's offline paths never load openai

    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 429) or exc.status_code >= 500
    return False


def retry_after(exc: BaseException | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``retry-after``, if it said."""
    import openai

    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - now()
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


class _WaitForServer(tenacity.wait.wait_base):
    """Wait what the server asked for (up to a minute), else fall back to jittered backoff."""

    def __init__(self, backoff: tenacity.wait.wait_base) -> None:
        self.backoff = backoff

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome is not None else None)
        if asked is not None and asked <= MAX_RETRY_AFTER:
            return asked
        return self.backoff(retry_state)


def _policy(attempts: int, max_wait: float) -> dict[str, object]:
    return {
        "retry": tenacity.retry_if_exception(is_transient),
        "stop": tenacity.stop_after_attempt(attempts),
        "wait": _WaitForServer(tenacity.wait_random_exponential(multiplier=0.5, max=max_wait)),
        "reraise": False,
    }


def default_retrying(
    *, attempts: int = 4, max_wait: float = 20.0, sleep: Callable[[float], None] = time.sleep
) -> Retrying:
    """The default retry policy for synchronous calls; ``sleep`` is injectable so tests never wait."""
    return Retrying(sleep=sleep, **_policy(attempts, max_wait))  # type: ignore[arg-type]


def default_async_retrying(
    *, attempts: int = 4, max_wait: float = 20.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> AsyncRetrying:
    """The default retry policy for async calls."""
    return AsyncRetrying(sleep=sleep, **_policy(attempts, max_wait))  # type: ignore[arg-type]


def _final(exc: BaseException, tries: int) -> Exception:
    import openai

    if isinstance(exc, tenacity.RetryError):
        last = exc.last_attempt.exception()
        return RetryError(f"gave up after {tries} attempt(s); last error: {last!r}", attempts=tries, last_error=last)
    if is_transient(exc):  # a policy with reraise=True, or one that retries less, hands back the error itself
        return RetryError(f"gave up after {tries} attempt(s): {exc!r}", attempts=tries, last_error=exc)
    if isinstance(exc, openai.APIStatusError):
        said = exc.body.get("message") if isinstance(exc.body, dict) else None
        return ProviderError(str(said or exc.message), status=exc.status_code, body=exc.body)
    return ProviderError(str(exc), status=None)


class Sent:
    """A counter of HTTP attempts, kept even when sending fails."""

    def __init__(self) -> None:
        self.tries = 0


def send(create: Callable[[], R], retrying: Retrying, sent: Sent) -> R:
    """Call ``create`` under ``retrying``; map what stays broken to lemonade's errors."""
    import openai

    try:
        for attempt in retrying.copy():
            with attempt:
                sent.tries += 1
                return create()
    except (tenacity.RetryError, openai.OpenAIError) as e:
        raise _final(e, sent.tries) from (e.last_attempt.exception() if isinstance(e, tenacity.RetryError) else e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover


async def send_async(create: Callable[[], Awaitable[R]], retrying: AsyncRetrying, sent: Sent) -> R:
    """The async twin of ``send``."""
    import openai

    try:
        async for attempt in retrying.copy():
            with attempt:
                sent.tries += 1
                return await create()
    except (tenacity.RetryError, openai.OpenAIError) as e:
        raise _final(e, sent.tries) from (e.last_attempt.exception() if isinstance(e, tenacity.RetryError) else e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover
