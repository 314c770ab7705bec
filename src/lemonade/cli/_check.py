"""``lemonade check``: run every guardrail on drafts a person edited."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from .._errors import InputError
from ..drafts._check import check
from ..drafts._values import STEP_OF, STEPS, CallRequest, Letter, ReferralQuestions, ThankYouNote, ValueAddShare
from ..guardrails._report import GuardrailReport
from ..situation._files import read_data
from ..situation._situation import Situation, load_situation
from ._command import DONE, GUARDRAIL_FAILURE, Command

__all__ = ["CHECK"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("draft", type=Path, help="a draft value, a Draft or a kit.json, as JSON")
    parser.add_argument("--situation", type=Path, required=True, help="the situation file the drafts were written for")


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


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    situation = load_situation(args.situation)
    data, _ = read_data(args.draft)
    reports: dict[str, GuardrailReport] = {
        step: check(value, situation) for step, value in _values_in(data, situation, args.draft).items()
    }
    for step, report in reports.items():
        out.write(f"{step}: {report}\n")
    return DONE if all(r.ok for r in reports.values()) else GUARDRAIL_FAILURE


CHECK = Command(
    name="check",
    help="run the guardrails on drafts a person edited",
    arguments=_arguments,
    run=_run,
)
