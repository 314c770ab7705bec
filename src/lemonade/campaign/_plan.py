"""The plan: which steps a campaign has, the day each goes out, and each step's status as a person sees it.

``replan`` is the one place dates are worked out. It runs after every change (a step sent or skipped, the
call recorded), adds the introduction steps for the people named on the call, moves dates that depend on
what happened, and bumps a step's calendar SEQUENCE whenever its day or its cancellation changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .._errors import InputError
from ..situation._followup import Referral
from ..situation._situation import Situation
from ._dates import add_business_days, business_day_on_or_after, kit_dates
from ._state import MAX_SEQUENCE, CampaignState, PlanStep, StepRecord

__all__ = ["PlannedStep", "Status", "initial_steps", "planned", "replan", "summary", "the_referral", "too_late"]

Status = Literal["planned", "due", "drafted", "sent", "skipped"]


class PlannedStep(BaseModel):
    """One dated step of a campaign, as of a given day."""

    model_config = ConfigDict(frozen=True)

    key: str
    step: PlanStep
    on: dt.date | None
    status: Status
    summary: str
    referral: str | None = None
    overdue: bool = False
    sent_on: dt.date | None = None
    subject: str | None = None
    files: tuple[str, ...] = ()
    note: str | None = None


def initial_steps() -> list[StepRecord]:
    """The steps every campaign starts with; the introduction steps come with the call."""
    kit: list[PlanStep] = ["call_request", "referral_questions", "nudge", "thank_you", "value_add", "check_in"]
    return [StepRecord(key=step, step=step) for step in kit]


def the_referral(state: CampaignState, key: str | None) -> Referral | None:
    if key is None or state.call is None:
        return None
    return next((r for r in state.call.referrals if r.key == key), None)


def summary(state: CampaignState, record: StepRecord) -> str:
    """What to do, in words a person understands at a glance in their calendar."""
    s: Situation = state.situation
    m, company = s.hiring_manager.name, s.company.name
    referral = the_referral(state, record.referral)
    who = referral.name if referral else (record.referral or "them")
    return {
        "call_request": f"Send the call request to {m}",
        "referral_questions": f"Prepare your questions for the call with {m}",
        "nudge": f"If {m} has not replied, send one short nudge",
        "thank_you": f"Send the thank-you note to {m} (email and printed letter)",
        "introduction_request": f"Send {m} the note to forward to {who}",
        "referral_outreach": f"Email {who}, whom {m} suggested",
        "value_add": f"Share something useful with {m}",
        "check_in": f"Check in with {m} at {company}",
    }[record.step]


_APPROACHES: dict[str, tuple[PlanStep, ...]] = {
    "forward": ("introduction_request",),
    "direct": ("referral_outreach",),
    "both": ("introduction_request", "referral_outreach"),
}
"""The steps each way of being introduced takes."""


def _skip(record: StepRecord, note: str) -> None:
    if record.status != "sent":
        record.status, record.note = "skipped", note


def _shown_day(record: StepRecord) -> dt.date | None:
    return record.sent_on if record.status == "sent" else record.on


def _latest(state: CampaignState) -> tuple[str, dt.date]:
    """The field holding the latest day the plan is worked out from, and that day."""
    days = [("start", state.start)] + ([("call.on", state.call.on)] if state.call else [])
    days += [(f"steps[{i}].sent_on", r.sent_on) for i, r in enumerate(state.steps) if r.sent_on is not None]
    days += [("timing.holidays", max(state.timing.holidays))] if state.timing.holidays else []
    return max(days, key=lambda named: named[1])


def replan(state: CampaignState) -> CampaignState:
    """Bring the plan up to date with what happened; returns the same state, changed in place.

    Raises ``InputError`` naming the latest day the plan is worked out from (``start``, ``call.on``, a step's
    ``sent_on``) where the plan from it would run past December 31, 9999, the last day a calendar holds."""
    try:
        return _replan(state)
    except OverflowError as e:
        field, day = _latest(state)
        raise InputError(too_late(field, day), field=field) from e


def too_late(name: str, day: dt.date) -> str:
    """What to say of a day the plan cannot start from: ``name`` is the field or argument that gave it."""
    return (
        f"{name} {day.isoformat()} is too late: the plan from it would run past {dt.date.max:%B %d, %Y}, the last day "
        "a calendar holds"
    )


def _replan(state: CampaignState) -> CampaignState:
    before = {r.key: (_shown_day(r), r.status == "skipped") for r in state.steps}
    t, holidays, call = state.timing, state.timing.holidays, state.call
    records = {r.key: r for r in state.steps}
    if call is not None:
        wanted = {f"{step}:{r.key}": (step, r.key) for r in call.referrals for step in _APPROACHES[r.how]}
        for key, (step, referral) in wanted.items():
            if key not in records:
                records[key] = StepRecord(key=key, step=step, referral=referral)
                state.steps.append(records[key])
        for record in state.steps:
            if record.referral is not None and record.key not in wanted:
                _skip(record, "no longer planned for the people suggested on the call")
    kit = kit_dates(state.start, t, call_on=call.on if call else None)
    call_request = records["call_request"]
    call_request.on, records["referral_questions"].on = kit["call_request"], kit["referral_questions"]
    asked = call_request.sent_on or kit["call_request"]
    nudge = records["nudge"]
    nudge.on = add_business_days(asked, t.nudge_after, holidays)
    thank_you = records["thank_you"]
    if call is not None:
        _skip(nudge, f"{state.situation.hiring_manager.first_name} replied: the call was held")
        if nudge.status == "skipped":
            nudge.draft = None
        thank_you.on = add_business_days(call.on, t.thank_you_after_call, holidays)
        if thank_you.status == "drafted" and thank_you.draft and thank_you.draft.step == "thank_you":
            thank_you.status, thank_you.draft = "planned", None
            thank_you.note = "redrafted after the call, to thank for it"
        if records["referral_questions"].status in ("planned", "drafted"):
            records["referral_questions"].status = "sent"
            records["referral_questions"].sent_on = call.on
    else:
        thank_you.on = add_business_days(nudge.sent_on or nudge.on, t.thank_you_after_nudge, holidays)
    value_add = records["value_add"]
    value_add.on = add_business_days(thank_you.sent_on or thank_you.on, t.value_add_after_thank_you, holidays)
    if not state.situation.resources:
        _skip(value_add, "no links to share: add resources to the situation to plan it")
    records["check_in"].on = business_day_on_or_after(state.start + dt.timedelta(days=t.check_in_after), holidays)
    for record in state.steps:
        if record.referral is None or call is None:
            continue
        note_day = add_business_days(call.on, t.thank_you_after_call, holidays)
        if record.step == "introduction_request":
            record.on = note_day
        else:
            note = records.get(f"introduction_request:{record.referral}")
            if note is not None and note.status != "skipped":
                record.on = add_business_days(note.sent_on or note.on or note_day, t.outreach_after_note, holidays)
            else:
                record.on = add_business_days(call.on, t.outreach_after_call, holidays)
    for record in state.steps:
        now = (_shown_day(record), record.status == "skipped")
        if record.key in before and before[record.key][0] is not None and before[record.key] != now:
            record.sequence = min(record.sequence + 1, MAX_SEQUENCE)
    return state


def planned(state: CampaignState, today: dt.date) -> tuple[PlannedStep, ...]:
    """Every step as of ``today``, in date order: a planned step whose day has come is ``due``."""
    out = []
    for record in state.steps:
        status: Status = record.status
        if status == "planned" and record.on is not None and record.on <= today:
            status = "due"
        subject = None
        if record.draft is not None:
            value = record.draft.value
            subject = value.get("subject") or value.get("email_subject")
        out.append(
            PlannedStep(
                key=record.key,
                step=record.step,
                on=record.on,
                status=status,
                summary=summary(state, record),
                referral=(r.name if (r := the_referral(state, record.referral)) else record.referral),
                overdue=status == "due" and record.on is not None and record.on < today,
                sent_on=record.sent_on,
                subject=subject if isinstance(subject, str) else None,
                files=tuple(f.name for f in record.files),
                note=record.note,
            )
        )
    far = dt.date.max
    return tuple(sorted(out, key=lambda p: (p.sent_on or p.on or far, p.key)))
