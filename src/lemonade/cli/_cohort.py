"""``lemonade cohort``: draft kits for a folder of situation files, or a JSONL file of situations, at the server's
ceiling, into ``DIR/<key>/``, with a progress bar on a terminal, a summary table, and ``DIR/failures.jsonl``.

Every situation is read and checked before anything is sent. Each situation's drafts that pass their
checks are written into its folder (all four, and ``kit.json``, when the kit is whole); everything that
failed is listed in ``DIR/failures.jsonl`` (written even when the run stops early). Exit 0 when every draft
passed, 1 when some failed their guardrails, 2 when a kit's folder could not be written (the others are),
3 on provider errors. With ``--journal``, a run that was stopped, even killed, picks up where
it left off, and a folder already written is left as it is.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any, TextIO

from .._errors import InputError
from ..batch._inputs import check_all, read_situations, safe_key
from ..cohort._cohort import Cohort, cohort_steps
from ..cohort._result import CohortResult
from ..drafts._draft import Draft
from ..drafts._files import EMAIL_FILES, write_files
from ..drafts._folder import write_folder
from ..drafts._values import STEPS, Step
from ..engine._lemonade import Backend, Lemonade
from ._cohort_view import Progress, summary
from ._command import BAD_INPUT, DONE, GUARDRAIL_FAILURE, PROVIDER_ERROR, Command

__all__ = ["COHORT", "run_cohort"]

FAILURES = "failures.jsonl"


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
        return value

    return parse


def _arguments(parser: argparse.ArgumentParser) -> None:
    """``lemonade cohort``'s arguments."""
    parser.add_argument("input", type=Path, help="a folder of situation files (.toml/.json), or a .jsonl file")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="each kit goes into DIR/<key>/")
    parser.add_argument("--journal", type=Path, metavar="FILE", help="a SQLite file recording every finished step")
    parser.add_argument("--rpm", type=_positive(float), metavar="N", help="the server's requests per minute")
    parser.add_argument("--tpm", type=_positive(float), metavar="N", help="the server's tokens per minute")
    parser.add_argument("--max-concurrency", type=_positive(int), metavar="N", help="most requests in flight")
    parser.add_argument("--step", action="append", choices=STEPS, help="only this step (repeat for several)")
    backends = "openai: any OpenAI-compatible server; offline: the built-in writer (default: auto)"
    parser.add_argument("--backend", choices=["auto", "openai", "offline"], default="auto", help=backends)
    parser.add_argument("--model", help="the model's name (default: LEMONADE_MODEL, else gpt-4o-mini)")
    parser.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible server, e.g. http://localhost:11434/v1")
    parser.add_argument("--timeout", type=_positive(float), metavar="SECONDS", help="how long to wait for each answer")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="picks the offline writer's wording")


def _engine(args: argparse.Namespace) -> Lemonade:
    client = None
    if args.base_url:
        import openai

        client = openai.OpenAI(base_url=args.base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")
    backend: Backend = args.backend
    tuning = {"timeout": args.timeout} if args.timeout else {}
    return Lemonade(client=client, model=args.model, backend=backend, seed=args.seed, strict=False, **tuning)


def _failure(result: CohortResult, step: Step | None, error: Exception | None, draft: Draft[Any] | None) -> str:
    line: dict[str, Any] = {"key": result.key, "step": step, "outcome": result.outcome}
    if error is not None:
        line |= {"error": type(error).__name__, "message": str(error)}
        report = getattr(error, "report", None)
        if report is not None:
            line["codes"] = sorted(report.codes)
    if draft is not None:
        line |= {"error": "GuardrailFindings", "message": str(draft.report), "codes": sorted(draft.report.codes)}
        line["draft"] = draft.value.model_dump(mode="json")
    return json.dumps(line, ensure_ascii=False)


def _unwritten(result: CohortResult, error: InputError | OSError) -> str:
    """The failure line of a kit whose folder could not be written."""
    said = f"{error.filename or ''}: {error.strerror or error}" if isinstance(error, OSError) else str(error)
    line = {"key": result.key, "step": None, "outcome": "output", "error": type(error).__name__, "message": said}
    return json.dumps(line, ensure_ascii=False)


def _write(result: CohortResult, folder: Path) -> list[str]:
    """Write the result's passing drafts (the kit when whole) unless written before; returns its failure lines."""
    failures = [_failure(result, step, error, None) for step, error in result.errors.items()]
    passing = {step: d for step, d in result.drafts.items() if d.report.ok}
    failures += [_failure(result, step, None, d) for step, d in result.drafts.items() if step not in passing]
    kit = result.kit
    if kit is not None and kit.ok:
        if not (folder / "kit.json").exists():
            kit.save(folder)
        return failures
    for step, draft in passing.items():
        if not (folder / f"{step}.json").exists():
            files = draft.files()
            files[f"{step}.json"] = draft.model_dump_json(indent=2).encode()  # last: it marks the step written
            write_folder(folder, files)  # in the folder's manifest: a later whole kit may replace them
    return failures


def run_cohort(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``lemonade cohort``; returns the exit code."""
    steps = cohort_steps(args.step)
    journal = args.journal.resolve() if args.journal else None
    taken = {journal.name: f"the journal {args.journal}"} if journal and journal.parent == args.out.resolve() else {}
    total = check_all(
        args.input,
        needs_email=any(s in EMAIL_FILES for s in steps),
        needs_resources="value_add" in steps,
        taken=taken,
    )
    lm = _engine(args)
    if lm.backend == "offline" and args.backend == "auto":
        err.write("lemonade: note: writing offline (no model is configured); set OPENAI_API_KEY or --base-url\n")
    args.out.mkdir(parents=True, exist_ok=True)
    listed = args.out / FAILURES
    if listed.is_dir() or listed.is_symlink():
        raise InputError(f"{listed}: is in the way of the run's failure list; move it elsewhere", field="out")
    keyed = ((k.key, k.situation) for k in read_situations(args.input))
    cohort: Cohort = lm.cohort(
        keyed, steps=steps, journal=args.journal, rpm=args.rpm, tpm=args.tpm, max_concurrency=args.max_concurrency
    )
    failures: list[str] = []
    outcomes = {"done": 0, "guardrails": 0, "input": 0, "provider": 0, "output": 0}
    try:
        with cohort, Progress(err, total) as progress:
            for result in cohort:
                outcomes[result.outcome] += 1
                try:
                    failures += _write(result, args.out / safe_key(result.key))
                except (InputError, OSError) as e:  # this kit's folder: the others still get theirs
                    outcomes["output"] += 1
                    failures.append(_unwritten(result, e))
                progress.update(cohort.ledger)
    finally:  # what failed so far is listed, even when the run stops early
        write_files(args.out, {FAILURES: "".join(line + "\n" for line in failures).encode()})
    summary(out, cohort.ledger, args.out, len(failures))
    if outcomes["provider"]:
        return PROVIDER_ERROR
    if outcomes["output"]:
        return BAD_INPUT
    return GUARDRAIL_FAILURE if outcomes["guardrails"] or outcomes["input"] else DONE


COHORT = Command(
    name="cohort",
    help="draft kits for many situations (a folder, or JSONL) at the server's ceiling",
    description=(__doc__ or "").split("\n\n")[0],
    arguments=_arguments,
    run=run_cohort,
)
