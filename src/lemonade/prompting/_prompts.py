"""Prompt files: loading, checking their variables, and rendering a step's chat messages for a situation.

Each step has a TOML file (``call_request.toml`` …) with ``id``, ``version``, ``variables``,
``system``, ``user`` and a ``[framing]`` table with one text per outcome; ``shared.toml`` holds the
tone guidance and the wording of re-asks and of the JSON-mode fallback. Templates use ``$name``
(``string.Template``); every variable used must be declared and every declared one must be one
lemonade supplies, or loading fails with ``PromptError``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._errors import InputError, PromptError
from .._shipped import shipped
from ..drafts._followups import FOLLOW_UP_STEPS
from ..drafts._values import MAX_CALL_MINUTES, SIGN_OFFS, STEPS
from ..situation._files import load_toml
from ..situation._situation import Outcome, Situation, Tone

__all__ = [
    "VARIABLES",
    "PromptFile",
    "PromptSet",
    "SharedText",
    "default_prompts_dir",
    "load_prompts",
    "situation_variables",
]

VARIABLES: dict[str, str] = {
    "candidate_name": "the candidate's full name",
    "candidate_first_name": "the candidate's first name",
    "manager_name": "the hiring manager's full name",
    "manager_first_name": "the hiring manager's first name",
    "manager_formal_name": 'e.g. "Ms. Ruiz", or the full name where no courtesy title is given',
    "manager_title": "the hiring manager's job title, or 'not given'",
    "company": "the organisation's name",
    "company_kind": 'what kind of organisation it is, with its article: "a hospital"; "an organization" if not given',
    "sign_off": 'the closing line of every email in the kit, e.g. "Warm regards,"',
    "x_mentions": "the X handles the post may thank (the manager's, else the organisation's), or 'none'",
    "role": "the role interviewed for",
    "outcome_framing": "the file's [framing] text for this outcome",
    "tone": "warm, formal or brief",
    "tone_guidance": "shared.toml's guidance for the tone",
    "facts": "every fact of the situation as a labelled block",
    "topics": "the interview topics, one per line",
    "resources": "the chosen links with title, topic and note, one per line",
    "notes": "the candidate's free-text notes (trimmed to the token budget)",
    "decline_reason": "why the candidate declined, or 'not given'",
    "max_call_minutes": "the longest call to ask for (15)",
    # The follow-up steps' variables come from what each is written from (its context's ``variables()``).
    "sent_on": "nudge: the day the unanswered call request was sent",
    "earlier_subject": "nudge: the unanswered call request's subject",
    "earlier_minutes": "nudge: the call length the request asked for",
    "call_date": "after the call: the day it was held",
    "call_notes": "after the call: the candidate's notes of it",
    "referrals": "after the call: the people the manager suggested, one per line",
    "referral_name": "introductions: the suggested person's full name",
    "referral_first_name": "introductions: their first name",
    "referral_title": "introductions: their job title, or 'not given'",
    "referral_organization": "introductions: where they work, or 'not given'",
    "referral_relation": "introductions: how the manager knows them, or 'not given'",
    "decision_date": "check-in: the day of the hiring decision",
    "months_since": "check-in: whole months since the decision",
    "call_summary": "check-in: whether there was a call, and who was suggested on it",
    "shared_before": "check-in: the links already shared, or 'none'",
}
"""Every variable a step prompt may use, with what it holds."""

_SHARED_VARIABLES = {"reask": {"problems"}, "json_mode": {"schema_name", "schema"}}


def _template(text: str, where: str, path: str) -> Template:
    template = Template(text)
    if not template.is_valid():
        raise PromptError(f"{where} has a '$' that is not a variable (write $$ for a dollar sign)", path=path)
    return template


def _used(text: str, where: str, path: str) -> set[str]:
    return set(_template(text, where, path).get_identifiers())


class _Compiled:
    """A template split once into literal text and variable names, so rendering is a join."""

    __slots__ = ("parts",)

    def __init__(self, text: str) -> None:
        parts: list[tuple[str, str | None]] = []
        pos = 0
        for match in Template.pattern.finditer(text):
            literal = text[pos : match.start()]
            if match.group("escaped") is not None:
                parts.append((literal + "$", None))
            else:
                parts.append((literal, match.group("named") or match.group("braced")))
            pos = match.end()
        parts.append((text[pos:], None))
        self.parts = tuple(parts)

    def render(self, values: Mapping[str, str]) -> str:
        return "".join(literal + (values[name] if name else "") for literal, name in self.parts)


def _read(path: Path | Traversable) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptError(f"cannot read it: {e}", path=str(path)) from e


def _toml(text: str, path: str) -> dict[str, Any]:
    """A prompt file's data; ``PromptError`` where it is not TOML lemonade can read."""
    try:
        return load_toml(text, path, what="a prompt file")
    except InputError as e:
        raise PromptError(str(e).removeprefix(f"{path}: "), path=path) from e


