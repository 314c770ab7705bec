"""The candidate named in the third person: a draft is in their own voice, so "Jill would love...", "Moreno
has...", "Ms. Moreno would..." or "on Jill's behalf" is someone else writing about them.

Any of the candidate's names counts (the full name, the first name, each further name of two letters or more
but for particles such as "van"), except a name another person in the situation shares: with a manager called
Dana Moreno, "Moreno would" may be her. Other people's names are never findings ("Dana would..." is fine).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ..situation._situation import Person
from ._reading import read_words
from ._report import Violation, finding

__all__ = ["third_person"]

_VERBS = (
    r"(?:is|was|has|had|will|would|could|should|can|may|might|must|brings|seems|showed|shows|demonstrated|thinks|"
    r"believes|feels|wants|wanted|hopes|hoped|loves|enjoys|enjoyed|asked|asks|wishes|looks forward|appreciates|"
    r"values|writes|wrote|applied|interviewed|knows|remains|'d|'ll)\b"
)
_NOUNS = (
    r"(?:behalf|portfolio|resume|cv|background|experience|application|candidacy|work|skills|search|job search|"
    r"profile|interviews?|coach|agent|recruiter|representative|assistant|advisor|adviser|mentor)\b"
)
_STATES = r"(?:looking|hoping|keen|eager|interested|available|happy|glad|excited|been|got|grateful)\b"
"""What follows "Jill's" when it says "Jill is" or "Jill has"."""
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "des", "di", "da", "das", "do", "dos", "du", "la", "le", "lo",
     "ter", "ten", "op", "bin", "ibn", "al", "el", "af", "av", "zu"}
)  # fmt: skip


@functools.lru_cache(maxsize=64)
def _names(name: str, others: tuple[str, ...]) -> tuple[str, ...]:
    """The candidate's names as a reader reads them (lowercase, longest first), less any another person shares."""
    words = name.split()
    theirs = {w.casefold() for other in others for w in other.split()}
    names = [name, *(w for w in words if len(w) > 1 and w.casefold() not in _PARTICLES)]
    return read_words(n for n in names if n.casefold() not in theirs)


@functools.lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?:{alternation})(?: [a-z]\.)?(?:[^\S\n]+{_VERBS}|'s[^\S\n]+(?:{_NOUNS}|{_STATES}))")


@functools.lru_cache(maxsize=64)
def _for_them(names: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"\bon behalf of (?:(?:ms|mrs|mr|mx|dr|miss)\.? )?(?:{alternation})\b"
        rf"|\bi(?: am|'m)? (?:represent|representing) (?:(?:ms|mrs|mr|mx|dr|miss)\.? )?(?:{alternation})\b"
        rf"|\b(?:writing|reaching out|write|reach out|asking) (?:for|on behalf of) (?:(?:ms|mrs|mr|mx|dr|miss)\.? )?"
        rf"(?:{alternation})\b"
    )


_FOR_THEM = ("behalf", "represent", "writing for", "write for", "reaching out for", "reach out for", "asking for")


def third_person(
    texts: Sequence[tuple[str, str, str]], lowered: str, candidate: Person, others: Iterable[str] = ()
) -> list[Violation]:
    """``wrong_voice`` where ``texts`` (field, text as read, its lowercase; ``lowered`` all of them joined) name
    the candidate as someone else would. Only the places where a name stands are looked at, in lowercase."""
    names = _names(candidate.name, tuple(others))
    present = [n for n in names if n in lowered]
    if not present:
        return []
    pattern = _pattern(names)
    for_them = _for_them(names) if any(map(lowered.__contains__, _FOR_THEM)) else None
    out = []
    for field, text, low in texts:
        match = None
        for name in present:
            at = low.find(name)
            while at != -1 and match is None:
                if at == 0 or not low[at - 1].isalnum():
                    match = pattern.match(low, at)
                at = low.find(name, at + 1)
            if match is not None:
                break
        if match is None and for_them is not None:
            match = for_them.search(low)
        if match is not None and len(low) == len(text):
            shown = repr(text[max(0, match.start() - 15) : match.end() + 15].strip())
            out.append(finding("wrong_voice", "error", field, f"speaks of the candidate as someone else: {shown}"))
        elif match is not None:
            out.append(finding("wrong_voice", "error", field, f"speaks of the candidate as someone else: {match[0]!r}"))
    return out
