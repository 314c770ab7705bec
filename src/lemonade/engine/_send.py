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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .._errors import InputError, MalformedResponseError, ProviderError, RetryError
from ._retry import MAX_RETRY_WAIT, is_transient, retry_after
from ._scrub import Scrubber

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


def _preview(body: bytes, scrub: Scrubber) -> str:
    """The start of a body as text: redacted before it is cut, so no credential is half shown."""
    return scrub(body[:65536].decode("utf-8", "replace"), limit=10**9)[:_PREVIEW]


def _malformed(status: int, content_type: str, body: bytes, why: str, scrub: Scrubber) -> Exception:
    preview = _preview(body, scrub)
    kind = content_type or "no content type"
    return MalformedResponseError(
        f"the server answered {status} with {why} ({kind}, {len(body):,} bytes): {preview!r}",
        status=status,
        content_type=content_type,
        size=len(body),
        preview=preview,
    )


def _text_of(content: object) -> str | None:
    """A message's content as text: a string, or the text parts some gateways send as a list; None when it is
    neither."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and isinstance(p.get("text"), str) for p in content):
        return "".join(p["text"] for p in content)
    return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _sane(data: dict[str, Any]) -> dict[str, Any] | None:
    """The completion with what lemonade reads checked: text content, a usable usage and model, or None when
    its content is not text. A usage that is not two token counts of zero or more is dropped (and estimated)."""
    first = data["choices"][0]
    message = first["message"]
    content = _text_of(message.get("content"))
    if content is None and message.get("content") is not None:
        return None
    refusal = message.get("refusal")
    message = {"role": "assistant", "content": content, "refusal": refusal if isinstance(refusal, str) else None}
    reason = first.get("finish_reason")
    choice = {"index": 0, "message": message, "finish_reason": reason if isinstance(reason, str) else None}
    sane: dict[str, Any] = {"id": str(data.get("id", "")), "object": "chat.completion", "choices": [choice]}
    sane["created"] = data["created"] if _count(data.get("created")) is not None else 0
    sane["model"] = data["model"] if isinstance(data.get("model"), str) else ""
    usage = data.get("usage")
    if isinstance(usage, dict):
        prompt, done = _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens"))
        if prompt is not None and done is not None:
            sane["usage"] = {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done}
    return sane


def completion_of(raw: Any, scrub: Scrubber) -> ChatCompletion:
    """The chat completion in a raw response, or ``MalformedResponseError`` saying what came instead."""
    from openai.types.chat import ChatCompletion

    status, content_type = raw.status_code, raw.headers.get("content-type", "").split(";")[0].strip().lower()
    body: bytes = raw.content
    if not body.strip():
        raise _malformed(status, content_type, body, "an empty body", scrub)
    if "json" not in content_type:
        why = "a stream that was not asked for" if content_type == "text/event-stream" else "something that is not JSON"
        raise _malformed(status, content_type, body, why, scrub)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _malformed(status, content_type, body, "JSON that does not parse (cut off?)", scrub) from None
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    if not isinstance(first, dict) or not isinstance(first.get("message"), dict):
        raise _malformed(status, content_type, body, "JSON that is not a chat completion", scrub)
    sane = _sane(data)
    if sane is None:
        raise _malformed(status, content_type, body, "a completion whose content is not text", scrub)
    return ChatCompletion.construct(**sane)


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
    scrub: Scrubber = field(default_factory=Scrubber)
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
        return completion_of(raw, self.scrub)

    def failed(self, exc: BaseException) -> None:
        """Tell the pacer of a failed attempt: its status and headers, or None for a lost connection."""
        if self.pacer is not None:
            response = getattr(exc, "response", None)
            self.pacer.settle(getattr(exc, "status_code", None), response.headers if response is not None else {})


def _final(exc: BaseException, tries: int, transport: Transport) -> Exception:
    import openai
    import tenacity

    scrub = transport.scrub
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
        said = _said(last, scrub) if last is not None else "nothing"
        return RetryError(f"gave up after {tries} attempt(s); last error: {said}", attempts=tries, last_error=last)
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
        return RetryError(f"gave up after {tries} attempt(s): {_said(exc, scrub)}", attempts=tries, last_error=exc)
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        if isinstance(body, dict | list):
            body = json.loads(scrub.redact(json.dumps(body)))
        elif isinstance(body, str):
            body = scrub.redact(body)
        return ProviderError(_said(exc, scrub), status=exc.status_code, body=body)
    return ProviderError(scrub(str(exc)), status=None)


def _said(exc: BaseException, scrub: Scrubber) -> str:
    """What a failed attempt says, made safe: an API error's own message (a page is described, not quoted
    whole), else the exception's type and text."""
    import openai

    if not isinstance(exc, openai.APIStatusError):
        return scrub(f"{type(exc).__name__}: {exc}")
    content_type = exc.response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and "json" not in content_type:
        page = exc.response.content
        return f"a {content_type} page ({len(page):,} bytes): {_preview(page, scrub)!r}"
    body = exc.body
    said = body.get("message") if isinstance(body, dict) else body if isinstance(body, str) else None
    if said is None and isinstance(body, dict) and isinstance(body.get("error"), str):
        said = body["error"]
    return scrub(str(said or exc.message))


def _unsendable(exc: BaseException) -> bool:
    """True for what the HTTP client raises before a request leaves: a base URL with a bad port or host."""
    import httpx2

    if isinstance(exc, ExceptionGroup):
        return all(_unsendable(e) for e in exc.exceptions)
    return isinstance(exc, ValueError | OverflowError | httpx2.InvalidURL)


def _no_request_can_go(exc: BaseException, transport: Transport) -> InputError:
    leaf = exc
    while isinstance(leaf, ExceptionGroup):
        leaf = leaf.exceptions[0]
    return InputError(
        f"no request can be sent with this client: {transport.scrub(str(leaf))}; check its base_url (the command "
        "line's --base-url)",
        field="client.base_url",
    )


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
                except Exception as e:
                    if _unsendable(e):
                        raise _no_request_can_go(e, transport) from e
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
                except Exception as e:
                    if _unsendable(e):
                        raise _no_request_can_go(e, transport) from e
                    raise
    except (tenacity.RetryError, openai.OpenAIError, MalformedResponseError) as e:
        raise _final(e, sent.tries, transport) from _cause(e)
    raise AssertionError("unreachable: tenacity ended without an outcome")  # pragma: no cover
