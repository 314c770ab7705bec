"""``Lemonade``: the engine that turns a Situation into the four checked drafts, through any
OpenAI-compatible server or the offline writer."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tenacity import AsyncRetrying, Retrying

from .._errors import GuardrailError, InputError, ProviderError
from ..drafts._draft import Draft, Kit, Preview
from ..drafts._usage import PRICES, Price
from ..drafts._values import STEPS, CallRequest, ReferralQuestions, Step, ThankYouNote, ValueAddShare
from ..offline._draft import offline_draft
from ..prompting._prompts import PromptSet, load_prompts
from ..prompting._schema import reply_schema
from ..prompting._tokens import TokenCounter
from ..situation._situation import Situation, as_situation
from ._clients import async_client, copied, sync_client
from ._conversation import Settings, StepRun
from ._send import Sent, default_async_retrying, default_retrying, send, send_async

if TYPE_CHECKING:
    import openai

__all__ = ["DEFAULT_MODEL", "Backend", "Lemonade", "OfflineWarning"]

DEFAULT_MODEL = "gpt-4o-mini"
Backend = Literal["auto", "openai", "offline"]


class OfflineWarning(UserWarning):
    """lemonade is using its offline writer because no model is configured."""


def _caller_outside_lemonade() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside this package."""
    here = os.path.dirname(os.path.dirname(__file__))  # the lemonade package
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(here):
        frame, level = frame.f_back, level + 1
    return level


def _rejects_json_schema(error: ProviderError) -> bool:
    text = f"{error.message} {error.body}".lower()
    return error.status in (400, 415, 422, 501) and any(
        word in text for word in ("response_format", "json_schema", "json schema", "structured output")
    )


