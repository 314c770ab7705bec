"""The model's side of drafting: send a step's request, read the answer, re-ask until it passes or the
budget is spent; switch to JSON mode, once and for good, when a server refuses ``json_schema``."""

from __future__ import annotations

import copy
import dataclasses
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from .._errors import ProviderError
from ..drafts._draft import Draft
from ._clients import AsyncClients, sync_client
from ._conversation import StepRun
from ._retry import rejects_json_schema
from ._scrub import Scrubber
from ._send import Pacer, Sent, Transport, send, send_async

if TYPE_CHECKING:
    import openai
    from tenacity import AsyncRetrying, Retrying

__all__ = ["ModelWriter"]


class ModelWriter:
    """Drafts steps with a model through the caller's clients (copied, never changed)."""

    def __init__(
        self,
        *,
        client: openai.OpenAI | None,
        async_client: openai.AsyncOpenAI | None,
        timeout: float | None,
        max_retry_wait: float,
        retrying: Retrying,
        async_retrying: AsyncRetrying,
        max_tokens: int,
        pacer: Pacer | None,
        scrub: Scrubber,
    ) -> None:
        self._given, self._given_async, self._timeout = client, async_client, timeout
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        self.async_clients = AsyncClients(client, async_client, timeout=timeout)
        self.json_mode = False
        self._max_tokens = max_tokens
        self._transport = Transport(
            retrying=retrying,
            async_retrying=async_retrying,
            max_retry_wait=max_retry_wait,
            timeout=timeout if timeout is not None else _read_timeout(client or async_client),
            scrub=scrub,
            pacer=pacer,
        )

    # -- clients -------------------------------------------------------------------------------------

    def _sync(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = sync_client(self._given, self._given_async, timeout=self._timeout)
            return self._client

    def close(self) -> None:
        """Close the sync client made from the environment (the caller's own clients stay open)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None and self._given is None and self._given_async is None:
            client.close()

    @property
    def pacer(self) -> Pacer | None:
        return self._transport.pacer

    def with_pacer(self, pacer: Pacer) -> ModelWriter:
        """A twin that sends through ``pacer`` (a cohort's own), sharing this one's clients."""
        twin = copy.copy(self)
        twin._transport = dataclasses.replace(self._transport, pacer=pacer)
        return twin

    # -- one step ------------------------------------------------------------------------------------

    def _prepared(self, run: StepRun) -> None:
        """A run made before the server refused json_schema starts in JSON mode once that is known."""
        if self.json_mode and not run.json_mode:
            run.use_json_mode()

    def _json_mode_after(self, run: StepRun, error: ProviderError) -> bool:
        """After a permanent error: switch to JSON mode if what the server refused was json_schema."""
        if run.json_mode or not rejects_json_schema(error.status, f"{error.message} {error.body}"):
            return False
        self.json_mode = True  # remembered: later requests go in JSON mode from the start
        run.use_json_mode()
        return True

    def _tokens(self, run: StepRun, request: dict[str, Any]) -> int:
        """What a request may count against a tokens-per-minute limit: its prompt plus max_tokens (a re-ask's
        prompt holds the answer and its problems too)."""
        if self._transport.pacer is None:
            return 0
        if not run.answers:
            return run.prompt_count.tokens + self._max_tokens
        settings = run.settings
        return settings.counter.count_messages(request["messages"], settings.model).tokens + self._max_tokens

    def write(self, run: StepRun) -> Draft[Any]:
        """The step's draft from the model; raises what the model's answers or the server leave."""
        self._prepared(run)
        client = self._sync()
        while True:
            request, sent = run.request(), Sent()
            create = partial(client.chat.completions.with_raw_response.create, **request)
            try:
                completion = send(create, self._transport, sent, self._tokens(run, request))
            except ProviderError as e:
                run.add_failed_tries(sent.tries)
                if not self._json_mode_after(run, e):
                    raise
                continue
            except BaseException:  # every attempt is counted, even one cut short by a cancellation
                run.add_failed_tries(sent.tries)
                raise
            if (draft := run.take(completion, sent.tries, request["messages"])) is not None:
                return draft

    async def awrite(self, run: StepRun) -> Draft[Any]:
        """The async twin of ``write``, on the running loop's client."""
        self._prepared(run)
        client = await self.async_clients.get()
        while True:
            request, sent = run.request(), Sent()
            create = partial(client.chat.completions.with_raw_response.create, **request)
            try:
                completion = await send_async(create, self._transport, sent, self._tokens(run, request))
            except ProviderError as e:
                run.add_failed_tries(sent.tries)
                if not self._json_mode_after(run, e):
                    raise
                continue
            except BaseException:  # every attempt is counted, even one cut short by a cancellation
                run.add_failed_tries(sent.tries)
                raise
            if (draft := run.take(completion, sent.tries, request["messages"])) is not None:
                return draft


def _read_timeout(client: openai.OpenAI | openai.AsyncOpenAI | None) -> float | None:
    """The client's read timeout in seconds, for messages that say how to raise it."""
    timeout = getattr(client, "timeout", None)
    if isinstance(timeout, int | float):
        return float(timeout)
    read = getattr(timeout, "read", None)
    return float(read) if isinstance(read, int | float) else None
