"""The rules of the follow-up steps (nudge, thank-you after the call, introductions, check-in), and the
masking that keeps people's and organisations' names from reading as links or placeholders.

A name such as ``Northwind.io`` or ``[Labs] Inc`` is what the candidate typed, not something a model
invented: ``masked`` swaps every known name for a plain word before the link, placeholder and wording
rules run, while the rules about who is greeted and named still read the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..situation._situation import Person
from ._phrases import NEGATION, Phrases, reading
from ._report import Severity, Violation
from ._rules import Fields

__all__ = [
    "asks_for_job",
    "call_detail",
    "call_words",
    "connection_first",
    "forwardable",
    "guilt",
    "masked",
    "names_one_of",
    "one_ask",
    "open_to_role",
    "reopens_decision",
    "sentences",
]

_I = re.IGNORECASE
_STAND_IN = "Name"


def _v(code: str, field: str, message: str, severity: Severity = "error") -> Violation:
    return Violation(code=code, severity=severity, field=field, message=message)


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def masked(fields: Fields, names: Iterable[str | None]) -> dict[str, str]:
    """``fields`` with every occurrence of each name (longest first, any case) replaced by a plain word."""
    known = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not known:
        return dict(fields)
    pattern = re.compile("|".join(re.escape(n) for n in known), _I)
    return {field: pattern.sub(_STAND_IN, text) for field, text in fields.items()}


def _matches(phrases: Phrases, fields: Fields, code: str, what: str, *, negatable: bool = False) -> list[Violation]:
    """At most one finding per field: the first match not negated earlier in its clause."""
    out = []
    for field, raw in fields.items():
        text = reading(raw)
        for match in phrases.finditer(text, text.lower()):
            if negatable:
                clause = re.split(r"[.;:!?,]|\bbut\b", text[max(0, match.start() - 60) : match.start()])[-1]
                if NEGATION.search(clause):
                    continue
            snippet = text[max(0, match.start() - 15) : match.end() + 15].strip()
            out.append(_v(code, field, f"{what}: {snippet!r}"))
            break
    return out


_GUILT = Phrases(
    (
        ("surprised", "disappointed", "concerned", "puzzled", "worried", "sad"),
        r"\b(?:surprised|disappointed|concerned|puzzled|worried|sad)\b[^.!?\n]{0,40}?"
        r"(?:\bnot\b|n't\b|\bno\b)[^.!?\n]{0,25}?\b(?:heard|hear|replied|reply|responded|response|answered|answer)",
        _I,
    ),
    (
        ("you",),
        r"\byou(?:'ve| have)? (?:still )?(?:haven't|have not|didn't|did not|never|not) (?:yet )?"
        r"(?:replied|responded|answered|gotten back|got back|written back|reply|respond|answer|get back|write back)\b",
        _I,
    ),
    (("waiting",), r"\b(?:still|been|keep) waiting\b", _I),
    (("per my",), r"\bper my (?:last|previous|earlier) (?:email|note|message)\b", _I),
    (("ignor",), r"\bignor\w*", _I),
    (("from you",), r"\bno (?:reply|response|answer|word) from you\b", _I),
    (("again", "second", "third", "last time"), r"\bfollowing up again\b|\bfor the (?:second|third|last) time\b", _I),
    (
        ("busy",),
        r"\b(?:I'm sure|I know|I realize|I understand) you(?:'re| are) (?:very |so |extremely )?busy,? but\b",
        _I,
    ),
    (("courtesy", "should have"), r"\bcourtesy\b|\byou should have\b", _I),
)


def guilt(fields: Fields) -> list[Violation]:
    """``guilt``: pressing or blaming the reader for not answering ("I haven't heard back" is fine)."""
    return _matches(_GUILT, fields, "guilt", "blames the reader for not answering")


_JOB_ASK = Phrases(
    (("hiring",), r"\b(?:are|is) (?:you|your team|they|\w+) (?:currently |still )?hiring\b", _I),
    (
        ("any", "open", "know of", "is there", "are there"),
        r"\b(?:are there|do you have|is there|have you got|know of) (?:any )?(?:open )?"
        r"(?:jobs?|positions?|roles?|openings?|vacanc\w+)\b",
        _I,
    ),
    (
        ("refer", "recommend", "put me", "referral"),
        r"\b(?:refer|recommend|put) me (?:for|forward for|to (?:the|a|an|your) (?:role|position|job|hiring))\b"
        r"|\b(?:a|an|your|internal) referral\b(?! (?:from|of|by))",
        _I,
    ),
    (("good word", "a word"), r"\bput in a (?:good )?word\b", _I),
    (("consider me",), r"\bconsider me for\b", _I),
    (("job", "role", "position"), r"\b(?:get|land|find|secure|offer me) (?:a|an) (?:job|role|position)\b", _I),
    (("ask", "looking for"), r"\b(?:asking|ask|looking) (?:you )?for (?:a|an) (?:job|role|position)\b", _I),
)


def asks_for_job(fields: Fields) -> list[Violation]:
    """``asks_for_job``: asks for a job, or a referral to one, rather than for advice."""
    return _matches(_JOB_ASK, fields, "asks_for_job", "asks for a job or a referral to one", negatable=True)


_REOPENS = Phrases(
    (("changed my mind", "change my mind"), r"\b(?:I've|I have|I) changed my mind\b", _I),
    (("table",), r"\bback on the table\b", _I),
    (("reopen", "re-open", "revive"), r"\b(?:re-?open|revive) (?:the|my) (?:offer|application|candidacy)\b", _I),
)


def reopens_decision(fields: Fields) -> list[Violation]:
    """``reconsider`` (as every step has it), plus the ways a later note can try to reopen an old decision."""
    return _matches(_REOPENS, fields, "reconsider", "tries to reopen the decision", negatable=True)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]*\s+")
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|greetings)\b[ \t,]*(?P<who>[^,:!\n]*)[,:!]?\s*$",
    _I,
)


def _greeting_and_rest(body: str) -> tuple[str | None, str]:
    first, _, rest = body.strip().partition("\n")
    match = _GREETING.match(first)
    return (match.group("who").strip(), rest) if match else (None, body.strip())


def sentences(body: str) -> list[str]:
    """The sentences of an email's message, greeting line left out."""
    _, rest = _greeting_and_rest(body)
    return [s.strip() for s in _SENTENCE_END.split(" ".join(rest.split())) if s.strip()]


