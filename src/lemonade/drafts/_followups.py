"""The follow-up steps' values: the nudge, the thank-you after the call, the introduction request, the
outreach to a referral and the check-in, each checked against its situation and what it was written from.

Like the kit's values, constructing one checks structure only. The guardrails run when the validation
context holds a ``situation``; they also read its ``context``: the ``NoReply``, ``Call``,
``Introduction`` or ``CheckInFacts`` the draft was written from. Names the candidate typed (people,
organisations, even ``Northwind.io`` or ``[Labs]``) never count as links or placeholders.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, Field

from .._errors import InputError
from ..guardrails import _followups as follow
from ..guardrails import _rules as rules
from ..guardrails._report import Violation
from ..situation._followup import Call, CheckInFacts, Introduction, NoReply, Referral
from ..situation._situation import Person, Situation
from ._letter import LetterNote, letter_note_findings
from ._value import DraftValue

__all__ = [
    "FOLLOW_UP_STEPS",
    "FOLLOW_UP_TYPES",
    "CheckIn",
    "FollowUpStep",
    "IntroductionRequest",
    "Nudge",
    "ReferralOutreach",
    "ThankYouAfterCall",
    "require_context",
]

FollowUpStep = Literal["nudge", "thank_you_after_call", "introduction_request", "referral_outreach", "check_in"]
FOLLOW_UP_STEPS: tuple[FollowUpStep, ...] = get_args(FollowUpStep)

CALL_MINUTES = 15
"""The longest call any follow-up may ask for (the same 15 minutes as the call request)."""
WORDS = {
    "nudge": 80, "introduction_request": 120, "referral_outreach": 120, "check_in": 120, "email": 150, "letter": 250,
}  # fmt: skip


class _FollowUp(DraftValue):
    context_type: ClassVar[type[BaseModel]]

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        """Every guardrail finding for this value, written for ``situation`` from ``context``."""
        if not isinstance(context, self.context_type):
            given = type(context).__name__ if context is not None else "nothing"
            message = f"needs the {self.context_type.__name__} it was written from; got {given}"
            return [Violation(code="missing_context", severity="error", field="context", message=message)]
        return self._far_beyond() or self._findings(situation, context)

    def _far_beyond(self) -> list[Violation]:
        """An answer far beyond any limit is refused at once, before the costlier rules run (as in the kit)."""
        texts: dict[str, str] = {}
        many = None
        for name, value in self:
            if isinstance(value, str):
                texts[name] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                texts[name] = " ".join(value[:51])
                many = (name, len(value), "too_long")
        return rules.oversized(texts, many=many)

    def _findings(self, s: Situation, context: Any) -> list[Violation]:
        raise NotImplementedError
        found = self.violations(context["situation"], context.get("context"))
        sink = context.get("violations")
        if isinstance(sink, list):
            sink.extend(found)
        elif errors := [v for v in found if v.severity == "error"]:
            raise ValueError("guardrails failed: " + "; ".join(str(e) for e in errors))
        return self


def _names(s: Situation, *referrals: Referral) -> list[str | None]:
    """Every name the candidate typed, which the link, placeholder and wording rules must not read."""
    m = s.hiring_manager
    out: list[str | None] = [s.candidate.name, m.name, m.title, s.company.name, s.role]
    for r in referrals:
        out += [r.name, r.title, r.organization, r.relation]
    return out


def _shared(
    s: Situation,
    fields: rules.Fields,
    names: list[str | None],
    required: tuple[str, ...] = (),
    referrals: tuple[Referral, ...] = (),
) -> list[Violation]:
    """The rules every follow-up text passes: the kit's every-text rules (the candidate's own voice included),
    links and email addresses (the candidate's, the manager's and the ``referrals``' are known), clichés, and no
    reopening. The names the candidate typed are never read as links, placeholders or wording, as in the kit."""
    own = tuple(sorted({*s.own_words, *(n.strip().lower() for n in names if n and len(n.strip()) > 1)},
                       key=len, reverse=True))  # fmt: skip
    profile = (s.candidate.linkedin_url,) if s.candidate.linkedin_url else ()
    return [
        *rules.every_text(fields, s.outcome, own, s.candidate, (s.hiring_manager.name, *(r.name for r in referrals))),
        *follow.reopens_decision(follow.masked(fields, names)),
        *rules.share_links(fields, (*s.resource_urls, *profile), s.resource_urls, required, own),
        *rules.addresses(fields, (s.candidate.email, s.hiring_manager.email, *(r.email for r in referrals))),
    ]


def _as_reader(referral: Referral) -> Person:
    return Person(name=referral.name, email=referral.email)


class Nudge(_FollowUp):
    """One short, polite follow-up to a call request that had no answer."""

    context_type = NoReply
    subject: str
    body: str
    call_minutes: int = Field(description="Length of the call asked for, in minutes.")

    def _findings(self, s: Situation, context: NoReply) -> list[Violation]:
        fields = {"subject": self.subject, "body": self.body}
        return [
            *_shared(s, fields, _names(s)),
            *rules.subject("subject", self.subject),
            *rules.emails("body", self.body, s.hiring_manager, s.candidate),
            *rules.length("body", self.body, WORDS["nudge"]),
            *rules.call_length(fields, self.call_minutes, CALL_MINUTES),
            *follow.guilt(follow.masked(fields, _names(s))),
        ]

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body.strip()}\n"


class ThankYouAfterCall(_FollowUp, LetterNote):
    """The thank-you email and printed letter after the call: for the call and the advice, naming one thing
    from it, and saying the candidate will follow up on the introductions."""

    context_type = Call

    def _findings(self, s: Situation, call: Call) -> list[Violation]:
        paragraphs = {f"letter_paragraphs[{i}]": p for i, p in enumerate(self.letter_paragraphs)}
        email = {"email_subject": self.email_subject, "email_body": self.email_body}
        names = _names(s, *call.referrals)
        people = [n for r in call.referrals for n in (r.name, r.first_name)]
        things = [x for r in call.referrals for x in (r.name, r.first_name, r.organization) if x]
        ignore = [s.candidate.name, s.hiring_manager.name, s.company.name]
        return [
            *_shared(s, {**email, **paragraphs}, names, referrals=call.referrals),
            *letter_note_findings(self, s, email_words=WORDS["email"], letter_words=WORDS["letter"]),
            *follow.call_detail("email_body", [self.email_body], call.notes, things, ignore),
            *follow.names_one_of("email_body", [self.email_body], people, "missing_referral", "anyone suggested"),
        ]


class IntroductionRequest(_FollowUp):
    """A short note, sent to the hiring manager, that they can forward as it is to the person they
    suggested (a double opt-in introduction): who the candidate is, why this person, and one small ask."""

    context_type = Introduction
    subject: str
    body: str
    call_minutes: int = Field(description="Length of the call asked for, in minutes.")

    def _findings(self, s: Situation, intro: Introduction) -> list[Violation]:
        r = intro.referral
        fields = {"subject": self.subject, "body": self.body}
        signed = [v for v in rules.emails("body", self.body, _as_reader(r), s.candidate) if v.code == "unsigned"]
        return [
            *_shared(s, fields, _names(s, r), referrals=(r,)),
            *rules.subject("subject", self.subject),
            *signed,
            *rules.length("body", self.body, WORDS["introduction_request"]),
            *rules.call_length(fields, self.call_minutes, CALL_MINUTES),
            *follow.names_one_of("body", [self.body], [r.name, r.first_name], "missing_referral", r.name),
            *follow.forwardable("body", self.body, (r.name, r.first_name, r.name.split()[-1])),
            *follow.one_ask("body", self.body),
        ]

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body.strip()}\n"


class ReferralOutreach(_FollowUp):
    """An email to the person the manager suggested: it opens with the connection and asks for advice,
    in a call of a few minutes, never for a job."""

    context_type = Introduction
    subject: str
    body: str
    call_minutes: int = Field(description="Length of the call asked for, in minutes.")

    def _findings(self, s: Situation, intro: Introduction) -> list[Violation]:
        r = intro.referral
        fields = {"subject": self.subject, "body": self.body}
        return [
            *_shared(s, fields, _names(s, r), referrals=(r,)),
            *rules.subject("subject", self.subject),
            *rules.emails("body", self.body, _as_reader(r), s.candidate),
            *rules.length("body", self.body, WORDS["referral_outreach"]),
            *rules.call_length(fields, self.call_minutes, CALL_MINUTES),
            *follow.connection_first("body", self.body, s.hiring_manager),
            *follow.asks_for_job(follow.masked(fields, _names(s, r))),
        ]

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body.strip()}\n"


def _fresh(s: Situation, facts: CheckInFacts) -> list[str]:
    """The chosen links not shared before: the check-in brings one of them, where there is one."""
    return [url for url in s.resource_urls if url not in facts.shared]


class CheckIn(_FollowUp):
    """A brief, warm update months after the decision, with one useful item: never a job application,
    never a request to reconsider; after a declined offer, open to a better-matched role."""

    context_type = CheckInFacts
    subject: str
    body: str

    def _findings(self, s: Situation, facts: CheckInFacts) -> list[Violation]:
        fields = {"subject": self.subject, "body": self.body}
        referrals = facts.call.referrals if facts.call else ()
        found = [
            *_shared(s, fields, _names(s, *referrals), ("body",) if _fresh(s, facts) else (), tuple(referrals)),
            *rules.subject("subject", self.subject),
            *rules.emails("body", self.body, s.hiring_manager, s.candidate),
            *rules.length("body", self.body, WORDS["check_in"]),
        ]
        if s.outcome == "declined_offer":
            found += follow.open_to_role("body", [self.body])
        else:
            found += follow.asks_for_job(follow.masked(fields, _names(s, *referrals)))
        return found

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body.strip()}\n"


FOLLOW_UP_TYPES: dict[str, type[_FollowUp]] = {
    "nudge": Nudge,
    "thank_you_after_call": ThankYouAfterCall,
    "introduction_request": IntroductionRequest,
    "referral_outreach": ReferralOutreach,
    "check_in": CheckIn,
}
"""The value type each follow-up step's draft holds."""


def require_context(step: str, context: object) -> None:
    """``InputError`` unless ``context`` is what follow-up ``step`` is written from (nothing for a kit step)."""
    value_type = FOLLOW_UP_TYPES.get(step)
    if value_type is None:
        if context is not None:
            raise InputError(f"{step} is written from the situation alone; it takes no context", field="context")
        return
    if not isinstance(context, value_type.context_type):
        given = type(context).__name__ if context is not None else "nothing"
        raise InputError(
            f"{step} is written from a {value_type.context_type.__name__} (context=...); got {given}", field="context"
        )
