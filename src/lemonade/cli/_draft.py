"""``lemonade draft``: draft the follow-up kit (or one step) for a situation file, show it and write its files."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, TextIO

from .._errors import InputError
from ..drafts._draft import Draft, Kit
from ..drafts._files import write_files
from ..drafts._values import STEPS, Step
from ..engine._lemonade import Lemonade
from ..situation._situation import Situation, load_situation
from ._command import DONE, GUARDRAIL_FAILURE, Command
from ._engine import add_engine_options, engine

__all__ = ["DRAFT"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("situation", type=Path, help="your situation file (.toml or .json)")
    parser.add_argument("--step", choices=[*STEPS, "all"], default="all", help="one step, or all four (default)")
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="how to print the drafts (default text)"
    )
    parser.add_argument("--out", type=Path, help="also write the drafts as files into this folder")
    add_engine_options(parser)


def _show_draft(draft: Draft[Any], fmt: str, out: TextIO) -> None:
    if fmt == "markdown":
        out.write(draft._repr_markdown_() + "\n")
    else:
        out.write(f"==== {draft.step} ({draft.model}) ====\n{draft.text}\n{draft.report}\n\n")


async def _draft_concurrently(lm: Lemonade, situation: Situation, steps: list[Step], err: TextIO) -> dict[str, Any]:
    """Every step at once (a model answers them in parallel), showing progress on a terminal."""
    shown = err.isatty()

    def progress(text: str) -> None:
        if shown:
            err.write(f"\r\033[K{text}")
            err.flush()

    async def one(step: Step) -> tuple[Step, Draft[Any]]:
        return step, await lm.adraft(step, situation)

    progress(f"drafting {len(steps)} step(s)…")
    tasks = [asyncio.ensure_future(one(step)) for step in steps]
    finished: dict[str, Draft[Any]] = {}
    try:
        for done in asyncio.as_completed(tasks):
            step, draft = await done
            finished[step] = draft
            progress(f"drafted {step.replace('_', ' ')} ({len(finished)}/{len(steps)})")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        progress("")
    return {step: finished[step] for step in steps}


def _save_draft(draft: Draft[Any], folder: Path) -> list[Path]:
    """Write one step's files, and the draft itself as ``<step>.json``."""
    files = draft.files()
    files[f"{draft.step}.json"] = draft.model_dump_json(indent=2).encode()
    return write_files(folder, files)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    situation = load_situation(args.situation)
    steps: list[Step] = list(STEPS) if args.step == "all" else [args.step]
    if "value_add" in steps and not situation.resources:
        raise InputError(f"{args.situation}: resources: value_add needs at least one link to share", field="resources")
    lm = engine(args, err)
    drafts = asyncio.run(_draft_concurrently(lm, situation, steps, err))
    result: Kit | Draft[Any] = Kit(**drafts) if len(steps) == 4 else drafts[steps[0]]
    if args.format == "json":
        out.write(result.model_dump_json(indent=2) + "\n")
    elif args.format == "markdown" and isinstance(result, Kit):
        out.write(result._repr_markdown_() + "\n")
    else:
        for draft in drafts.values():
            _show_draft(draft, args.format, out)
    if args.out:
        written = result.save(args.out) if isinstance(result, Kit) else _save_draft(result, args.out)
        err.write(f"wrote {len(written)} file(s) to {args.out}/: {', '.join(p.name for p in written)}\n")
    return DONE if all(d.report.ok for d in drafts.values()) else GUARDRAIL_FAILURE


DRAFT = Command(
    name="draft",
    help="draft the follow-up kit (or one step) for a situation file",
    arguments=_arguments,
    run=_run,
)