def _names_in(text: str, person_names: Sequence[str]) -> bool:
    lowered = _plain(text).casefold()
    return any(re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", lowered) for n in person_names if n)


def connection_first(field: str, body: str, connector: Person) -> list[Violation]:
    """``no_connection``: an outreach email names who connected them within its first two sentences."""
    opening = " ".join(sentences(body)[:2])
    if _names_in(opening, (connector.name, connector.first_name, connector.last_name)):
        return []
    return [_v("no_connection", field, f"does not name {connector.name} as the connection in its first two sentences")]


_MANAGER_ONLY = Phrases(
    (
        ("you",),
        r"\byou(?:'ve| have)? (?:so )?(?:kindly )?(?:suggested|mentioned|offered|recommended|said|told|named|"
        r"pointed|agreed|put me)\b",
        _I,
    ),
    (("your",), r"\byour (?:kind )?(?:offer|suggestion|idea|introduction)\b", _I),
    (
        ("thank",),
        r"\bthank(?:s| you)(?: so much| again)? for (?:the|our|your)(?: kind)? "
        r"(?:call|chat|conversation|offer|suggestion|introduction|advice|help)\b",
        _I,
    ),
    (("discussed", "mentioned", "talked", "agreed"), r"\b(?:as|like) (?:we|you) (?:discussed|mentioned|said|"
     r"agreed|talked about)\b|\bwe (?:spoke|talked|discussed)\b", _I),
    (("our",), r"\bour (?:call|chat|conversation|talk|meeting)\b", _I),
)  # fmt: skip


def forwardable(field: str, body: str, referral_names: Sequence[str]) -> list[Violation]:
    """``not_forwardable``: greets anyone but the referral, or speaks to the manager in a way the referral,
    reading it forwarded, would not follow."""
    out = []
    who, _ = _greeting_and_rest(body)
    if who is not None and not _names_in(who, referral_names):
        out.append(_v("not_forwardable", field, f"greets {who or 'nobody by name'!r}; forwarded, it reads oddly"))
    out += _matches(_MANAGER_ONLY, {field: body}, "not_forwardable", "speaks to the manager, not to whoever reads it")
    return out


_ASK = re.compile(
    r"\?\s*$"
    r"|\b(?:would|could|might|can|may|will)\s+(?:you|she|he|they|I|we|[A-Z][\w'-]+)\s+(?:be\s+)?"
    r"(?:open|willing|able|have|spare|mind|share|give|find|make|talk|speak|meet|chat)\b"
    r"|\bI(?:'d| would)\s+(?:be\s+)?(?:very\s+|so\s+|most\s+)?(?:grateful|glad|love|like|appreciate|value|welcome)\b"
    r"|\bplease\b|\bhoping\s+(?:for|to)\b|\bI\s+(?:am|'m)\s+hoping\b|\bmay\s+I\b|\bcould\s+I\b",
    _I,
)


def one_ask(field: str, body: str) -> list[Violation]:
    """``ask_count``: the message makes exactly one ask."""
    asks = [s for s in sentences(body) if _ASK.search(_plain(s))]
    if len(asks) == 1:
        return []
    if not asks:
        return [_v("ask_count", field, "makes no ask; it should ask for one small thing")]
    return [_v("ask_count", field, f"makes {len(asks)} asks; make exactly one: {asks[1][:60]!r}")]


_ROLE = re.compile(r"\b(?:role|position|opening|opportunit\w*|job)s?\b", _I)
_BETTER = re.compile(
    r"\b(?:better|closer|more closely|stronger)[\s-](?:fit\w*|match\w*|suited|aligned)\b"
    r"|\b(?:fits?|match(?:es)?|suits?|aligns?)\s+(?:better|more closely)\b|\bright fit\b",
    _I,
)


def open_to_role(field: str, texts: Iterable[str]) -> list[Violation]:
    """``not_open_to_role``: after a declined offer, says plainly the candidate is open to a better-matched role."""
    for text in texts:
        for sentence in sentences(text) or [text]:
            if _ROLE.search(sentence) and _BETTER.search(sentence):
                return []
    return [_v("not_open_to_role", field, "does not say the candidate would be glad to hear of a better-matched role")]


_COMMON = (
    "about above after again also among away back been before being both came come could does doing done down "
    "each even ever every from further gave give good great have having here into just know knows like made make "
    "many maybe more most much must need next only other over quite really said same says seemed should since "
    "some still such sure than that their them then there these they thing things think this those though told "
    "very want wants well were what when where which while whom will with would your yours call called talked "
    "talk said suggested mentioned asked recommended offered today yesterday week weeks month people person"
)
_STOP = frozenset(_COMMON.split())


def call_words(notes: str, ignore: Iterable[str] = ()) -> list[str]:
    """The words of the call notes that say something (four letters or more, not common words, not the
    names in ``ignore``), lowercased, in the order they first appear."""
    ignored = {w.casefold() for n in ignore for w in re.findall(r"[^\W\d_]+", n)}
    words = [w for w in re.findall(r"[^\W\d_]{4,}", notes.casefold()) if w not in _STOP and w not in ignored]
    return list(dict.fromkeys(words))


def call_detail(
    field: str, texts: Iterable[str], notes: str, names: Iterable[str], ignore: Iterable[str]
) -> list[Violation]:
    """``no_call_detail``: names one thing from the call: a person suggested on it, or a word from its notes."""
    words = set(call_words(notes, ignore))
    things = [n for n in names if n]
    if not words and not things:
        return []
    lowered = " ".join(_plain(t) for t in texts).casefold()
    found = set(re.findall(r"[^\W\d_]{4,}", lowered))
    if words & found or any(n.casefold() in lowered for n in things):
        return []
    return [_v("no_call_detail", field, "names nothing from the call: no one suggested on it, nothing from its notes")]


def names_one_of(field: str, texts: Iterable[str], names: Sequence[str], code: str, what: str) -> list[Violation]:
    """``code`` when none of ``names`` (each a person's full name) appears in ``texts``."""
    if not names or any(_names_in(t, names) for t in texts):
        return []
    return [_v(code, field, f"does not name {what}")]