class PromptFile(BaseModel):
    """One step's prompt, as written in its TOML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: str
    description: str = ""
    variables: list[str]
    system: str
    user: str
    framing: dict[Outcome, str] = Field(description="One text per outcome, rendered into $outcome_framing.")

    @classmethod
    def from_text(cls, text: str, *, path: str = "<text>") -> PromptFile:
        try:
            prompt = cls.model_validate(_toml(text, path))
        except ValidationError as e:
            raise PromptError(f"not a valid prompt file:\n{e}", path=path) from e
        prompt._check_variables(path)
        return prompt

    @classmethod
    def from_path(cls, path: Path | Traversable) -> PromptFile:
        return cls.from_text(_read(path), path=str(path))

    def _check_variables(self, path: str) -> None:
        declared = set(self.variables)
        if unknown := declared - VARIABLES.keys():
            raise PromptError(f"declares unknown variable(s) {sorted(unknown)}; known: {sorted(VARIABLES)}", path=path)
        missing_outcomes = {"rejected", "declined_offer"} - self.framing.keys()
        if missing_outcomes:
            raise PromptError(f"[framing] has no text for {sorted(missing_outcomes)}", path=path)
        used: set[str] = set()
        for where, text in [("system", self.system), ("user", self.user), *self.framing.items()]:
            here = _used(text, where, path)
            if undeclared := here - declared:
                raise PromptError(f"{where} uses undeclared variable(s) {sorted(undeclared)}", path=path)
            used |= here
        if unused := declared - used:
            raise PromptError(f"declares variable(s) it never uses: {sorted(unused)}", path=path)

    @functools.cached_property
    def _compiled(self) -> dict[str, _Compiled]:
        compiled = {"system": _Compiled(self.system), "user": _Compiled(self.user)}
        compiled.update((outcome, _Compiled(text)) for outcome, text in self.framing.items())
        return compiled

    def render(self, variables: Mapping[str, str], outcome: Outcome) -> list[dict[str, str]]:
        """The system and user messages for these variables."""
        compiled = self._compiled
        values = {**variables, "outcome_framing": compiled[outcome].render(variables).strip()}
        return [
            {"role": "system", "content": compiled["system"].render(values).strip()},
            {"role": "user", "content": compiled["user"].render(values).strip()},
        ]


class SharedText(BaseModel):
    """``shared.toml``: tone guidance and the wording of re-asks and of the JSON-mode fallback."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    tone: dict[Tone, str]
    reask: str
    json_mode: str

    @classmethod
    def from_path(cls, path: Path | Traversable) -> SharedText:
        where = str(path)
        try:
            shared = cls.model_validate(_toml(_read(path), where))
        except ValidationError as e:
            raise PromptError(f"not a valid shared prompt file:\n{e}", path=where) from e
        if missing := {"warm", "formal", "brief"} - shared.tone.keys():
            raise PromptError(f"[tone] has no text for {sorted(missing)}", path=where)
        for key, allowed in _SHARED_VARIABLES.items():
            used = _used(getattr(shared, key), key, where)
            if used != allowed:
                raise PromptError(f"{key} must use exactly {sorted(allowed)}, uses {sorted(used)}", path=where)
        return shared

    def reask_message(self, problems: str) -> str:
        return Template(self.reask).substitute(problems=problems).strip()

    def json_mode_message(self, schema_name: str, schema: str) -> str:
        return Template(self.json_mode).substitute(schema_name=schema_name, schema=schema).strip()


class PromptSet(BaseModel):
    """Every step's prompt (the four kit steps and the follow-ups) and the shared text, loaded and checked
    together."""

    model_config = ConfigDict(frozen=True)

    steps: dict[str, PromptFile]
    shared: SharedText


def default_prompts_dir() -> Traversable:
    """The prompts shipped inside the package (or, in a source checkout, the repository's prompts/)."""
    return shipped("prompts")


