"""``Lemonade``: the engine that turns a Situation into checked drafts, through any OpenAI-compatible
server or the offline writer."""

from __future__ import annotations

import copy
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._errors import GuardrailError, InputError, LemonadeError, RefusalError, TruncatedError
from ..drafts._draft import Draft, Kit, Preview
from ..drafts._followups import FollowUpStep, require_context
from ..drafts._usage import PRICES, Price
from ..drafts._values import (
    STEPS,
    VALUE_TYPES,
    CallRequest,
    ReferralQuestions,
    Step,
    StepContext,
    ThankYouNote,
    ValueAddShare,
)
from ..offline._draft import offline_draft
from ..prompting._prompts import PromptSet, load_prompts
from ..prompting._schema import reply_schema
from ..prompting._tokens import TokenCounter
from ..situation._situation import Situation, as_situation
from ._clients import secrets_of
from ._conversation import Settings, StepRun
from ._kit import akit_of, kit_of
from ._model_writer import ModelWriter
from ._options import check_options
from ._retry import MAX_RETRY_WAIT, default_async_retrying, default_retrying
from ._scrub import Scrubber
from ._send import Pacer

if TYPE_CHECKING:
    import openai
    from tenacity import AsyncRetrying, Retrying

    from ..cohort._cohort import ACohort, Cohort

__all__ = ["DEFAULT_MODEL", "Backend", "Lemonade", "OfflineWarning"]

DEFAULT_MODEL = "gpt-4o-mini"
Backend = Literal["auto", "openai", "offline"]
SituationLike = Situation | Mapping[str, Any]


class OfflineWarning(UserWarning):
    """lemonade is using its offline writer because no model is configured."""


def _caller_outside_lemonade() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside this package."""
    here = os.path.dirname(os.path.dirname(__file__))  # the lemonade package
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(here):
        frame, level = frame.f_back, level + 1
    return level


_FALLS_BACK = (GuardrailError, TruncatedError, RefusalError)
"""What ``fallback="offline"`` replaces with the offline writer's draft: the model's failures, not the server's."""


