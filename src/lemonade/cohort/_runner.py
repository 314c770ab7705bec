"""Running a cohort: situations taken lazily, their steps drafted concurrently, each situation handed on
as soon as its last step lands.

The runner knows nothing of models or HTTP: it is given ``draft(step, situation)``, an async callable
that drafts one step (the engine's), and ``check(item, steps)``, which turns an item into a checked
Situation or raises ``InputError``. It keeps as many steps in flight as the pacer wants (enough to reach
the server's ceiling at the latency it sees), takes the next situation only when there is room, journals
every finished step before anything is handed on, and turns one situation's failure into that
situation's result, never the cohort's end. Only the situations in flight are held; of the rest, just
their keys are kept, to refuse a key given twice.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._errors import InputError, LemonadeError
from ..drafts._draft import Draft
from ..drafts._usage import NO_USAGE, Usage
from ..drafts._values import STEPS, Step
from ..situation._situation import Situation
from ._journal import Journal, fingerprint
from ._ledger import Tally
from ._pacer import DEFAULT_CONCURRENCY, Pacer
from ._result import CohortResult, error_usage

__all__ = ["CheckSituation", "DraftStep", "run_cohort"]

DraftStep = Callable[[Step, Situation], Awaitable[Draft[Any]]]
"""Drafts one step of one situation (the engine's ``adraft``)."""

CheckSituation = Callable[[tuple[Step, ...], Any], Situation]
"""Turns a Situation or a mapping into a Situation checked for these steps; raises ``InputError``."""


@dataclass
class _Open:
    """A situation with steps still in flight."""

    key: str
    situation: Situation
    situation_print: str
    resumed: tuple[Step, ...]
    waiting: int
    drafts: dict[Step, Draft[Any]] = field(default_factory=dict)
    errors: dict[Step | None, LemonadeError] = field(default_factory=dict)
    usage: Usage = NO_USAGE

    def result(self) -> CohortResult:
        errors = {step: self.errors[step] for step in (None, *STEPS) if step in self.errors}
        drafts = {step: self.drafts[step] for step in STEPS if step in self.drafts}
        return CohortResult(key=self.key, drafts=drafts, errors=errors, usage=self.usage, resumed=self.resumed)


def _key_and_item(item: Any, index: int) -> tuple[str, Any]:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str | int):
        return str(item[0]), item[1]
    if isinstance(item, Situation | Mapping):
        return str(index), item
    raise InputError(
        f"cohort item {index} is a {type(item).__name__}; give a Situation, a mapping or a (key, situation) pair",
        field=f"situations[{index}]",
    )


class _Source:
    """The situations, taken one at a time as there is room, each checked and matched with its journal."""

    def __init__(
        self, items: Iterable[Any], steps: tuple[Step, ...], check: CheckSituation, journal: Journal | None
    ) -> None:
        self._items: Iterator[Any] = iter(items)
        self._steps, self._check, self._journal = steps, check, journal
        self._index = 0
        self._keys: set[str] = set()
        self.exhausted = False

    def next(self) -> _Open | CohortResult | None:
        """The next situation to draft, or a result at once (bad input, or all steps journaled); None at the end."""
        try:
            item = next(self._items)
        except StopIteration:
            self.exhausted = True
            return None
        index, self._index = self._index, self._index + 1
        key = str(index)
        try:
            key, given = _key_and_item(item, index)
            if key in self._keys:
                raise InputError(f"key {key!r} is given to two situations; keys must be unique", field="key")
            self._keys.add(key)
            situation = self._check(self._steps, given)
        except InputError as e:
            return CohortResult(key=key, errors={None: e})
        situation_print = fingerprint(situation)
        done = self._journal.finished(key, situation_print) if self._journal else {}
        resumed = tuple(step for step in self._steps if step in done)
        opened = _Open(key, situation, situation_print, resumed, waiting=len(self._steps) - len(resumed))
        opened.drafts.update({step: done[step] for step in resumed})
        return opened if opened.waiting else opened.result()


def _room(pacer: Pacer | None, max_concurrency: int | None) -> int:
    wanted = pacer.wanted_in_flight() if pacer is not None else None
    if wanted is None:
        return max_concurrency or DEFAULT_CONCURRENCY
    return min(wanted, max_concurrency) if max_concurrency else wanted


async def run_cohort(
    items: Iterable[Any],
    *,
    steps: tuple[Step, ...],
    draft: DraftStep,
    check: CheckSituation,
    tally: Tally,
    journal: Journal | None = None,
    pacer: Pacer | None = None,
    max_concurrency: int | None = None,
) -> AsyncIterator[CohortResult]:
    """Yield one ``CohortResult`` per situation, as each completes."""
    source = _Source(items, steps, check, journal)
    waiting: deque[tuple[_Open, Step]] = deque()  # steps of opened situations not yet started
    running: dict[asyncio.Future[Draft[Any]], tuple[_Open, Step]] = {}
    try:
        while True:
            while len(running) < _room(pacer, max_concurrency):
                if not waiting:
                    if source.exhausted:
                        break
                    opened = source.next()
                    if isinstance(opened, CohortResult):
                        tally.add(opened)
                        yield opened
                    elif opened is not None:
                        waiting.extend((opened, step) for step in steps if step not in opened.resumed)
                    continue
                opened, step = waiting.popleft()
                running[asyncio.ensure_future(draft(step, opened.situation))] = (opened, step)
            if not running:
                if source.exhausted and not waiting:
                    return
                continue
            finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                opened, step = running.pop(task)
                try:
                    drafted = task.result()
                except LemonadeError as e:
                    opened.errors[step] = e
                    opened.usage = opened.usage + error_usage(e)
                else:
                    if journal is not None:
                        journal.record(opened.key, step, opened.situation_print, drafted)
                    opened.drafts[step] = drafted
                    opened.usage = opened.usage + drafted.usage
                opened.waiting -= 1
                if opened.waiting == 0:
                    result = opened.result()
                    tally.add(result)
                    yield result
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
