"""The ``lemonade`` command line (also ``python -m lemonade``).

Exit codes: 0 done, 1 a guardrail failure, 2 bad input or usage, 3 a provider error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from .._errors import GuardrailError, InputError, LemonadeError, PromptError
from .._shipped import shipped
from ..campaign._campaign import Campaign
from ..drafts._check import check
from ..drafts._draft import Draft, Kit
from ..drafts._files import write_files
from ..drafts._values import STEP_OF, STEPS, CallRequest, Letter, ReferralQuestions, Step, ThankYouNote, ValueAddShare
from ..engine._lemonade import Backend, Lemonade, OfflineWarning
from ..guardrails._report import GuardrailReport
from ..situation._files import read_data
from ..situation._situation import Situation, load_situation
from ._batch import add_batch_commands, run_batch
from ._campaign import add_campaign_commands, is_campaign, run_campaign, show_checks
from ._cohort import add_cohort_command, run_cohort

__all__ = ["main"]

DONE, GUARDRAIL_FAILURE, BAD_INPUT, PROVIDER_ERROR = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code for usage errors is 2 as well
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"lemonade: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lemonade", description="Turn a job rejection, or a declined offer, into a follow-up kit.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    example = sub.add_parser("example", help="print a commented situation file to start from")
    example.add_argument("--outcome", choices=["rejected", "declined_offer"], default="rejected")

    draft = sub.add_parser("draft", help="draft the follow-up kit (or one step) for a situation file")
    draft.add_argument("situation", type=Path, help="a .toml or .json situation file")
    draft.add_argument("--step", choices=[*STEPS, "all"], default="all")
    draft.add_argument("--model", help="model name (default: LEMONADE_MODEL, else gpt-4o-mini)")
    draft.add_argument("--base-url", help="an OpenAI-compatible server, e.g. http://localhost:11434/v1")
    draft.add_argument("--backend", choices=["auto", "openai", "offline"], default="auto")
    draft.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    draft.add_argument("--out", type=Path, help="also write the drafts as files into this folder")
    draft.add_argument("--seed", type=int, default=0, help="the offline writer's choice of wording")

    checking = sub.add_parser("check", help="run the guardrails on a draft a person edited")
    checking.add_argument(
        "draft", type=Path, help="a draft value, a Draft or a kit.json, as JSON; or a campaign folder"
    )
    checking.add_argument("--situation", type=Path, help="the situation file (a campaign folder holds its own)")

    add_campaign_commands(sub)
    add_cohort_command(sub)
    add_batch_commands(sub)

    preview = sub.add_parser("preview", help="show what would be sent to the model, and its token count")
    preview.add_argument("situation", type=Path)
    preview.add_argument("--step", choices=STEPS, required=True)
    preview.add_argument("--model")
    return parser


def _engine(args: argparse.Namespace) -> Lemonade:
    client = None
    if getattr(args, "base_url", None):
        import openai

        client = openai.OpenAI(base_url=args.base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")
    backend: Backend = getattr(args, "backend", "auto")
    return Lemonade(client=client, model=args.model, backend=backend, seed=getattr(args, "seed", 0), strict=False)


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


def _draft(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    situation = load_situation(args.situation)
    lm = _engine(args)
    steps: list[Step] = list(STEPS) if args.step == "all" else [args.step]
    if "value_add" in steps and not situation.resources:
        raise InputError(f"{args.situation}: resources: value_add needs at least one link to share", field="resources")
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


def _save_draft(draft: Draft[Any], folder: Path) -> list[Path]:
    """Write one step's files, and the draft itself as ``<step>.json``."""
    files = draft.files()
    files[f"{draft.step}.json"] = draft.model_dump_json(indent=2).encode()
    return write_files(folder, files)


_VALUES: dict[frozenset[str], type[Any]] = {
    frozenset({"subject", "body", "call_minutes"}): CallRequest,
    frozenset({"opener", "questions", "permission_question", "closing"}): ReferralQuestions,
    frozenset({"email_subject", "email_body", "letter_paragraphs"}): ThankYouNote,
    frozenset({"email_subject", "email_body", "letter_paragraphs", "letter"}): ThankYouNote,
    frozenset({"email_subject", "email_body", "x_post", "linkedin_message"}): ValueAddShare,
}


