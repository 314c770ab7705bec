"""What lemonade hands back: a Draft per step, the Kit of all four, and a Preview of what would be sent."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .._errors import GuardrailError, InputError
from ..guardrails._report import GuardrailReport
from ..situation._files import read_json, validated
from ..situation._situation import Situation
from ._files import FAILING, email_of, own_files, value_files
from ._folder import unchanged, write_folder
from ._followups import CheckIn, IntroductionRequest, Nudge, ReferralOutreach, ThankYouAfterCall
from ._markdown import draft_markdown, kit_markdown
from ._usage import NO_USAGE, Usage
from ._values import STEP_OF, STEPS, CallRequest, ReferralQuestions, Step, ThankYouNote, ValueAddShare

__all__ = ["DRAFT_TYPES", "Draft", "Kit", "Preview", "PromptRef", "json_files"]


T = TypeVar(
    "T",
    CallRequest,
    ReferralQuestions,
    ThankYouNote,
    ValueAddShare,
    Nudge,
    ThankYouAfterCall,
    IntroductionRequest,
    ReferralOutreach,
    CheckIn,
)


class PromptRef(BaseModel):
    """Which prompt file wrote a draft."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str


class Draft(BaseModel, Generic[T]):
    """One step's draft: the checked value, its text, its report, and what it cost."""

    model_config = ConfigDict(frozen=True)

    value: T
    report: GuardrailReport
    attempts: int = Field(description="How many model answers it took.")
    usage: Usage
    model: str
    prompt: PromptRef
    situation: Situation | None = Field(default=None, repr=False, description="What the draft was written from.")

    @property
    def text(self) -> str:
        """The draft, ready to paste."""
        return self.value.text

    @property
    def step(self) -> str:
        """Which step this draft is: one of the four kit steps, or a campaign's follow-up step."""
        return STEP_OF[type(self.value)]

    def to_eml(self, *, date: date | datetime | None = None) -> EmailMessage:
        """The draft's email as a message (From/To/Subject from the situation), dated ``date``: the day (09:00
        local time) or moment it is meant to be sent; now where not given. A draft that fails its guardrails
        raises ``GuardrailError``: it is not an email to send."""
        _a_date(date, "date")
        if not self.report.ok:
            raise GuardrailError(
                f"the {self.step} draft fails its guardrails ({', '.join(sorted(self.report.codes))}); "
                "fix it and check it again before writing it as an email",
                value=self.value, report=self.report, attempts=self.attempts, usage=self.usage, raw=None,
            )  # fmt: skip
        return email_of(self.value, self.situation, when=date)

    def files(self, *, date: date | datetime | None = None, emails: bool = True) -> dict[str, bytes]:
        """The files this draft is written as, by name (what ``Kit.save`` writes for this step): the files to
        send or print, its email dated ``date`` (left out unless ``emails``); or, for a draft that fails its
        guardrails, only ``STEP.failing.json``, the draft with its report, to edit and check again."""
        _a_date(date, "date")
        if not self.report.ok:
            return {f"{self.step}{FAILING}": self.model_dump_json(indent=2).encode()}
        return value_files(self.step, self.value, self.situation, when=date, emails=emails)

    def _repr_markdown_(self) -> str:
        return draft_markdown(type(self.value).__name__, self.text, self.report, self.usage, self.model)


DRAFT_TYPES: dict[str, type[Draft[Any]]] = {
    "call_request": Draft[CallRequest],
    "referral_questions": Draft[ReferralQuestions],
    "thank_you": Draft[ThankYouNote],
    "value_add": Draft[ValueAddShare],
    "nudge": Draft[Nudge],
    "thank_you_after_call": Draft[ThankYouAfterCall],
    "introduction_request": Draft[IntroductionRequest],
    "referral_outreach": Draft[ReferralOutreach],
    "check_in": Draft[CheckIn],
}


