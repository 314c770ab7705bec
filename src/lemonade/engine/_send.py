"""Sending one chat request under the retry policy (``_retry``), with pacing, and reading what came back.

The SDK's own retries are off, so this is the one retry layer. An answer that is not a chat completion
(an HTML page from a proxy, an empty or cut-off body, an unasked-for stream) becomes a
``MalformedResponseError`` saying what came instead, which the policy treats as transient. What stays
broken is mapped to lemonade's errors, with the API key redacted from any text a server sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .._errors import MalformedResponseError, ProviderError, RetryError
from ._retry import MAX_RETRY_WAIT, is_transient, retry_after

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion
    from tenacity import AsyncRetrying, Retrying

# tenacity, asyncio and openai are imported where they are used, not at import time: ``import lemonade``
# stays light, and the offline paths never load them.

__all__ = ["Pacer", "Sent", "Transport", "completion_of", "send", "send_async"]

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
    async_sleep: Callable[[float], Awaitable[None]] | None = None

    def delay(self, tokens: int) -> float:
        """Seconds to wait before the next attempt, as the pacer books it (0 without one)."""
        return self.pacer.reserve(tokens) if self.pacer is not None else 0.0

    def received(self, raw: Any) -> ChatCompletion:
        """The completion in an answer, the pacer told of its headers."""
        if self.pacer is not None:
            self.pacer.settle(raw.status_code, raw.headers)
        return completion_of(raw, self.redact)

    def failed(self, exc: BaseException) -> None:
        """Tell the pacer of a failed attempt: its status and headers, or None for a lost connection."""
        if self.pacer is not None:
            response = getattr(exc, "response", None)
            self.pacer.settle(getattr(exc, "status_code", None), response.headers if response is not None else {})

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if len(secret) >= 8:
                text = text.replace(secret, "[redacted]")
        return text


def _final(exc: BaseException, tries: int, transport: Transport) -> Exception:
    import openai
    import tenacity

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
    import tenacity

    return exc.last_attempt.exception() if isinstance(exc, tenacity.RetryError) else exc


def send(create: Callable[[], Any], transport: Transport, sent: Sent, tokens: int = 0) -> ChatCompletion:
    """Call ``create`` (a raw-response ``chat.completions.create``) under the transport's retry policy."""
    import openai
    import tenacity

    try:
        for attempt in transport.retrying.copy():
            with attempt:
                if (delay := transport.delay(tokens)) > 0:
                    transport.sleep(delay)
                sent.tries += 1
                try:
                    return transport.received(create())
                except openai.APIError as e:
                    transport.failed(e)
                    raise
    except (tenacity.RetryError, openai.OpenAIError, MalformedResponseError) as e:
        raise _final(e, sent.tries, transport) from _cause(e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover


async def send_async(
    create: Callable[[], Awaitable[Any]], transport: Transport, sent: Sent, tokens: int = 0
) -> ChatCompletion:
    """The async twin of ``send``."""
    import asyncio

    import openai
    import tenacity

    try:
        async for attempt in transport.async_retrying.copy():
            with attempt:
                if (delay := transport.delay(tokens)) > 0:
                    await (transport.async_sleep or asyncio.sleep)(delay)
                sent.tries += 1
                try:
                    return transport.received(await create())
                except openai.APIError as e:
                    transport.failed(e)
                    raise
    except (tenacity.RetryError, openai.OpenAIError, MalformedResponseError) as e:
        raise _final(e, sent.tries, transport) from _cause(e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover
