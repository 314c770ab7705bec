"""``Campaign``: the playbook over time, kept in a folder. It plans the dated steps, drafts what is due with
any ``Lemonade`` (the offline writer included), records what was sent and the call, and exports the
calendar. Every change is made under the folder's lock on the file as it is on disk, so two commands at
once both take effect; drafting what is due twice drafts nothing twice, and a file a person edited is
never overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._errors import InputError
from ..drafts._values import VALUE_TYPES
from ..engine._lemonade import Lemonade
from ..guardrails._report import GuardrailReport
from ..situation._files import validated
from ..situation._followup import Call, Referral
from ..situation._situation import Situation, as_situation
from ._calendar import calendar
from ._dates import Clock, Timing, a_day, system_clock, today_in, zone
from ._drafting import DraftRun, draft_steps, step_context
from ._exports import checked_email, dated_letter, edited, step_files, write_step_files
from ._plan import PlannedStep, initial_steps, planned, replan, the_referral, too_late
from ._state import FILE_NAME, CampaignState, load_state, located, locked, save_state
from ._view import html_timeline, markdown_table, text_timeline

__all__ = ["Campaign", "DraftRun", "local_timezone"]


def local_timezone() -> str:
    """This computer's IANA time zone name (``TZ``, else ``/etc/localtime``), or ``UTC`` if it cannot tell."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            target = ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"
    try:
        zone(name)
    except InputError:
        return "UTC"
    return name


def _step_key(step: str, referral: str | Referral | None, state: CampaignState) -> str:
    """The key of the step meant: ``nudge``; ``referral_outreach`` with a referral (their name or key);
    or a key as written in the file (``referral_outreach:priya-shah``) or a file name's stem."""
    if not isinstance(step, str):
        raise InputError(f"step should be a step's name, such as 'nudge', not {step!r}", field="step")
    if referral is not None and not isinstance(referral, str | Referral):
        raise InputError(f"referral should be a name, a key or a Referral, not {referral!r}", field="referral")
    keys = [r.key for r in state.steps]
    if referral is None:
        for key in (step, step.replace("-", ":", 1)):
            if key in keys:
                return key
        options = [k for k in keys if k.startswith(f"{step}:")]
        hint = f"; say which referral: {', '.join(options)}" if options else f"; the steps are {', '.join(keys)}"
        raise InputError(f"no step {step!r} in this campaign{hint}", field="step")
    wanted = referral.key if isinstance(referral, Referral) else referral.casefold()
    for record in state.steps:
        person = the_referral(state, record.referral)
        if record.step == step and (record.referral == wanted or (person and person.name.casefold() == wanted)):
            return record.key
    raise InputError(f"no {step} step for {referral!r} in this campaign", field="referral")


def _planned(state: CampaignState, argument: tuple[str, str, dt.date] | None, path: Path | None = None) -> None:
    """Replan ``state``; where the plan would run past the calendar's end, an ``InputError`` naming the argument
    that made it so (``argument``: the field it sets, its name, its day) or else the field of ``path``."""
    try:
        replan(state)
    except InputError as e:
        if argument is not None and e.field == argument[0]:
            raise InputError(too_late(argument[1], argument[2]), field=argument[1]) from e
        if path is not None:
            raise InputError(f"{path}: {e}{located(path, e.field or '')}", field=e.field) from e
        raise


