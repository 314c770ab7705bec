"""The one retry layer's policy: what is worth retrying, how long to wait, and when to stop.

tenacity retries 408, 409, 429, 5xx, timeouts, lost connections and answers that are not chat
completions, with jittered exponential backoff, waiting what the server asks for in ``retry-after-ms``
or ``retry-after`` up to ``max_retry_wait``; a server that asks for longer is not hammered: the policy
stops at once and the error says how long it asked for. ``x-should-retry`` is obeyed, as the openai SDK
does. A timeout is retried once by default: a slow model restarts from scratch on every try. A
rejection of ``response_format`` is never retried, whatever its status, so the engine can fall back to
JSON mode at once.
"""

from __future__ import annotations

import email.utils
import json
import math
import random
import re
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .._errors import MalformedResponseError

if TYPE_CHECKING:
    from tenacity import AsyncRetrying, RetryCallState, Retrying

# tenacity, asyncio and openai are imported where they are used, not at import time: ``import lemonade``
# stays light, and the offline paths never load them.

__all__ = [
    "MAX_RETRY_WAIT",
    "default_async_retrying",
    "default_retrying",
    "is_transient",
    "rejects_json_schema",
    "retry_after",
]

MAX_RETRY_WAIT = 60.0
_SECONDS = re.compile(r"\s*\d{1,12}(?:\.\d{1,9})?\s*")
"""A wait as a server writes it: digits, perhaps a fraction; not negative, not 1_000, not inf."""


# -- what is worth retrying ---------------------------------------------------------------------------

_MENTIONS_FORMAT = ("response_format", "json_schema", "json schema", "structured output", "guided")
_ALLOWED = re.compile(r"(?:must be|should be|expected|one of|allowed values|supported values)[^.;\n]{0,80}")
_GOT_SCHEMA = re.compile(r"(?:got|input|received)\W{0,8}json_schema")
_SCHEMA_UNSUPPORTED = re.compile(
    r"json[_ ]schema[^.\n]{0,80}(?:not supported|unsupported|not implemented|not available|is invalid)"
    r"|(?:does not support|doesn't support|not support|unsupported|unknown)[^.\n]{0,40}"
    r"(?:json[_ ]schema|structured output)"
)


def rejects_json_schema(status: int | None, text: str) -> bool:
    """True when an error says the server refused ``response_format: json_schema`` itself.

    The wordings of llama.cpp's server ("response_format type must be one of "text" or "json_object",
    but got: json_schema"), llama-cpp-python's (a validation error, "Input should be 'text' or
    'json_object'"), vLLM's ("The provided JSON schema contains features not supported…") and lemonade's
    own test server all count. The other direction does not: LM Studio refuses ``json_object`` with
    "'response_format.type' must be 'json_schema' or 'text'", which names json_schema as allowed.
    """
    if status not in (400, 415, 422, 500, 501):
        return False
    lowered = text.lower()
    if not any(word in lowered for word in _MENTIONS_FORMAT):
        return False
    if _GOT_SCHEMA.search(lowered) or _SCHEMA_UNSUPPORTED.search(lowered):
        return True
    allowed = _ALLOWED.search(lowered)
    return allowed is not None and "json_schema" not in allowed.group(0) and "response_format" in lowered


def _status_text(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    return f"{getattr(exc, 'message', '')} {json.dumps(body) if isinstance(body, dict | list) else body or ''}"


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: timeouts, lost connections, 408, 409, 429, 5xx and answers that are
    not chat completions; ``x-should-retry: true|false`` from the server decides first."""
    import openai  # here, not at import time: lemonade's offline paths never load openai

    if isinstance(exc, MalformedResponseError):
        return True
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        should = exc.response.headers.get("x-should-retry", "").strip().lower()
        if should in ("true", "false"):
            return should == "true"
        if rejects_json_schema(exc.status_code, _status_text(exc)):
            return False
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
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
        if _SECONDS.fullmatch(value):
            return float(value) / scale
        parsed = email.utils.parsedate_tz(value) if name == "retry-after" else None
        if parsed is not None:
            seconds = email.utils.mktime_tz(parsed) - now()
            if math.isfinite(seconds):
                return max(0.0, seconds)
    return None


class _WaitForServer:
    """Wait what the server asked for (the policy never retries past ``max_retry_wait``), else back off
    exponentially with full jitter, up to ``max_wait``."""

    def __init__(self, max_wait: float, multiplier: float = 0.5) -> None:
        self.max_wait, self.multiplier = max_wait, multiplier

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome is not None else None)
        if asked is not None:
            return asked
        return random.uniform(0, min(self.max_wait, self.multiplier * 2 ** (retry_state.attempt_number - 1)))


class _RetryUnlessTooLong:
    """Retry a transient failure, unless the server asked to wait longer than ``max_retry_wait``."""

    def __init__(self, max_retry_wait: float) -> None:
        self.max_retry_wait = max_retry_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if exc is None or not is_transient(exc):
            return False
        asked = retry_after(exc)
        return asked is None or asked <= self.max_retry_wait


class _Stop:
    """Stop after ``attempts`` attempts, or once ``timeouts`` of them timed out: a slow model starts again
    from scratch on each try."""

    def __init__(self, attempts: int, timeouts: int) -> None:
        self.attempts, self.timeouts = attempts, timeouts
        self._seen: weakref.WeakKeyDictionary[RetryCallState, int] = weakref.WeakKeyDictionary()

    def __call__(self, retry_state: RetryCallState) -> bool:
        import openai

        if retry_state.attempt_number >= self.attempts:
            return True
        outcome = retry_state.outcome
        if outcome is None or not isinstance(outcome.exception(), openai.APITimeoutError):
            return False
        self._seen[retry_state] = seen = self._seen.get(retry_state, 0) + 1
        return seen >= self.timeouts


def _policy(attempts: int, max_wait: float, max_retry_wait: float, timeout_retries: int) -> dict[str, Any]:
    return {
        "retry": _RetryUnlessTooLong(max_retry_wait),
        "stop": _Stop(attempts, timeout_retries + 1),
        "wait": _WaitForServer(max_wait),
        "reraise": False,
    }


def default_retrying(
    *,
    attempts: int = 4,
    max_wait: float = 20.0,
    max_retry_wait: float = MAX_RETRY_WAIT,
    timeout_retries: int = 1,
    sleep: Callable[[float], None] = time.sleep,
) -> Retrying:
    """The default retry policy for synchronous calls; ``sleep`` is injectable so tests never wait.

    ``max_retry_wait`` caps how long a ``retry-after`` may make it wait; ``timeout_retries`` is how many
    times a timed-out request is sent again.
    """
    from tenacity import Retrying

    return Retrying(sleep=sleep, **_policy(attempts, max_wait, max_retry_wait, timeout_retries))


def default_async_retrying(
    *,
    attempts: int = 4,
    max_wait: float = 20.0,
    max_retry_wait: float = MAX_RETRY_WAIT,
    timeout_retries: int = 1,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> AsyncRetrying:
    """The default retry policy for async calls (``sleep`` defaults to ``asyncio.sleep``)."""
    import asyncio

    from tenacity import AsyncRetrying

    return AsyncRetrying(sleep=sleep or asyncio.sleep, **_policy(attempts, max_wait, max_retry_wait, timeout_retries))
