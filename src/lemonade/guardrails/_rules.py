"""The guardrail rules: each looks at one or more text fields and returns its findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ..situation._situation import Outcome, Person
from ._links import find_links, link_key
from ._phrases import BUZZWORDS, DISAPPOINT, NEGATION, NEGATIVE, PLACEHOLDERS, RECONSIDER, WRONG_OUTCOME, Phrases
from ._report import Severity, Violation
from ._xcount import MAX_X_LENGTH, x_length

__all__ = [
    "Fields",
    "buzzwords",
    "call_length",
    "emails",
    "every_text",
    "length",
    "linkedin",
    "names_company",
    "questions",
    "share_links",
    "subject",
    "x_post",
]

Fields = Mapping[str, str]
"""Field name (as a path, e.g. ``questions[2]``) to its text."""


def _v(code: str, severity: Severity, field: str, message: str) -> Violation:
    return Violation(code=code, severity=severity, field=field, message=message)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _snippet(text: str, match: re.Match[str]) -> str:
    return repr(text[max(0, match.start() - 15) : match.end() + 15].strip())


_Texts = list[tuple[str, str, str]]
"""(field, text with plain quotes, the same lowercased)."""


def _findings(texts: _Texts, phrases: Phrases, code: str, what: str, *, negatable: bool = False) -> list[Violation]:
    """At most one finding per field: the first match that is not negated in its clause."""
    out = []
    for field, text, lowered in texts:
        for match in phrases.finditer(text, lowered):
            if negatable:
                clause = re.split(r"[.;:!?,]|\bbut\b", text[max(0, match.start() - 60) : match.start()])[-1]
                if NEGATION.search(clause):
                    continue
            out.append(_v(code, "error", field, f"{what}: {_snippet(text, match)}"))
            break
    return out


def every_text(fields: Fields, outcome: Outcome) -> list[Violation]:
    """The rules every text of every draft must pass."""
    texts = [(field, plain, plain.lower()) for field, plain in ((f, _plain(t)) for f, t in fields.items())]
    out = [_v("empty", "error", f, "is empty") for f, t, _ in texts if not t.strip()]
    out += _findings(texts, PLACEHOLDERS, "placeholder", "template leftover or model chatter")
    out += _findings(texts, RECONSIDER, "reconsider", "asks to revisit the decision", negatable=True)
    out += _findings(texts, NEGATIVE, "negative_tone", "sounds bitter or blaming")
    disappointed = [(f, m) for f, t, low in texts if "disappoint" in low for m in DISAPPOINT.finditer(t)]
    if len(disappointed) > 1:
        out.append(_v("negative_tone", "error", disappointed[1][0], "dwells on disappointment (said more than once)"))
    other = "a declined offer" if outcome == "rejected" else "not being selected"
    out += _findings(texts, WRONG_OUTCOME[outcome], "wrong_outcome", f"speaks of {other}")
    return out


def buzzwords(fields: Fields) -> list[Violation]:
    out = []
    for field, text in fields.items():
        words = sorted({m.group(0).lower() for m in BUZZWORDS.finditer(text, text.lower())})
        if words:
            out.append(_v("buzzword", "warning", field, f"cliché: {', '.join(words)}"))
    return out


def share_links(
    fields: Fields, allowed: Iterable[str], chosen: Sequence[str] = (), required: Sequence[str] = ()
) -> list[Violation]:
    """``unknown_link`` for a link not in ``allowed``; ``no_link`` for a required field with none of ``chosen``."""
    allowed_keys = {link_key(url) for url in allowed}
    chosen_keys = {link_key(url) for url in chosen}
    out = []
    for field, text in fields.items():
        keys = []
        for link in find_links(text):
            keys.append(key := link_key(link.text))
            if key not in allowed_keys:
                out.append(_v("unknown_link", "error", field, f"{link.text!r} is not one of the chosen links"))
        if field in required and chosen_keys.isdisjoint(keys):
            out.append(_v("no_link", "error", field, "carries none of the chosen links"))
    return out


def names_company(field: str, texts: Iterable[str], company: str) -> list[Violation]:
    if any(company.casefold() in _plain(t).casefold() for t in texts):
        return []
    return [_v("missing_company", "error", field, f"does not name {company}")]


_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|greetings)\b[ \t,]*(?P<who>[^,:!\n]*)", re.IGNORECASE
)


_WORD = re.compile(r"[\w'-]+")


def emails(field: str, body: str, manager: Person, candidate: Person) -> list[Violation]:
    """An email greets the hiring manager by name and is signed with the candidate's name."""
    out = []
    text = body.strip()
    greeting = _GREETING.match(text.split("\n", 1)[0]) if text else None
    if greeting is None:
        out.append(_v("missing_greeting", "warning", field, f"does not open by greeting {manager.name}"))
    else:
        who = set(_WORD.findall(greeting.group("who").casefold()))
        # Any of their names will do ("Dear Dr. Peña," for Inés Peña Solís), and the name they are addressed by.
        names = set(_WORD.findall(manager.name.casefold()))
        names.update(_WORD.findall((manager.salutation_name or "").casefold())[-1:])
        if who.isdisjoint(names):
            shown = greeting.group("who").strip() or "nobody by name"
            out.append(_v("wrong_recipient", "error", field, f"greets {shown!r}, not {manager.name}"))
    signatures = (candidate.name.casefold(), candidate.first_name.casefold())
    last = [line for line in text.rsplit("\n", 8)[-8:] if line.strip()][-4:]
    if not any(n in line.casefold() for line in last for n in signatures):
        out.append(_v("unsigned", "error", field, f"is not signed with {candidate.name}"))
    return out


