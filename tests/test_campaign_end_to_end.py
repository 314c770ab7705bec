"""Whole campaigns, both outcomes, from the library and from the console script, offline and through the
scripted server (the real openai client over HTTP), with the days driven by an injected clock (``--today``
on the command line); and the lock that keeps two commands at once from losing either's change."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import icalendar
import pytest
from conftest import client_for, no_wait_retrying, situation, situation_data
from test_cli import run

from lemonade import Campaign, Lemonade, Referral
from lemonade.campaign._state import locked
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer

START = dt.date(2026, 11, 27)
PRIYA = Referral(name="Priya Shah", title="Head of Data", organization="Northwind", email="priya@example.net",
                 relation="former colleague of Dana's")  # fmt: skip
OMAR = Referral(name="Omar Haddad", organization="Chicago Data Meetup", introduction="forward")
NOTES = "Dana suggested Priya at Northwind, and Omar's Chicago Data Meetup."

FOLLOW_UPS: dict[str, dict[str, Any]] = {
    "nudge": {
        "subject": "Re: A quick call for advice?",
        "body": "Dear Ms. Ruiz,\n\nI haven't heard back about the short call, so I wanted to follow up once. If you "
        "could spare 15 minutes in the coming weeks, I would value your advice.\n\nBest regards,\nJill Moreno",
        "call_minutes": 15,
    },
    "thank_you_after_call": {
        "email_subject": "Thank you for the call",
        "email_body": "Dear Dana,\n\nThank you for the call on Thursday and for your advice. I will get in touch "
        "with Priya Shah this week, and I will send you the note for Omar Haddad.\n\nI was glad to be considered by "
        "ABC Corp, and I would be happy to meet again should a need arise.\n\nWarm regards,\nJill Moreno",
        "letter_paragraphs": [
            "Thank you for speaking with me on December 3, and for your advice about the Chicago Data Meetup.",
            "I was glad to be considered by ABC Corp. Should a need arise, I would be happy to meet with you again.",
        ],
    },
    "introduction_request": {
        "subject": "A note to forward to Omar Haddad",
        "body": "Hi Omar,\n\nMy name is Jill Moreno; I interviewed for the Senior Data Analyst role at ABC Corp, "
        "where I got to know Dana Ruiz. Dana suggested I ask for your advice, given your work with the Chicago Data "
        "Meetup.\n\nI would be grateful for 15 minutes of your time to hear how you see analytics teams changing. "
        "I can be reached at jill@example.com.\n\nWith thanks,\nJill Moreno",
        "call_minutes": 15,
    },
    "referral_outreach": {
        "subject": "Dana Ruiz suggested I get in touch",
        "body": "Hi Priya,\n\nDana Ruiz suggested I get in touch with you. I interviewed for the Senior Data "
        "Analyst role at ABC Corp, and Dana thought your perspective on churn forecasting would help me.\n\nWould "
        "you have 15 minutes for a short call in the next few weeks? I am happy to fit around your schedule.\n\n"
        "Best regards,\nJill Moreno",
        "call_minutes": 15,
    },
    "check_in": {
        "subject": "A quick hello from Jill",
        "body": "Dear Dana,\n\nIt has been about three months since we spoke, and I wanted to say hello. This dbt "
        "migration guide made me think of our conversation: https://example.org/dbt-guide\n\nI would be glad to "
        "stay in touch, and to hear of a role that fits better should one come up.\n\nWarm regards,\nJill Moreno",
    },
}
ASKS_FOR_A_JOB = {**FOLLOW_UPS["referral_outreach"], "body": FOLLOW_UPS["referral_outreach"]["body"].replace(
    "Would you have 15 minutes", "Is Northwind hiring? Would you have 15 minutes")}  # fmt: skip


def scripted(outcome: str) -> ScriptedServer:
    answers = {**EXAMPLE_ANSWERS[outcome], **FOLLOW_UPS}
    server = ScriptedServer(defaults={step: Reply(content=answer) for step, answer in answers.items()})
    server.script("referral_outreach", Reply(content=ASKS_FOR_A_JOB))  # the first answer is re-asked
    return server


class Clock:
    def __init__(self) -> None:
        self.day = START

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(10), tzinfo=dt.UTC) + dt.timedelta(hours=6)


def emails(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        out[path.stem] = f"{message['Subject']}\n{message.get_content()}"
    return out


def with_a_call(c: Campaign, clock: Clock, lm: Lemonade) -> None:
    """Start to check-in: the call request, the call with two referrals, the thank-you and introductions, the
    value-add share and the check-in, each drafted on its day and marked sent."""
    assert [s.key for s in c.draft_due(lm).drafted] == ["call_request", "referral_questions"]
    c.mark_sent("call_request", on=START)
    c.record_call(on=dt.date(2026, 12, 3), notes=NOTES, referrals=[PRIYA, OMAR])
    clock.day = dt.date(2026, 12, 4)
    assert {s.key for s in c.draft_due(lm).drafted} == {"thank_you", "introduction_request:omar-haddad"}
    c.mark_sent("thank_you", on=dt.date(2026, 12, 4))
    c.mark_sent("introduction_request", referral="Omar Haddad", on=dt.date(2026, 12, 4))
    clock.day = dt.date(2026, 12, 7)
    assert [s.key for s in c.draft_due(lm).drafted] == ["referral_outreach:priya-shah"]
    c.mark_sent("referral_outreach", referral=PRIYA, on=dt.date(2026, 12, 7))
    clock.day = dt.date(2026, 12, 18)
    assert [s.key for s in c.draft_due(lm).drafted] == ["value_add"]
    c.mark_sent("value_add")
    clock.day = dt.date(2027, 2, 25)
    run = c.draft_due(lm)
    assert [s.key for s in run.drafted] == ["check_in"] and run.failed == ()
    c.mark_sent("check_in")
    assert c.draft_due(lm).drafted == ()
    statuses = {s.key: s.status for s in Campaign.load(c.folder).plan}
    assert statuses.pop("nudge") == "skipped" and set(statuses.values()) == {"sent"}


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_library_offline(outcome: str, tmp_path: Path) -> None:
    clock = Clock()
    c = Campaign.start(situation(outcome), folder=tmp_path, start=START, timezone="America/Chicago", clock=clock)
    with_a_call(c, clock, Lemonade(backend="offline"))
    written = emails(tmp_path)
    assert set(written) == {"call_request", "thank_you", "introduction_request-omar-haddad",
                            "referral_outreach-priya-shah", "value_add", "check_in"}  # fmt: skip
    assert "Priya" in written["thank_you"] and "Omar" in written["introduction_request-omar-haddad"]
    if outcome == "declined_offer":
        assert "fits more closely" in written["check_in"] or "better-matched" in written["check_in"]


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_library_through_the_scripted_server(outcome: str, tmp_path: Path) -> None:
    clock = Clock()
    c = Campaign.start(situation(outcome), folder=tmp_path, start=START, timezone="America/Chicago", clock=clock)
    with scripted(outcome) as server:
        lm = Lemonade(client=client_for(server), model="gpt-4o-mini", retrying=no_wait_retrying())
        with_a_call(c, clock, lm)
        assert server.count("referral_outreach") == 2  # asked for a job, so it was asked again
        reask = server.for_step("referral_outreach")[1].body["messages"][-1]["content"]
        assert "asks_for_job" in reask
        prompt = server.for_step("referral_outreach")[0].body["messages"]
        assert "Priya Shah" in prompt[0]["content"] and "Northwind" in prompt[0]["content"]
        thanks = server.for_step("thank_you_after_call")[0].body["messages"]
        assert NOTES in thanks[0]["content"]
        assert server.count("nudge") == 0 and server.count("thank_you") == 0
    assert emails(tmp_path)["thank_you"].startswith("Thank you for the call\nDear Dana")
    letter = (tmp_path / "thank_you_letter.txt").read_text(encoding="utf-8")
    assert "December 4, 2026" in letter and "Chicago Data Meetup" in letter


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_library_when_the_manager_never_replies(outcome: str, tmp_path: Path) -> None:
    clock = Clock()
    c = Campaign.start(situation(outcome), folder=tmp_path, start=START, timezone="America/Chicago", clock=clock)
    with scripted(outcome) as server:
        lm = Lemonade(client=client_for(server), model="gpt-4o-mini", retrying=no_wait_retrying())
        c.draft_due(lm)
        c.mark_sent("call_request", on=START)
        clock.day = dt.date(2026, 12, 8)
        assert [s.key for s in c.draft_due(lm).drafted] == ["nudge"]
        c.mark_sent("nudge")
        clock.day = dt.date(2026, 12, 15)
        assert [s.key for s in c.draft_due(lm).drafted] == ["thank_you"]  # the kit's thank-you, no call to thank for
        assert server.count("thank_you") == 1 and server.count("thank_you_after_call") == 0
        nudge = server.for_step("nudge")[0].body["messages"][0]["content"]
        assert "A quick call for advice?" in nudge and "Friday, November 27" in nudge


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run("campaign", *args)


@pytest.mark.parametrize("backend", ["offline", "server"])
@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
def test_command_line(outcome: str, backend: str, tmp_path: Path) -> None:
    folder, me = tmp_path / "campaign", tmp_path / "me.json"
    me.write_text(json.dumps(situation_data(outcome)), encoding="utf-8")
    server = scripted(outcome).start()
    how = ["--backend", "offline"] if backend == "offline" else ["--base-url", server.url]
    try:
        done = cli("start", str(me), "--dir", str(folder), "--start", "2026-11-27", "--timezone", "America/Chicago")
        assert done.returncode == 0, done.stderr
        assert "Send the call request to Dana Ruiz" in done.stdout
        done = cli("next", str(folder), "--today", "2026-11-27", *how)
        assert done.returncode == 0, done.stderr
        assert "drafted call_request: call_request.eml" in done.stdout
        assert cli("sent", str(folder), "call_request", "--on", "2026-11-27").returncode == 0
        done = cli("call", str(folder), "--on", "2026-12-03", "--notes", NOTES,
                   "--referral", "Priya Shah; Head of Data; Northwind; priya@example.net; former colleague of Dana's",
                   "--referral", "Omar Haddad; ; Chicago Data Meetup; ; ; forward")  # fmt: skip
        assert done.returncode == 0, done.stderr
        done = cli("status", str(folder), "--today", "2026-12-08")
        assert "overdue" in done.stdout and "Email Priya Shah, whom Dana Ruiz suggested" in done.stdout
        done = cli("next", str(folder), "--today", "2026-12-08", *how)
        assert done.returncode == 0, done.stdout + done.stderr
        for name in ("thank_you.eml", "thank_you_letter.txt", "introduction_request-omar-haddad.eml",
                     "referral_outreach-priya-shah.eml"):  # fmt: skip
            assert f"{name}" in done.stdout and (folder / name).exists()
        for step in ("thank_you", "referral_outreach-priya-shah"):
            assert cli("sent", str(folder), step, "--today", "2026-12-08").returncode == 0
        assert cli("sent", str(folder), "introduction_request", "--referral", "Omar Haddad").returncode == 0
        done = cli("next", str(folder), "--today", "2027-02-25", *how)
        assert "drafted value_add" in done.stdout and "drafted check_in" in done.stdout, done.stdout + done.stderr
        again = cli("next", str(folder), "--today", "2027-02-25", *how)
        assert (
            "drafted " not in again.stdout.replace("already drafted", "") and "already drafted check_in" in again.stdout
        )
        status = json.loads(cli("status", str(folder), "--today", "2027-02-25", "--format", "json").stdout)
        assert {s["key"]: s["status"] for s in status}["check_in"] == "drafted"
        done = cli("ics", str(folder), "--out", str(tmp_path / "plan.ics"))
        assert done.returncode == 0, done.stderr
        calendar = icalendar.Calendar.from_ical((tmp_path / "plan.ics").read_bytes())
        assert len(calendar.walk("VEVENT")) == 9  # seven steps, two introductions, and the call
        assert cli("check", str(folder)).stdout == "no edited emails to check\n"
        outreach = folder / "referral_outreach-priya-shah.eml"
        outreach.write_bytes(
            outreach.read_bytes().replace(b"Priya,\r\n\r\n", b"Priya,\r\n\r\nIs Northwind hiring? ", 1)
        )
        done = run("check", str(folder))
        assert done.returncode == 1 and "referral_outreach-priya-shah.eml" in done.stdout
        assert "asks_for_job" in done.stdout
        if backend == "server":
            assert server.count("check_in") == 1 and server.count("referral_outreach") == 2
    finally:
        server.stop()


def test_command_line_bad_input_is_named(tmp_path: Path) -> None:
    done = cli("status", str(tmp_path))
    assert done.returncode == 2 and "no campaign here" in done.stderr
    done = cli("call", str(tmp_path), "--on", "2026-12-03", "--referral", "; no name")
    assert done.returncode == 2 and "--referral" in done.stderr
    me = tmp_path / "me.json"
    me.write_text(json.dumps(situation_data()), encoding="utf-8")
    done = cli("start", str(me), "--dir", str(tmp_path / "c"), "--timezone", "Chicago")
    assert done.returncode == 2 and "IANA" in done.stderr and "Traceback" not in done.stderr


def test_the_lock_makes_a_second_change_wait(tmp_path: Path) -> None:
    c = Campaign.start(situation(), folder=tmp_path, start=START, timezone="America/Chicago", clock=Clock())
    other = Campaign.load(tmp_path, clock=Clock())
    finished = threading.Event()

    def mark() -> None:
        other.mark_sent("call_request", on=START)
        finished.set()

    with locked(tmp_path):
        thread = threading.Thread(target=mark)
        thread.start()
        assert not finished.wait(0.3)  # it waits for the lock...
    thread.join(10)
    assert finished.is_set()  # ...and goes ahead once it is free
    c.skip("nudge", because="she replied by phone")  # a handle opened before the change still sees it
    plan = {s.key: s.status for s in Campaign.load(tmp_path).plan}
    assert plan["call_request"] == "sent" and plan["nudge"] == "skipped"


def test_commands_at_once_lose_no_change(tmp_path: Path) -> None:
    folder, me = tmp_path / "c", tmp_path / "me.json"
    me.write_text(json.dumps(situation_data()), encoding="utf-8")
    assert cli("start", str(me), "--dir", str(folder), "--start", "2026-11-27", "--timezone", "UTC").returncode == 0
    assert cli("call", str(folder), "--on", "2026-12-03", *[a for i in range(4) for a in
               ("--referral", f"Person {i}; ; Org {i}; p{i}@example.net; ; both")]).returncode == 0  # fmt: skip
    keys = [f"{step}-person-{i}" for i in range(4) for step in ("introduction_request", "referral_outreach")]
    script = shutil.which("lemonade", path=str(Path(sys.executable).parent)) or "lemonade"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    processes = [
        subprocess.Popen(
            [script, "campaign", "sent", str(folder), key, "--on", "2026-12-04"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for key in keys
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * len(keys)
    for p in processes:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    plan = {s.key.replace(":", "-"): s.status for s in Campaign.load(folder).plan}
    assert all(plan[key] == "sent" for key in keys)
    json.loads((folder / "campaign.json").read_text(encoding="utf-8"))
