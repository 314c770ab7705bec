"""The phrases the guardrails look for, each pattern paired with the words it needs to be worth running."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._reading import as_read, joined, split_words, unleet
from ._trie import trie

__all__ = [
    "BUZZWORDS",
    "DISAPPOINT",
    "DISCLAIMER",
    "NEGATION",
    "NEGATIVE",
    "OFF_TOPIC",
    "PLACEHOLDERS",
    "WATCHED",
    "WRONG_OUTCOME",
    "WRONG_VOICE",
    "Phrases",
    "each",
    "plain",
    "reading",
    "words_in",
]

_I = re.IGNORECASE


def plain(text: str) -> str:
    """``text`` with typographic quotes as plain ones, so one pattern covers both."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def reading(text: str) -> str:
    """``text`` as a reader reads it (``_reading.as_read``), with the ``WATCHED`` words joined where split."""
    text = unleet(as_read(text))
    return joined(text, words) if (words := split_words(text.lower(), WATCHED)) else text


def _on_lowered(pattern: str, flags: int) -> re.Pattern[str] | None:
    """``pattern`` compiled to run on lowercase text without IGNORECASE, which is about twice as fast, where that
    means the same: a case-blind pattern with no capital letter outside its escapes (such as ``\\W``)."""
    if not flags & re.IGNORECASE or re.search("[A-Z]", re.sub(r"\\.", "", pattern)):
        return None
    return re.compile(pattern, flags & ~re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Rule:
    keys: tuple[str, ...]
    words: frozenset[str]
    """The keys that begin with a letter or digit: found by ``words_in`` where a word starts."""
    marks: tuple[str, ...]
    """The keys that begin with another character ("[", "{"): looked for anywhere."""
    pattern: re.Pattern[str]
    on_lowered: re.Pattern[str] | None


def each(*parts: tuple[str, ...]) -> tuple[str, ...]:
    """Every way to say one of each of ``parts`` in turn, as keys: ``each(("a", "the"), ("role", "job"))``."""
    return tuple(" ".join(words) for words in itertools.product(*parts))


@functools.cache
def _scanner(families: tuple[Phrases, ...]) -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One scan for the words of all ``families``, with each word mapped to the words that begin a word in it
    (the scan finds the longest at each place)."""
    words = {w for phrases in families for rule in phrases.rules for w in rule.words}
    held = {
        w: frozenset(
            w[i:j]
            for i in range(len(w))
            if i == 0 or not w[i - 1].isalnum()
            for j in range(i + 1, len(w) + 1)
            if w[i:j] in words
        )
        for w in words
    }
    return re.compile(rf"(?<![a-z0-9])(?=({trie(words)}))"), held


def words_in(lowered: str, families: tuple[Phrases, ...]) -> frozenset[str]:
    """The words of ``families``' rules that begin a word in ``lowered``, found in one scan of it (a trie of them
    all) instead of one search per word: a draft is checked against a few hundred."""
    scan, held = _scanner(families)
    found: set[str] = set()
    for word in scan.findall(lowered):
        found |= held[word]
    return frozenset(found)


class Phrases:
    """Patterns, each paired with lowercase words one of which it needs: a fast substring check
    skips the (much slower) regular expression on the usual text that has none of them. A key that begins
    with a letter or a digit is the beginning of a word: "reconsider" is looked for where a word starts."""

    def __init__(self, *rules: tuple[tuple[str, ...], str, int]) -> None:
        self.rules = [
            _Rule(keys, frozenset(k for k in keys if k[0].isalnum()), tuple(k for k in keys if not k[0].isalnum()),
                  re.compile(p, flags), _on_lowered(p, flags))
            for keys, p, flags in rules
        ]  # fmt: skip
        self.keys = tuple(sorted({k for keys, _, _ in rules for k in keys}))
        # For the first look, a key that holds another ("the decision" holds "decision") adds nothing.
        self._gate = tuple(k for k in self.keys if not any(o != k and o in k for o in self.keys))
        self._by_word: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for word in rule.words:
                self._by_word.setdefault(word, []).append(i)
        self._marked = [i for i, rule in enumerate(self.rules) if rule.marks]

    def anywhere(self, lowered: str) -> bool:
        """False when no pattern can match ``lowered`` (say, every field of a draft joined): none of the words
        any of them needs is there."""
        return any(map(lowered.__contains__, self._gate))

    def present(self, lowered: str, found: frozenset[str] | None = None) -> list[_Rule]:
        """The rules one of whose words is in ``lowered`` (say, every field of a draft joined; ``found`` the
        words ``words_in`` found there): each field then needs only these looked at, not every rule again."""
        if found is not None:
            chosen = {i for word in found for i in self._by_word.get(word, ())}
            chosen.update(i for i in self._marked if any(map(lowered.__contains__, self.rules[i].marks)))
            return [self.rules[i] for i in sorted(chosen)]
        if not any(map(lowered.__contains__, self._gate)):
            return []
        return [rule for rule in self.rules if any(map(lowered.__contains__, rule.keys))]

    def finditer(
        self, text: str, lowered: str, *, looked: bool = False, rules: list[_Rule] | None = None
    ) -> Iterator[re.Match[str]]:
        """Every match in ``text`` (``lowered`` is it in lowercase; a match may be in either, at the same
        offsets); ``looked`` when ``anywhere`` already found a key in a text that holds this one, so only each
        pattern's own keys are checked; ``rules`` when ``present`` already chose the rules worth running."""
        if rules is None:
            if not looked and not any(map(lowered.__contains__, self._gate)):
                return
            rules = self.rules
        same = len(lowered) == len(text)  # not so where a letter's lowercase is longer (offsets would differ)
        for rule in rules:
            if any(map(lowered.__contains__, rule.keys)):
                if rule.on_lowered is not None and same:
                    yield from rule.on_lowered.finditer(lowered)
                else:
                    yield from rule.pattern.finditer(text)


