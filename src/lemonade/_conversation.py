"""One step's conversation with the model: the request to send, then each answer parsed, checked
and either accepted or answered with one compact re-ask.

It does no I/O itself, so the sync and async engines drive the very same logic.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from ._drafts import DRAFT_TYPES, Draft, PromptRef, Usage
from ._errors import GuardrailError, InputError, RefusalError, TruncatedError
from ._guardrails import GuardrailReport, Violation, run_checks
from ._offline import OFFLINE_MODEL, OFFLINE_VERSION
from ._prompts import PromptSet, situation_variables
from ._schema import VALUE_TYPES, reply_schema, response_format
from ._situation import Situation
from ._tokens import Count, Price, TokenCounter, cost_usd
from ._values import Letter

__all__ = ["RenderCache", "Rendered", "Settings", "StepRun"]

NO_USAGE = Usage(cost_usd=0.0)
NO_FINDINGS = GuardrailReport()
_FENCE = re.compile(r"^\s*```(?:json)?\s*(?P<body>.*?)\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    """A step's base messages for one situation, as rendered under the token budget."""

    messages: list[dict[str, str]]
    notes_trimmed: bool
    count: Count | None


class RenderCache:
    """Rendered messages per (situation, step, JSON mode), so repeated drafts and preview-then-draft
    render once. Each entry holds its situation, so the id it is keyed by stays its own; the oldest
    entries go first once it is full."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, str, bool], tuple[Situation, Rendered]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, situation: Situation, step: str, json_mode: bool) -> Rendered | None:
        with self._lock:
            entry = self._entries.get((id(situation), step, json_mode))
            return entry[1] if entry is not None and entry[0] is situation else None

    def put(self, situation: Situation, step: str, json_mode: bool, rendered: Rendered) -> None:
        with self._lock:
            self._entries[(id(situation), step, json_mode)] = (situation, rendered)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


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
    renders: RenderCache = field(default_factory=RenderCache)


@dataclass
class StepRun:
    """The state of one step: its base messages, the last answer and what it cost so far."""

    step: str
    situation: Situation
    settings: Settings
    today: date
    json_mode: bool = False
    messages: list[dict[str, str]] = field(default_factory=list)
    _prompt_count: Count | None = None
    notes_trimmed: bool = False
    answers: int = 0
    usage: Usage = NO_USAGE
    last_raw: str | None = None
    last_value: Any = None
    last_report: GuardrailReport = NO_FINDINGS
    written_offline: bool = False

    def __post_init__(self) -> None:
        if self.step == "value_add" and not self.situation.resources:
            raise InputError("value_add needs at least one resource to share; resources is empty", field="resources")
        self._render()

    # -- the request ---------------------------------------------------------------------------------

    def _messages_for(self, notes: str | None) -> list[dict[str, str]]:
        prompts = self.settings.prompts
        variables = situation_variables(self.situation, prompts.shared, notes)
        messages = prompts.steps[self.step].render(variables, self.situation.outcome)
        if self.json_mode:
            schema = json.dumps(reply_schema(self.step), indent=1)
            extra = prompts.shared.json_mode_message(self.step, schema)
            messages[0] = {"role": "system", "content": f"{messages[0]['content']}\n\n{extra}"}
        return messages

    def _render(self) -> None:
        """Render the messages, trimming only the notes, and only as far as the budget needs."""
        cache = self.settings.renders
        if (hit := cache.get(self.situation, self.step, self.json_mode)) is not None:
            self.messages, self.notes_trimmed, self._prompt_count = hit.messages, hit.notes_trimmed, hit.count
            return
        model, counter, budget = self.settings.model, self.settings.counter, self.settings.max_prompt_tokens
        notes = self.situation.notes
        messages = self._messages_for(notes)
        count = None
        if not counter.surely_within(messages, budget):  # else it fits for certain; count when asked
            count = counter.count_messages(messages, model)
            while count.tokens > budget and notes:
                keep = counter.count(notes, model).tokens - (count.tokens - budget) - 4
                notes = counter.trim(notes, keep, model) if keep > 0 else None
                self.notes_trimmed = True
                messages = self._messages_for(notes)
                count = counter.count_messages(messages, model)
            if count.tokens > budget:
                raise InputError(
                    f"the {self.step} prompt needs {count.tokens} tokens without any notes, over "
                    f"max_prompt_tokens={budget}; shorten the topics or resources, or raise the budget",
                    field="max_prompt_tokens",
                )
        self.messages, self._prompt_count = messages, count
        cache.put(self.situation, self.step, self.json_mode, Rendered(messages, self.notes_trimmed, count))

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
            messages += [
                {"role": "assistant", "content": self.last_raw},
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
        self.usage = self.usage + Usage(
            prompt_tokens=prompt,
            completion_tokens=done,
            requests=tries,
            cost_usd=cost_usd(completion.model or s.model, prompt, done, s.prices),
            estimated=estimated,
        )

    def add_failed_tries(self, tries: int) -> None:
        """Count HTTP attempts that never produced an answer."""
        self.usage = self.usage + Usage(requests=tries, cost_usd=0.0)

    def take(self, completion: ChatCompletion, tries: int, sent: list[dict[str, str]]) -> Draft[Any] | None:
        """Accept an answer as a Draft, or return None when it should be re-asked; raise when it must stop."""
        choice = completion.choices[0] if completion.choices else None
        message = choice.message if choice else None
        content = (message.content or "") if message else ""
        self._add_usage(completion, tries, sent, content)
        self.answers += 1
        if message is not None and message.refusal:
            raise RefusalError(f"the model refused the {self.step} draft: {message.refusal}",
                               refusal=message.refusal, usage=self.usage)  # fmt: skip
        if choice is not None and choice.finish_reason == "content_filter":
            raise RefusalError(f"the server's content filter stopped the {self.step} draft",
                               refusal="content_filter", usage=self.usage)  # fmt: skip
        if choice is not None and choice.finish_reason == "length":
            raise TruncatedError(
                f"the {self.step} answer was cut off at max_tokens={self.settings.max_tokens}; raise max_tokens",
                max_tokens=self.settings.max_tokens,
                usage=self.usage,
            )
        self.last_raw = content
        self.last_value, found = self._parse(content)
        self.last_report = self._report(found)
        if self.last_value is not None and self.last_report.ok:
            return self._draft()
        if self.answers <= self.settings.max_reasks:
            return None
        return self.give_up()

    def _parse(self, content: str) -> tuple[Any, list[Violation]]:
        fenced = _FENCE.match(content)
        try:
            data = json.loads(fenced.group("body") if fenced else content)
        except json.JSONDecodeError as e:
            return None, [Violation(code="invalid_json", severity="error", field="$", message=str(e))]
        if not isinstance(data, dict):
            message = f"expected an object, got a JSON {type(data).__name__}"
            return None, [Violation(code="invalid_json", severity="error", field="$", message=message)]
        return self._check(data)

    def _check(self, data: dict[str, Any]) -> tuple[Any, list[Violation]]:
        if self.step == "thank_you" and isinstance(data.get("letter_paragraphs"), list):
            letter = Letter.for_situation(self.situation, data["letter_paragraphs"], on=self.today)
            data = {**data, "letter": letter}
        try:
            return run_checks(VALUE_TYPES[self.step], data, self.situation)
        except ValidationError as e:
            return None, [
                Violation(
                    code="schema", severity="error", field=".".join(map(str, err["loc"])) or "$", message=err["msg"]
                )
                for err in e.errors(include_url=False)
            ]

    def _report(self, found: list[Violation], notes: tuple[str, ...] = ()) -> GuardrailReport:
        report = GuardrailReport(violations=tuple(found), notes=notes)
        return report.without(self.settings.ignore) if self.settings.ignore else report

    def offline(self, data: dict[str, Any], note: str) -> Draft[Any]:
        """A Draft from the offline writer's ``data``, checked like any answer; ``note`` goes in its report."""
        self.written_offline = True
        self.last_value, found = self._check(data)
        self.last_raw = json.dumps(data)
        self.last_report = self._report(found, (note,))
        if self.last_value is None or not self.last_report.ok:
            return self.give_up()
        return self._draft()

    def _draft(self) -> Draft[Any]:
        if self.written_offline:
            model, prompt = OFFLINE_MODEL, PromptRef(id=f"offline:{self.step}", version=OFFLINE_VERSION)
        else:
            used = self.settings.prompts.steps[self.step]
            model, prompt = self.settings.model, PromptRef(id=used.id, version=used.version)
        # Every part is already a validated model; constructing skips validating them all again.
        return DRAFT_TYPES[self.step].model_construct(
            value=self.last_value,
            report=self.last_report,
            attempts=self.answers,
            usage=self.usage,
            model=model,
            prompt=prompt,
            situation=self.situation,
        )

    def give_up(self) -> Draft[Any]:
        """Out of re-asks: the failing Draft when not strict (and there is a value), else GuardrailError."""
        if not self.settings.strict and self.last_value is not None:
            return self._draft()
        errors = "; ".join(f"{v.code} ({v.field})" for v in self.last_report.errors)
        raise GuardrailError(
            f"the {self.step} draft still fails after {self.answers} answer(s): {errors}",
            value=self.last_value,
            report=self.last_report,
            attempts=self.answers,
            usage=self.usage,
            raw=self.last_raw,
        )
