"""The phrases the guardrails look for, each pattern paired with the words it needs to be worth running."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["BUZZWORDS", "DISAPPOINT", "NEGATION", "NEGATIVE", "PLACEHOLDERS", "RECONSIDER", "WRONG_OUTCOME", "Phrases"]

_I = re.IGNORECASE


class Phrases:
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


PLACEHOLDERS = Phrases(
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

RECONSIDER = Phrases(
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
NEGATION = re.compile(r"\b(?:not|never|no|nor|without)\b|n't\b", _I)

NEGATIVE = Phrases(
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
DISAPPOINT = re.compile(r"\bdisappoint\w*", _I)

WRONG_OUTCOME = {
    "rejected": Phrases(
        (
            ("offer",),
            r"\b(?:declin\w*|turn\w* down|pass\w* on|accept\w*|extend\w*|grateful for|thank you for|thanks for)"
            r"\b[^.!?\n]{0,40}\boffer\b(?!\s+(?:you|to|any|some|my|help))",
            _I,
        ),
        (("decision to",), r"\b(?:my|the) decision to (?:decline|turn down|pass)\b", _I),
    ),
    "declined_offer": Phrases(
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