PLACEHOLDERS = Phrases(
    (("[",), r"\[[^\[\]\n]{1,60}\](?!\()", 0),
    (("{",), r"\{\{?[^{}\n]{0,60}\}?\}", 0),
    (("<",), r"<[A-Za-z_][A-Za-z _\-]{1,40}>", 0),
    (("xx",), r"\bX{2,}\b", 0),
    (("tbd", "tba", "todo", "fixme", "insert"), r"\b(?:TBD|TBA|TODO|FIXME|INSERT)\b", 0),
    (("lorem",), r"\blorem ipsum\b", _I),
    (("as an ai", "language model"), r"\bas an ai\b|\bas a (?:large )?language model\b", _I),
    (("sorry", "afraid"), r"\bi(?:'m| am) (?:sorry|afraid),? (?:but )?i (?:can't|cannot|can not|won't|am unable)", _I),
    (("help with", "assist with"), r"\bi (?:can't|cannot) (?:help|assist) with\b", _I),
    (("here's", "here is"), r"^\s*(?:sure|certainly|of course)[!,.]? here(?:'s| is)\b", _I | re.MULTILINE),
    (("name here",), r"\b(?:your|candidate's|manager's|company) name here\b", _I),
)

WATCHED = ("reconsider", "reevalu", "reassess", "reexamin", "riconsider", "heroverweg", "uberdenk", "revisit",
           "rethink", "overturn", "unfair", "unjust", "frustrat", "blindsided")  # fmt: skip
"""Words that are a finding on their own, and so are worth joining again where a text splits them ("re-consider",
"un fair"): the reading view (``as_read``) looks for them split."""
NEGATION = re.compile(r"\b(?:not|never|no|nor|without)\b|n't\b", _I)
"""Any negation word (the follow-up rules use it to read "not ... now" as no pressure)."""
DISCLAIMER = re.compile(
    r"(?:\bnot|\bnever|n't|\bno longer|\bwithout)\s+(?:\w+\s+){0,2}?"
    r"(?:ask\w*|expect\w*|hop\w*|request\w*|writ\w*|try\w*|here|mean\w*|intend\w*|want\w*|seek\w*|looking|"
    r"suggest\w*|pressur\w*|push\w*|lobby\w*|argu\w*|reach\w*|contact\w*)\b",
    _I,
)
"""A negation that disclaims the ask ("I am not asking you to reconsider"), as opposed to one that hides it
("No pressure, but would you reconsider?")."""

NEGATIVE = Phrases(
    (
        ("unfair", "unjust", "mistake", "frustrat", "bitter", "blindsided"),
        r"\bunfair\w*|\bunjust\w*|\bmistake\w*|\bfrustrat\w*|\bbitter\w*|\bblindsided\b",
        _I,
    ),
    (
        ("deserve", "waste", "your loss"),
        r"\bi (?:deserved|deserve)\b|\bwaste(?:d)? (?:of )?(?:my )?time\b|\byour loss\b",
        _I,
    ),
    (
        ("regret", "missed out", "upset", "angry", "shocked"),
        r"\byou(?:'ll| will) regret\b|\bmissed out\b|\b(?:upset|angry|shocked)\b",
        _I,
    ),
)
DISAPPOINT = re.compile(r"\bdisappoint\w*", _I)

