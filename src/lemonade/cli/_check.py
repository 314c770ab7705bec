"""``lemonade check``: run every guardrail on drafts a person edited, in the files they edited: a kit folder,
one of its files (``.eml``, the letter, ``x_post.txt``, ``linkedin_message.txt``, the call sheet), or JSON."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from .._errors import InputError
from ..campaign._campaign import Campaign
from ..drafts._check import check
from ..drafts._readback import read_back
from ..guardrails._report import GuardrailReport
from ..situation._situation import load_situation
from ._campaign import is_campaign, show_checks
from ._command import DONE, GUARDRAIL_FAILURE, Command

__all__ = ["CHECK"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "draft",
        type=Path,
        help="a kit folder, one of its files (.eml, thank_you_letter.txt, x_post.txt, linkedin_message.txt, "
        "referral_questions.md), a draft as JSON (kit.json, STEP.failing.json), or a campaign folder",
    )
    parser.add_argument(
        "--situation",
        type=Path,
        help="the situation file the drafts were written for (a campaign folder holds its own)",
    )


def _root(field: str) -> str:
    return field.split("[", 1)[0].split(".", 1)[0]


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if is_campaign(args.draft):
        return show_checks(Campaign.load(args.draft), out)
    if args.situation is None:
        raise InputError("--situation is needed to check a draft (only a campaign folder holds its own)",
                         field="situation")  # fmt: skip
    situation = load_situation(args.situation)
    ok = True
    for found in read_back(args.draft, situation, today=date.today()):
        report = check(found.value, situation)
        # Fields no file gave were blanks standing in: their findings say nothing about what will be sent.
        kept = tuple(v for v in report.violations if _root(v.field) in found.fields or _root(v.field) == "$")
        shown = GuardrailReport(violations=kept)
        unread = sorted(set(type(found.value).model_fields) - found.fields - {"letter"})
        missing = f"; not checked, no file gives them: {', '.join(unread)}" if unread else ""
        out.write(f"{found.step} ({', '.join(found.sources)}{missing}): {shown}\n")
        ok = ok and shown.ok
    return DONE if ok else GUARDRAIL_FAILURE


CHECK = Command(
    name="check",
    help="run the guardrails on drafts a person edited (a kit folder, one of its files, or JSON)",
    arguments=_arguments,
    run=_run,
)
