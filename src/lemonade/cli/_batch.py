"""``lemonade batch``: the same requests a live run sends, run by OpenAI's Batch API (half the price, within 24
hours) or by a vLLM cluster's ``run_batch``, and the answers checked and written out as kits.

    lemonade batch prepare INPUT --out batch.jsonl     # the requests, and the situations beside them
    lemonade batch submit batch.jsonl                  # upload and start; prints the batch id
    lemonade batch status ID
    lemonade batch cancel ID
    lemonade batch collect ID|OUTPUT.jsonl [--errors ERRORS.jsonl] [--situations INPUT] --out DIR
    lemonade batch reask DIR --out batch2.jsonl        # the compact re-asks, for the failing answers only

``collect`` exits 0 when every answer passed, 1 when some failed their checks, 3 when the server failed
some requests; every failure is in ``DIR/failures.jsonl``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..batch._batch import batch_status, cancel_batch, collect_batch, prepare_batch, reask_batch, submit_batch
from ..batch._inputs import check_all
from ..batch._prepare import MAX_BYTES, MAX_REQUESTS
from ..cohort._cohort import cohort_steps
from ..drafts._values import STEPS
from ..engine._lemonade import Lemonade
from ._command import Command

if TYPE_CHECKING:
    import openai
    from openai.types import Batch

__all__ = ["BATCH", "run_batch"]

DONE, GUARDRAIL_FAILURE, PROVIDER_ERROR = 0, 1, 3


def _writer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="the model's name (default: LEMONADE_MODEL, else gpt-4o-mini)")
    parser.add_argument("--max-tokens", type=int, metavar="N", help="the longest answer to ask for, in tokens")
    parser.add_argument("--max-reasks", type=int, metavar="N", help="how many re-asks an answer may have (default 2)")


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", metavar="URL", help="an OpenAI-compatible server (default: OPENAI_BASE_URL)")


def _arguments(parser: argparse.ArgumentParser) -> None:
    """``lemonade batch``'s actions."""
    sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    prepare = sub.add_parser("prepare", help="write the Batch API requests for a folder or JSONL of situations")
    prepare.add_argument("input", type=Path, help="a folder of situation files, or a .jsonl file")
    prepare.add_argument("--out", type=Path, required=True, help="the batch file to write, e.g. batch.jsonl")
    prepare.add_argument("--step", action="append", choices=STEPS, help="only this step (repeat for several)")
    prepare.add_argument("--max-requests", type=int, default=MAX_REQUESTS, metavar="N", help="requests per file")
    prepare.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N", help="bytes per file")
    _writer_options(prepare)
    submit = sub.add_parser("submit", help="upload a batch file and start the batch")
    submit.add_argument("file", type=Path)
    _server_options(submit)
    for name, said in (("status", "show how a batch is doing"), ("cancel", "stop a batch")):
        action = sub.add_parser(name, help=said)
        action.add_argument("batch_id", metavar="ID")
        _server_options(action)
    collect = sub.add_parser("collect", help="check a batch's answers and write the kits")
    collect.add_argument("source", metavar="ID|OUTPUT.jsonl", help="a batch id, or an output file (OpenAI or vLLM)")
    collect.add_argument("--errors", type=Path, metavar="ERRORS.jsonl", help="the batch's error file, to read too")
    collect.add_argument("--situations", type=Path, metavar="INPUT", help="the situations the batch was prepared from")
    collect.add_argument("--out", type=Path, required=True, metavar="DIR")
    _writer_options(collect)
    _server_options(collect)
    reask = sub.add_parser("reask", help="prepare a batch of re-asks for the answers that failed")
    reask.add_argument("folder", type=Path, metavar="DIR", help="the folder a collect wrote")
    reask.add_argument("--out", type=Path, required=True, help="the batch file to write, e.g. batch2.jsonl")
    reask.add_argument("--situations", type=Path, metavar="INPUT")
    _writer_options(reask)


def _writer(args: argparse.Namespace) -> Lemonade:
    """The engine whose requests and checks a batch uses: no server needed to prepare or check."""
    tuning: dict[str, Any] = {
        name: value for name in ("max_tokens", "max_reasks") if (value := getattr(args, name, None)) is not None
    }
    return Lemonade(backend="offline", model=args.model, strict=False, **tuning)


def _client(args: argparse.Namespace) -> openai.OpenAI | None:
    if not getattr(args, "base_url", None):
        return None
    import openai

    return openai.OpenAI(base_url=args.base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")


def _show(batch: Batch, out: TextIO) -> None:
    counts = batch.request_counts
    done = f"{counts.completed} done, {counts.failed} failed of {counts.total}" if counts else "no counts yet"
    out.write(f"{batch.id}: {batch.status} ({done})\n")
    for name in ("output_file_id", "error_file_id"):
        if getattr(batch, name, None):
            out.write(f"  {name.replace('_id', '').replace('_', ' ')}: {getattr(batch, name)}\n")
    for error in (batch.errors.data or []) if batch.errors else []:
        where = f" (line {error.line})" if error.line else ""
        out.write(f"  error{where}: {error.code}: {error.message}\n")


def run_batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``lemonade batch ACTION``; returns the exit code."""
    if args.action == "prepare":
        steps = cohort_steps(args.step)
        check_all(args.input, needs_resources="value_add" in steps)
        files = prepare_batch(_writer(args), args.input, args.out, steps=steps, max_requests=args.max_requests,
                              max_bytes=args.max_bytes)  # fmt: skip
        out.write("".join(f"{path}\n" for path in files))
        err.write(f"lemonade: wrote {len(files)} batch file(s), situations beside each as *.situations.jsonl\n")
        return DONE
    if args.action == "submit":
        batch = submit_batch(args.file, client=_client(args))
        out.write(f"{batch.id}\n")
        err.write(f"lemonade: submitted {args.file} as {batch.id} ({batch.status}); collect it with: "
                  f"lemonade batch collect {batch.id} --out DIR\n")  # fmt: skip
        return DONE
    if args.action in ("status", "cancel"):
        act = batch_status if args.action == "status" else cancel_batch
        _show(act(args.batch_id, client=_client(args)), out)
        return DONE
    if args.action == "reask":
        files = reask_batch(_writer(args), args.folder, args.out, situations=args.situations)
        out.write("".join(f"{path}\n" for path in files))
        return DONE
    collected = collect_batch(_writer(args), args.source, args.out, errors=args.errors, situations=args.situations,
                              client=_client(args))  # fmt: skip
    failures = ", ".join(f"{n} {kind}" for kind, n in sorted(collected.failures.items())) or "none"
    out.write(
        f"{collected.drafted} draft(s) written, {collected.kept} already there, {collected.kits} kit(s) completed; "
        f"failures: {failures} (listed in {args.out / 'failures.jsonl'})\n"
    )
    if collected.failures.get("reask"):
        out.write(f"re-ask them with: lemonade batch reask {args.out} --out batch-reask.jsonl\n")
    if collected.failures.get("provider"):
        return PROVIDER_ERROR
    return GUARDRAIL_FAILURE if collected.failed else DONE


BATCH = Command(
    name="batch",
    help="prepare, submit and collect OpenAI Batch API (or vLLM run_batch) files",
    description=(__doc__ or "").split("\n\n")[0],
    arguments=_arguments,
    run=run_batch,
)
