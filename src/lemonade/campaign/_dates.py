"""When each step of the campaign goes out: the timing career guidance gives, as defaults a user can change,
and the calendar arithmetic (business days, the candidate's time zone) that turns it into dates.

The timing, and the guidance behind it:

- **Call request, on the day of the decision.** Reply promptly, while the conversations are fresh, as the
  playbook's Jill did ("Turning a No-Job-Offer Lemon into Lemonade").
- **One nudge after 7 business days without an answer, and only one.** For a networking request, wait
  about a week before following up, counting business days only, since a quick follow-up reads as
  impatience (climbtheladder.com, "How Long Should I Wait to Send a Follow-Up Email"); lemonade sends
  one short nudge and then lets it rest.
- **Thank-you the next business day after the call.** Thank-you notes go within 24 to 48 hours and
  mention something particular from the conversation (TU Delft career toolkit, "Thank You Letter-Email";
  climbtheladder.com, "How to Thank Someone for an Informational Interview"). Where the manager never
  answers, the thank-you still goes, 5 business days after the nudge, framed as the kit's thank-you.
- **Introductions right after the call.** The forwardable note goes with the thank-you, while the offer
  to introduce is fresh (a double opt-in introduction lets the other person say yes first); a direct
  email to a referral goes two business days after the call, and where both are planned, three business
  days after the note, if the introduction has not happened by then.
- **Value-add share about two weeks after the thank-you (2 to 3 weeks after the call),** so it arrives as
  a follow-up on the interview topics, not as part of the thanks.
- **Check-in about 90 days after the decision.** In the playbook, both Jill's and Jim's better-matched
  roles appeared about three months on; a brief, warm update then keeps the candidate the first name
  that comes to mind.

Business days skip Saturdays and Sundays (public holidays differ by place: pass your own to skip them).
"Today" is the candidate's today, in the campaign's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from .._errors import InputError

__all__ = ["Clock", "Timing", "a_day", "add_business_days", "business_day_on_or_after", "kit_dates", "today_in", "zone"]

Clock = Callable[[], dt.datetime]
"""Returns the current moment (time-zone aware); injected so tests and scripts control "today"."""


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Timing(BaseModel):
    """How far apart the steps go out (the module docstring says where each default comes from): each wait at
    most a year (260 business days; the check-in, 730 calendar days), so that a plan spans months, not ages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nudge_after: int = Field(
        default=7, ge=1, le=260, description="Business days after the call request, if unanswered."
    )
    thank_you_after_call: int = Field(default=1, ge=0, le=260, description="Business days after the call.")
    thank_you_after_nudge: int = Field(
        default=5, ge=0, le=260, description="Business days after the nudge, if no call."
    )
    outreach_after_call: int = Field(
        default=2, ge=0, le=260, description="Business days after the call (direct emails)."
    )
    outreach_after_note: int = Field(default=3, ge=0, le=260, description="Business days after a forwardable note.")
    value_add_after_thank_you: int = Field(default=10, ge=1, le=260, description="Business days after the thank-you.")
    check_in_after: int = Field(default=90, ge=14, le=730, description="Calendar days after the decision.")
    holidays: frozenset[dt.date] = Field(default=frozenset(), description="Days that are not business days.")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (e.g. ``America/Chicago``); ``InputError`` naming it if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise InputError(
            f"timezone {name!r} is not an IANA time zone such as 'America/Chicago'", field="timezone"
        ) from e


def a_day(value: object, name: str) -> dt.date:
    """``value`` as a day: a ``date`` as it is, a ``datetime``'s own day; else an ``InputError`` naming ``name``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise InputError(f"{name} should be a day (a datetime.date), not {type(value).__name__} {value!r}", field=name)
    return value


def today_in(clock: Clock, timezone: str) -> dt.date:
    """The candidate's today: the clock's moment, in their time zone."""
    now = clock()
    if now.tzinfo is None:
        raise InputError("the clock must return a time-zone-aware datetime", field="clock")
    return now.astimezone(zone(timezone)).date()


def _business(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def business_day_on_or_after(day: dt.date, holidays: Collection[dt.date] = ()) -> dt.date:
    """``day`` itself if it is a business day, else the next one."""
    while not _business(day, holidays):
        day += dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The business day ``days`` business days after ``day`` (0: ``day``, moved to a business day)."""
    if days < 0:
        raise InputError("business days to add must be 0 or more", field="days")
    day = business_day_on_or_after(day, holidays)
    for _ in range(days):
        day = business_day_on_or_after(day + dt.timedelta(days=1), holidays)
    return day


def kit_dates(start: dt.date, timing: Timing | None = None, *, call_on: dt.date | None = None) -> dict[str, dt.date]:
    """The planned day of each of the four kit steps for a campaign that starts on ``start``: the call request
    and its questions on the start day, then the thank-you and the value-add share as the plan times them
    (after the call, where ``call_on`` is known; else after the nudge)."""
    t = timing or Timing()
    call_request = business_day_on_or_after(start, t.holidays)
    if call_on is not None:
        thank_you = add_business_days(call_on, t.thank_you_after_call, t.holidays)
    else:
        nudge = add_business_days(call_request, t.nudge_after, t.holidays)
        thank_you = add_business_days(nudge, t.thank_you_after_nudge, t.holidays)
    return {
        "call_request": call_request,
        "referral_questions": call_request,
        "thank_you": thank_you,
        "value_add": add_business_days(thank_you, t.value_add_after_thank_you, t.holidays),
    }
