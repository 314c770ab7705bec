"""One step's conversation with a model: the request to send, then each answer parsed, checked and either
accepted or answered with one compact re-ask.

It does no I/O itself, so the sync and async engines drive the very same logic.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .._errors import GuardrailError, RefusalError, TruncatedError
from ..drafts._check import check_answer
from ..drafts._draft import DRAFT_TYPES, Draft, PromptRef
from ..drafts._followups import FollowUpStep
from ..drafts._usage import NO_USAGE, Price, Usage, cost_usd
from ..drafts._values import Step, StepContext
from ..guardrails._report import GuardrailReport, Violation
from ..prompting._prompts import PromptSet
from ..prompting._render import RenderCache, render
from ..prompting._schema import response_format
from ..prompting._tokens import Count, TokenCounter
from ..situation._situation import Situation
from ._scrub import Scrubber

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

__all__ = ["Settings", "StepRun"]

NO_FINDINGS = GuardrailReport()
_MAX_ANSWER_SENT_BACK = 4000
_FENCE = re.compile(r"^\s*```(?:json)?\s*(?P<body>.*?)\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class Settings:
    """What every step run of one engine shares."""

    model: str
    prompts: PromptSet
    counter: TokenCounter
    prices: dict[str, Price]
    ignore: frozenset[str]
    max_reasks: int
    max_tokens: int
    max_prompt_tokens: int
    strict: bool
    temperature: float | None = None
    scrub: Scrubber = field(default_factory=Scrubber)
    """Keeps credentials out of what a model sent back, and terminal control out of what is shown of it."""
    renders: RenderCache = field(default_factory=RenderCache)


@dataclass
class StepRun:
    """The state of one step: its base messages, the last answer and what it cost so far."""

    step: Step | FollowUpStep
    situation: Situation
    settings: Settings
    today: date
    json_mode: bool = False
    context: StepContext | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    _prompt_count: Count | None = None
    notes_trimmed: bool = False
    answers: int = 0
    usage: Usage = NO_USAGE
    last_raw: str | None = None
    last_value: Any = None
    last_report: GuardrailReport = NO_FINDINGS

    def __post_init__(self) -> None:
        self._render()

    # -- the request ---------------------------------------------------------------------------------

    def _render(self) -> None:
        s = self.settings
        rendered = render(
            self.step,
            self.situation,
            prompts=s.prompts,
            counter=s.counter,
            model=s.model,
            budget=s.max_prompt_tokens,
            json_mode=self.json_mode,
            cache=s.renders,
            context=self.context,
        )
        self.messages, self.notes_trimmed, self._prompt_count = (
            rendered.messages,
            rendered.notes_trimmed,
            rendered.count,
        )

    @property
    def prompt_count(self) -> Count:
        """The tokenizer's count of the base messages (computed once, when first asked)."""
        if self._prompt_count is None:
            self._prompt_count = self.settings.counter.count_messages(self.messages, self.settings.model)
        return self._prompt_count

    def use_json_mode(self) -> None:
        """Switch to JSON mode with the schema in the prompt, for servers without json_schema."""
        self.json_mode = True
        self._render()

    def request(self) -> dict[str, Any]:
        """The keyword arguments of the next ``chat.completions.create`` call."""
        messages = list(self.messages)
        if self.last_raw is not None and self.answers:
            problems = "\n".join(f"- {v.code} ({v.field}): {v.message}" for v in self.last_report.errors)
            answer = self.last_raw
            if len(answer) > _MAX_ANSWER_SENT_BACK:  # a cut-off answer that looped: its start is enough
                answer = answer[:_MAX_ANSWER_SENT_BACK] + " […]"
            messages += [
                {"role": "assistant", "content": answer},
                {"role": "user", "content": self.settings.prompts.shared.reask_message(problems)},
            ]
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "max_tokens": self.settings.max_tokens,
            "response_format": {"type": "json_object"} if self.json_mode else response_format(self.step),
        }
        if self.settings.temperature is not None:
            kwargs["temperature"] = self.settings.temperature
        return kwargs

    # -- each answer ---------------------------------------------------------------------------------

    def _add_usage(self, completion: ChatCompletion, tries: int, sent: list[dict[str, str]], content: str) -> None:
        s, counter = self.settings, self.settings.counter
        if completion.usage is not None:
            prompt, done, estimated = completion.usage.prompt_tokens, completion.usage.completion_tokens, False
        else:
            asked, got = counter.count_messages(sent, s.model), counter.count(content, s.model)
            prompt, done, estimated = asked.tokens, got.tokens, True
        reask = self.answers > 0  # every answer after the first was asked for again
        self.usage = self.usage + Usage(
            prompt_tokens=prompt,
            completion_tokens=done,
            requests=tries,
            cost_usd=cost_usd(completion.model or s.model, prompt, done, s.prices),
            estimated=estimated,
            reasks=int(reask),
            reask_tokens=prompt + done if reask else 0,
        )

    def add_failed_tries(self, tries: int) -> None:
        """Count HTTP attempts that never produced an answer."""
        self.usage = self.usage + Usage(requests=tries, cost_usd=0.0)

    def take(self, completion: ChatCompletion, tries: int, sent: list[dict[str, str]]) -> Draft[Any] | None:
        """Accept an answer as a Draft, or return None when it should be re-asked; raise when it must stop."""
        choice = completion.choices[0] if completion.choices else None
        message = choice.message if choice else None
        scrub = self.settings.scrub
        content = scrub.redact(message.content or "") if message else ""  # a draft never carries a credential
        self._add_usage(completion, tries, sent, content)
        self.answers += 1
        if message is not None and message.refusal:
            refusal = scrub(message.refusal)
            raise RefusalError(f"the model refused the {self.step} draft: {refusal}", refusal=refusal, usage=self.usage)
        if choice is not None and choice.finish_reason == "content_filter":
            raise RefusalError(f"the server's content filter stopped the {self.step} draft",
                               refusal="content_filter", usage=self.usage)  # fmt: skip
        self.last_raw = content
        if choice is not None and choice.finish_reason == "length":
            # A failed attempt like an invalid one: re-ask for a shorter answer while the budget lasts.
            self.last_value, found = None, [self._truncated()]
        else:
            self.last_value, found = self._parse(content)
        report = GuardrailReport(violations=tuple(found))
        self.last_report = report.without(self.settings.ignore) if self.settings.ignore else report
        if self.last_value is not None and self.last_report.ok:
            return self._draft()
        if self.answers <= self.settings.max_reasks:
            return None
        return self.give_up()

    def _truncated(self) -> Violation:
        limit = self.settings.max_tokens
        return Violation(
            code="truncated",
            severity="error",
            field="$",
            message=f"the answer was cut off at max_tokens={limit} before the JSON was complete; write a much "
            "shorter answer, with no repeated sentences",
        )

    def _parse(self, content: str) -> tuple[Any, list[Violation]]:
        fenced = _FENCE.match(content)
        try:
            data = json.loads(fenced.group("body") if fenced else content)
        except json.JSONDecodeError as e:
            return None, [Violation(code="invalid_json", severity="error", field="$", message=str(e))]
        if not isinstance(data, dict):
            message = f"expected an object, got a JSON {type(data).__name__}"
            return None, [Violation(code="invalid_json", severity="error", field="$", message=message)]
        return check_answer(self.step, data, self.situation, today=self.today, context=self.context)

    def _draft(self) -> Draft[Any]:
        used = self.settings.prompts.steps[self.step]
        # Every part is already a validated model; constructing skips validating them all again.
        return DRAFT_TYPES[self.step].model_construct(
            value=self.last_value,
            report=self.last_report,
            attempts=self.answers,
            usage=self.usage,
            model=self.settings.model,
            prompt=PromptRef(id=used.id, version=used.version),
            situation=self.situation,
        )

    def give_up(self) -> Draft[Any]:
        """Out of re-asks: the failing Draft when not strict (and there is a value), else ``TruncatedError``
        when the last answer was cut off, else ``GuardrailError``."""
        if not self.settings.strict and self.last_value is not None:
            return self._draft()
        if "truncated" in self.last_report.codes:
            raise TruncatedError(
                f"the {self.step} answer was cut off at max_tokens={self.settings.max_tokens} on "
                f"{self.answers} answer(s); raise max_tokens (the command line's --max-tokens)",
                max_tokens=self.settings.max_tokens,
                usage=self.usage,
            )
        errors = "; ".join(f"{v.code} ({v.field})" for v in self.last_report.errors)
        raise GuardrailError(
            f"the {self.step} draft still fails after {self.answers} answer(s): {errors}",
            value=self.last_value,
            report=self.last_report,
            attempts=self.answers,
            usage=self.usage,
            raw=self.last_raw,
        )
