"""The four draft values a model writes, the printed letter, and the guardrails each one carries.

Constructing a value checks structure only (types and keys), so a person can load and edit a
failing draft. The guardrails run as a Pydantic validator when the validation context holds a
``situation``: with a ``violations`` list there too they are collected into it (what ``check()``
and the engine do); without one, any error-level finding makes validation fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol, get_args, overload

from pydantic import BaseModel, Field

from ..guardrails import _calls as calls
from ..guardrails import _rules as rules
from ..guardrails._report import Violation
from ..situation._situation import Situation
from ._followups import FOLLOW_UP_TYPES
from ._letter import SIGN_OFFS, Letter, LetterNote, letter_note_findings
from ._value import DraftValue as _Value

__all__ = [
    "MAX_CALL_MINUTES",
    "SIGN_OFFS",
    "STEPS",
    "STEP_OF",
    "VALUE_TYPES",
    "WORD_LIMITS",
    "CallRequest",
    "Letter",
    "ReferralQuestions",
    "Step",
    "StepContext",
    "ThankYouNote",
    "ValueAddShare",
    "own_strings",
]

Step = Literal["call_request", "referral_questions", "thank_you", "value_add"]
STEPS: tuple[Step, ...] = get_args(Step)


class StepContext(Protocol):
    """What a step needs beyond the situation (for a follow-up: the call, a referral). Its ``variables()``
    join the step's prompt variables; the step's guardrails find it under ``"context"`` in their
    validation context."""

    def variables(self) -> dict[str, str]: ...


MAX_CALL_MINUTES = 15
WORD_LIMITS = {"call_request": 150, "thank_you_email": 150, "value_add_email": 180, "letter": 250}


class _OwnWords(Sequence[str]):
    """The situation's own words (``Situation.own_words``), looked up only when a rule finds something that
    could be one of them: a good draft never needs them."""

    __slots__ = ("_situation",)

    def __init__(self, situation: Situation) -> None:
        self._situation = situation

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._situation.own_words[index]

    def __len__(self) -> int:
        return len(self._situation.own_words)


def own_strings(s: Situation) -> Sequence[str]:
    """The situation's own words, which the guardrails never read as phrases or links."""
    return _OwnWords(s)


def _text_rules(s: Situation, fields: rules.Fields, own: Sequence[str]) -> list[Violation]:
    others = (s.hiring_manager.name,)
    return [*rules.every_text(fields, s.outcome, own, s.candidate, others), *_links(s, fields, own=own)]


def _links(
    s: Situation, fields: rules.Fields, required: tuple[str, ...] = (), own: Sequence[str] = ()
) -> list[Violation]:
    profile = (s.candidate.linkedin_url,) if s.candidate.linkedin_url else ()
    return [
        *rules.share_links(fields, (*s.resource_urls, *profile), s.resource_urls, required, own),
        *rules.addresses(fields, (s.candidate.email, s.hiring_manager.email)),
    ]


class CallRequest(_Value):
    """A short email asking the hiring manager for a brief call for advice and leads."""

    subject: str
    body: str
    call_minutes: int = Field(description="Length of the call asked for, in minutes.")

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        s = situation
        fields = {"subject": self.subject, "body": self.body}
        if far := rules.oversized(fields):
            return far
        own = own_strings(s)
        return [
            *_text_rules(s, fields, own),
            *rules.subject("subject", self.subject),
            *rules.emails("body", self.body, s.hiring_manager, s.candidate),
            *rules.length("body", self.body, WORD_LIMITS["call_request"]),
            *rules.names_company("body", fields.values(), s.company.name),
            *calls.call_length(fields, self.call_minutes, MAX_CALL_MINUTES),
        ]

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body.strip()}\n"


