"""How a campaign shows to a person: a Markdown table of its dated steps, a text timeline for the terminal,
and, in Jupyter, a small inline SVG timeline with today marked (drawn by hand: no plotting library)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from ._plan import PlannedStep

__all__ = ["html_timeline", "markdown_table", "text_timeline"]

_MARK = {"planned": "·", "due": "→", "drafted": "✎", "sent": "✓", "skipped": "x"}
_COLOUR = {"planned": "#9aa5b1", "due": "#d97706", "drafted": "#2563eb", "sent": "#16a34a", "skipped": "#cbd2d9"}
_LABEL = {"planned": "planned", "due": "due", "drafted": "drafted", "sent": "sent", "skipped": "skipped"}


def _label(step: PlannedStep) -> str:
    if step.overdue:
        return "overdue"
    if step.status == "sent" and step.step == "referral_questions":
        return "done"
    return _LABEL[step.status]


def _day(day: dt.date | None) -> str:
    return f"{day:%a %b} {day.day}, {day.year}" if day else "when it happens"


def markdown_table(title: str, steps: Sequence[PlannedStep], today: dt.date) -> str:
    """The steps as a Markdown table: day, status, what to do, and the draft's subject."""
    rows = [
        f"### {title}",
        "",
        f"Today: {_day(today)}",
        "",
        "| Day | Status | Step | Draft subject |",
        "|---|---|---|---|",
    ]
    for step in steps:
        day = step.sent_on if step.status == "sent" and step.sent_on else step.on
        subject = (step.subject or "").replace("|", "\\|")
        rows.append(f"| {_day(day)} | {_label(step)} | {step.summary.replace('|', '/')} | {subject} |")
    return "\n".join(rows)


def text_timeline(steps: Sequence[PlannedStep], today: dt.date) -> str:
    """One line per step for a terminal: mark, day, status, what to do, and its file."""
    lines = []
    for step in steps:
        day = step.sent_on if step.status == "sent" and step.sent_on else step.on
        mark = "!" if step.overdue else _MARK[step.status]
        where = f"  [{step.files[0]}]" if step.files else ""
        lines.append(f"{mark} {_day(day):<18} {_label(step):<8} {step.summary}{where}")
    return "\n".join(lines)


def html_timeline(title: str, steps: Sequence[PlannedStep], today: dt.date, call_on: dt.date | None) -> str:
    """An inline SVG timeline, one row per step on a shared day axis, with today marked, then the table."""
    days = [d for s in steps for d in (s.on, s.sent_on) if d] + [today] + ([call_on] if call_on else [])
    first, last = min(days), max(days)
    span = max(1, (last - first).days)
    left, width, row, top = 250, 440, 22, 34
    height = top + row * len(steps) + 16

    def x(day: dt.date) -> float:
        return left + width * (day - first).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}" style="font:12px sans-serif">',
        f'<line x1="{left}" y1="{top - 8}" x2="{left + width}" y2="{top - 8}" stroke="#cbd2d9"/>',
        f'<text x="{left}" y="14" fill="#52606d">{_day(first)}</text>',
        f'<text x="{left + width}" y="14" text-anchor="end" fill="#52606d">{_day(last)}</text>',
    ]
    if call_on:
        parts.append(
            f'<rect x="{x(call_on) - 4}" y="{top - 12}" width="8" height="8" fill="#7c3aed">'
            f"<title>Call held {_day(call_on)}</title></rect>"
        )
    for i, step in enumerate(steps):
        y = top + row * i + row / 2
        day = step.sent_on if step.status == "sent" and step.sent_on else step.on
        colour = "#dc2626" if step.overdue else _COLOUR[step.status]
        label = html.escape(step.summary if len(step.summary) <= 38 else step.summary[:37] + "…")
        parts.append(f'<text x="{left - 10}" y="{y + 4}" text-anchor="end" fill="#1f2933">{label}</text>')
        if day is not None:
            tip = html.escape(f"{step.summary}: {_label(step)}, {_day(day)}")
            parts.append(f'<circle cx="{x(day):.1f}" cy="{y}" r="6" fill="{colour}"><title>{tip}</title></circle>')
    tx = x(today)
    parts += [
        f'<line x1="{tx:.1f}" y1="{top - 16}" x2="{tx:.1f}" y2="{height - 4}" stroke="#dc2626" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{tx + 4:.1f}" y="{top - 18}" fill="#dc2626">today</text>',
        "</svg>",
    ]
    rows = "".join(
        f"<tr><td>{_day(s.sent_on if s.status == 'sent' and s.sent_on else s.on)}</td><td>{_label(s)}</td>"
        f"<td>{html.escape(s.summary)}</td><td>{html.escape(s.subject or '')}</td></tr>"
        for s in steps
    )
    table = (
        "<table><thead><tr><th>Day</th><th>Status</th><th>Step</th><th>Draft subject</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return f"<div><h3>{html.escape(title)}</h3>{''.join(parts)}{table}</div>"
