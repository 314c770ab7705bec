"""What ``lemonade cohort`` shows: a progress bar on a terminal (and nothing when its output is piped), and a
summary table at the end. Both are drawn by rich, which keeps the bar on one line of a terminal of any width
and knows when it is not writing to a terminal at all."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from ..cohort._ledger import CohortLedger

__all__ = ["Progress", "summary"]


def _cost(ledger: CohortLedger) -> str:
    if ledger.cost_usd is None:
        return "unknown (no price for this model)"
    return f"${ledger.cost_usd:,.4f}" + ("" if ledger.cost_complete else " (some models unpriced)")


class Progress:
    """The progress bar: done, failed, requests per second, tokens per minute, cost so far and time left."""

    def __init__(self, err: TextIO, total: int | None) -> None:
        self._bar: Any = None
        if not err.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]cohort"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TextColumn("{task.fields[rps]:.1f} req/s"),
            TextColumn("{task.fields[tpm]:,.0f} tok/min"),
            TextColumn("{task.fields[cost]}"),
            TimeRemainingColumn(),
            console=Console(file=err),
        )
        self._task = self._bar.add_task("cohort", total=total, failed=0, rps=0.0, tpm=0.0, cost="$0")

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, ledger: CohortLedger) -> None:
        if self._bar is None:
            return
        self._bar.update(
            self._task,
            completed=ledger.situations,
            failed=ledger.failed,
            rps=ledger.requests_per_second,
            tpm=ledger.tokens_per_minute,
            cost=_cost(ledger),
        )


def summary(out: TextIO, ledger: CohortLedger, folder: Path, failures: int) -> None:
    """The table at the end of a cohort."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="cohort", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("how many", justify="right")
    rows = [
        ("situations", f"{ledger.situations:,}"),
        ("kits done", f"{ledger.done:,}"),
        ("failed their guardrails", f"{ledger.failed_guardrails:,}"),
        ("provider errors", f"{ledger.provider_errors:,}"),
        ("bad input", f"{ledger.bad_input:,}"),
        ("steps drafted / from the journal", f"{ledger.steps_drafted:,} / {ledger.steps_resumed:,}"),
        ("requests", f"{ledger.requests:,}"),
        ("tokens (prompt + completion)", f"{ledger.prompt_tokens:,} + {ledger.completion_tokens:,}"),
        ("re-asks (their share of tokens)", f"{ledger.reasks:,} ({ledger.reask_share:.1%})"),
        ("cost", _cost(ledger) + (" (estimated)" if ledger.estimated else "")),
        ("answered 429", f"{ledger.throttled:,}"),
        ("time", f"{ledger.elapsed_s:,.1f} s"),
        ("requests per second", f"{ledger.requests_per_second:,.1f}"),
        ("tokens per minute", f"{ledger.tokens_per_minute:,.0f}"),
        ("failures listed in", f"{folder / 'failures.jsonl'} ({failures})"),
    ]
    for what, value in rows:
        table.add_row(what, value)
    Console(file=out, width=100).print(table)
