"""Drafting the four steps of a kit, one after another or all at once, so that when one step fails the
others are stopped cleanly and nothing already paid for is lost: the error carries ``.finished`` (the
drafts that did finish) and ``.usage`` (every request of the kit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import LemonadeError
from ..drafts._draft import Draft, Kit
from ..drafts._usage import NO_USAGE, Usage
from ._conversation import StepRun

if TYPE_CHECKING:
    import asyncio

__all__ = ["akit_of", "kit_of"]


def _with_spent(error: LemonadeError, runs: Sequence[StepRun], finished: dict[str, Draft[Any]]) -> None:
    total: Usage = NO_USAGE
    for run in runs:
        total = total + run.usage
    error.usage = total
    error.finished = dict(finished)


def kit_of(draft: Callable[[StepRun], Draft[Any]], runs: Sequence[StepRun]) -> Kit:
    """The kit of ``runs``, drafted one after another."""
    finished: dict[str, Draft[Any]] = {}
    for run in runs:
        try:
            finished[run.step] = draft(run)
        except LemonadeError as e:
            _with_spent(e, runs, finished)
            raise
    return Kit(**finished)


async def akit_of(draft: Callable[[StepRun], Awaitable[Draft[Any]]], runs: Sequence[StepRun]) -> Kit:
    """The kit of ``runs``, drafted concurrently; the first failure cancels (and awaits) the rest."""
    import asyncio

    tasks = [asyncio.ensure_future(draft(run)) for run in runs]
    failed: list[asyncio.Future[Draft[Any]]] = []  # in the order they failed

    def note_failure(task: asyncio.Future[Draft[Any]]) -> None:
        if not task.cancelled() and task.exception() is not None:
            failed.append(task)

    for task in tasks:
        task.add_done_callback(note_failure)
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finished: dict[str, Draft[Any]] = {
        run.step: task.result()
        for run, task in zip(runs, tasks, strict=True)
        if not task.cancelled() and task.exception() is None
    }
    if failed:
        error = failed[0].exception()
        assert error is not None
        if isinstance(error, LemonadeError):
            _with_spent(error, runs, finished)
        raise error
    return Kit(**finished)