WRONG_OUTCOME = {
    "rejected": Phrases(
        (
            ("offer",),
            r"\b(?:declin\w*|turn\w* down|pass\w* on|accept\w*|extend\w*|grateful for|thank you for|thanks for)"
            r"\b[^.!?\n]{0,40}\boffer\b(?!\s+(?:you|to|any|some|my|help|of (?:your|their|his|her|a call|time)))",
            _I,
        ),
        (
            (
                "job offer",
                "employment offer",
                "formal offer",
                "verbal offer",
                "written offer",
                "generous offer",
                "kind offer",
                "official offer",
                "final offer",
                "offer letter",
                "offer package",
                "offer details",
                "offer of employment",
                "the offer",
                "your offer",
                "this offer",
                "an offer",
                "that offer",
                "offered me",
                "job offers",
                "final offers",
            ),
            # An offer named as such ("Job Offer", "the offer letter") in a rejection; "the offer of your time"
            # and "an offer to help" are not one.
            r"\b(?:job|employment|formal|verbal|written|generous|kind|official|final) offers?\b"
            r"|\boffer (?:letter|package|details|of employment)\b"
            r"|\b(?:the|your|this|an|that) offer\b(?!\s+(?:of|to|for|you|from you)\b)"
            r"|\boffered me (?:the|a|this) (?:role|job|position)\b",
            _I,
        ),
        (("decision to",), r"\b(?:my|the) decision to (?:decline|turn down|pass)\b", _I),
    ),
    "declined_offer": Phrases(
        (
            ("selected", "chosen", "picked", "successful", "unsuccessful"),
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
        (("filled",), r"\b(?:role|position|job) (?:has been|was|is) filled\b", _I),
    ),
}

WRONG_VOICE = Phrases(
    (
        ("candidate", "applicant"),
        r"\b(?:the|this|that|our|said|my) (?:(?:selected|chosen|successful|other|new|right|best|ideal|strongest|"
        r"final|top|preferred|winning|internal|external) )?(?:candidate|applicant)\b(?!s)",
        _I,
    ),
    (
        each(
            (
                "select",
                "selected",
                "selecting",
                "hire",
                "hired",
                "hiring",
                "choose",
                "choosing",
                "pick",
                "picked",
                "picking",
                "reject",
                "rejected",
                "rejecting",
                "interview",
                "interviewed",
                "interviewing",
                "onboard",
                "onboarded",
                "onboarding",
            ),
            ("them", "him", "her"),
        ),
        r"\b(?:we|i)(?:'ll|'d| (?:should|would|could|will|might|did|do|have|had|decided to|chose to))?"
        r" (?:select|hire|choose|pick|reject|interview|onboard)(?:ed|d|ing)? (?:them|him|her)\b",
        _I,
    ),
    (("why should",), r"\bwhy should (?:we|i) (?:select|hire|choose|pick|consider|trust)\b", _I),
    (
        ("she", "he would", "he'd", "he will", "he'll", "he is", "he's", "he has", "he loves", "he wants", "he hopes"),
        # The candidate as "she" or "he", wanting something of the reader: "She would love your advice".
        r"\b(?:she|he)(?:'d|'ll|'s| would| will| is| has| was)?(?: (?:really|very much|so|truly|also))? (?:love|like|"
        r"value|appreciate|welcome|be (?:grateful|glad|happy|thankful|delighted|keen)|hope|want|loves|likes|values|"
        r"appreciates|welcomes|hopes|wants|hoping|keen)\b[^.!?\n]{0,60}?\b(?:you|your)\b",
        _I,
    ),
    (
        each(
            ("her", "his"),
            ("own", "job", "search", "application", "candidacy", "cv", "resume", "portfolio", "interview"),
        ),
        r"\b(?:her|his) (?:own )?(?:job search|search|job hunt|application|candidacy|cv|resume|portfolio|"
        r"interviews?)\b(?! (?:of|to|for|with) )",
        _I,
    ),
    (
        ("behalf", "client", "represent", "as her", "as his", "as their", "i'm her", "i'm his", "i am her", "i am his"),
        # Someone writing for the candidate: a coach, an agent, a recruiter.
        r"\bon (?:her|his|their|my client's|our client's) behalf\b"
        r"|\bon behalf of (?:her|him|them|my client|our client)\b"
        r"|\b(?:my|our) client(?:'s)? (?:would|is|has|will|was|wants|hopes|asked|loves|values)\b"
        r"|\bi(?: am|'m)? (?:represent|representing) (?:her|him|them|a candidate|my client)\b"
        r"|\b(?:as|i am|i'm|being) (?:her|his|their) (?:career |job |personal )?(?:coach|agent|recruiter|"
        r"representative|assistant|advisor|adviser|counsel(?:l)?or|mentor|lawyer|attorney|manager)\b",
        _I,
    ),
)
"""Words that are not the candidate's own: about "the candidate" (or "she", "her search") in the third person,
someone writing on their behalf, or the interviewer's."""

OFF_TOPIC = Phrases(
    (("what made you", "what makes you"), r"\bwhat (?:made|makes) you (?:think|believe|feel|qualified)\b", _I),
    (("why should", "why do you", "why did you", "why would you"),
     r"\bwhy (?:should|do|did|would) (?:we|you|i) (?:hire|select|choose|pick|want|think you|deserve|apply)\b", _I),
    (("strength", "weakness"), r"\byour (?:greatest |biggest )?(?:strengths?|weakness(?:es)?)\b", _I),
    (("yourself",), r"\btell (?:me|us) about yourself\b|\bwhere do you see yourself\b", _I),
    (("how could you", "how dare"), r"\bhow (?:could|dare) you\b", _I),
    (("why wasn't", "why was i not", "why didn't you", "why did you not"),
     r"\bwhy (?:wasn't i|was i not|didn't you|did you not) (?:selected|chosen|hired|pick|choose|hire|select)\w*", _I),
)  # fmt: skip
"""Questions that make no sense on the call: asked of the candidate, or arguing with the decision."""

BUZZWORDS = Phrases(
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