class ReferralQuestions(_Value):
    """Open "who do you know" questions for the call, with an opener, a permission question and a close."""

    opener: str
    questions: list[str]
    permission_question: str = Field(description="Asks whether the candidate may mention the manager's name.")
    closing: str

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        outer = {"opener": self.opener, "permission_question": self.permission_question, "closing": self.closing}
        many = ("questions", len(self.questions), "question_count")
        if far := rules.oversized({**outer, "questions": " ".join(self.questions[:51])}, many=many):
            return far
        fields = {
            "opener": self.opener,
            **{f"questions[{i}]": q for i, q in enumerate(self.questions)},
            "permission_question": self.permission_question,
            "closing": self.closing,
        }
        own = own_strings(situation)
        return [
            *_text_rules(situation, fields, own),
            *calls.questions(self.questions, self.permission_question),
        ]

    @property
    def text(self) -> str:
        numbered = "\n".join(f"{i}. {q.strip()}" for i, q in enumerate(self.questions, 1))
        return f"{self.opener.strip()}\n\n{numbered}\n\n{self.permission_question.strip()}\n\n{self.closing.strip()}\n"


class ThankYouNote(LetterNote):
    """A thank-you email and a printed letter that keep the door open."""

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        s = situation
        email = {"email_subject": self.email_subject, "email_body": self.email_body}
        joined = " ".join(self.letter_paragraphs[:51])
        many = ("letter_paragraphs", len(self.letter_paragraphs), "too_long")
        if far := rules.oversized({**email, "letter_paragraphs": joined}, many=many):
            return far
        paragraphs = {f"letter_paragraphs[{i}]": p for i, p in enumerate(self.letter_paragraphs)}
        fields = {**email, **paragraphs}
        own = own_strings(s)
        return [
            *_text_rules(s, fields, own),
            *letter_note_findings(
                self, s, email_words=WORD_LIMITS["thank_you_email"], letter_words=WORD_LIMITS["letter"]
            ),
        ]


class ValueAddShare(_Value):
    """The chosen links, shared by email, on X and on LinkedIn."""

    email_subject: str
    email_body: str
    x_post: str
    linkedin_message: str

    def violations(self, situation: Situation, context: object = None) -> list[Violation]:
        s = situation
        fields = {
            "email_subject": self.email_subject,
            "email_body": self.email_body,
            "x_post": self.x_post,
            "linkedin_message": self.linkedin_message,
        }
        if far := rules.oversized(fields):
            return far
        own = own_strings(s)
        found = [
            *rules.every_text(fields, s.outcome, own, s.candidate, (s.hiring_manager.name,)),
            *rules.subject("email_subject", self.email_subject),
            *rules.emails("email_body", self.email_body, s.hiring_manager, s.candidate),
            *rules.length("email_body", self.email_body, WORD_LIMITS["value_add_email"]),
            *rules.x_post("x_post", self.x_post),
            *rules.linkedin("linkedin_message", self.linkedin_message),
            *_links(s, fields, required=("email_body", "x_post", "linkedin_message"), own=own),
        ]
        # The LinkedIn message may skip a greeting, but one it has must be to the manager.
        greeting = rules.emails("linkedin_message", self.linkedin_message, s.hiring_manager, s.candidate)
        return found + [v for v in greeting if v.code == "wrong_recipient"]

    @property
    def text(self) -> str:
        return (
            f"Email\nSubject: {self.email_subject}\n\n{self.email_body.strip()}\n\n"
            f"X\n{self.x_post.strip()}\n\nLinkedIn\n{self.linkedin_message.strip()}\n"
        )


VALUE_TYPES: dict[str, type[BaseModel]] = {
    "call_request": CallRequest,
    "referral_questions": ReferralQuestions,
    "thank_you": ThankYouNote,
    "value_add": ValueAddShare,
    **FOLLOW_UP_TYPES,
}
"""The value type each step's draft holds: the four kit steps, then the campaign's follow-up steps."""

STEP_OF: dict[type[Any], str] = {value_type: step for step, value_type in VALUE_TYPES.items()}
"""The step each value type is drafted by."""
