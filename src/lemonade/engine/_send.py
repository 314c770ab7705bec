"""Sending one chat request: the one retry layer, pacing, and reading what came back.

The SDK's own retries are off. tenacity retries 408, 409, 429, 5xx, timeouts, lost connections and
answers that are not chat completions (an HTML page from a proxy, an empty or cut-off body, an
unasked-for stream), with jittered exponential backoff, waiting what the server asks for in
``retry-after-ms`` or ``retry-after`` up to ``max_retry_wait``; a server that asks for longer is not
hammered: lemonade stops at once and says how long it asked for. ``x-should-retry`` is obeyed, as the
openai SDK does. A timeout is retried once by default: a slow model restarts from scratch on every try.
A rejection of ``response_format`` is never retried, whatever its status, so the engine can fall back
to JSON mode at once. Every other API error is final. Text a server sent is passed on with the API key
redacted.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import re
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import tenacity
from tenacity import AsyncRetrying, RetryCallState, Retrying

from .._errors import MalformedResponseError, ProviderError, RetryError

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

__all__ = [
    "Pacer",
    "Sent",
    "Transport",
    "default_async_retrying",
    "default_retrying",
    "is_transient",
    "rejects_json_schema",
    "retry_after",
    "send",
    "send_async",
]

MAX_RETRY_WAIT = 60.0
_PREVIEW = 200


class Pacer(Protocol):
    """Keeps requests under a server's rate limits (``lemonade.cohort`` builds one).

    ``reserve`` is called before every HTTP attempt with the tokens it may use (prompt tokens plus
    ``max_tokens``); it books the capacity and returns the seconds to wait before sending. ``settle``
    is called after every answer, error or not, with its status (None for a lost connection or a
    timeout) and headers, so the pacer can follow the server's own account of its limits.
    """

    def reserve(self, tokens: int) -> float: ...

    def settle(self, status: int | None, headers: Mapping[str, str]) -> None: ...


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
    """Wait what the server asked for (the policy never retries past ``max_retry_wait``), else back off."""

    def __init__(self, backoff: tenacity.wait.wait_base) -> None:
        self.backoff = backoff

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome is not None else None)
        return asked if asked is not None else self.backoff(retry_state)


class _RetryUnlessTooLong(tenacity.retry_base):
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


class _StopAfterTimeouts(tenacity.stop.stop_base):
    """Stop once ``limit`` attempts have timed out: a slow model starts again from scratch on each try."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: weakref.WeakKeyDictionary[RetryCallState, int] = weakref.WeakKeyDictionary()

    def __call__(self, retry_state: RetryCallState) -> bool:
        import openai

        outcome = retry_state.outcome
        if outcome is None or not isinstance(outcome.exception(), openai.APITimeoutError):
            return False
        self._seen[retry_state] = seen = self._seen.get(retry_state, 0) + 1
        return seen >= self.limit