def _values_in(data: dict[str, Any], situation: Situation, path: Path) -> dict[str, Any]:
    """Every draft value in ``data``: a kit (four drafts), one Draft (with ``value``), or a bare value."""
    if set(STEPS) <= data.keys():
        return {step: _values_in(data[step], situation, path)[step] for step in STEPS}
    if "value" in data and isinstance(data["value"], dict):
        data = data["value"]
    value_type = _VALUES.get(frozenset(data))
    if value_type is None:
        raise InputError(f"{path}: not a draft: its keys {sorted(data)} match no draft type", field=str(path))
    if value_type is ThankYouNote and "letter" not in data:
        letter = Letter.for_situation(situation, list(data.get("letter_paragraphs") or []), on=date.today())
        data = {**data, "letter": letter.model_dump()}
    step = STEP_OF[value_type]
    try:
        return {step: value_type.model_validate(data)}
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        field = ".".join(map(str, first["loc"]))
        raise InputError(f"{path}: {field}: {first['msg']}", field=field) from e


def _check(args: argparse.Namespace, out: TextIO) -> int:
    if is_campaign(args.draft):
        return show_checks(Campaign.load(args.draft), out)
    if args.situation is None:
        raise InputError("--situation is needed to check a draft", field="situation")
    situation = load_situation(args.situation)
    data, _ = read_data(args.draft)
    reports: dict[str, GuardrailReport] = {
        step: check(value, situation) for step, value in _values_in(data, situation, args.draft).items()
    }
    for step, report in reports.items():
        out.write(f"{step}: {report}\n")
    return DONE if all(r.ok for r in reports.values()) else GUARDRAIL_FAILURE


def _preview(args: argparse.Namespace, out: TextIO) -> int:
    situation = load_situation(args.situation)
    preview = Lemonade(model=args.model, backend="offline").preview(args.step, situation)
    estimate = " (estimated)" if preview.tokens_estimated else ""
    out.write(f"model: {preview.model}\nprompt tokens: {preview.prompt_tokens}{estimate}\n")
    out.write(f"max completion tokens: {preview.max_tokens}\n")
    for message in preview.messages:
        out.write(f"\n---- {message['role']} ----\n{message['content']}\n")
    out.write(f"\n---- response schema ({args.step}) ----\n{json.dumps(preview.schema, indent=2)}\n")
    return DONE


def _example(args: argparse.Namespace, out: TextIO) -> int:
    out.write(shipped("examples").joinpath(f"{args.outcome}.toml").read_text(encoding="utf-8"))
    return DONE


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OfflineWarning)
            if args.command == "example":
                code = _example(args, out)
            elif args.command == "draft":
                code = _draft(args, out, err)
            elif args.command == "check":
                code = _check(args, out)
            elif args.command == "campaign":
                code = run_campaign(args, out, err)
            elif args.command == "cohort":
                code = run_cohort(args, out, err)
            elif args.command == "batch":
                code = run_batch(args, out, err)
            else:
                code = _preview(args, out)
        for warning in caught:
            if issubclass(warning.category, OfflineWarning):
                err.write(f"lemonade: note: {warning.message}\n")
            else:
                warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
        return code
    except (InputError, PromptError) as e:
        err.write(f"lemonade: {e}\n")
        return BAD_INPUT
    except GuardrailError as e:
        err.write(f"lemonade: {e}\n{e.report}\n")
        return GUARDRAIL_FAILURE
    except LemonadeError as e:
        err.write(f"lemonade: {type(e).__name__}: {e}\n")
        return PROVIDER_ERROR
    except OSError as e:  # e.g. --out names a folder that cannot be written
        err.write(f"lemonade: {e.filename or ''}: {e.strerror or e}\n")
        return BAD_INPUT
