"""The campaign from the library: the plan and its dates, statuses, drafting what is due (once), the files it
writes (dated by their step, never over a hand edit), the calendar, and the view in a notebook."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from conftest import situation

from lemonade import Campaign, InputError, Lemonade, Referral, Timing, kit_dates
from lemonade.campaign._dates import add_business_days, business_day_on_or_after, today_in

START = dt.date(2026, 11, 27)  # a Friday
PRIYA = Referral(name="Priya Shah", title="Head of Data", organization="Northwind", email="priya@example.net",
                 relation="former colleague of Dana's")  # fmt: skip
OMAR = Referral(name="Omar Haddad", organization="Chicago Data Meetup", introduction="forward")


class Clock:
    """A clock the test moves: noon in Chicago on the given day."""

    def __init__(self, day: dt.date = START) -> None:
        self.day = day

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12), tzinfo=dt.timezone(dt.timedelta(hours=-6)))


def started(tmp_path: Path, outcome: str = "rejected", **changes: Any) -> tuple[Campaign, Clock]:
    clock = Clock()
    s = situation(outcome, **changes)
    c = Campaign.start(s, folder=tmp_path / "campaign", start=START, timezone="America/Chicago", clock=clock)
    return c, clock


def offline() -> Lemonade:
    return Lemonade(backend="offline")


def days(c: Campaign) -> dict[str, dt.date | None]:
    return {s.key: s.on for s in c.plan}


def test_business_days_skip_weekends_and_holidays() -> None:
    assert add_business_days(START, 1) == dt.date(2026, 11, 30)  # Friday + 1 → Monday
    assert add_business_days(START, 7) == dt.date(2026, 12, 8)
    assert add_business_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 30)  # Saturday → Monday
    assert add_business_days(START, 1, holidays={dt.date(2026, 11, 30)}) == dt.date(2026, 12, 1)
    assert business_day_on_or_after(dt.date(2026, 11, 29)) == dt.date(2026, 11, 30)
    with pytest.raises(InputError):
        add_business_days(START, -1)


def test_today_is_the_candidates_day_in_their_time_zone() -> None:
    late = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)  # 9 p.m. on the 27th in Chicago
    assert today_in(lambda: late, "America/Chicago") == dt.date(2026, 11, 27)
    assert today_in(lambda: late, "Europe/Berlin") == dt.date(2026, 11, 28)
    with pytest.raises(InputError, match="IANA"):
        today_in(lambda: late, "Mars/Olympus")


def test_the_default_plan_follows_the_guidance(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    assert days(c) == {
        "call_request": START,
        "referral_questions": START,
        "nudge": dt.date(2026, 12, 8),  # 7 business days
        "thank_you": dt.date(2026, 12, 15),  # 5 business days after the nudge, when there is no call
        "value_add": dt.date(2026, 12, 29),  # 10 business days after the thank-you
        "check_in": dt.date(2027, 2, 25),  # 90 days after the decision, a Thursday
    }
    assert [s.key for s in c.due()] == ["call_request", "referral_questions"]
    assert kit_dates(START) == {k: days(c)[k] for k in ("call_request", "referral_questions", "thank_you", "value_add")}
    assert kit_dates(START, call_on=dt.date(2026, 12, 4))["thank_you"] == dt.date(2026, 12, 7)
    assert kit_dates(START, Timing(nudge_after=5))["thank_you"] == dt.date(2026, 12, 11)


def test_the_call_moves_the_thank_you_skips_the_nudge_and_plans_the_introductions(tmp_path: Path) -> None:
    c, clock = started(tmp_path)
    c.draft_due(offline())
    c.mark_sent("call_request", on=START)
    c.record_call(on=dt.date(2026, 12, 3), notes="Dana suggested Priya at Northwind and a meetup",
                  referrals=[PRIYA, OMAR])  # fmt: skip
    plan = {s.key: s for s in c.plan}
    assert plan["nudge"].status == "skipped"
    assert plan["thank_you"].on == dt.date(2026, 12, 4)  # the next business day
    assert plan["referral_questions"].status == "sent"
    assert plan["introduction_request:omar-haddad"].on == dt.date(2026, 12, 4)
    assert plan["referral_outreach:priya-shah"].on == dt.date(2026, 12, 7)
    assert "introduction_request:priya-shah" not in plan and "referral_outreach:omar-haddad" not in plan
    assert plan["value_add"].on == dt.date(2026, 12, 18)
    clock.day = dt.date(2026, 12, 8)
    overdue = {s.key for s in c.plan if s.overdue}
    assert overdue == {"thank_you", "introduction_request:omar-haddad", "referral_outreach:priya-shah"}


def test_drafting_what_is_due_twice_drafts_nothing_twice(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    first = c.draft_due(offline())
    assert [s.key for s in first.drafted] == ["call_request", "referral_questions"]
    before = {p.name: p.read_bytes() for p in c.folder.iterdir()}
    again = c.draft_due(offline())
    assert again.drafted == () and [s.key for s in again.already] == ["call_request", "referral_questions"]
    assert "already drafted call_request" in str(again)
    assert {p.name: p.read_bytes() for p in c.folder.iterdir()} == before


def test_files_carry_the_day_of_their_step(tmp_path: Path) -> None:
    c, clock = started(tmp_path)
    c.mark_sent("call_request", on=START)
    c.record_call(on=dt.date(2026, 12, 3), notes="Dana suggested Priya at Northwind", referrals=[PRIYA, OMAR])
    clock.day = dt.date(2026, 12, 9)
    run = c.draft_due(offline())
    assert {s.key for s in run.drafted} >= {"thank_you", "referral_outreach:priya-shah"}
    letter = (c.folder / "thank_you_letter.txt").read_text(encoding="utf-8")
    assert "December 4, 2026" in letter and "December 9" not in letter
    message = email.message_from_bytes((c.folder / "referral_outreach-priya-shah.eml").read_bytes(),
                                       policy=email.policy.default)  # fmt: skip
    assert message["Date"].datetime == dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert message["To"].addresses[0].addr_spec == "priya@example.net"
    assert message["X-Unsent"] == "1"
    assert "Dana Ruiz suggested" in message.get_content() or "Dana Ruiz at ABC Corp" in message.get_content()
    intro = email.message_from_bytes((c.folder / "introduction_request-omar-haddad.eml").read_bytes(),
                                     policy=email.policy.default)  # fmt: skip
    assert "Omar" in intro.get_content() and "forward" in str(intro["Subject"])


def test_a_hand_edited_file_is_never_overwritten(tmp_path: Path) -> None:
    c, clock = started(tmp_path)
    c.mark_sent("call_request", on=START)
    clock.day = dt.date(2026, 12, 15)
    c.draft_due(offline())  # the nudge and the thank-you, framed for no call
    edited = (c.folder / "thank_you.eml").read_bytes().replace(b"Thank you", b"Many thanks")
    (c.folder / "thank_you.eml").write_bytes(edited)
    assert c.edited_files() == ["thank_you.eml"]
    c.record_call(on=dt.date(2026, 12, 16), notes="Dana suggested Priya", referrals=[PRIYA])
    clock.day = dt.date(2026, 12, 17)
    run = c.draft_due(offline())  # the thank-you is redrafted to thank for the call...
    assert "thank_you" in {s.key for s in run.drafted}
    assert "thank_you.eml" in run.kept  # ...but the edited email stays as the person left it
    assert (c.folder / "thank_you.eml").read_bytes() == edited
    assert "December 17, 2026" in (c.folder / "thank_you_letter.txt").read_text(encoding="utf-8")
    assert "thank_you.eml" in c.check_edits()


def test_a_moved_date_redates_the_drafted_files(tmp_path: Path) -> None:
    c, clock = started(tmp_path)
    c.mark_sent("call_request", on=START)
    c.record_call(on=dt.date(2026, 12, 3), referrals=[PRIYA])
    clock.day = dt.date(2026, 12, 4)
    c.draft_due(offline())
    c.mark_sent("thank_you", on=dt.date(2026, 12, 10))  # sent late: the value-add moves with it
    assert {s.key: s.on for s in c.plan}["value_add"] == dt.date(2026, 12, 24)


def test_the_campaign_file_is_versioned_and_readable(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    path = c.folder / "campaign.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "lemonade campaign" and data["version"] == 1
    assert data["timezone"] == "America/Chicago" and data["start"] == "2026-11-27"
    assert not [p for p in c.folder.iterdir() if p.name.startswith(".campaign.json.")]  # no temporary left
    data["version"] = 2
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="newer lemonade") as info:
        Campaign.load(c.folder)
    assert info.value.field == "version"


def test_a_hand_edit_that_no_longer_validates_names_the_field_and_line(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    c.draft_due(offline())
    path = c.folder / "campaign.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"status": "planned"', '"status": "maybe"', 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        Campaign.load(c.folder)
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"maybe"' in row)
    assert info.value.field is not None and info.value.field.endswith(".status")
    assert f"(line {line})" in str(info.value)
    path.write_text(text.replace('"call_minutes": ', '"call_minutes": "many", "x": ', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"steps\[0\]\.draft\.value\.call_minutes") as info:
        Campaign.load(c.folder)
    path.write_text(text.replace('"email": "jill@example.com"', '"email": "not-an-address"', 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"situation\.candidate\.email") as info:
        Campaign.load(c.folder)


def test_start_refuses_a_folder_with_a_campaign_and_bad_input(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    with pytest.raises(InputError, match="already holds a campaign"):
        Campaign.start(situation(), folder=c.folder, start=START, timezone="America/Chicago")
    with pytest.raises(InputError, match="IANA"):
        Campaign.start(situation(), folder=tmp_path / "b", timezone="Chicago")
    no_email = situation(candidate={"name": "Jill Moreno"})
    with pytest.raises(InputError, match=r"candidate\.email"):
        Campaign.start(no_email, folder=tmp_path / "c", timezone="America/Chicago")
    c.record_call(on=dt.date(2026, 12, 3), referrals=[PRIYA, OMAR])
    with pytest.raises(InputError, match="say which referral"):
        c.mark_sent("introduction_request")
    assert c.mark_sent("introduction_request", referral="Omar Haddad").status == "sent"
    assert c.mark_sent("referral_outreach-priya-shah").status == "sent"
    with pytest.raises(InputError, match="before the campaign started"):
        c.record_call(on=dt.date(2026, 11, 1))


def events(ics: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_parses_back_with_stable_uids_and_sequences(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    first = events(c.to_ics())
    assert len(first) == 6
    nudge = next(e for uid, e in first.items() if uid.endswith("-nudge@lemonade"))
    assert str(nudge["SUMMARY"]) == "If Dana Ruiz has not replied, send one short nudge"
    start = nudge.decoded("DTSTART")
    assert (start.date(), start.hour, str(start.tzinfo)) == (dt.date(2026, 12, 8), 9, "America/Chicago")
    (alarm,) = nudge.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == dt.timedelta(0)
    assert "Not drafted yet" in str(nudge["DESCRIPTION"])
    c.draft_due(offline())
    c.mark_sent("call_request", on=dt.date(2026, 11, 30))  # sent a business day late: the nudge moves
    c.record_call(on=dt.date(2026, 12, 3), notes="Dana suggested Priya", referrals=[PRIYA])
    second = events(c.to_ics())
    assert set(first) < set(second)  # the same UIDs, and the new steps' own
    thank_you = next(e for uid, e in second.items() if uid.endswith("-thank_you@lemonade"))
    assert str(thank_you["SUMMARY"]) == "Send the thank-you note to Dana Ruiz (email and printed letter)"
    assert thank_you.decoded("DTSTART").date() == dt.date(2026, 12, 4)
    assert int(thank_you["SEQUENCE"]) > int(first[str(thank_you["UID"])]["SEQUENCE"])
    nudge = second[str(nudge["UID"])]
    assert str(nudge["STATUS"]) == "CANCELLED" and int(nudge["SEQUENCE"]) >= 1
    request = next(e for uid, e in second.items() if uid.endswith("-call_request@lemonade"))
    assert "Subject:" in str(request["DESCRIPTION"]) and "call_request.eml" in str(request["DESCRIPTION"])
    assert not request.walk("VALARM")  # sent: nothing to remind of
    unchanged = next(e for uid, e in second.items() if uid.endswith("-check_in@lemonade"))
    assert int(unchanged["SEQUENCE"]) == 0
    assert events(c.to_ics()).keys() == second.keys()  # exporting again changes no UID
    call = next(e for uid, e in second.items() if uid.endswith("-call@lemonade"))
    assert call.decoded("DTSTART") == dt.date(2026, 12, 3)


def test_in_a_notebook_it_is_a_timeline_with_today_marked(tmp_path: Path) -> None:
    c, _ = started(tmp_path)
    c.draft_due(offline())
    page = c._repr_html_()
    assert page.count("<svg") == 1 and ">today</text>" in page and "<table>" in page
    assert "Send the call request to Dana Ruiz" in page
    table = c._repr_markdown_()
    assert "| Day | Status | Step | Draft subject |" in table
    assert "| Fri Nov 27, 2026 | drafted | Send the call request to Dana Ruiz |" in table


def test_a_declined_offer_checks_in_open_to_a_better_matched_role(tmp_path: Path) -> None:
    c, clock = started(tmp_path, "declined_offer")
    clock.day = dt.date(2027, 2, 25)
    run = c.draft_due(offline())
    assert "check_in" in {s.key for s in run.drafted}
    body = email.message_from_bytes((c.folder / "check_in.eml").read_bytes(), policy=email.policy.default)
    text = body.get_content()
    assert "fits more closely" in text or "better-matched role" in text
