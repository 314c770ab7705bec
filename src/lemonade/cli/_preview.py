"""``lemonade preview``: what would be sent to a model for each step, and its token count; nothing is sent."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ..drafts._values import STEPS, Step
from ..engine._lemonade import Lemonade
from ..situation._situation import load_situation
from ._command import DONE, Command

__all__ = ["PREVIEW"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("situation", type=Path, help="your situation file (.toml or .json)")
    parser.add_argument("--step", choices=[*STEPS, "all"], default="all", help="the step to show (default: all four)")
    parser.add_argument("--model", help="the model whose tokenizer counts (default: LEMONADE_MODEL, else gpt-4o-mini)")


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    situation = load_situation(args.situation)
    steps: list[Step] = list(STEPS) if args.step == "all" else [args.step]
    if args.step == "all" and not situation.resources:
        steps.remove("value_add")
    lm = Lemonade(model=args.model, backend="offline")
    for i, step in enumerate(steps):
        preview = lm.preview(step, situation)
        estimate = " (estimated)" if preview.tokens_estimated else ""
        out.write(f"{'' if i == 0 else chr(10)}==== {step} ====\n")
        out.write(f"model: {preview.model}\nprompt tokens: {preview.prompt_tokens}{estimate}\n")
        out.write(f"max completion tokens: {preview.max_tokens}\n")
        for message in preview.messages:
            out.write(f"\n---- {message['role']} ----\n{message['content']}\n")
        out.write(f"\n---- response schema ({step}) ----\n{json.dumps(preview.schema, indent=2)}\n")
    return DONE


PREVIEW = Command(
    name="preview",
    help="show what would be sent to a model, and its token count; sends nothing",
    arguments=_arguments,
    run=_run,
)
