"""The cohort's cost ledger: situations by outcome, and requests, tokens, re-asks and dollars for the whole run.

Re-asks are counted apart: how many answers were sent back for a fix, the tokens those re-asks took
(prompt and completion), and their share of all tokens, which is what a failing prompt really costs.
Steps read back from the journal cost nothing in this run; what they cost when they were drafted is
kept apart, as ``resumed_cost_usd``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from ..drafts._usage import Usage
from ._result import CohortResult, outcome_of

__all__ = ["CohortLedger", "Tally"]


class CohortLedger(BaseModel):
    """What a cohort has done and spent so far (a snapshot; ``Cohort.ledger`` gives a fresh one)."""

    model_config = ConfigDict(frozen=True)

    situations: int = 0
    done: int = 0
    failed_guardrails: int = 0
    bad_input: int = 0
    provider_errors: int = 0
    steps_drafted: int = 0
    steps_resumed: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasks: int = 0
    reask_tokens: int = 0
    cost_usd: float | None = None
    cost_complete: bool = True
    resumed_cost_usd: float = 0.0
    throttled: int = 0
    estimated: bool = False
    elapsed_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def reask_share(self) -> float:
        """The re-asks' share of all tokens spent in this run, 0 to 1."""
        return self.reask_tokens / self.total_tokens if self.total_tokens else 0.0

    @property
    def failed(self) -> int:
        return self.failed_guardrails + self.bad_input + self.provider_errors

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def tokens_per_minute(self) -> float:
        return self.total_tokens * 60.0 / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def __str__(self) -> str:
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.4f}" + ("" if self.cost_complete else "+")
        return (
            f"{self.situations} situation(s): {self.done} done, {self.failed} failed; {self.requests} request(s), "
            f"{self.total_tokens:,} tokens ({self.reasks} re-ask(s), {self.reask_share:.1%} of tokens), {cost}; "
            f"{self.throttled} answered 429; {self.elapsed_s:.1f} s"
        )


class Tally:
    """The running count behind ``CohortLedger``; the cohort adds each result before it is handed on."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._counts = {"done": 0, "guardrails": 0, "input": 0, "provider": 0}
        self._steps_drafted = self._steps_resumed = 0
        self._spent = Usage(cost_usd=0.0)
        self._cost_known = self._cost_unknown = False
        self._resumed_cost = 0.0
        self.throttled: Callable[[], int] = lambda: 0
        """Where the 429 count comes from (the pacer, once there is one)."""

    def add(self, result: CohortResult) -> None:
        self._counts[outcome_of(result)] += 1
        self._steps_resumed += len(result.resumed)
        self._steps_drafted += len(result.drafts) - len(result.resumed)
        for step, draft in result.drafts.items():
            if step in result.resumed:
                self._resumed_cost += draft.usage.cost_usd or 0.0
        self.spend(result.usage)

    def spend(self, usage: Usage) -> None:
        if usage.cost_usd is None:
            self._cost_unknown = True
        elif usage.requests:
            self._cost_known = True
        self._spent = self._spent + usage.model_copy(update={"cost_usd": usage.cost_usd or 0.0})

    def ledger(self) -> CohortLedger:
        spent, counts = self._spent, self._counts
        return CohortLedger.model_construct(
            situations=sum(counts.values()),
            done=counts["done"],
            failed_guardrails=counts["guardrails"],
            bad_input=counts["input"],
            provider_errors=counts["provider"],
            steps_drafted=self._steps_drafted,
            steps_resumed=self._steps_resumed,
            requests=spent.requests,
            prompt_tokens=spent.prompt_tokens,
            completion_tokens=spent.completion_tokens,
            reasks=spent.reasks,
            reask_tokens=spent.reask_tokens,
            cost_usd=spent.cost_usd if self._cost_known or not self._cost_unknown else None,
            cost_complete=not self._cost_unknown,
            resumed_cost_usd=self._resumed_cost,
            throttled=self.throttled(),
            estimated=spent.estimated,
            elapsed_s=self._clock() - self._started,
        )
