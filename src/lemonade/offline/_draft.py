"""An offline draft in one straight line: written by the offline writer, checked like any answer, returned."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from .._errors import GuardrailError
from ..drafts._check import check_answer
from ..drafts._draft import DRAFT_TYPES, Draft, PromptRef
from ..drafts._followups import FOLLOW_UP_TYPES
from ..drafts._usage import NO_USAGE, Usage
from ..drafts._values import StepContext
from ..guardrails._report import GuardrailReport
from ..situation._situation import Situation
from ._followups import write_follow_up
from ._writer import write

__all__ = ["OFFLINE_MODEL", "OFFLINE_VERSION", "WRITTEN_OFFLINE", "offline_draft"]

OFFLINE_MODEL = "offline"
OFFLINE_VERSION = "1.0.0"
WRITTEN_OFFLINE = "written offline by lemonade's built-in writer; no model was used"


def offline_draft(
    step: str,
    situation: Situation,
    *,
    seed: int,
    today: date,
    ignore: Iterable[str] = (),
    strict: bool = True,
    note: str = WRITTEN_OFFLINE,
    usage: Usage = NO_USAGE,
    attempts: int = 0,
    context: StepContext | None = None,
) -> Draft[Any]:
    """The offline writer's draft of ``step`` (with the ``context`` a follow-up step needs), with ``note``
    in its report.

    ``usage`` and ``attempts`` carry what a model already spent when this draft stands in for its failing
    one. A draft that fails its guardrails (possible only with prompts or rules of your own) raises
    ``GuardrailError`` when ``strict``, and is returned with its report otherwise. A follow-up step is
    written from its ``context`` (the call, the referral…).
    """
    data = write_follow_up(step, situation, context, seed) if step in FOLLOW_UP_TYPES else write(step, situation, seed)
    value, found = check_answer(step, data, situation, today=today, context=context)
    report = GuardrailReport(violations=tuple(found), notes=(note,)).without(ignore)
    if value is None or (strict and not report.ok):
        errors = "; ".join(f"{v.code} ({v.field})" for v in report.errors)
        raise GuardrailError(
            f"the offline {step} draft fails: {errors}",
            value=value,
            report=report,
            attempts=attempts,
            usage=usage,
            raw=json.dumps(data),
        )
    # Every part is already a validated model; constructing skips validating them all again.
    return DRAFT_TYPES[step].model_construct(
        value=value,
        report=report,
        attempts=attempts,
        usage=usage,
        model=OFFLINE_MODEL,
        prompt=PromptRef(id=f"offline:{step}", version=OFFLINE_VERSION),
        situation=situation,
    )
