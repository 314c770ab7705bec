"""``Cohort`` and ``ACohort``: a running cohort as an iterator (sync or async) of results, with its ledger.

``Lemonade.cohort`` and ``Lemonade.acohort`` build them with ``start_cohort``. The sync ``Cohort`` drives
the async run on an event loop of its own, one result at a time; in a thread that already runs a loop
(a Jupyter cell) it drives it from a worker thread instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..drafts._values import STEPS, Step
from ..situation._situation import Situation
from ._journal import Journal
from ._ledger import CohortLedger, Tally
from ._pacer import Pacer
from ._result import CohortResult
from ._runner import CheckSituation, DraftStep, run_cohort

__all__ = ["ACohort", "Cohort", "cohort_steps", "start_cohort"]


def cohort_steps(steps: str | Iterable[str] | None) -> tuple[Step, ...]:
    """The steps asked for, in the kit's order: all four by default; one name or several."""
    if steps is None:
        return STEPS
    asked = {steps} if isinstance(steps, str) else set(steps)
    unknown = sorted(asked - set(STEPS))
    if unknown:
        raise InputError(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}", field="steps")
    if not asked:
        raise InputError("steps is empty; name at least one step, or leave it out for all four", field="steps")
    return tuple(step for step in STEPS if step in asked)


class ACohort(AsyncIterator[CohortResult]):
    """A running cohort: ``async for result in lm.acohort(...)`` (``await lm.acohort(...)`` gives the same
    iterator). ``ledger`` says what it has done and spent so far."""

    def __init__(
        self, results: AsyncIterator[CohortResult], tally: Tally, pacer: Pacer | None, journal: Journal | None
    ) -> None:
        self._results, self._tally, self._journal = results, tally, journal
        self.pacer = pacer
        """The pacer this cohort's requests go through (None offline)."""

    @property
    def ledger(self) -> CohortLedger:
        return self._tally.ledger()

    def __aiter__(self) -> ACohort:
        return self

    async def __anext__(self) -> CohortResult:
        try:
            return await self._results.__anext__()
        except BaseException:
            await self.aclose()
            raise

    def __await__(self) -> Generator[Any, None, ACohort]:
        async def itself() -> ACohort:
            return self

        return itself().__await__()

    async def aclose(self) -> None:
        """Stop: cancel what is in flight and release the journal."""
        try:
            aclose = getattr(self._results, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self.release()

    def release(self) -> None:
        """Let go of the journal (for other processes to use)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    async def __aenter__(self) -> ACohort:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class Cohort(Iterator[CohortResult]):
    """A running cohort: ``for result in lm.cohort(...)``. ``ledger`` says what it has done and spent so far.

    Between two results nothing is in flight: the run waits for the next ``next()``."""

    def __init__(self, running: ACohort) -> None:
        self._running = running
        self._runner: asyncio.Runner | None = None
        self._worker: concurrent.futures.ThreadPoolExecutor | None = None
        self._closed = False

    @property
    def ledger(self) -> CohortLedger:
        return self._running.ledger

    @property
    def pacer(self) -> Pacer | None:
        return self._running.pacer

    def _step(self) -> CohortResult:
        if self._runner is None:
            self._runner = asyncio.Runner()
        return self._runner.run(self._running.__anext__())

    def _in_loop_thread(self) -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    def _call(self, function: Any) -> Any:
        if self._worker is None and self._in_loop_thread():
            self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="lemonade-cohort")
        if self._worker is not None:
            return self._worker.submit(function).result()
        return function()

    def __iter__(self) -> Cohort:
        return self

    def __next__(self) -> CohortResult:
        if self._closed:
            raise StopIteration
        try:
            return self._call(self._step)  # type: ignore[no-any-return]
        except StopAsyncIteration:
            self.close()
            raise StopIteration from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop: cancel what is in flight and release the journal."""
        if self._closed:
            return
        self._closed = True

        def finish() -> None:
            runner = self._runner or asyncio.Runner()
            try:
                runner.run(self._running.aclose())
            finally:
                runner.close()

        try:
            self._call(finish)
        finally:
            if self._worker is not None:
                self._worker.shutdown()

    def __enter__(self) -> Cohort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True) and self._runner is None:
            self._running.release()  # never started: nothing in flight, only the journal to let go


def start_cohort(
    situations: Iterable[Situation | Mapping[str, Any] | tuple[str, Situation | Mapping[str, Any]]],
    *,
    draft: DraftStep,
    check: CheckSituation,
    steps: str | Iterable[str] | None = None,
    journal: str | Path | None = None,
    pacer: Pacer | None = None,
    max_concurrency: int | None = None,
) -> ACohort:
    """Check the arguments, open the journal, and start the run (nothing is sent until it is iterated)."""
    if isinstance(situations, Situation | Mapping | str | bytes):
        raise InputError(
            "situations must be an iterable of situations (a list, a generator, ...), not one "
            f"{type(situations).__name__}",
            field="situations",
        )
    if max_concurrency is not None and (not isinstance(max_concurrency, int) or max_concurrency < 1):
        message = f"max_concurrency must be a positive whole number, not {max_concurrency!r}"
        raise InputError(message, field="max_concurrency")
    asked = cohort_steps(steps)
    opened = Journal(journal) if journal is not None else None
    tally = Tally()
    if pacer is not None:
        tally.throttled = lambda: pacer.throttled
    results = run_cohort(
        situations,
        steps=asked,
        draft=draft,
        check=check,
        tally=tally,
        journal=opened,
        pacer=pacer,
        max_concurrency=max_concurrency,
    )
    return ACohort(results, tally, pacer, opened)
