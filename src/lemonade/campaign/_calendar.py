"""The campaign as an RFC 5545 calendar, built with the ``icalendar`` library.

One event per dated step, at 9:00 on its day in the candidate's time zone, with a summary a person
understands ("Send the thank-you note to Dana Ruiz"), a description holding the draft's subject and
where its file is, and a display alarm that morning. Each event's UID comes from the campaign's id and
the step, so it stays the same from one export to the next; its SEQUENCE grows when its day moves or it
is cancelled, so importing again updates the calendar instead of duplicating it. A skipped step is
exported as cancelled; the call, once held, as an all-day event.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ._exports import file_stem
from ._plan import summary
from ._state import CampaignState, StepRecord

__all__ = ["calendar", "uid"]

_START = dt.time(9, 0)
_EARLIEST, _LATEST = dt.date(dt.MINYEAR + 1, 1, 1), dt.date(dt.MAXYEAR - 1, 12, 31)


def uid(state: CampaignState, key: str) -> str:
    """The stable UID of a step's event."""
    return f"{state.id}-{key.replace(':', '-')}@lemonade"


def _description(state: CampaignState, record: StepRecord, folder: Path | None) -> str:
    lines = []
    if record.status == "sent" and record.sent_on:
        lines.append(f"Done on {record.sent_on:%B} {record.sent_on.day}, {record.sent_on.year}.")
    if record.status == "skipped":
        lines.append(f"Skipped: {record.note or 'no longer needed'}.")
    if record.draft is not None:
        subject = record.draft.value.get("subject") or record.draft.value.get("email_subject")
        if subject:
            lines.append(f"Subject: {subject}")
    if record.files:
        where = (folder.resolve() if folder else Path(".")) / record.files[0].name
        lines.append(f"Draft: {where}")
    elif record.status in ("planned", "drafted"):
        target = str(folder) if folder else "<folder>"
        lines.append(f"Not drafted yet: run `lemonade campaign next {target}` on the day.")
    return "\n".join(lines)


def calendar(state: CampaignState, *, stamp: dt.datetime, folder: Path | None = None) -> bytes:
    """The campaign's calendar as iCalendar bytes; ``stamp`` is the DTSTAMP of every event (now, in UTC)."""
    import icalendar

    from ._dates import zone

    tz = zone(state.timezone)
    s = state.situation
    cal = icalendar.Calendar()
    cal.add("prodid", "-//lemonade//follow-up campaign//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Follow-up with {s.hiring_manager.name} ({s.company.name})")
    cal.add("x-wr-timezone", state.timezone)
    for record in state.steps:
        day = record.sent_on if record.status == "sent" and record.sent_on else record.on
        if day is None:
            continue
        event = icalendar.Event()
        event.add("uid", uid(state, record.key))
        event.add("sequence", record.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(day, _START, tzinfo=tz))
        event.add("duration", dt.timedelta(minutes=15))
        event.add("summary", summary(state, record))
        event.add("description", _description(state, record, folder))
        event.add("status", "CANCELLED" if record.status == "skipped" else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        if record.status in ("planned", "drafted"):
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary(state, record))
            alarm.add("trigger", dt.timedelta(0))
            event.add_component(alarm)
        event.add("x-lemonade-step", file_stem(record))
        cal.add_component(event)
    if state.call is not None:
        event = icalendar.Event()
        event.add("uid", uid(state, "call"))
        event.add("sequence", 0)
        event.add("dtstamp", stamp)
        event.add("dtstart", state.call.on)
        event.add("summary", f"Call with {s.hiring_manager.name}")
        names = ", ".join(r.name for r in state.call.referrals)
        event.add("description", (state.call.notes or "") + (f"\nSuggested: {names}" if names else ""))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    days = [d for r in state.steps for d in (r.on, r.sent_on) if d]
    first, last = min(days, default=state.start), max(days, default=state.start)
    # The zone's rules are written out for every year with an event, a year short of the calendar's ends at most:
    # icalendar works a day or so past the range it is given.
    first, last = max(first.replace(month=1, day=1), _EARLIEST), min(last.replace(month=12, day=31), _LATEST)
    cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())
