"""Checking a draft value against its situation: ``check()`` for a value a person edited, and
``check_answer`` for the JSON a model (or the offline writer) returned for a step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeGuard, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import InputError
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
        raise InputError(
            f"situation should be a Situation (Situation.model_validate(data) makes one from a mapping), not "
            f"{type(situation).__name__}",
            field="situation",
        )
    if type(value) not in VALUE_TYPES.values():
        kinds = ", ".join(sorted({t.__name__ for t in VALUE_TYPES.values()}))
        raise InputError(f"value should be a draft's value ({kinds}), not {type(value).__name__}", field="value")
    _, found = run_checks(type(value), value.model_dump(), situation, context)
    return GuardrailReport(violations=tuple(found)).without(ignore)


def _texts(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def check_answer(
    step: str, data: dict[str, Any], situation: Situation, *, today: date, context: StepContext | None = None
) -> tuple[Any, list[Violation]]:
    """The value in one answer for ``step`` and its findings; the value is None when the JSON does not fit the
    step's schema, and the findings then say where (code ``schema``). A thank-you's letter is built here,
    dated ``today``."""
    paragraphs = data.get("letter_paragraphs")
    if "letter" in VALUE_TYPES[step].model_fields and _texts(paragraphs):  # else the schema names what is not
        data = {**data, "letter": Letter.for_situation(situation, paragraphs, on=today)}
    try:
        return run_checks(VALUE_TYPES[step], data, situation, context)
    except ValidationError as e:
        built = "letter" not in VALUE_TYPES[step].model_fields or "letter" in data
        return None, [
            Violation(code="schema", severity="error", field=field_path(err["loc"], "$"), message=err["msg"])
            for err in e.errors(include_url=False)
            if built or tuple(err["loc"]) != ("letter",)  # lemonade builds the letter: not the answer's to give
        ]
