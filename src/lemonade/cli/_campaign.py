"""``lemonade campaign``: the follow-up campaign from the command line.

    lemonade campaign start me.toml --dir campaign/        plan it (--start DATE, --timezone America/Chicago)
    lemonade campaign status campaign/                     done, due, overdue and planned steps
    lemonade campaign next campaign/                       draft what is due (any backend)
    lemonade campaign call campaign/ --on DATE --notes … --referral "Name; title; organization; email; relation"
    lemonade campaign sent campaign/ STEP [--on DATE]      record what went out
    lemonade campaign skip campaign/ STEP                  leave a step out
    lemonade campaign ics campaign/ --out plan.ics         the calendar, with reminders
    lemonade campaign check campaign/                      re-check the emails you edited

``--today DATE`` stands in for today wherever the day matters (to see what is due on Friday, or in tests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TextIO

from .._errors import InputError
from ..campaign._campaign import Campaign
from ..campaign._dates import Clock, system_clock, zone
from ..campaign._state import FILE_NAME, PlanStep
from ..situation._followup import Referral
from ..situation._situation import load_situation
from ._command import DONE, GUARDRAIL_FAILURE, Command, exit_code
from ._engine import add_engine_options, engine

__all__ = ["CAMPAIGN", "is_campaign", "run_campaign", "show_checks"]
_STEPS: tuple[PlanStep, ...] = (
    "call_request", "referral_questions", "nudge", "thank_you", "introduction_request", "referral_outreach",
    "value_add", "check_in",
)  # fmt: skip


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from e


def _referral(text: str) -> Referral:
    parts = [p.strip() or None for p in text.split(";")]
    if not parts or parts[0] is None or len(parts) > 6:
        raise argparse.ArgumentTypeError(
            f"expected 'Name; title; organization; email; relation[; forward|direct|both]', got {text!r}"
        )
    keys = ("name", "title", "organization", "email", "relation", "introduction")
    try:
        return Referral.model_validate({k: v for k, v in zip(keys, parts, strict=False) if v is not None})
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"--referral {text!r}: {e}") from e


def _arguments(campaign: argparse.ArgumentParser) -> None:
    """The subcommands of ``lemonade campaign``."""
    steps = campaign.add_subparsers(dest="campaign_command", required=True, parser_class=type(campaign))

    start = steps.add_parser("start", help="plan a campaign for a situation file")
    start.add_argument("situation", type=Path)
    start.add_argument("--dir", type=Path, required=True, help="the folder to keep it in")
    start.add_argument("--start", type=_day, help="the day of the decision (default: today)")
    start.add_argument("--timezone", help="your IANA time zone, e.g. America/Chicago (default: this computer's)")

    status = steps.add_parser("status", help="the timeline: done, due, overdue and planned steps")
    status.add_argument("dir", type=Path)
    status.add_argument("--format", choices=["text", "markdown", "json"], default="text")

    draft = steps.add_parser("next", help="draft every step that is due")
    draft.add_argument("dir", type=Path)
    add_engine_options(draft)

    call = steps.add_parser("call", help="record the call with the hiring manager and who they suggested")
    call.add_argument("dir", type=Path)
    call.add_argument("--on", type=_day, required=True, help="the day of the call")
    call.add_argument("--notes", default="", help="what was said, in your words")
    how = '"Name; title; organization; email; relation[; forward|direct|both]" (repeatable)'
    call.add_argument("--referral", type=_referral, action="append", default=[], help=how)

    sent = steps.add_parser("sent", help="record that a step went out")
    sent.add_argument("dir", type=Path)
    sent.add_argument("step", help=f"one of {', '.join(_STEPS)}, or a file name such as referral_outreach-priya-shah")
    sent.add_argument("--on", type=_day, help="the day it went out (default: today)")
    sent.add_argument("--referral", help="the referral's name, for the introduction steps")

    skip = steps.add_parser("skip", help="leave a step out of the campaign")
    skip.add_argument("dir", type=Path)
    skip.add_argument("step")
    skip.add_argument("--referral")
    skip.add_argument("--because", default="skipped by hand")

    ics = steps.add_parser("ics", help="write the calendar of every dated step, with reminders")
    ics.add_argument("dir", type=Path)
    ics.add_argument("--out", type=Path, required=True)

    check = steps.add_parser("check", help="re-check the emails you edited in the campaign folder")
    check.add_argument("dir", type=Path)

    for parser in (status, draft, sent, skip, ics, check, call):
        parser.add_argument("--today", type=_day, help="the day to act as today (default: today)")


def _clock(args: argparse.Namespace, timezone: str) -> Clock:
    if getattr(args, "today", None) is None:
        return system_clock
    noon = dt.datetime.combine(args.today, dt.time(12), tzinfo=zone(timezone))
    try:
        noon.astimezone(dt.UTC)  # the calendar is stamped in UTC: the day must exist there too
    except OverflowError as e:
        raise InputError(f"--today {args.today}: not a day lemonade can work with", field="today") from e
    return lambda: noon


def _flag(error: InputError, names: dict[str, str]) -> InputError:
    """``error`` about an argument (``start``), said in the words of its flag (``--start``)."""
    flag = names.get(error.field or "")
    if flag is None or not str(error).startswith(f"{error.field} "):
        return error
    return InputError(flag + str(error)[len(error.field or "") :], field=error.field)


def _open(args: argparse.Namespace) -> Campaign:
    peek = Campaign.load(args.dir)
    return Campaign.load(args.dir, clock=_clock(args, peek.timezone))


def _status(c: Campaign, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json.dumps([s.model_dump(mode="json") for s in c.plan], indent=2) + "\n")
    elif fmt == "markdown":
        out.write(c._repr_markdown_() + "\n")
    else:
        s = c.situation
        out.write(f"Campaign with {s.hiring_manager.name} ({s.company.name}), today {c.today()} ({c.timezone})\n")
        out.write(c.timeline() + "\n")
        due = c.due()
        if due:
            out.write(f"\n{len(due)} step(s) due: run `lemonade campaign next {c.folder}`\n")
        if edited := c.edited_files():
            out.write(f"edited by hand (never overwritten): {', '.join(edited)}\n")


def show_checks(c: Campaign, out: TextIO) -> int:
    """Print the guardrail report of each email a person edited; the exit code says whether all pass."""
    reports = c.check_edits()
    if not reports:
        out.write("no edited emails to check\n")
    for name, report in reports.items():
        out.write(f"{name}: {report}\n")
    return DONE if all(r.ok for r in reports.values()) else GUARDRAIL_FAILURE


def is_campaign(path: Path) -> bool:
    """True for a campaign folder or its campaign.json (what ``lemonade check`` hands over to the campaign)."""
    return (path.is_dir() and (path / FILE_NAME).is_file()) or (path.name == FILE_NAME and path.is_file())


def run_campaign(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run one ``lemonade campaign`` subcommand; errors propagate to the main command's handlers."""
    command = args.campaign_command
    if command == "start":
        situation = load_situation(args.situation)
        try:
            c = Campaign.start(situation, folder=args.dir, start=args.start, timezone=args.timezone)
        except InputError as e:
            raise _flag(e, {"start": "--start", "timezone": "--timezone"}) from e
        err.write(f"planned a campaign in {args.dir}/ ({c.timezone}), starting {c.started}\n")
        _status(c, "text", out)
        return DONE
    c = _open(args)
    if command == "status":
        _status(c, args.format, out)
    elif command == "next":
        run = c.draft_due(engine(args, err))
        out.write(f"{run}\n")
        if run.errors:
            return exit_code(run.errors[0][1])
        return GUARDRAIL_FAILURE if run.failed else DONE
    elif command == "call":
        try:
            call = c.record_call(on=args.on, notes=args.notes, referrals=args.referral)
        except InputError as e:
            raise _flag(e, {"on": "--on"}) from e
        err.write(f"recorded the call on {call.on} with {len(call.referrals)} referral(s)\n")
        _status(c, "text", out)
    elif command == "sent":
        try:
            step = c.mark_sent(args.step, on=args.on, referral=args.referral)
        except InputError as e:
            raise _flag(e, {"on": "--on"}) from e
        out.write(f"{step.key}: sent on {step.sent_on}\n")
    elif command == "skip":
        c.skip(args.step, referral=args.referral, because=args.because)
        out.write(f"{args.step}: skipped\n")
    elif command == "ics":
        path = c.save_ics(args.out)
        err.write(f"wrote {path} ({sum(1 for s in c.plan if s.on)} dated steps)\n")
    elif command == "check":
        return show_checks(c, out)
    else:  # pragma: no cover - argparse allows only the commands above
        raise InputError(f"unknown campaign command {command!r}", field="command")
    return DONE


CAMPAIGN = Command(
    name="campaign",
    help="run the follow-up campaign over time: plan, draft, record, remind",
    arguments=_arguments,
    run=run_campaign,
)
