"""Every error lemonade raises, in one tree.

    LemonadeError                 base of everything below; catch this to catch them all
    ├── InputError (ValueError)   the situation or a call's arguments are unusable; nothing was sent
    ├── PromptError (ValueError)  a prompt file is malformed or names a variable lemonade does not supply
    ├── GuardrailError            the model's drafts still broke guardrails after every re-ask
    │                             (.value, .report, .attempts, .usage, .raw)
    ├── RefusalError              the model refused to write the draft (.refusal, .usage)
    ├── TruncatedError            every answer hit max_tokens (finish_reason "length"), re-asks included
    │                             (.max_tokens, .usage)
    ├── ProviderError             the server answered with a permanent error, e.g. 400/401/403/404
    │   │                         (.status, .message, .body)
    │   └── MalformedResponseError  the server kept answering with something that is not a chat
    │                             completion: an HTML page, an empty or cut-off body, an unasked-for
    │                             stream (.status, .content_type, .size, .preview, .attempts)
    └── RetryError                transient failures (429, 5xx, timeouts, lost connections) outlasted
                                  the retry policy, or the server asked to wait longer than
                                  max_retry_wait (.attempts, .last_error, .retry_after)

Every error also carries ``.usage``: what was spent before it (None where nothing is known), and
``.finished``: the drafts of a kit that did finish before one step failed (empty elsewhere), so no
answer that was paid for is lost. Each error is chained (``raise ... from``) to the exception that
caused it, where there is one. Text a server sent is passed on with the configured API key redacted.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = [
    "GuardrailError",
    "InputError",
    "LemonadeError",
    "MalformedResponseError",
    "PromptError",
    "ProviderError",
    "RefusalError",
    "RetryError",
    "TruncatedError",
]


class UsageLike(Protocol):
    """What an error says was spent: a ``lemonade.Usage`` (this module imports nothing of lemonade's)."""

    @property
    def prompt_tokens(self) -> int: ...
    @property
    def completion_tokens(self) -> int: ...
    @property
    def requests(self) -> int: ...
    @property
    def cost_usd(self) -> float | None: ...
    @property
    def estimated(self) -> bool: ...
    @property
    def total_tokens(self) -> int: ...


class ReportLike(Protocol):
    """The findings an error carries: a ``lemonade.GuardrailReport``."""

    @property
    def ok(self) -> bool: ...
    @property
    def violations(self) -> tuple[Any, ...]: ...
    @property
    def errors(self) -> tuple[Any, ...]: ...
    @property
    def codes(self) -> frozenset[str]: ...


class LemonadeError(Exception):
    """Base class of every error lemonade raises."""

    usage: UsageLike | None = None
    """What was spent before the error: tokens and requests (None where nothing is known)."""

    finished: dict[str, Any]
    """The drafts of a kit that finished before another step failed, by step."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.finished = {}


class InputError(LemonadeError, ValueError):
    """The input cannot be used as given; raised before anything is sent to a model.

    ``field`` names the offending input field where there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PromptError(LemonadeError, ValueError):
    """A prompt file is malformed, or declares or uses a variable that is missing or unknown."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


class GuardrailError(LemonadeError):
    """The model's last draft still broke guardrails once the re-asks ran out.

    ``value`` is the last parsed draft (None if the model never returned valid JSON),
    ``raw`` the last answer as text, ``report`` its guardrail report, ``attempts`` how many
    model answers were tried, and ``usage`` the tokens spent on all of them.
    """

    usage: UsageLike

    def __init__(
        self,
        message: str,
        *,
        value: Any,
        report: ReportLike,
        attempts: int,
        usage: UsageLike,
        raw: str | None,
    ) -> None:
        super().__init__(message)
        self.value = value
        self.report = report
        self.attempts = attempts
        self.usage = usage
        self.raw = raw


class RefusalError(LemonadeError):
    """The model declined to write the draft; ``refusal`` holds what it said."""

    usage: UsageLike

    def __init__(self, message: str, *, refusal: str, usage: UsageLike) -> None:
        super().__init__(message)
        self.refusal = refusal
        self.usage = usage


class TruncatedError(LemonadeError):
    """The answer was cut off at ``max_tokens`` before the JSON was complete."""

    usage: UsageLike

    def __init__(self, message: str, *, max_tokens: int, usage: UsageLike) -> None:
        super().__init__(message)
        self.max_tokens = max_tokens
        self.usage = usage


class ProviderError(LemonadeError):
    """The model server answered with an error that retrying will not fix."""

    def __init__(self, message: str, *, status: int | None, body: object = None) -> None:
        super().__init__(f"{status}: {message}" if status is not None else message)
        self.status = status
        self.message = message
        self.body = body


class MalformedResponseError(ProviderError):
    """The server's answer was not a chat completion, on every attempt: what came back is described by
    ``status``, ``content_type``, ``size`` (bytes) and ``preview`` (its first 200 characters)."""

    def __init__(
        self, message: str, *, status: int, content_type: str, size: int, preview: str, attempts: int = 1
    ) -> None:
        super().__init__(message, status=status)
        self.content_type = content_type
        self.size = size
        self.preview = preview
        self.attempts = attempts


class RetryError(LemonadeError):
    """Transient failures continued past the retry policy; ``last_error`` is the final one.

    ``retry_after`` is the wait in seconds the server last asked for, where it said; when that was over
    ``max_retry_wait``, lemonade stopped at once rather than hammer a server that asked for time.
    """

    def __init__(
        self, message: str, *, attempts: int, last_error: BaseException | None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_error = last_error
        self.retry_after = retry_after
