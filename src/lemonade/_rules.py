"""The guardrail rules: each looks at one or more text fields and returns its findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ._guardrails import Severity, Violation
from ._links import find_links, link_key
from ._situation import Outcome, Person
from ._xcount import MAX_X_LENGTH, x_length

__all__ = [
    "Fields",
    "buzzwords",
    "call_length",
    "emails",
    "every_text",
    "length",
    "names_company",
    "questions",
    "share_links",
    "subject",
]

Fields = Mapping[str, str]
"""Field name (as a path, e.g. ``questions[2]``) to its text."""


def _v(code: str, severity: Severity, field: str, message: str) -> Violation:
    return Violation(code=code, severity=severity, field=field, message=message)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def _snippet(text: str, match: re.Match[str]) -> str:
    return repr(text[max(0, match.start() - 15) : match.end() + 15].strip())


_I = re.IGNORECASE


class _Phrases:
    """Patterns, each paired with lowercase words one of which it needs: a fast substring check
    skips the (much slower) regular expression on the usual text that has none of them."""

    def __init__(self, *rules: tuple[tuple[str, ...], str, int]) -> None:
        self.rules = [(keys, re.compile(pattern, flags)) for keys, pattern, flags in rules]
        self.keys = tuple(sorted({k for keys, _, _ in rules for k in keys}))

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        if not any(map(lowered.__contains__, self.keys)):
            return
        for keys, pattern in self.rules:
            if any(map(lowered.__contains__, keys)):
                yield from pattern.finditer(text)


_PLACEHOLDERS = _Phrases(
    (("[",), r"\[[^\[\]\n]{1,60}\](?!\()", 0),
    (("{",), r"\{\{?[^{}\n]{0,60}\}?\}", 0),
    (("<",), r"<[A-Za-z_][A-Za-z _\-]{1,40}>", 0),
    (("xx",), r"\bX{2,}\b", 0),
    (("tbd", "tba", "todo", "fixme", "insert"), r"\b(?:TBD|TBA|TODO|FIXME|INSERT)\b", 0),
    (("lorem",), r"\blorem ipsum\b", _I),
    (("as an ai", "language model"), r"\bas an ai\b|\bas a (?:large )?language model\b", _I),
    (("sorry", "afraid"), r"\bI(?:'m| am) (?:sorry|afraid),? (?:but )?I (?:can't|cannot|can not|won't|am unable)", _I),
    (("help with", "assist with"), r"\bI (?:can't|cannot) (?:help|assist) with\b", _I),
    (("here's", "here is"), r"^\s*(?:sure|certainly|of course)[!,.]? here(?:'s| is)\b", _I | re.MULTILINE),
    (("name here",), r"\b(?:your|candidate's|manager's|company) name here\b", _I),
)

_RECONSIDER = _Phrases(
    (("reconsider", "evaluat", "assess", "examin"), r"\breconsider\w*|\bre-?(?:evaluat|assess|examin)\w*", _I),
    (
        ("decision", "choice", "selection", "outcome"),
        r"\b(?:revisit|reverse|overturn|rethink|review|change|appeal)\w*\s+(?:the|your|this|that)\s+"
        r"(?:hiring\s+)?(?:decision|choice|selection|outcome)",
        _I,
    ),
    (("your mind", "another", "second"), r"\bchange your mind\b|\b(?:another|a second) (?:look|chance|shot)\b", _I),
    (("still",), r"\bstill (?:be )?(?:considered|in the running) for (?:the|this|that) (?:role|position|job)\b", _I),
    (
        ("candidate", "hire"),
        r"\b(?:if|should|in case) (?:the|your) (?:chosen|selected|other|successful|new) (?:candidate|hire)",
        _I,
    ),
    (("wrong", "mistaken", "hasty", "unfair"), r"\b(?:wrong|mistaken|hasty|unfair) (?:decision|choice|call)\b", _I),
    (("better",), r"\b(?:I am|I'm|I was) (?:the|a) better (?:candidate|fit|choice)\b", _I),
)
_NEGATION = re.compile(r"\b(?:not|never|no|nor|without)\b|n't\b", _I)

_NEGATIVE = _Phrases(
    (
        ("unfair", "unjust", "mistake", "frustrat", "bitter", "blindsided"),
        r"\bunfair\w*|\bunjust\w*|\bmistake\w*|\bfrustrat\w*|\bbitter\w*|\bblindsided\b",
        _I,
    ),
    (
        ("deserve", "waste", "your loss"),
        r"\bI (?:deserved|deserve)\b|\bwaste(?:d)? (?:of )?(?:my )?time\b|\byour loss\b",
        _I,
    ),
    (
        ("regret", "missed out", "upset", "angry", "shocked"),
        r"\byou(?:'ll| will) regret\b|\bmissed out\b|\b(?:upset|angry|shocked)\b",
        _I,
    ),
)
_DISAPPOINT = re.compile(r"\bdisappoint\w*", _I)

_WRONG_OUTCOME = {
    "rejected": _Phrases(
        (
            ("offer",),
            r"\b(?:declin\w*|turn\w* down|pass\w* on|accept\w*|extend\w*|grateful for|thank you for|thanks for)"
            r"\b[^.!?\n]{0,40}\boffer\b(?!\s+(?:you|to|any|some|my|help))",
            _I,
        ),
        (("decision to",), r"\b(?:my|the) decision to (?:decline|turn down|pass)\b", _I),
    ),
    "declined_offer": _Phrases(
        (
            ("selected", "chosen", "picked", "successful"),
            r"\bnot (?:been )?(?:selected|chosen|picked|successful)\b|\bweren't selected\b|\bunsuccessful\b",
            _I,
        ),
        (
            ("another", "a different", "someone else", "the other"),
            r"\b(?:chose|selected|went with|hired|picked) (?:another|a different|someone else|the other)\b",
            _I,
        ),
        (("reject", "decided to"), r"\brejection\b|\brejected\b|\bdecided to (?:move forward|go) with\b", _I),
        (
            ("didn't", "did not"),
            r"\b(?:didn't|did not) (?:get|land|receive) (?:the|an|this) (?:offer|job|role|position)\b",
            _I,
        ),
        (("forward with",), r"\bnot (?:moving|move|to move) forward with (?:me|my)\b", _I),
    ),
}

_BUZZWORDS = _Phrases(
    (
        ("synerg", "track record", "passion", "thrilled", "rock", "ninja", "guru", "changer", "outside the box",
         "driven", "go-getter", "in-class", "in class", "starter", "ground running", "the needle", "hanging fruit",
         "circle back", "leverag"),
        r"\b(?:synerg\w*|proven track record|passionate|passion for|thrilled|rock ?star|ninja|guru|"
        r"game[- ]changer|think outside the box|results[- ]driven|go-getter|best[- ]in[- ]class|self-starter|"
        r"hit the ground running|move the needle|low[- ]hanging fruit|circle back|leverag\w*)\b",
        _I,
    ),
)  # fmt: skip


_Texts = list[tuple[str, str, str]]
"""(field, text with plain quotes, the same lowercased)."""


def _findings(texts: _Texts, phrases: _Phrases, code: str, what: str, *, negatable: bool = False) -> list[Violation]:
    """At most one finding per field: the first match that is not negated in its clause."""
    out = []
    for field, text, lowered in texts:
        for match in phrases.finditer(text, lowered):
            if negatable:
                clause = re.split(r"[.;:!?,]|\bbut\b", text[max(0, match.start() - 60) : match.start()])[-1]
                if _NEGATION.search(clause):
                    continue
            out.append(_v(code, "error", field, f"{what}: {_snippet(text, match)}"))
            break
    return out


def every_text(fields: Fields, outcome: Outcome) -> list[Violation]:
    """The rules every text of every draft must pass."""
    texts = [(field, plain, plain.lower()) for field, plain in ((f, _plain(t)) for f, t in fields.items())]
    out = [_v("empty", "error", f, "is empty") for f, t, _ in texts if not t.strip()]
    out += _findings(texts, _PLACEHOLDERS, "placeholder", "template leftover or model chatter")
    out += _findings(texts, _RECONSIDER, "reconsider", "asks to revisit the decision", negatable=True)
    out += _findings(texts, _NEGATIVE, "negative_tone", "sounds bitter or blaming")
    disappointed = [(f, m) for f, t, low in texts if "disappoint" in low for m in _DISAPPOINT.finditer(t)]
    if len(disappointed) > 1:
        out.append(_v("negative_tone", "error", disappointed[1][0], "dwells on disappointment (said more than once)"))
    other = "a declined offer" if outcome == "rejected" else "not being selected"
    out += _findings(texts, _WRONG_OUTCOME[outcome], "wrong_outcome", f"speaks of {other}")
    return out


def buzzwords(fields: Fields) -> list[Violation]:
    out = []
    for field, text in fields.items():
        words = sorted({m.group(0).lower() for m in _BUZZWORDS.finditer(text, text.lower())})
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
    r"^\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|greetings)\b[ \t,]*(?P<who>[^,:!\n]*)", _I
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
        if who.isdisjoint((manager.first_name.casefold(), manager.last_name.casefold())):
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
    r"^\s*(?:do|does|did|can|could|would|will|is|are|was|were|have|has|had|should|shall|may|might|am|must)\b", _I
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
