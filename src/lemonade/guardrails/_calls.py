"""The rules about the call itself: how long it is asked to be, and the questions to ask on it."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from ._phrases import OFF_TOPIC, plain
from ._reading import as_read
from ._report import Violation, finding

__all__ = ["MAX_QUESTIONS", "call_length", "questions"]

MAX_QUESTIONS = 7
_PER_FIELD = 3
"""At most this many findings of one code in one field."""

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
_CALL_WORDS = re.compile(
    r"\b(?:call|chat\w*|conversation|talk\w*|phone|speak\w*|meet\w*|zoom|time|discuss\w*|catch up|session)\b"
)
_UNIT = re.compile(r"min|hour")

# Shorter or vaguer ways to say how long, counted only where they say how long the call is: framed as a length
# ("for 1h", "spare 30'", "spend the afternoon", "a 1.5 hrs call") in a sentence about a call or that asks.
_LOOSE = re.compile(
    r"(?<![\w.,'])(?P<n>\d{1,2}(?:[.,]\d{1,2})?|[.,]\d{1,2})\s*(?:h|hrs?|hours?)(?P<mm>[0-5]\d)?\b"
    r"|(?<![\w.,'$\u00a3\u20ac])(?P<m>\d{1,3})(?:\s?'(?![\w'])|m\b)"
    r"|\b(?P<vague>(?:a few|several|a couple|a number of|a good few|some|many|two or three|three or four|"
    r"a handful of) hours|hours|an hour or (?:two|so)|(?:an|one) hrs?|(?:a|one) (?:good|full|whole|solid) hour|"
    r"half a day|a half[ -]day|"
    r"(?:a|one|your|my|the) (?:whole|entire|full|long) (?:day|afternoon|morning|evening)"
    r"|all (?:day|afternoon|morning|evening)"
    r"|(?P<part>(?:the|an|a|one|this|that|your|my) (?:day|afternoon|morning|evening))"
    r"|(?:a |an )?(?:long |leisurely |working |quick |short )?(?:lunch|dinner|brunch|drinks))\b"
)
_LOOSE_WORDS = (
    "hour",
    "hrs",
    " hr",
    "afternoon",
    "morning",
    "evening",
    "whole day",
    "entire day",
    "full day",
    "the day",
    "all day",
    "half a day",
    "half-day",
    "half day",
    "lunch",
    "dinner",
    "brunch",
    "drinks",
)
_LOOSE_DIGITS = re.compile(r"\d\s?(?:'|h|m\b)")
"""What a shorter or vaguer duration needs: one look for these before the costlier scan."""
_FRAMED_BEFORE = re.compile(
    r"\b(?:for|spare|give me|spend|spending|over|during|set aside|block(?: out)?|book|reserve|need|up to|borrow|"
    r"steal|grab|have|take up|lasting|(?:talk|chat|speak|meet|discuss)\w*(?: (?:it|this|that|things))?"
    r"(?: (?:through|over))?)(?:\s+(?:a|an|about|around|roughly|maybe|perhaps|just|only|at least|at most|"
    r"a good|a solid|\d{1,3}(?:[.,]\d{1,2})?\s*(?:-|\u2013|to|or)))*\s*$"
)
_FRAMED_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:long\s+)?(?:video |phone |zoom )?(?:call|chat|meeting|conversation|session|slot|talk|"
    r"catch[- ]up)\b"
)
_FRAMED_PART = re.compile(r"\b(?:for|spend|spending|block(?: out)?|set aside|take up)\s*$")
"""A part of the day says how long only where it is spent or blocked out: "meet this afternoon" says when."""
_MARK = re.compile(r"[.!?\n]")
_ASKS = re.compile(r"\?|\b(?:would|could|can|may|might|let's|let us|happy to|glad to|free)\b")
_VAGUE_MINUTES = {"half a day": 240, "a half-day": 240, "a half day": 240, "hours": 120, "an hr": 60, "one hr": 60,
                  "an hrs": 60, "one hrs": 60}  # fmt: skip


def _loose_minutes(match: re.Match[str]) -> int:
    if match.group("n"):
        hours = float(match.group("n").replace(",", "."))
        return round(60 * hours) + int(match.group("mm") or 0)
    if match.group("m"):
        return int(match.group("m"))
    vague = match.group("vague")
    if vague.endswith(("lunch", "dinner", "brunch", "drinks")):
        return 60
    if vague.endswith("day"):
        return 480
    if vague.endswith(("afternoon", "morning", "evening")):
        return 180
    return _VAGUE_MINUTES.get(vague, 180)


def _loose(lowered: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each shorter or vaguer duration in ``lowered`` that says how long the call is, with its minutes."""
    if not any(map(lowered.__contains__, _LOOSE_WORDS)) and not _LOOSE_DIGITS.search(lowered):
        return
    marks: list[int] | None = None
    about_call: dict[int, bool] = {}
    for match in _LOOSE.finditer(lowered):
        before = lowered[max(0, match.start() - 40) : match.start()]
        if match.group("part"):
            if not _FRAMED_PART.search(before):
                continue
        elif not (_FRAMED_BEFORE.search(before) or _FRAMED_AFTER.match(lowered, match.end())):
            continue
        if marks is None:
            marks = [m.start() for m in _MARK.finditer(lowered)]
        at = bisect.bisect_left(marks, match.start())
        if at not in about_call:  # each sentence looked at once, however many durations it holds
            start, end = (marks[at - 1] + 1 if at else 0), (marks[at] if at < len(marks) else len(lowered))
            about_call[at] = bool(_CALL_WORDS.search(lowered, start, end) or _ASKS.search(lowered, start, end))
        if about_call[at]:
            yield match, _loose_minutes(match)