def _words(text: str) -> int:
    return len(text.split())


def length(field: str, text: str, max_words: int) -> list[Violation]:
    n = _words(text)
    if n > max_words:
        return [_v("too_long", "error", field, f"{n} words; the limit is {max_words}")]
    return []


def subject(field: str, text: str) -> list[Violation]:
    n = len(text.strip())
    if n > 60:
        return [_v("subject_too_long", "error", field, f"{n} characters; the limit is 60")]
    if n > 50:
        return [_v("subject_too_long", "warning", field, f"{n} characters; under 50 reads best")]
    return []


def x_post(field: str, text: str) -> list[Violation]:
    n = x_length(text)
    if n > MAX_X_LENGTH:
        return [_v("x_too_long", "error", field, f"weighted length {n}; X allows {MAX_X_LENGTH}")]
    return []


def linkedin(field: str, text: str) -> list[Violation]:
    n = len(text)
    if n > 1900:
        return [_v("linkedin_too_long", "error", field, f"{n} characters; the limit is 1,900")]
    if n > 500:
        return [_v("linkedin_too_long", "warning", field, f"{n} characters; under 500 gets read")]
    return []


_NUMBERS = {
    "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30,
    "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_DURATION = re.compile(
    rf"\b(?P<a>{_NUM})(?:\s*(?:-|\u2013|\u2014|to|or)\s*(?P<b>{_NUM}))?[\s-]*(?:minutes?|mins?)\b"
    r"|(?P<half>\bhalf[\s-](?:an[\s-])?hour\b)"
    rf"|\b(?P<h>an|one|a couple of|two|\d{{1,2}})[\s-]+hours?\b",
)  # matched against lowercased text
_CALL_WORDS = re.compile(r"\b(?:call|chat|conversation|talk|phone|speak|meet\w*|zoom|time)\b")


def _minutes(match: re.Match[str]) -> int:
    if match.group("half"):
        return 30
    if match.group("h"):
        h = match.group("h").lower()
        return 60 * ({"an": 1, "one": 1, "a couple of": 2, "two": 2}.get(h) or int(h))
    top = (match.group("b") or match.group("a")).lower()
    return _NUMBERS.get(top) or int(top)


_UNIT = re.compile(r"min|hour")


def _durations(lowered: str) -> Iterator[re.Match[str]]:
    """Each duration in ``lowered`` text, found by looking back from each unit word (scanning all of it is slow)."""
    seen = set()
    for unit in _UNIT.finditer(lowered):
        for match in _DURATION.finditer(lowered, max(0, unit.start() - 40), unit.end() + 8):
            if match.span() not in seen:
                seen.add(match.span())
                yield match


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    return text[left : min(rights, default=len(text))]


def call_length(fields: Fields, call_minutes: int, limit: int) -> list[Violation]:
    """The call asked for is at most ``limit`` minutes, and the text agrees with ``call_minutes``.

    Only durations in a sentence about the call (or the reader's time) count.
    """
    out = []
    if call_minutes > limit:
        out.append(_v("call_too_long", "error", "call_minutes", f"{call_minutes} minutes; at most {limit}"))
    if call_minutes < 1:
        out.append(_v("call_too_long", "error", "call_minutes", f"{call_minutes} is not a call length"))
    for field, text in fields.items():
        lowered = _plain(text).lower()
        for match in _durations(lowered):
            if not _CALL_WORDS.search(_sentence(lowered, match.start(), match.end())):
                continue
            asked = _minutes(match)
            if asked > limit:
                out.append(_v("call_too_long", "error", field, f"asks for {match.group(0)!r}; at most {limit}"))
            elif asked != call_minutes:
                out.append(
                    _v("call_minutes_mismatch", "error", field,
                       f"says {match.group(0)!r} but call_minutes is {call_minutes}")
                )  # fmt: skip
    return out


_CLOSED = re.compile(
    r"^\s*(?:do|does|did|can|could|would|will|is|are|was|were|have|has|had|should|shall|may|might|am|must)\b",
    re.IGNORECASE,
)


def _norm(question: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", _plain(question).lower()))


def questions(items: Sequence[str], permission: str) -> list[Violation]:
    """3 to 7 distinct, open questions, each a real question; the permission question may be yes/no."""
    out = []
    if not 3 <= len(items) <= 7:
        out.append(_v("question_count", "error", "questions", f"{len(items)} questions; ask 3 to 7"))
    seen: list[frozenset[str]] = []
    for i, q in enumerate(items):
        field = f"questions[{i}]"
        if not q.rstrip().endswith("?"):
            out.append(_v("not_a_question", "error", field, "does not end with a question mark"))
        if _CLOSED.match(q):
            out.append(_v("not_open_question", "error", field, f"can be answered yes or no: {q.split()[0]!r}"))
        words = _norm(q)
        for j, other in enumerate(seen):
            if words and len(words & other) / len(words | other) >= 0.8:
                out.append(_v("duplicate_question", "error", field, f"repeats questions[{j}]"))
                break
        seen.append(words)
    if not permission.rstrip().endswith("?"):
        out.append(_v("not_a_question", "error", "permission_question", "does not end with a question mark"))
    return out
