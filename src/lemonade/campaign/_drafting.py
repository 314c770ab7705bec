"""Drafting what is due in a campaign: the step that drafts each planned step and what it is written from, and
the run itself, which records each step's draft and files as it writes them, so that whatever stops it leaves
the campaign file and the folder in agreement.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import GuardrailError, InputError, LemonadeError, ProviderError, RetryError
from ..drafts._followups import FollowUpStep
from ..drafts._values import Step, StepContext
from ..engine._lemonade import Lemonade
from ..guardrails._report import GuardrailReport
from ..situation._followup import CheckInFacts, Introduction, NoReply
from ._exports import dated_letter, step_files, write_step_files
from ._plan import PlannedStep, planned, the_referral
from ._state import CampaignState, DraftRecord, StepRecord

__all__ = ["DraftRun", "draft_steps", "step_context"]


@dataclass(frozen=True)
class DraftRun:
    """What ``draft_due`` did: drafted, found already drafted, could not draft (its guardrails failed, or an
    error stopped it), and left alone. A step that failed stays due, for the next run."""

    drafted: tuple[PlannedStep, ...] = ()
    already: tuple[PlannedStep, ...] = ()
    failed: tuple[tuple[PlannedStep, GuardrailReport], ...] = ()
    kept: tuple[str, ...] = field(default=(), metadata={"doc": "files a person edited, left as they were"})
    errors: tuple[tuple[PlannedStep, LemonadeError | OSError], ...] = field(
        default=(), metadata={"doc": "steps an error stopped: the server's (no step after it was asked for), or "
                              "the step's own (its files could not be written)"}
    )  # fmt: skip

    def __str__(self) -> str:
        lines = [f"drafted {s.key}: {', '.join(s.files) or 'no files'}" for s in self.drafted]
        lines += [f"already drafted {s.key}: {', '.join(s.files)}" for s in self.already]
        lines += [f"could not draft {s.key}: {', '.join(sorted(r.codes))}" for s, r in self.failed]
        lines += [f"could not draft {s.key}: {_said(e)}" for s, e in self.errors]
        lines += [f"kept {name}: edited by hand, so not overwritten" for name in self.kept]
        return "\n".join(lines) or "nothing is due"


def _said(error: LemonadeError | OSError) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}"
    return str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"


_SERVER_ERRORS = (ProviderError, RetryError)
"""Errors of the server, not of one step: the steps after one are not asked for in the same run."""


def step_context(state: CampaignState, record: StepRecord) -> tuple[Step | FollowUpStep, StepContext | None]:
    """The step that drafts ``record`` and what it is written from."""
    call = state.call
    if record.step == "nudge":
        asked = state.step("call_request")
        earlier = asked.draft.value if asked.draft else {}
        minutes = earlier.get("call_minutes")
        return "nudge", NoReply(
            sent_on=asked.sent_on or asked.on or state.start,
            subject=str(earlier.get("subject") or "A short call"),
            call_minutes=minutes if isinstance(minutes, int) and 1 <= minutes <= 15 else 15,
        )
    if record.step == "thank_you" and call is not None:
        return "thank_you_after_call", call
    if record.step in ("introduction_request", "referral_outreach"):
        referral = the_referral(state, record.referral)
        if call is None or referral is None:
            raise InputError(f"{record.key} needs the call and its referral", field="call")
        return record.step, Introduction(call=call, referral=referral)
    if record.step == "check_in":
        shared = state.step("value_add").draft
        text = json.dumps(shared.value) if shared else ""
        before = tuple(url for url in state.situation.resource_urls if url in text)
        return "check_in", CheckInFacts(decided_on=state.start, on=record.on or state.start, call=call, shared=before)
    if record.step in ("call_request", "referral_questions", "thank_you", "value_add"):
        return record.step, None
    raise InputError(f"{record.key} has no step to draft it", field="step")


def draft_steps(folder: Path, state: CampaignState, lm: Lemonade, when: dt.date) -> DraftRun:
    """Draft every step of ``state`` due on ``when`` into ``folder``, changing ``state`` as each is written (see
    ``Campaign.draft_due``); the steps it names are as planned before the run."""
    drafted: list[PlannedStep] = []
    already: list[PlannedStep] = []
    failed: list[tuple[PlannedStep, GuardrailReport]] = []
    kept: list[str] = []
    errors: list[tuple[PlannedStep, LemonadeError | OSError]] = []
    for step in planned(state, when):
        record = state.step(step.key)
        if step.status == "drafted" and record.on is not None and record.on <= when:
            already.append(step)
        if step.status != "due" or any(isinstance(e, _SERVER_ERRORS) for _, e in errors):
            continue
        try:
            name, context = step_context(state, record)
            draft = lm.draft(name, state.situation, context=context)
        except GuardrailError as e:
            failed.append((step, e.report if isinstance(e.report, GuardrailReport) else GuardrailReport()))
            continue
        except LemonadeError as e:
            errors.append((step, e))
            continue
        if not draft.report.ok:
            failed.append((step, draft.report))
            continue
        on = record.on or when
        value = dated_letter(draft.value, on)
        try:
            kept += write_step_files(folder, state, record, step_files(state, record, value, on))
        except (InputError, OSError) as e:  # what was written is recorded; the step stays due
            errors.append((step, e))
            continue
        record.draft = DraftRecord(
            step=name,
            model=draft.model,
            prompt=f"{draft.prompt.id}@{draft.prompt.version}",
            on=when,
            value=value.model_dump(mode="json"),
            findings=list(draft.report.violations),
        )
        record.status, record.note, record.files_on = "drafted", None, on
        drafted.append(step)
    return DraftRun(tuple(drafted), tuple(already), tuple(failed), tuple(kept), tuple(errors))