def _minutes(match: re.Match[str]) -> int:
    if match.group("half"):
        return 30
    if match.group("h"):
        h = match.group("h").lower()
        return 60 * ({"an": 1, "one": 1, "a couple of": 2, "two": 2}.get(h) or int(h))
    top = (match.group("b") or match.group("a")).lower()
    return _NUMBERS.get(top) or int(top)


def _durations(lowered: str) -> Iterator[re.Match[str]]:
    """Each duration in ``lowered`` text, found by looking back from each unit word (scanning all of it is slow)."""
    seen = set()
    for unit in _UNIT.finditer(lowered):
        for match in _DURATION.finditer(lowered, max(0, unit.start() - 40), unit.end() + 8):
            if match.span() not in seen:
                seen.add(match.span())
                yield match


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, max(0, start - 400), start) for mark in ".!?\n") + 1
    rights = [i for i in (text.find(mark, end, end + 400) for mark in ".!?\n") if i != -1]
    return text[max(left, start - 400) : min(rights, default=min(len(text), end + 400))]


def call_length(fields: Mapping[str, str], call_minutes: int, limit: int) -> list[Violation]:
    """The call asked for is at most ``limit`` minutes, and the text agrees with ``call_minutes``.

    In a call request any duration over the limit is too long, whatever the sentence (a longer call can be
    asked for without the word "call"); a shorter one must match ``call_minutes`` where it speaks of the call.
    """
    out = []
    if call_minutes > limit:
        out.append(finding("call_too_long", "error", "call_minutes", f"{call_minutes} minutes; at most {limit}"))
    if call_minutes < 1:
        out.append(finding("call_too_long", "error", "call_minutes", f"{call_minutes} is not a call length"))
    for field, text in fields.items():
        lowered = as_read(text).lower()
        said: dict[str, int] = {"call_too_long": 0, "call_minutes_mismatch": 0}
        found = [(match, _minutes(match)) for match in _durations(lowered)]
        taken = [match.span() for match, _ in found]
        found += [(m, n) for m, n in _loose(lowered) if not any(s < m.end() and m.start() < e for s, e in taken)]
        for match, asked in found:
            if asked > limit:
                code, message = "call_too_long", f"names {match.group(0)!r}; at most {limit}"
            elif asked != call_minutes and _CALL_WORDS.search(_sentence(lowered, match.start(), match.end())):
                code, message = "call_minutes_mismatch", f"says {match.group(0)!r} but call_minutes is {call_minutes}"
            else:
                continue
            said[code] += 1
            if said[code] <= _PER_FIELD:
                out.append(finding(code, "error", field, message))
    return out


_CLOSED = re.compile(
    r"^\s*(?:do|does|did|can|could|would|will|is|are|was|were|have|has|had|should|shall|may|might|am|must)\b",
    re.IGNORECASE,
)


def _words(question: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", plain(question).lower()))


def _similar(one: frozenset[str], other: frozenset[str], threshold: float) -> bool:
    return len(one & other) >= threshold * len(one | other)


def _duplicates(items: Sequence[str], threshold: float = 0.8) -> dict[int, int]:
    """Each question that repeats an earlier one (Jaccard similarity of their words at least ``threshold``),
    mapped to the first it repeats. Prefix filtering keeps this near linear: two sets that similar share a
    word among the rarest few of each, so only those pairs are compared."""
    sets = [_words(q) for q in items]
    if len(sets) <= 12:  # a handful: compare every pair
        return {
            i: j
            for i in range(len(sets))
            if sets[i] and (j := next((j for j in range(i) if _similar(sets[i], sets[j], threshold)), -1)) != -1
        }
    counts = Counter(word for words in sets for word in words)
    index: dict[str, list[int]] = {}
    repeats: dict[int, int] = {}
    for i, words in enumerate(sets):
        if not words:
            continue
        rarest = sorted(words, key=lambda w: (counts[w], w))
        prefix = rarest[: len(words) - math.ceil(threshold * len(words)) + 1]
        seen: set[int] = set()
        for word in prefix:
            for j in index.get(word, ()):
                if j not in seen:
                    seen.add(j)
                    if _similar(words, sets[j], threshold):
                        repeats[i] = min(repeats.get(i, j), j)
            index.setdefault(word, []).append(i)
    return repeats


def questions(items: Sequence[str], permission: str) -> list[Violation]:
    """3 to 7 distinct, open questions, each a real question that asks the manager for help; the permission
    question may be yes/no."""
    out = []
    if not 3 <= len(items) <= MAX_QUESTIONS:
        out.append(finding("question_count", "error", "questions", f"{len(items)} questions; ask 3 to 7"))
    repeats = _duplicates(items)
    for i, q in enumerate(items):
        field = f"questions[{i}]"
        if not q.rstrip().endswith("?"):
            out.append(finding("not_a_question", "error", field, "does not end with a question mark"))
        if _CLOSED.match(q):
            out.append(finding("not_open_question", "error", field, f"can be answered yes or no: {q.split()[0]!r}"))
        if i in repeats:
            out.append(finding("duplicate_question", "error", field, f"repeats questions[{repeats[i]}]"))
        text = as_read(q)
        if match := next(OFF_TOPIC.finditer(text, text.lower()), None):
            out.append(
                finding("off_topic_question", "error", field,
                        f"{match.group(0)!r} is not a question to ask the manager; ask for advice, people or openings")
            )  # fmt: skip
    if not permission.rstrip().endswith("?"):
        out.append(finding("not_a_question", "error", "permission_question", "does not end with a question mark"))
    return out
