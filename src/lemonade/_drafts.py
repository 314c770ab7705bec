"""What lemonade hands back: a Draft per step, the Kit of all four, their Usage, and a Preview."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ._guardrails import GuardrailReport
from ._prompts import Step
from ._situation import Situation
from ._values import CallRequest, ReferralQuestions, ThankYouNote, ValueAddShare

__all__ = ["DRAFT_TYPES", "STEP_OF", "Draft", "Kit", "Preview", "PromptRef", "Step", "Usage"]


T = TypeVar("T", CallRequest, ReferralQuestions, ThankYouNote, ValueAddShare)


class Usage(BaseModel):
    """Tokens and requests spent on a draft, summed over every attempt.

    ``estimated`` is true where a count came from lemonade's own estimate rather than the
    server's report; ``cost_usd`` is None where the model's price is not known.
    """

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    cost_usd: float | None = None
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        cost = None if self.cost_usd is None or other.cost_usd is None else self.cost_usd + other.cost_usd
        return Usage.model_construct(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            requests=self.requests + other.requests,
            cost_usd=cost,
            estimated=self.estimated or other.estimated,
        )


class PromptRef(BaseModel):
    """Which prompt file wrote a draft."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str


class Draft(BaseModel, Generic[T]):
    """One step's draft: the checked value, its text, its report, and what it cost."""

    model_config = ConfigDict(frozen=True)

    value: T
    report: GuardrailReport
    attempts: int = Field(description="How many model answers it took.")
    usage: Usage
    model: str
    prompt: PromptRef
    situation: Situation | None = Field(default=None, repr=False, description="What the draft was written from.")

    @property
    def text(self) -> str:
        """The draft, ready to paste."""
        return self.value.text

    @property
    def step(self) -> Step:
        """Which of the four steps this draft is."""
        return STEP_OF[type(self.value)]

    def to_eml(self) -> EmailMessage:
        """The draft's email as an RFC 5322 message (UTF-8, From/To/Subject from the situation)."""
        from ._export import draft_to_eml

        return draft_to_eml(self)

    def _repr_markdown_(self) -> str:
        from ._display import draft_markdown

        return draft_markdown(self)


STEP_OF: dict[type[Any], Step] = {
    CallRequest: "call_request",
    ReferralQuestions: "referral_questions",
    ThankYouNote: "thank_you",
    ValueAddShare: "value_add",
}
"""The step each value type is drafted by."""

DRAFT_TYPES: dict[str, type[Draft[Any]]] = {
    "call_request": Draft[CallRequest],
    "referral_questions": Draft[ReferralQuestions],
    "thank_you": Draft[ThankYouNote],
    "value_add": Draft[ValueAddShare],
}


class Kit(BaseModel):
    """The four drafts of one follow-up campaign."""

    model_config = ConfigDict(frozen=True)

    call_request: Draft[CallRequest]
    referral_questions: Draft[ReferralQuestions]
    thank_you: Draft[ThankYouNote]
    value_add: Draft[ValueAddShare]

    @property
    def drafts(self) -> dict[Step, Draft[Any]]:
        return {
            "call_request": self.call_request,
            "referral_questions": self.referral_questions,
            "thank_you": self.thank_you,
            "value_add": self.value_add,
        }

    @property
    def usage(self) -> Usage:
        total = Usage(cost_usd=0.0)
        for draft in self.drafts.values():
            total = total + draft.usage
        return total

    @property
    def ok(self) -> bool:
        return all(d.report.ok for d in self.drafts.values())

    def save(self, folder: str | Path) -> list[Path]:
        """Write the kit as files a person can send or print (see the README); returns the paths written."""
        from ._export import save_kit

        return save_kit(self, Path(folder))

    @classmethod
    def load(cls, path: str | Path) -> Kit:
        """A kit written by ``save``, from its folder or its ``kit.json``."""
        from ._export import load_kit

        return load_kit(Path(path))

    def _repr_markdown_(self) -> str:
        from ._display import kit_markdown

        return kit_markdown(self)


@dataclass(frozen=True)
class Preview:
    """What a step would send, without sending it: the exact messages, the schema and the token count."""

    step: Step
    model: str
    messages: list[dict[str, str]]
    schema: dict[str, Any]
    prompt_tokens: int
    tokens_estimated: bool
    max_tokens: int
    notes_trimmed: bool = False