class Lemonade:
    """Drafts the four follow-up steps for a Situation with an OpenAI-compatible model.

    Parameters:
        client, async_client: OpenAI clients to use; neither is changed (lemonade works on a copy with
            the SDK's retries off). Give one and the other is made from its key, base URL and timeout.
            Give neither and ``OpenAI()`` is built from the environment when first needed.
        model: the model name; else ``LEMONADE_MODEL``; else ``gpt-4o-mini``.
        prompts_dir: a folder with your own copies of the prompt files.
        ignore: guardrail codes to leave out of reports (e.g. ``{"buzzword"}``).
        max_reasks: how many times an invalid or guardrail-failing answer is sent back for a fix.
        strict: when re-asks run out, raise ``GuardrailError`` (True) or return the failing Draft.
        max_tokens: the completion budget of each request.
        max_prompt_tokens: the prompt budget; only the free-text notes are trimmed to meet it.
        retrying, async_retrying: tenacity policies for transient failures.
        today: the clock that dates the printed letter.
        prices: US dollars per million tokens per model, for ``Usage.cost_usd``.
        backend: "openai" (any OpenAI-compatible server), "offline" (the built-in writer: no model, no
            network) or "auto": offline when no client is given and neither ``OPENAI_API_KEY`` nor
            ``OPENAI_BASE_URL`` is set, else openai.
        fallback: "offline" to return the offline draft, with a report that says so, where the model's
            draft still fails its guardrails after the re-asks.
        seed: picks the offline writer's wording; the same seed and situation give the same draft.
    """

    def __init__(
        self,
        *,
        client: openai.OpenAI | None = None,
        async_client: openai.AsyncOpenAI | None = None,
        model: str | None = None,
        prompts_dir: str | Path | None = None,
        ignore: Iterable[str] = (),
        max_reasks: int = 2,
        strict: bool = True,
        max_tokens: int = 1200,
        max_prompt_tokens: int = 4000,
        timeout: float = 60.0,
        temperature: float | None = None,
        retrying: Retrying | None = None,
        async_retrying: AsyncRetrying | None = None,
        today: Callable[[], date] = date.today,
        prices: Mapping[str, Price] = PRICES,
        token_counter: TokenCounter | None = None,
        backend: Backend = "auto",
        fallback: Literal["offline"] | None = None,
        seed: int = 0,
    ) -> None:
        if max_reasks < 0:
            raise InputError("max_reasks must be 0 or more", field="max_reasks")
        if max_tokens < 1 or max_prompt_tokens < 1:
            raise InputError("max_tokens and max_prompt_tokens must be positive", field="max_tokens")
        if backend not in ("auto", "openai", "offline"):
            raise InputError(f"backend must be auto, openai or offline, not {backend!r}", field="backend")
        if fallback not in (None, "offline"):
            raise InputError(f"fallback must be None or 'offline', not {fallback!r}", field="fallback")
        if backend == "auto":
            configured = client or async_client or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")
            backend = "openai" if configured else "offline"
        self.backend: Backend = backend
        self._fallback, self._seed, self._warned_offline = fallback, seed, False
        self.model = model or os.environ.get("LEMONADE_MODEL") or DEFAULT_MODEL
        self.prompts: PromptSet = load_prompts(prompts_dir)
        self._given_client, self._given_async = client, async_client
        self._client: openai.OpenAI | None = None
        self._async_client: openai.AsyncOpenAI | None = None
        self._timeout = timeout
        self._retrying = retrying or default_retrying()
        self._async_retrying = async_retrying or default_async_retrying()
        self._today = today
        self._lock = threading.Lock()
        self._json_mode = False
        self._settings = Settings(
            model=self.model,
            prompts=self.prompts,
            counter=token_counter or TokenCounter(),
            prices=dict(prices),
            ignore=frozenset(ignore),
            max_reasks=max_reasks,
            max_tokens=max_tokens,
            max_prompt_tokens=max_prompt_tokens,
            strict=strict,
            temperature=temperature,
        )

    def __repr__(self) -> str:
        if self.backend == "offline":
            return "Lemonade(backend='offline')"
        return f"Lemonade(model={self.model!r})"

    # -- clients -------------------------------------------------------------------------------------

    def _sync(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = sync_client(self._given_client, self._given_async, timeout=self._timeout)
            return self._client

    @contextlib.asynccontextmanager
    async def _async(self) -> AsyncIterator[openai.AsyncOpenAI]:
        """The caller's async client (as a copy), or one lemonade makes for this call and closes after.

        An async connection pool belongs to one event loop, so a client lemonade makes itself lives
        only as long as the call (``akit`` shares one across its four requests).
        """
        if self._given_async is not None:
            with self._lock:
                if self._async_client is None:
                    self._async_client = copied(self._given_async, timeout=self._timeout)
            yield self._async_client
            return
        client = async_client(self._given_client, timeout=self._timeout)
        try:
            yield client
        finally:
            await client.close()

    # -- one step ------------------------------------------------------------------------------------

    def _situation_for(self, steps: Iterable[Step], situation: Situation | Mapping[str, Any]) -> Situation:
        """The situation, checked for every step asked for before anything is written or sent."""
        for step in steps:
            if step not in STEPS:
                raise InputError(f"unknown step {step!r}; choose one of {', '.join(STEPS)}", field="step")
        s = as_situation(situation)
        if "value_add" in steps and not s.resources:
            raise InputError("value_add needs at least one resource to share; resources is empty", field="resources")
        return s

    def _run(self, step: Step, situation: Situation) -> StepRun:
        return StepRun(
            step=step, situation=situation, settings=self._settings, today=self._today(), json_mode=self._json_mode
        )

    def _fall_back(self, run: StepRun, error: ProviderError, tries: int) -> bool:
        """After a permanent error: switch to JSON mode if that is what the server rejected."""
        run.add_failed_tries(tries)
        if run.json_mode or not _rejects_json_schema(error):
            return False
        self._json_mode = True
        run.use_json_mode()
        return True

    def _written_offline(self, step: Step, situation: Situation, after: StepRun | None = None) -> Draft[Any]:
        """The offline writer's draft: the offline backend's only path, and the fallback's ``after`` a model's
        draft failed (its usage and answers are kept)."""
        settings = self._settings
        if after is None and not self._warned_offline:
            self._warned_offline = True
            warnings.warn(
                "lemonade is writing offline (no model): set OPENAI_API_KEY, or OPENAI_BASE_URL for a local "
                "server, or pass Lemonade(client=OpenAI(...)), to draft with a model",
                OfflineWarning,
                stacklevel=_caller_outside_lemonade(),
            )
        draft = partial(
            offline_draft, step, situation, seed=self._seed, today=self._today(), ignore=settings.ignore,
            strict=settings.strict,
        )  # fmt: skip
        if after is None:
            return draft()
        failed = ", ".join(sorted({v.code for v in after.last_report.errors}))
        note = (
            f"the model's draft still failed {failed} after {after.answers} answer(s); "
            "this is the offline writer's draft instead"
        )
        return draft(note=note, usage=after.usage, attempts=after.answers)

    def _draft(self, step: Step, situation: Situation) -> Draft[Any]:
        if self.backend == "offline":
            return self._written_offline(step, situation)
        return self._model_draft(self._run(step, situation))

    def _model_draft(self, run: StepRun) -> Draft[Any]:
        try:
            return self._ask(run)
        except GuardrailError:
            if self._fallback != "offline":
                raise
            return self._written_offline(run.step, run.situation, after=run)

    async def _amodel_draft(self, run: StepRun, client: openai.AsyncOpenAI) -> Draft[Any]:
        try:
            return await self._aask(run, client)
        except GuardrailError:
            if self._fallback != "offline":
                raise
            return self._written_offline(run.step, run.situation, after=run)

    def _ask(self, run: StepRun) -> Draft[Any]:
        client = self._sync()
        while True:
            request, sent = run.request(), Sent()
            try:
                completion = send(partial(client.chat.completions.create, **request), self._retrying, sent)
            except ProviderError as e:
                if not self._fall_back(run, e, sent.tries):
                    raise
                continue
            if (draft := run.take(completion, sent.tries, request["messages"])) is not None:
                return draft

    async def _aask(self, run: StepRun, client: openai.AsyncOpenAI) -> Draft[Any]:
        while True:
            request, sent = run.request(), Sent()
            try:
                completion = await send_async(
                    partial(client.chat.completions.create, **request), self._async_retrying, sent
                )
            except ProviderError as e:
                if not self._fall_back(run, e, sent.tries):
                    raise
                continue
            if (draft := run.take(completion, sent.tries, request["messages"])) is not None:
                return draft

    def draft(self, step: Step, situation: Situation | Mapping[str, Any]) -> Draft[Any]:
        """The draft for ``step`` (one of ``call_request``, ``referral_questions``, ``thank_you``, ``value_add``)."""
        return self._draft(step, self._situation_for((step,), situation))

    async def adraft(self, step: Step, situation: Situation | Mapping[str, Any]) -> Draft[Any]:
        s = self._situation_for((step,), situation)
        if self.backend == "offline":
            return self._written_offline(step, s)
        run = self._run(step, s)
        async with self._async() as client:
            return await self._amodel_draft(run, client)

    def preview(self, step: Step, situation: Situation | Mapping[str, Any]) -> Preview:
        """What ``step`` would send for ``situation``: messages, schema and prompt tokens. Sends nothing."""
        run = self._run(step, self._situation_for((step,), situation))
        request = run.request()
        return Preview(
            step=step,
            model=self.model,
            messages=[dict(m) for m in request["messages"]],  # the caller's to keep; the cache keeps its own
            schema=reply_schema(step),
            prompt_tokens=run.prompt_count.tokens,
            tokens_estimated=run.prompt_count.estimated,
            max_tokens=request["max_tokens"],
            notes_trimmed=run.notes_trimmed,
        )

    # -- the four steps, and the kit -----------------------------------------------------------------

    def call_request(self, situation: Situation | Mapping[str, Any]) -> Draft[CallRequest]:
        """An email asking the hiring manager for a call of at most 15 minutes, for advice and leads."""
        return self.draft("call_request", situation)

    def referral_questions(self, situation: Situation | Mapping[str, Any]) -> Draft[ReferralQuestions]:
        """Open "who do you know" questions for that call."""
        return self.draft("referral_questions", situation)

    def thank_you(self, situation: Situation | Mapping[str, Any]) -> Draft[ThankYouNote]:
        """A thank-you email and printed letter that keep the door open."""
        return self.draft("thank_you", situation)

    def value_add(self, situation: Situation | Mapping[str, Any]) -> Draft[ValueAddShare]:
        """The candidate's chosen links, shared by email, on X and on LinkedIn."""
        return self.draft("value_add", situation)

    async def acall_request(self, situation: Situation | Mapping[str, Any]) -> Draft[CallRequest]:
        return await self.adraft("call_request", situation)

    async def areferral_questions(self, situation: Situation | Mapping[str, Any]) -> Draft[ReferralQuestions]:
        return await self.adraft("referral_questions", situation)

    async def athank_you(self, situation: Situation | Mapping[str, Any]) -> Draft[ThankYouNote]:
        return await self.adraft("thank_you", situation)

    async def avalue_add(self, situation: Situation | Mapping[str, Any]) -> Draft[ValueAddShare]:
        return await self.adraft("value_add", situation)

    def kit(self, situation: Situation | Mapping[str, Any]) -> Kit:
        """All four drafts. Every step's input is checked before the first request is sent."""
        s = self._situation_for(STEPS, situation)
        if self.backend == "offline":
            return Kit(**{step: self._written_offline(step, s) for step in STEPS})
        runs = [self._run(step, s) for step in STEPS]
        return Kit(**{run.step: self._model_draft(run) for run in runs})

    async def akit(self, situation: Situation | Mapping[str, Any]) -> Kit:
        """All four drafts, requested concurrently."""
        s = self._situation_for(STEPS, situation)
        if self.backend == "offline":
            return Kit(**{step: self._written_offline(step, s) for step in STEPS})
        runs = [self._run(step, s) for step in STEPS]
        async with self._async() as client:
            drafts = await asyncio.gather(*(self._amodel_draft(run, client) for run in runs))
        return Kit(**{run.step: d for run, d in zip(runs, drafts, strict=True)})

    # -- many situations: the cohort ---------------------------------------------------------------------

    def cohort(
        self,
        situations: Iterable[SituationLike | tuple[str, SituationLike]],
        *,
        steps: str | Iterable[str] | None = None,
        journal: str | Path | None = None,
        rpm: float | None = None,
        tpm: float | None = None,
        max_concurrency: int | None = None,
    ) -> Cohort:
        """Draft many situations at the server's ceiling; yields one ``CohortResult`` per situation as it completes.

        ``situations`` is any iterable (a generator of a hundred thousand is read lazily) of Situations,
        mappings, or ``(key, situation)`` pairs (the key is otherwise the item's position). ``steps`` limits
        the steps drafted (all four by default). ``journal`` names a SQLite file recording every finished
        step: a run killed and started again with it asks for nothing already drafted. ``rpm`` and ``tpm``
        set the ceiling by hand for servers that send no rate-limit headers; otherwise it is read from
        them. ``max_concurrency`` caps the requests in flight, which otherwise follow the ceiling and the
        latency. One situation's failure is its result's ``error``, never the cohort's end. The cohort's
        ``ledger`` sums requests, tokens, re-asks and cost.
        """
        return Cohort(self.acohort(situations, steps=steps, journal=journal, rpm=rpm, tpm=tpm,
                                   max_concurrency=max_concurrency))  # fmt: skip

    def acohort(
        self,
        situations: Iterable[SituationLike | tuple[str, SituationLike]],
        *,
        steps: str | Iterable[str] | None = None,
        journal: str | Path | None = None,
        rpm: float | None = None,
        tpm: float | None = None,
        max_concurrency: int | None = None,
    ) -> ACohort:
        """The async twin of ``cohort``: ``async for result in lm.acohort(...)`` (or ``await lm.acohort(...)``)."""
        pacer = None if self.backend == "offline" else self._cohort_pacer(rpm, tpm)
        engine = self if pacer is None else self._paced(pacer)
        return start_cohort(situations, draft=engine.adraft, check=self._situation_for, steps=steps, journal=journal,
                            pacer=pacer, max_concurrency=max_concurrency)  # fmt: skip