def _inside(root: Path | Traversable, name: str) -> Path | Traversable:
    child = root.joinpath(name)
    if isinstance(root, Path) and isinstance(child, Path) and not child.resolve().is_relative_to(root.resolve()):
        raise PromptError(f"{name} resolves outside the prompts folder {root}", path=str(child))
    if not child.is_file():
        raise PromptError("no such prompt file", path=str(child))
    return child


_LOADED: dict[str, PromptSet] = {}
_LOADED_LOCK = threading.Lock()


def _load(root: Path | Traversable) -> PromptSet:
    """Load a folder's prompts once per process; later calls reuse the checked set."""
    with _LOADED_LOCK:
        if (cached := _LOADED.get(str(root))) is not None:
            return cached
    steps = {}
    for step in (*STEPS, *FOLLOW_UP_STEPS):
        prompt = PromptFile.from_path(_inside(root, f"{step}.toml"))
        if prompt.id != step:
            raise PromptError(f"id is {prompt.id!r}; expected {step!r}", path=str(root.joinpath(f"{step}.toml")))
        steps[step] = prompt
    loaded = PromptSet(steps=steps, shared=SharedText.from_path(_inside(root, "shared.toml")))
    with _LOADED_LOCK:
        return _LOADED.setdefault(str(root), loaded)


def load_prompts(prompts_dir: str | Path | None = None) -> PromptSet:
    """Load and check every prompt file in ``prompts_dir`` (default: the shipped prompts), cached per folder."""
    if prompts_dir is None:
        return _load(default_prompts_dir())
    root = Path(prompts_dir).expanduser().resolve()
    if not root.is_dir():
        raise PromptError("prompts_dir is not a folder", path=str(root))
    return _load(root)


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "- none given"


def _kind(s: Situation) -> str:
    kind = s.company.kind
    if kind is None or kind == "government":
        return "an organization"
    return f"{'an' if kind[0] in 'aeiou' and kind != 'university' else 'a'} {kind}"


def situation_variables(s: Situation, shared: SharedText, notes: str | None) -> dict[str, Any]:
    """Every variable in ``VARIABLES`` for ``s``, with ``notes`` as given (possibly trimmed)."""
    m, c = s.hiring_manager, s.candidate
    resources = [
        f'{r.url} "{r.title}" (topic: {r.topic}' + (f"; why: {r.note})" if r.note else ")") for r in s.resources
    ]
    if s.outcome == "rejected":
        outcome = "the candidate was a finalist and was not selected"
    else:
        outcome = "the candidate was offered the role and declined it"
        outcome += f" (reason: {s.decline_reason})" if s.decline_reason else ""
    topics, links = _lines(list(s.interview_topics)), _lines(resources)
    manager = f"{m.formal_name} ({m.name})" if m.formal_name != m.name else m.name
    handles = [f"{m.x_handle} (the hiring manager)"] if m.x_handle else []
    handles += [f"{s.company.x_handle} (the organisation)"] if s.company.x_handle and not m.x_handle else []
    facts = "\n".join(
        [
            f"Candidate: {c.name}" + (f", {c.title}" if c.title else ""),
            f"Hiring manager: {manager}" + (f", {m.title}" if m.title else ""),
            f"Organisation: {s.company.name}" + (f" ({_kind(s)})" if s.company.kind else ""),
            f"Role: {s.role}",
            f"Outcome: {outcome}",
            f"Interview topics:\n{topics}",
            f"Links the candidate chose to share:\n{links}",
            f"Candidate's notes: {notes or 'none'}",
        ]
    )
    return {
        "candidate_name": c.name,
        "candidate_first_name": c.first_name,
        "manager_name": m.name,
        "manager_first_name": m.first_name,
        "manager_formal_name": m.formal_name,
        "manager_title": m.title or "not given",
        "company": s.company.name,
        "company_kind": _kind(s),
        "sign_off": SIGN_OFFS[s.tone],
        "x_mentions": ", ".join(handles) or "none",
        "role": s.role,
        "tone": s.tone,
        "tone_guidance": shared.tone[s.tone].strip(),
        "facts": facts,
        "topics": topics,
        "resources": links,
        "notes": notes or "none",
        "decline_reason": s.decline_reason or "not given",
        "max_call_minutes": str(MAX_CALL_MINUTES),
    }
