"""``lemonade draft``: draft the follow-up kit (or one step) for a situation file, show it and write its files.

Every step is drafted at once (a model answers them in parallel). A step that fails does not take the others
down: what finished is shown and written, and the command exits with the failing step's code. A draft that
fails its guardrails is written only as ``STEP.failing.json``, never as a file to send. Writing into a folder
that holds an earlier kit replaces only the steps drafted now: the others (a step not asked for, or one that
ended in an error) keep their files, and ``kit.json`` takes in the new drafts.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from .._errors import InputError, LemonadeError
from ..campaign._dates import kit_dates
from ..drafts._draft import Draft, Kit, json_files
from ..drafts._files import EMAIL_FILES, FAILING, own_files
from ..drafts._folder import write_folder
from ..drafts._values import STEPS, Step
from ..engine._lemonade import Lemonade
from ..situation._situation import Situation, load_situation
from ._command import DONE, GUARDRAIL_FAILURE, Command, exit_code, explained
from ._engine import add_engine_options, engine

__all__ = ["DRAFT", "send_dates"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("situation", type=Path, help="your situation file (.toml or .json)")
    parser.add_argument("--step", choices=[*STEPS, "all"], default="all", help="one step, or all four (default)")
    parser.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="how to print the drafts (default text)"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FOLDER", help="also write the drafts as files to send, print and keep"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite files in --out that were changed since lemonade wrote them"
    )
    add_engine_options(parser)


def send_dates(now: datetime) -> dict[Step, date | datetime]:
    """When each email is dated: the day the campaign plan would send it (``kit_dates``), and the call request,
    which goes out the day of the decision, at this very moment when that day is today."""
    planned = kit_dates(now.date())
    return {step: now if day == now.date() else day for step, day in planned.items() if step in EMAIL_FILES}


async def _draft_all(
    lm: Lemonade, situation: Situation, steps: list[Step], err: TextIO
) -> tuple[dict[Step, Draft[Any]], dict[Step, LemonadeError]]:
    """Every step at once, showing progress on a terminal. A failing step leaves the others running to the end:
    their answers are already paid for."""
    shown = err.isatty()

    def progress(text: str) -> None:
        if shown:
            err.write(f"\r\033[K{text}")
            err.flush()

    async def one(step: Step) -> tuple[Step, Draft[Any] | LemonadeError]:
        try:
            return step, await lm.adraft(step, situation)
        except LemonadeError as e:
            return step, e

    progress(f"drafting {len(steps)} step(s)…")
    tasks = [asyncio.ensure_future(one(step)) for step in steps]
    drafts: dict[Step, Draft[Any]] = {}
    failed: dict[Step, LemonadeError] = {}
    try:
        for done in asyncio.as_completed(tasks):
            step, result = await done
            if isinstance(result, LemonadeError):
                failed[step] = result
            else:
                drafts[step] = result
            progress(f"drafted {step.replace('_', ' ')} ({len(drafts) + len(failed)}/{len(steps)})")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        progress("")
    return {s: drafts[s] for s in steps if s in drafts}, {s: failed[s] for s in steps if s in failed}


def _kit(drafts: Mapping[Step, Draft[Any]]) -> Kit:
    return Kit(**{str(step): draft for step, draft in drafts.items()})


def _show(drafts: Mapping[Step, Draft[Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        if len(drafts) == 4:
            out.write(_kit(drafts).model_dump_json(indent=2) + "\n")
        elif len(drafts) == 1:
            out.write(next(iter(drafts.values())).model_dump_json(indent=2) + "\n")
        else:
            out.write("{\n" + ",\n".join(f'"{s}": {d.model_dump_json(indent=2)}' for s, d in drafts.items()) + "\n}\n")
    elif fmt == "markdown":
        shown = (
            _kit(drafts)._repr_markdown_()
            if len(drafts) == 4
            else "\n\n".join(d._repr_markdown_() for d in drafts.values())
        )
        out.write(shown + "\n")
    else:
        for draft in drafts.values():
            used = f"usage: {draft.usage.summary()}\n" if draft.usage.requests else ""
            out.write(f"==== {draft.step} ({draft.model}) ====\n{draft.text}\n{draft.report}\n{used}\n")


def _write(
    args: argparse.Namespace, situation: Situation, drafts: Mapping[Step, Draft[Any]], err: TextIO
) -> list[Step]:
    """Write the drafts into ``--out`` and say what was left out and why; returns the steps written as failing."""
    folder: Path = args.out
    sender = bool(situation.candidate.email)
    dates = send_dates(datetime.now().astimezone())
    files: dict[str, bytes] = {}
    failing: dict[Step, str] = {s: ", ".join(sorted(d.report.codes)) for s, d in drafts.items() if not d.report.ok}
    for step, draft in drafts.items():
        try:
            files |= draft.files(date=dates.get(step), emails=sender)
        except InputError as e:
            if (e.field or "situation").split(".")[0] in ("candidate", "hiring_manager", "situation"):
                raise  # the situation cannot be written out at all: bad input, nothing is written
            failing[step] = str(e)  # the draft's own text cannot be sent as it is
            files[f"{step}{FAILING}"] = draft.model_dump_json(indent=2).encode()
    files |= json_files(folder, drafts, failing)
    # Only the steps drafted now replace what an earlier write left of them; every other step keeps its files.
    retired = [name for step in drafts for name in own_files(step) if name not in files]
    written = write_folder(folder, files, retire=retired, force=args.force)
    if unsent := [EMAIL_FILES[s] for s in drafts if s in EMAIL_FILES and s not in failing and not sender]:
        err.write(
            f"lemonade: note: skipped {', '.join(unsent)}: {args.situation} has no candidate.email for their "
            'From line; add email = "you@example.com" under [candidate] to write them\n'
        )
    for step, why in failing.items():
        name = folder / f"{step}{FAILING}"
        err.write(
            f"lemonade: {step} fails its checks ({why}), so it was written only as {name}, not as files to send; "
            f"edit it, then run: lemonade check {name} --situation {args.situation}\n"
        )
    err.write(f"wrote {len(written)} file(s) to {folder}/: {', '.join(p.name for p in written)}\n")
    return list(failing)


def _notes_before(args: argparse.Namespace, situation: Situation, steps: list[Step], err: TextIO) -> list[Step]:
    """The steps to draft, saying on ``err`` why one is skipped, and where a form of address was not guessed."""
    if "value_add" in steps and not situation.resources:
        how = "add a [[resources]] table with url, title and topic (one of interview_topics)"
        if args.step == "value_add":
            raise InputError(f"{args.situation}: resources: value_add needs at least one link to share; {how}",
                             field="resources")  # fmt: skip
        err.write(f"lemonade: note: skipped value_add: {args.situation} lists no resources to share; {how}\n")
        steps = [s for s in steps if s != "value_add"]
    m = situation.hiring_manager
    if m.courtesy_title and not m.salutation_name and m.surname is None and len(m.name.split()) > 2:
        err.write(
            f'lemonade: note: letters and formal emails greet "Dear {m.formal_name}": lemonade does not guess which '
            f"part of {m.name!r} is the surname. Set salutation_name under [hiring_manager] (for example "
            f'"{m.courtesy_title} {m.name.split()[1]}") to address them otherwise\n'
        )
    return steps


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    situation = load_situation(args.situation)
    steps = _notes_before(args, situation, list(STEPS) if args.step == "all" else [args.step], err)
    lm = engine(args, err)
    drafts, failed = asyncio.run(_draft_all(lm, situation, steps, err))
    _show(drafts, args.format, out)
    said: dict[str, list[Step]] = {}
    for step, error in failed.items():
        said.setdefault(explained(error), []).append(step)
    for text, where in said.items():
        err.write(f"lemonade: {', '.join(where)}: {text}\n")
    unsafe = _write(args, situation, drafts, err) if args.out and drafts else []
    for step in steps:
        if step in failed:
            return exit_code(failed[step])
        if not drafts[step].report.ok or step in unsafe:
            return GUARDRAIL_FAILURE
    return DONE


DRAFT = Command(
    name="draft",
    help="draft the follow-up kit (or one step) for a situation file",
    description="Draft the follow-up kit, or one step, for a situation file; print it and, with --out, write "
    "files to send, print and keep. Exit codes: 0 done, 1 a draft fails its guardrails, 2 bad input, 3 a "
    "provider error.",
    arguments=_arguments,
    run=_run,
)
