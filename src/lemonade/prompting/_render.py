"""A step's chat messages for one situation, rendered from its prompt file under the prompt-token budget.

Only the free-text notes are ever trimmed to fit; if the facts alone are over the budget, nothing is
sent and ``InputError`` says so. Rendered messages are cached per situation, step and JSON mode, so a
preview followed by a draft, or a draft repeated, renders once.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .._errors import InputError
from ..drafts._values import StepContext
from ..situation._situation import Situation
from ._prompts import PromptSet, situation_variables
from ._schema import reply_schema
from ._tokens import Count, TokenCounter

__all__ = ["RenderCache", "Rendered", "render"]


@dataclass(frozen=True)
class Rendered:
    """A step's base messages for one situation, as rendered under the token budget.

    ``count`` is None where the messages' UTF-8 size already proved they fit, so they were not tokenized.
    """

    messages: list[dict[str, str]]
    notes_trimmed: bool
    count: Count | None


class RenderCache:
    """Rendered messages per (situation, context, step, JSON mode). Each entry holds its situation and
    context, so the ids it is keyed by stay their own; the oldest entries go first once it is full."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, int, str, bool], tuple[object, object, Rendered]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, situation: Situation, context: object, step: str, json_mode: bool) -> Rendered | None:
        with self._lock:
            entry = self._entries.get((id(situation), id(context), step, json_mode))
            if entry is None or entry[0] is not situation or entry[1] is not context:
                return None
            return entry[2]

    def put(self, situation: Situation, context: object, step: str, json_mode: bool, rendered: Rendered) -> None:
        with self._lock:
            self._entries[(id(situation), id(context), step, json_mode)] = (situation, context, rendered)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _messages(
    prompts: PromptSet,
    step: str,
    situation: Situation,
    context: StepContext | None,
    notes: str | None,
    json_mode: bool,
) -> list[dict[str, str]]:
    variables = situation_variables(situation, prompts.shared, notes)
    if context is not None:
        variables |= context.variables()
    messages = prompts.steps[step].render(variables, situation.outcome)
    if json_mode:
        schema = json.dumps(reply_schema(step), indent=1)
        extra = prompts.shared.json_mode_message(step, schema)
        messages[0] = {"role": "system", "content": f"{messages[0]['content']}\n\n{extra}"}
    return messages


def render(
    step: str,
    situation: Situation,
    *,
    prompts: PromptSet,
    counter: TokenCounter,
    model: str,
    budget: int,
    json_mode: bool,
    cache: RenderCache,
    context: StepContext | None = None,
) -> Rendered:
    """The messages for ``step``, trimming only the notes, and only as far as ``budget`` needs."""
    if (hit := cache.get(situation, context, step, json_mode)) is not None:
        return hit
    notes, trimmed = situation.notes, False
    messages = _messages(prompts, step, situation, context, notes, json_mode)
    count = None
    if not counter.surely_within(messages, budget):  # else it fits for certain; count when asked
        count = counter.count_messages(messages, model)
        while count.tokens > budget and notes:
            keep = counter.count(notes, model).tokens - (count.tokens - budget) - 4
            notes = counter.trim(notes, keep, model) if keep > 0 else None
            trimmed = True
            messages = _messages(prompts, step, situation, context, notes, json_mode)
            count = counter.count_messages(messages, model)
        if count.tokens > budget:
            raise InputError(
                f"the {step} prompt needs {count.tokens} tokens without any notes, over "
                f"max_prompt_tokens={budget}; shorten the topics or resources, or raise the budget",
                field="max_prompt_tokens",
            )
    rendered = Rendered(messages, trimmed, count)
    cache.put(situation, context, step, json_mode, rendered)
    return rendered