class Campaign:
    """A follow-up campaign kept in ``folder``: ``Campaign.start(...)`` makes one, ``Campaign.load(folder)``
    opens it. ``clock`` (keyword-only) gives the current moment; today is its day in the campaign's zone."""

    def __init__(self, folder: str | Path, state: CampaignState, *, clock: Clock = system_clock) -> None:
        self.folder = Path(folder)
        self._state = state
        self._clock = clock

    # -- making and opening ------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        situation: Situation | Mapping[str, Any],
        *,
        folder: str | Path,
        start: dt.date | None = None,
        timezone: str | None = None,
        timing: Timing | None = None,
        clock: Clock = system_clock,
    ) -> Campaign:
        """Plan a new campaign in ``folder`` from the day of the decision (``start``, default today) in the
        candidate's ``timezone`` (an IANA name; default this computer's). Refuses a folder that has one."""
        s = as_situation(situation)
        if not s.candidate.email:
            raise InputError("the campaign writes emails, so candidate.email is needed", field="candidate.email")
        tz = timezone or local_timezone()
        zone(tz)
        day = a_day(start, "start") if start is not None else today_in(clock, tz)
        given = {"id": uuid.uuid4().hex, "timezone": tz, "start": day, "timing": timing or Timing(), "situation": s,
                 "steps": initial_steps()}  # fmt: skip
        state = validated(CampaignState, given, path="the campaign", root="campaign")
        _planned(state, ("start", "start", day))  # a start too late for its plan is refused before any file is made
        folder = Path(folder)
        with locked(folder):
            if (folder / FILE_NAME).exists():
                raise InputError(f"{folder} already holds a campaign; open it with Campaign.load", field="folder")
            save_state(folder, state)
        return cls(folder, state, clock=clock)

    @classmethod
    def load(cls, folder: str | Path, *, clock: Clock = system_clock) -> Campaign:
        """The campaign kept in ``folder`` (or whose ``campaign.json`` is ``folder``)."""
        path = Path(folder)
        if path.name == FILE_NAME and path.is_file():
            path = path.parent
        return cls(path, load_state(path), clock=clock)

    @contextmanager
    def _changing(self, *, keep_on_error: bool = False) -> Iterator[CampaignState]:
        """The state as it is on disk, under the lock; replanned and saved when the block ends without error.

        ``keep_on_error``: the block records each change as it makes it (a file written is a file recorded), so
        what it did before an error is saved too, and the error raised after. Files re-dated on the way are
        recorded as they are written, whatever stops the rest."""
        with locked(self.folder):
            state = load_state(self.folder)
            _planned(state, None, self.folder / FILE_NAME)  # a hand edit the plan cannot follow changes nothing
            try:
                yield state
            except BaseException:
                if keep_on_error:
                    self._save(state)
                raise
            self._save(state)

    def _save(self, state: CampaignState) -> None:
        try:
            _planned(state, None, self.folder / FILE_NAME)
            self._refresh_files(state)
        finally:
            save_state(self.folder, state)
            self._state = state

    # -- what it holds ----------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self._state.id

    @property
    def situation(self) -> Situation:
        return self._state.situation

    @property
    def timezone(self) -> str:
        return self._state.timezone

    @property
    def call(self) -> Call | None:
        return self._state.call

    @property
    def started(self) -> dt.date:
        return self._state.start

    def today(self) -> dt.date:
        """Today, in the candidate's time zone, by the campaign's clock."""
        return today_in(self._clock, self._state.timezone)

    @property
    def plan(self) -> tuple[PlannedStep, ...]:
        """Every step with its day and status, as of today."""
        return planned(self._state, self.today())

    def plan_on(self, today: dt.date) -> tuple[PlannedStep, ...]:
        return planned(self._state, today)

    def due(self, today: dt.date | None = None) -> tuple[PlannedStep, ...]:
        """The steps to draft and send now: planned, and their day has come."""
        return tuple(s for s in planned(self._state, today or self.today()) if s.status == "due")

    def edited_files(self) -> list[str]:
        """The files in the folder a person has edited since lemonade wrote them."""
        return edited(self.folder, self._state)

    # -- drafting ----------------------------------------------------------------------------------------

    def draft_due(self, lm: Lemonade, today: dt.date | None = None) -> DraftRun:
        """Draft every step that is due (with any backend), save the drafts in the folder, and say what was
        done. A step drafted before is reported, not drafted again; a draft that fails its guardrails is
        reported and not written out. A step's error stops only that step, except the server's: the steps
        after it are left due for the next run. What was drafted and written is always recorded."""
        with self._changing(keep_on_error=True) as state:
            when = today or today_in(self._clock, state.timezone)
            run = draft_steps(self.folder, state, lm, when)
        now = {s.key: s for s in self.plan_on(when)}
        return dataclasses.replace(run, drafted=tuple(now[s.key] for s in run.drafted))

    def _refresh_files(self, state: CampaignState) -> None:
        """Re-date the files of drafted steps whose day moved (never one a person edited)."""
        for record in state.steps:
            if record.status != "drafted" or record.draft is None or record.on is None:
                continue
            if record.files_on == record.on:
                continue
            value = dated_letter(VALUE_TYPES[record.draft.step].model_validate(record.draft.value), record.on)
            record.draft.value = value.model_dump(mode="json")
            write_step_files(self.folder, state, record, step_files(state, record, value, record.on))
            record.files_on = record.on

    def check_edits(self) -> dict[str, GuardrailReport]:
        """Every guardrail on each email a person edited in the folder, read back from the ``.eml``, against
        what its step was written from; keyed by file name."""
        state = self._state
        reports = {}
        for record in state.steps:
            if record.draft is None:
                continue
            _, context = step_context(state, record)
            for name in edited(self.folder, state):
                if name in {f.name for f in record.files} and name.endswith(".eml"):
                    path = self.folder / name
                    if path.exists():
                        reports[name] = checked_email(path, record.draft, state.situation, context)
        return reports

    # -- what happened -----------------------------------------------------------------------------------

    def mark_sent(self, step: str, *, on: dt.date | None = None, referral: str | Referral | None = None) -> PlannedStep:
        """Record that ``step`` went out (``on``, default today); later steps that hang on it move."""
        day = a_day(on, "on") if on is not None else None
        with self._changing() as state:
            key = _step_key(step, referral, state)
            record = state.step(key)
            if record.status == "skipped":
                raise InputError(f"{key} was skipped ({record.note}); it cannot be sent", field="step")
            record.status, record.sent_on = "sent", day or today_in(self._clock, state.timezone)
            _planned(state, (f"steps[{state.steps.index(record)}].sent_on", "on", record.sent_on))
        return next(s for s in self.plan if s.key == key)

    def skip(self, step: str, *, referral: str | Referral | None = None, because: str = "skipped by hand") -> None:
        """Leave ``step`` out of the campaign (it shows as cancelled in the calendar)."""
        if not isinstance(because, str):
            raise InputError(f"because should be a few words saying why, not {because!r}", field="because")
        with self._changing() as state:
            record = state.step(_step_key(step, referral, state))
            if record.status == "sent":
                raise InputError(f"{record.key} was already sent", field="step")
            record.status, record.note = "skipped", because

    def record_call(
        self, *, on: dt.date, notes: str = "", referrals: Iterable[Referral | Mapping[str, Any]] = ()
    ) -> Call:
        """Record the call with the manager: the thank-you moves to the next business day, the nudge is no
        longer needed, and each referral gets its introduction steps."""
        if isinstance(referrals, str | bytes | Mapping):
            raise InputError("referrals must be a list of Referral (or mappings), not one", field="referrals")
        given = {"on": a_day(on, "on"), "notes": notes, "referrals": tuple(referrals)}
        call = validated(Call, given, path="the call", root="call")
        with self._changing() as state:
            if call.on < state.start:
                message = f"the call ({call.on}) cannot be before the campaign started ({state.start})"
                raise InputError(message, field="on")
            state.call = call
            _planned(state, ("call.on", "on", call.on))
        return call

    # -- showing it --------------------------------------------------------------------------------------

    def to_ics(self) -> bytes:
        """The campaign as an RFC 5545 calendar (one event per dated step, each with a reminder)."""
        return calendar(self._state, stamp=self._clock().astimezone(dt.UTC), folder=self.folder)

    def save_ics(self, path: str | Path) -> Path:
        """Write the calendar to ``path`` whole (a temporary file, then a rename)."""
        from ..drafts._files import write_files

        target = Path(path)
        write_files(target.parent, {target.name: self.to_ics()})
        return target

    def _title(self) -> str:
        s = self._state.situation
        return f"Campaign with {s.hiring_manager.name} ({s.company.name})"

    def timeline(self, today: dt.date | None = None) -> str:
        """The plan as text, one line per step."""
        return text_timeline(planned(self._state, today or self.today()), today or self.today())

    def _repr_markdown_(self) -> str:
        return markdown_table(self._title(), self.plan, self.today())

    def _repr_html_(self) -> str:
        call = self._state.call.on if self._state.call else None
        return html_timeline(self._title(), self.plan, self.today(), call)

    def __repr__(self) -> str:
        return f"Campaign({str(self.folder)!r}, {len(self._state.steps)} steps)"
