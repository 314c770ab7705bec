"""Checking a draft value against its situation: ``check()`` for a value a person edited, and
``check_answer`` for the JSON a model (or the offline writer) returned for a step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..guardrails._report import GuardrailReport, Violation
from ..situation._files import field_path
from ..situation._situation import Situation
from ._values import VALUE_TYPES, Letter, StepContext

__all__ = ["check", "check_answer", "run_checks"]

V = TypeVar("V", bound=BaseModel)


def run_checks(
    value_type: type[V], data: Any, situation: Situation, context: StepContext | None = None
) -> tuple[V, list[Violation]]:
    """Validate ``data`` as ``value_type`` with the guardrails on; return the value and its findings."""
    found: list[Violation] = []
    checks = {"situation": situation, "context": context, "violations": found}
    value = value_type.model_validate(data, context=checks)
    return value, found


def check(
    value: BaseModel, situation: object, *, ignore: Iterable[str] = (), context: StepContext | None = None
) -> GuardrailReport:
    """Run every guardrail on a draft value (for example one a person edited) against its situation.

    ``value`` is a ``CallRequest``, ``ReferralQuestions``, ``ThankYouNote`` or ``ValueAddShare`` (or a
    follow-up step's value, with the ``context`` it was drafted for).
    """
    if not isinstance(situation, Situation):
        raise TypeError(f"check() needs a Situation, got {type(situation).__name__}")
    _, found = run_checks(type(value), value.model_dump(), situation, context)
    return GuardrailReport(violations=tuple(found)).without(ignore)


def check_answer(
    step: str, data: dict[str, Any], situation: Situation, *, today: date, context: StepContext | None = None
) -> tuple[Any, list[Violation]]:
    """The value in one answer for ``step`` and its findings; the value is None when the JSON does not fit the
    step's schema, and the findings then say where (code ``schema``). A thank-you's letter is built here,
    dated ``today``."""
    if "letter" in VALUE_TYPES[step].model_fields and isinstance(data.get("letter_paragraphs"), list):
        letter = Letter.for_situation(situation, data["letter_paragraphs"], on=today)
        data = {**data, "letter": letter}
    try:
        return run_checks(VALUE_TYPES[step], data, situation, context)
    except ValidationError as e:
        return None, [
            Violation(code="schema", severity="error", field=field_path(err["loc"], "$"), message=err["msg"])
            for err in e.errors(include_url=False)
        ]
