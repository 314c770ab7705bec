"""What a cohort hands back for each situation: its key, its drafts (the kit when all four were asked
for), the error that stopped it, if any, and what it cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._errors import GuardrailError, InputError, LemonadeError, PromptError, RefusalError, TruncatedError
from ..drafts._draft import Draft, Kit
from ..drafts._usage import NO_USAGE, Usage
from ..drafts._values import STEPS, Step

__all__ = ["CohortOutcome", "CohortResult", "error_usage", "outcome_of"]


def error_usage(error: LemonadeError) -> Usage:
    """What a failed step spent: the usage an error carries, else one request per attempt it made."""
    spent = getattr(error, "usage", None)
    if isinstance(spent, Usage):
        return spent
    attempts = getattr(error, "attempts", None)
    return Usage(requests=attempts if isinstance(attempts, int) else 1, cost_usd=0.0)


@dataclass(frozen=True, slots=True)
class CohortResult:
    """One situation of a cohort, finished.

    ``drafts`` holds every step that was drafted (a failing draft included, when the engine is not
    strict); ``kit`` is the Kit when all four steps were asked for and drafted; ``error`` is the first
    error that stopped a step (``errors`` has each one by step), None when every step was drafted;
    ``usage`` sums every request made for it in this run, and ``resumed`` names the steps read back
    from the journal instead of being asked for again.
    """

    key: str
    drafts: Mapping[Step, Draft[Any]] = field(default_factory=dict)
    errors: Mapping[Step | None, LemonadeError] = field(default_factory=dict)
    usage: Usage = NO_USAGE
    resumed: tuple[Step, ...] = ()

    @property
    def kit(self) -> Kit | None:
        """The kit, when all four steps were drafted."""
        if any(step not in self.drafts for step in STEPS):
            return None
        d = self.drafts
        return Kit.model_construct(call_request=d["call_request"], referral_questions=d["referral_questions"],
                                   thank_you=d["thank_you"], value_add=d["value_add"])  # fmt: skip

    @property
    def error(self) -> LemonadeError | None:
        """The first error, in the order of the steps (a situation's own error, before any step, first)."""
        return next(iter(self.errors.values()), None)

    @property
    def ok(self) -> bool:
        """Every step drafted, and every draft passes its guardrails."""
        return not self.errors and all(d.report.ok for d in self.drafts.values())

    @property
    def outcome(self) -> CohortOutcome:
        """``done``, ``guardrails``, ``input`` or ``provider``: see ``CohortOutcome``."""
        return outcome_of(self)


CohortOutcome = Literal["done", "guardrails", "input", "provider"]
"""How a situation ended: every draft passes; a draft failed its guardrails (or the model refused, or was
cut off); its input was unusable; or the server failed (any other error)."""

_MODEL_FAILURES = (GuardrailError, RefusalError, TruncatedError)


def outcome_of(result: CohortResult) -> CohortOutcome:
    """How a situation ended, the worst of its steps first."""
    errors = list(result.errors.values())
    if any(not isinstance(e, (*_MODEL_FAILURES, InputError, PromptError)) for e in errors):
        return "provider"
    if any(isinstance(e, InputError | PromptError) for e in errors):
        return "input"
    if errors or not all(d.report.ok for d in result.drafts.values()):
        return "guardrails"
    return "done"
