"""Guardrail findings, the report that gathers them, and what each code means."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["CODES", "GuardrailReport", "Severity", "Violation", "finding"]

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    "placeholder": "template leftovers or model chatter ([Company Name], {name}, <NAME>, XX, TBD, 'As an AI')",
    "empty": "a text field is blank",
    "call_too_long": "the call asked for is longer than 15 minutes (in a call request, any duration over 15; 1h, "
    "30', a few hours, the afternoon where they say how long the call is)",
    "call_minutes_mismatch": "the text names another call length than call_minutes",
    "reconsider": "asks them to reconsider or reverse the decision, or argues with it, also in other words",
    "negative_tone": "bitterness or blame",
    "wrong_outcome": "speaks of the other outcome (a declined offer in a rejection, or the reverse)",
    "missing_company": "does not name the company",
    "wrong_voice": "not in the candidate's own voice: the candidate in the third person (by name, title and surname, "
    "'she'), someone writing on their behalf, or the interviewer's words",
    "wrong_recipient": "greets someone other than the hiring manager",
    "missing_greeting": "an email that greets nobody (warning)",
    "unsigned": "an email not signed with the candidate's name",
    "unknown_link": "a link (any address, even a bare domain like evil.zip/login) that is not one of the resources",
    "unknown_email": "an email address (also mailto:) that is not the candidate's, the manager's or a referral's",
    "no_link": "a value-add text that carries none of the chosen links",
    "x_too_long": "the X post is over 280 by the twitter-text v3 rules",
    "linkedin_too_long": "the LinkedIn message is over 1,900 characters (warning over 500)",
    "subject_too_long": "a subject line over 60 characters (warning over 50)",
    "encoded_word": "a subject holding an RFC 2047 encoded word (=?utf-8?b?...?=), which a mail program would decode",
    "too_long": "over the word limit for that text (far over any limit: refused before the other checks)",
    "not_a_question": "a question that does not end with a question mark",
    "not_open_question": "a yes/no question where an open one is wanted",
    "duplicate_question": "the same question asked twice",
    "off_topic_question": "a call question asked of the candidate or arguing with the decision, not asking for help",
    "question_count": "fewer than 3 or more than 7 questions",
    "letter_mismatch": "the letter's paragraphs differ from letter_paragraphs",
    "buzzword": "a cliché that weakens the message (warning)",
    "control_character": "a control character (NUL, ESC, BEL...) in a text, or a line break in a subject line",
    "guilt": "a nudge that presses or blames the reader for not answering",
    "asks_for_job": "asks for a job or a referral to one, where advice is what to ask for",
    "no_connection": "an outreach email that does not name the manager as the connection in its first two sentences",
    "not_forwardable": "an introduction note that speaks to the manager, so it cannot be forwarded as it is",
    "ask_count": "an introduction note that makes no ask, or more than one",
    "missing_referral": "does not name the person suggested on the call",
    "no_call_detail": "a thank-you after the call that names nothing from the call",
    "not_open_to_role": "a check-in after a declined offer that does not say the candidate is open to a better match",
    "missing_context": "a follow-up draft checked without what it was written from (the call, the referral)",
    "invalid_json": "the model's answer was not a JSON object (re-asked)",
    "schema": "the JSON lacks a key, has an extra one, or has a value of the wrong type (re-asked)",
}
"""Every guardrail code with what it means."""


def finding(code: str, severity: Severity, field: str, message: str) -> Violation:
    """One finding (a shorthand the rules share)."""
    return Violation(code=code, severity=severity, field=field, message=message)


class Violation(BaseModel):
    """One guardrail finding: which rule, how serious, where, and what exactly."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.code} in {self.field}: {self.message}"


class GuardrailReport(BaseModel):
    """All findings for one draft; ``ok`` is true when none of them is an error."""

    model_config = ConfigDict(frozen=True)

    violations: tuple[Violation, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(v.code for v in self.violations)

    def without(self, codes: Iterable[str]) -> GuardrailReport:
        """The same report with the given codes left out."""
        drop = frozenset(codes)
        return self.model_copy(update={"violations": tuple(v for v in self.violations if v.code not in drop)})

    def _repr_markdown_(self) -> str:
        """The findings as Markdown, each with its field (how a report shows in a notebook)."""
        if not self.violations:
            lines = ["**Guardrails:** ✅ no findings"]
        else:
            head = "✅ ok, with warnings" if self.ok else f"❌ {len(self.errors)} error(s)"
            lines = [f"**Guardrails:** {head}", ""]
            for v in self.violations:
                mark = "❌" if v.severity == "error" else "⚠️"
                lines.append(f"- {mark} **{v.code}** in `{v.field}`: {v.message}")
        lines += [f"\n*{note}*" for note in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        if not self.violations:
            return "ok: no guardrail findings"
        head = "ok (warnings only)" if self.ok else f"{len(self.errors)} error(s)"
        return "\n".join([head, *(f"- {v}" for v in self.violations)])