def _policy(attempts: int, max_wait: float, max_retry_wait: float, timeout_retries: int) -> dict[str, object]:
    return {
        "retry": _RetryUnlessTooLong(max_retry_wait),
        "stop": tenacity.stop_after_attempt(attempts) | _StopAfterTimeouts(timeout_retries + 1),
        "wait": _WaitForServer(tenacity.wait_random_exponential(multiplier=0.5, max=max_wait)),
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
    return Retrying(sleep=sleep, **_policy(attempts, max_wait, max_retry_wait, timeout_retries))  # type: ignore[arg-type]


def default_async_retrying(
    *,
    attempts: int = 4,
    max_wait: float = 20.0,
    max_retry_wait: float = MAX_RETRY_WAIT,
    timeout_retries: int = 1,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncRetrying:
    """The default retry policy for async calls."""
    return AsyncRetrying(sleep=sleep, **_policy(attempts, max_wait, max_retry_wait, timeout_retries))  # type: ignore[arg-type]


# -- reading an answer --------------------------------------------------------------------------------


def _malformed(status: int, content_type: str, body: bytes, why: str, redact: Callable[[str], str]) -> Exception:
    preview = redact(body[: _PREVIEW * 4].decode("utf-8", "replace")[:_PREVIEW])
    kind = content_type or "no content type"
    return MalformedResponseError(
        f"the server answered {status} with {why} ({kind}, {len(body):,} bytes): {preview!r}",
        status=status,
        content_type=content_type,
        size=len(body),
        preview=preview,
    )


def completion_of(raw: Any, redact: Callable[[str], str]) -> ChatCompletion:
    """The chat completion in a raw response, or ``MalformedResponseError`` saying what came instead."""
    from openai.types.chat import ChatCompletion

    status, content_type = raw.status_code, raw.headers.get("content-type", "").split(";")[0].strip().lower()
    body: bytes = raw.content
    if not body.strip():
        raise _malformed(status, content_type, body, "an empty body", redact)
    if "json" not in content_type:
        why = "a stream that was not asked for" if content_type == "text/event-stream" else "something that is not JSON"
        raise _malformed(status, content_type, body, why, redact)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _malformed(status, content_type, body, "JSON that does not parse (cut off?)", redact) from None
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    if not isinstance(first, dict) or not isinstance(first.get("message"), dict):
        raise _malformed(status, content_type, body, "JSON that is not a chat completion", redact)
    return ChatCompletion.construct(**data)


# -- sending ----------------------------------------------------------------------------------------


class Sent:
    """A counter of HTTP attempts, kept even when sending fails."""

    def __init__(self) -> None:
        self.tries = 0


@dataclass(frozen=True)
class Transport:
    """How one engine sends: its retry policies, pacer, and what error messages should say."""

    retrying: Retrying
    async_retrying: AsyncRetrying
    max_retry_wait: float = MAX_RETRY_WAIT
    timeout: float | None = None
    secrets: tuple[str, ...] = ()
    pacer: Pacer | None = None
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if len(secret) >= 8:
                text = text.replace(secret, "[redacted]")
        return text


def _final(exc: BaseException, tries: int, transport: Transport) -> Exception:
    import openai

    redact = transport.redact
    if isinstance(exc, tenacity.RetryError):
        last = exc.last_attempt.exception()
        if isinstance(last, MalformedResponseError):
            last.attempts = tries
            return last
        if isinstance(last, openai.APITimeoutError):
            limit = f"timeout={transport.timeout:g} s" if transport.timeout else "the client's timeout"
            return RetryError(
                f"the server did not answer within {limit}, {tries} time(s); a slow model needs longer: raise it "
                "with Lemonade(timeout=...) or the command line's --timeout",
                attempts=tries,
                last_error=last,
            )
        return RetryError(
            redact(f"gave up after {tries} attempt(s); last error: {last!r}"), attempts=tries, last_error=last
        )
    if isinstance(exc, MalformedResponseError):  # a policy that does not retry it
        exc.attempts = tries
        return exc
    if is_transient(exc):  # not retried: the server asked for too long a wait, or a policy that stops sooner
        asked = retry_after(exc)
        if asked is not None and asked > transport.max_retry_wait:
            return RetryError(
                f"the server asked to wait {asked:g} s before trying again, longer than max_retry_wait="
                f"{transport.max_retry_wait:g} s; try again later (or raise max_retry_wait)",
                attempts=tries,
                last_error=exc,
                retry_after=asked,
            )
        return RetryError(redact(f"gave up after {tries} attempt(s): {exc!r}"), attempts=tries, last_error=exc)
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        said = body.get("message") if isinstance(body, dict) else body if isinstance(body, str) else None
        if said is None and isinstance(body, dict) and isinstance(body.get("error"), str):
            said = body["error"]
        body = json.loads(redact(json.dumps(body))) if isinstance(body, dict | list) else body
        body = redact(body) if isinstance(body, str) else body
        return ProviderError(redact(str(said or exc.message)), status=exc.status_code, body=body)
    return ProviderError(redact(str(exc)), status=None)


def _cause(exc: BaseException) -> BaseException | None:
    return exc.last_attempt.exception() if isinstance(exc, tenacity.RetryError) else exc


def _settle(pacer: Pacer | None, exc: BaseException) -> None:
    import openai

    if pacer is not None:
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        headers = exc.response.headers if isinstance(exc, openai.APIStatusError) else {}
        pacer.settle(status, headers)


def send(create: Callable[[], Any], transport: Transport, sent: Sent, tokens: int = 0) -> ChatCompletion:
    """Call ``create`` (a raw-response ``chat.completions.create``) under the transport's retry policy."""
    import openai

    pacer = transport.pacer
    try:
        for attempt in transport.retrying.copy():
            with attempt:
                if pacer is not None and (delay := pacer.reserve(tokens)) > 0:
                    transport.sleep(delay)
                sent.tries += 1
                try:
                    raw = create()
                except openai.APIError as e:
                    _settle(pacer, e)
                    raise
                if pacer is not None:
                    pacer.settle(raw.status_code, raw.headers)
                return completion_of(raw, transport.redact)
    except (tenacity.RetryError, openai.OpenAIError, MalformedResponseError) as e:
        raise _final(e, sent.tries, transport) from _cause(e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover


async def send_async(
    create: Callable[[], Awaitable[Any]], transport: Transport, sent: Sent, tokens: int = 0
) -> ChatCompletion:
    """The async twin of ``send``."""
    import openai

    pacer = transport.pacer
    try:
        async for attempt in transport.async_retrying.copy():
            with attempt:
                if pacer is not None and (delay := pacer.reserve(tokens)) > 0:
                    await transport.async_sleep(delay)
                sent.tries += 1
                try:
                    raw = await create()
                except openai.APIError as e:
                    _settle(pacer, e)
                    raise
                if pacer is not None:
                    pacer.settle(raw.status_code, raw.headers)
                return completion_of(raw, transport.redact)
    except (tenacity.RetryError, openai.OpenAIError, MalformedResponseError) as e:
        raise _final(e, sent.tries, transport) from _cause(e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover
