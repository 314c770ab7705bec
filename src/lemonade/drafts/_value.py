"""What every draft value shares: the guardrails run as a Pydantic validator when the validation context
holds a ``situation`` (and, for a follow-up step, the ``context`` it was written from). With a
``violations`` list there too, the findings are collected into it (what ``check()`` and the engine do);
without one, any error-level finding makes validation fail. Constructing a value without a situation checks
its structure only, so a person can load and edit a failing draft."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from ..guardrails._report import Violation
from ..situation._situation import Situation

__all__ = ["DraftValue"]


class DraftValue(BaseModel):
    """The base of every step's value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        """Every guardrail finding for this value in ``situation`` (written from ``context``, for a follow-up)."""
        raise NotImplementedError

    @property
    def text(self) -> str:
        """The draft as plain text, ready to paste."""
        raise NotImplementedError

    @model_validator(mode="after")
    def _guardrails(self, info: ValidationInfo) -> Self:
        context = info.context
        if not isinstance(context, dict) or not isinstance(context.get("situation"), Situation):
            return self
        found = self.violations(context["situation"], context.get("context"))
        sink = context.get("violations")
        if isinstance(sink, list):
            sink.extend(found)
        elif errors := [v for v in found if v.severity == "error"]:
            raise ValueError("guardrails failed: " + "; ".join(str(e) for e in errors))
        return self