class Kit(BaseModel):
    """The four drafts of one follow-up campaign."""

    model_config = ConfigDict(frozen=True)

    call_request: Draft[CallRequest]
    referral_questions: Draft[ReferralQuestions]
    thank_you: Draft[ThankYouNote]
    value_add: Draft[ValueAddShare]

    @property
    def drafts(self) -> dict[Step, Draft[Any]]:
        return {
            "call_request": self.call_request,
            "referral_questions": self.referral_questions,
            "thank_you": self.thank_you,
            "value_add": self.value_add,
        }

    @property
    def usage(self) -> Usage:
        total = NO_USAGE
        for draft in self.drafts.values():
            total = total + draft.usage
        return total

    @property
    def ok(self) -> bool:
        return all(d.report.ok for d in self.drafts.values())

    def save(
        self, folder: str | Path, *, dates: Mapping[Step, date | datetime] | None = None, force: bool = False
    ) -> list[Path]:
        """Write the kit as files a person can send or print (see the README); returns the paths written.

        ``dates`` gives the day (09:00 local time) or moment each email is meant to be sent, by step; an email
        without one is dated now. A draft that fails its guardrails is written only as ``STEP.failing.json``.
        Every file is built before the first is written, so bad input leaves the folder untouched, and a file
        changed by hand since lemonade wrote it is never overwritten unless ``force``.
        """
        if not isinstance(dates, Mapping | None):
            raise InputError(f"dates should map steps to days, not {type(dates).__name__}", field="dates")
        dates = dict(dates or {})
        if unknown := set(dates) - set(self.drafts):
            raise InputError(f"dates names no step of a kit: {sorted(map(str, unknown))}", field="dates")
        for step, day in dates.items():
            _a_date(day, f"dates.{step}")
        files: dict[str, bytes] = {}
        for step, draft in self.drafts.items():
            files |= draft.files(date=dates.get(step))
        files["kit.json"] = self.model_dump_json(indent=2).encode()
        retired = [name for step in self.drafts for name in own_files(step) if name not in files]
        return write_folder(Path(folder), files, retire=retired, force=force)

    @classmethod
    def load(cls, path: str | Path) -> Kit:
        """A kit written by ``save``, from its folder or its ``kit.json``; ``InputError`` naming the file, the
        field and its line where it cannot be read as one (a hand edit that no longer validates, say)."""
        path = Path(path)
        source = path / "kit.json" if path.is_dir() else path
        data, text = read_json(source, what="a kit")
        return validated(cls, data, path=source, text=text, root="kit")

    def _repr_markdown_(self) -> str:
        return kit_markdown(self.ok, (d._repr_markdown_() for d in self.drafts.values()))


def _a_date(value: object, name: str) -> None:
    """Refuse a ``value`` that is neither a day nor a moment (nor None), naming the argument ``name``."""
    if value is not None and not isinstance(value, date):
        raise InputError(f"{name} should be a date or a datetime, not {type(value).__name__} {value!r}", field=name)


def json_files(folder: Path, drafts: Mapping[Step, Draft[Any]], failing: Collection[Step]) -> dict[str, bytes]:
    """The JSON that keeps ``drafts`` in ``folder`` beside their files: ``kit.json`` for a whole kit; for some
    steps, the folder's own ``kit.json`` with these steps in it (where lemonade wrote it and nobody changed it
    since), so that it stays the one record of the kit; else ``STEP.json`` for each step not ``failing``."""
    if len(drafts) == len(STEPS):
        return {"kit.json": Kit(**{str(s): d for s, d in drafts.items()}).model_dump_json(indent=2).encode()}
    if unchanged(folder, "kit.json"):
        try:
            kit = Kit.load(folder)
        except InputError:
            pass
        else:
            whole = kit.model_copy(update={str(s): d for s, d in drafts.items()})
            return {"kit.json": whole.model_dump_json(indent=2).encode()}
    return {f"{s}.json": d.model_dump_json(indent=2).encode() for s, d in drafts.items() if s not in failing}


@dataclass(frozen=True)
class Preview:
    """What a step would send, without sending it: the exact messages, the schema and the token count."""

    step: str
    model: str
    messages: list[dict[str, str]]
    schema: dict[str, Any]
    prompt_tokens: int
    tokens_estimated: bool
    max_tokens: int
    notes_trimmed: bool = False