class Lemonade:
    """Drafts the follow-up steps for a Situation with an OpenAI-compatible model, or offline.

    Parameters:
        client, async_client: OpenAI clients to use; neither is changed (lemonade works on a copy with
            the SDK's retries off). Give one and the other is made with all of its settings (key, base
            URL, organization, project, default headers and query, timeout). Give neither and ``OpenAI()``
            is built from the environment when first needed.
        model: the model name; else ``LEMONADE_MODEL``; else ``gpt-4o-mini``.
        prompts_dir: a folder with your own copies of the prompt files.
        ignore: guardrail codes to leave out of reports (e.g. ``{"buzzword"}``).
        max_reasks: how many times an invalid, cut-off or guardrail-failing answer is sent back for a fix.
        strict: when re-asks run out, raise ``GuardrailError`` (True) or return the failing Draft.
        max_tokens: the completion budget of each request.
        max_prompt_tokens: the prompt budget; only the free-text notes are trimmed to meet it.
        timeout: seconds to wait for each answer; None keeps the client's own timeout. A timed-out request
            is sent once more, no more, by the default retry policy.
        max_retry_wait: the longest ``retry-after`` lemonade will wait; a server that asks for longer gets
            no more requests, and ``RetryError`` says how long it asked for.
        retrying, async_retrying: tenacity policies for transient failures.
        today: the clock that dates the printed letter.
        prices: US dollars per million tokens per model, for ``Usage.cost_usd``.
        backend: "openai" (any OpenAI-compatible server), "offline" (the built-in writer: no model, no
            network) or "auto": offline when no client is given and neither ``OPENAI_API_KEY`` nor
            ``OPENAI_BASE_URL`` is set (with one ``OfflineWarning`` saying so), else openai.
        fallback: "offline" to return the offline draft, with a report that says so, where the model's
            draft still fails its guardrails after the re-asks, is cut off every time, or is refused.
        seed: picks the offline writer's wording; the same seed and situation give the same draft.
        pacer: keeps requests under a server's rate limits (see ``lemonade.cohort``).
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
        timeout: float | None = None,
        max_retry_wait: float = MAX_RETRY_WAIT,
        temperature: float | None = None,
        retrying: Retrying | None = None,
        async_retrying: AsyncRetrying | None = None,
        today: Callable[[], date] = date.today,
        prices: Mapping[str, Price] = PRICES,
        token_counter: TokenCounter | None = None,
        backend: Backend = "auto",
        fallback: Literal["offline"] | None = None,
        seed: int = 0,
        pacer: Pacer | None = None,
    ) -> None:
        check_options(
            max_reasks=max_reasks, max_tokens=max_tokens, max_prompt_tokens=max_prompt_tokens, seed=seed,
            timeout=timeout, max_retry_wait=max_retry_wait, temperature=temperature, backend=backend,
            fallback=fallback, ignore=ignore,
        )  # fmt: skip
        chose_offline = backend == "offline"
        if backend == "auto":
            configured = client or async_client or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")
            backend = "openai" if configured else "offline"
        self.backend: Backend = backend
        self._fallback, self._seed = fallback, seed
        self._warned_offline = chose_offline  # offline by choice: nothing to warn about
        self.model = model or os.environ.get("LEMONADE_MODEL") or DEFAULT_MODEL
        self.prompts: PromptSet = load_prompts(prompts_dir)
        scrub = Scrubber(secrets_of(client) + secrets_of(async_client))
        self._writer = ModelWriter(
            client=client,
            async_client=async_client,
            timeout=timeout,
            max_retry_wait=max_retry_wait,
            retrying=retrying or default_retrying(max_retry_wait=max_retry_wait),
            async_retrying=async_retrying or default_async_retrying(max_retry_wait=max_retry_wait),
            max_tokens=max_tokens,
            pacer=pacer,
            scrub=scrub,
        )
        self._today = today
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
            scrub=scrub,
        )

    def __repr__(self) -> str:
        if self.backend == "offline":
            return "Lemonade(backend='offline')"
        return f"Lemonade(model={self.model!r})"

    # -- clients -------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the client lemonade made from the environment (the caller's own clients stay open)."""
        self._writer.close()

    async def aclose(self) -> None:
        """Close the clients lemonade made, the async one of the running loop included."""
        self._writer.close()
        await self._writer.async_clients.aclose()

    def __enter__(self) -> Lemonade:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Lemonade:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- one step ------------------------------------------------------------------------------------

    def _situation_for(self, steps: Iterable[str], situation: SituationLike) -> Situation:
        """The situation, checked for every step asked for before anything is written or sent."""
        for step in steps:
            if step not in VALUE_TYPES:
                raise InputError(f"unknown step {step!r}; choose one of {', '.join(VALUE_TYPES)}", field="step")
        s = as_situation(situation)
        if "value_add" in steps and not s.resources:
            raise InputError(
                "value_add needs at least one resource to share; resources is empty (add a [[resources]] entry "
                "with url, title and topic)",
                field="resources",
            )
        return s

    def _run(self, step: Step | FollowUpStep, situation: Situation, context: StepContext | None = None) -> StepRun:
        require_context(step, context)
        return StepRun(
            step=step,
            situation=situation,
            settings=self._settings,
            today=self._today(),
            json_mode=self._writer.json_mode,
            context=context,
        )

    def _written_offline(
        self,
        step: Step | FollowUpStep,
        situation: Situation,
        context: StepContext | None = None,
        after: StepRun | None = None,
    ) -> Draft[Any]:
        """The offline writer's draft: the offline backend's only path, and the fallback's ``after`` a model's
        draft failed (its usage and answers are kept)."""
        settings = self._settings
        if after is None and not self._warned_offline:
            self._warned_offline = True
            warnings.warn(
                "lemonade is writing offline (no model): set OPENAI_API_KEY, or OPENAI_BASE_URL for a local "
                "server, or pass Lemonade(client=OpenAI(...)), to draft with a model; Lemonade(backend='offline') "
                "writes offline without this warning",
                OfflineWarning,
                stacklevel=_caller_outside_lemonade(),
            )
        draft = partial(
            offline_draft, step, situation, seed=self._seed, today=self._today(), ignore=settings.ignore,
            strict=settings.strict, context=context,
        )  # fmt: skip
        if after is None:
            return draft()
        failed = ", ".join(sorted({v.code for v in after.last_report.errors})) or "refusal"
        note = (
            f"the model's draft still failed {failed} after {after.answers} answer(s); "
            "this is the offline writer's draft instead"
        )
        return draft(note=note, usage=after.usage, attempts=after.answers)

    def _model_draft(self, run: StepRun) -> Draft[Any]:
        try:
            return self._writer.write(run)
        except _FALLS_BACK as e:
            return self._fallen_back(run, e)

    async def _amodel_draft(self, run: StepRun) -> Draft[Any]:
        try:
            return await self._writer.awrite(run)
        except _FALLS_BACK as e:
            return self._fallen_back(run, e)

    def _fallen_back(self, run: StepRun, error: LemonadeError) -> Draft[Any]:
        if self._fallback != "offline":
            raise error
        return self._written_offline(run.step, run.situation, run.context, after=run)

    # -- drafting ------------------------------------------------------------------------------------

    def draft(
        self, step: Step | FollowUpStep, situation: SituationLike, *, context: StepContext | None = None
    ) -> Draft[Any]:
        """The draft for ``step`` (``call_request``, ``referral_questions``, ``thank_you``, ``value_add``, or a
        follow-up step with the ``context`` it needs)."""
        s = self._situation_for((step,), situation)
        if self.backend == "offline":
            return self._written_offline(step, s, context)
        return self._model_draft(self._run(step, s, context))

    async def adraft(
        self, step: Step | FollowUpStep, situation: SituationLike, *, context: StepContext | None = None
    ) -> Draft[Any]:
        """The async twin of ``draft``."""
        s = self._situation_for((step,), situation)
        if self.backend == "offline":
            return self._written_offline(step, s, context)
        return await self._amodel_draft(self._run(step, s, context))

    def preview(
        self, step: Step | FollowUpStep, situation: SituationLike, *, context: StepContext | None = None
    ) -> Preview:
        """What ``step`` would send for ``situation``: messages, schema and prompt tokens. Sends nothing."""
        run = self._run(step, self._situation_for((step,), situation), context)
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

    def call_request(self, situation: SituationLike) -> Draft[CallRequest]:
        """An email asking the hiring manager for a call of at most 15 minutes, for advice and leads."""
        return self.draft("call_request", situation)

    def referral_questions(self, situation: SituationLike) -> Draft[ReferralQuestions]:
        """Open "who do you know" questions for that call."""
        return self.draft("referral_questions", situation)

    def thank_you(self, situation: SituationLike) -> Draft[ThankYouNote]:
        """A thank-you email and printed letter that keep the door open."""
        return self.draft("thank_you", situation)

    def value_add(self, situation: SituationLike) -> Draft[ValueAddShare]:
        """The candidate's chosen links, shared by email, on X and on LinkedIn."""
        return self.draft("value_add", situation)

    async def acall_request(self, situation: SituationLike) -> Draft[CallRequest]:
        return await self.adraft("call_request", situation)

    async def areferral_questions(self, situation: SituationLike) -> Draft[ReferralQuestions]:
        return await self.adraft("referral_questions", situation)

    async def athank_you(self, situation: SituationLike) -> Draft[ThankYouNote]:
        return await self.adraft("thank_you", situation)

    async def avalue_add(self, situation: SituationLike) -> Draft[ValueAddShare]:
        return await self.adraft("value_add", situation)

    def kit(self, situation: SituationLike) -> Kit:
        """All four drafts. Every step's input is checked before the first request is sent.

        If a step fails, its error is raised with ``.finished`` holding the drafts that did finish and
        ``.usage`` what every request cost.
        """
        s = self._situation_for(STEPS, situation)
        if self.backend == "offline":
            return Kit(**{step: self._written_offline(step, s) for step in STEPS})
        return kit_of(self._model_draft, [self._run(step, s) for step in STEPS])

    async def akit(self, situation: SituationLike) -> Kit:
        """All four drafts, requested concurrently. If one step fails, the others are cancelled and awaited,
        and its error is raised with ``.finished`` (the drafts that did finish) and ``.usage`` (every
        request spent)."""
        s = self._situation_for(STEPS, situation)
        if self.backend == "offline":
            return Kit(**{step: self._written_offline(step, s) for step in STEPS})
        await self._writer.async_clients.get()  # one client for the four, made before they start
        return await akit_of(self._amodel_draft, [self._run(step, s) for step in STEPS])

    # -- many situations: the cohort ---------------------------------------------------------------------

    def cohort(self, situations: Iterable[Any], *, steps: str | Iterable[str] | None = None,
               journal: str | Path | None = None, rpm: float | None = None, tpm: float | None = None,
               max_concurrency: int | None = None) -> Cohort:  # fmt: skip
        """Draft many situations at the server's ceiling, yielding a ``CohortResult`` for each as it completes.

        ``situations``: any iterable, read lazily, of Situations, mappings or ``(key, situation)`` pairs (the
        key is else the position). ``steps``: some steps only. ``journal``: a SQLite file that records every
        finished step, so a run killed and started again asks for nothing already drafted. ``rpm``/``tpm``:
        the ceiling, for servers that send no rate-limit headers. ``max_concurrency``: a cap on requests in
        flight, which otherwise follow the ceiling and the latency. ``.ledger`` sums what it cost.
        """
        from ..cohort._cohort import Cohort

        return Cohort(self.acohort(situations, steps=steps, journal=journal, rpm=rpm, tpm=tpm,
                                   max_concurrency=max_concurrency))  # fmt: skip

    def acohort(self, situations: Iterable[Any], *, steps: str | Iterable[str] | None = None,
                journal: str | Path | None = None, rpm: float | None = None, tpm: float | None = None,
                max_concurrency: int | None = None) -> ACohort:  # fmt: skip
        """The async twin of ``cohort``: ``async for result in lm.acohort(...)`` (``await`` gives the same)."""
        from ..cohort._cohort import start_cohort
        from ..cohort._pacer import Pacer as CohortPacer

        engine, pacer, given = self, None, self._writer.pacer
        if self.backend != "offline" and (rpm is not None or tpm is not None or given is None):
            pacer = CohortPacer(rpm=rpm, tpm=tpm)
            engine = copy.copy(self)
            engine._writer = self._writer.with_pacer(pacer)
        elif isinstance(given, CohortPacer):
            pacer = given  # the caller's own pacer, kept
        return start_cohort(situations, draft=engine.adraft, check=self._situation_for, steps=steps, journal=journal,
                            pacer=pacer, max_concurrency=max_concurrency)  # fmt: skip
