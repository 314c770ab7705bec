"""The phrases the guardrails look for, each pattern paired with the words it needs to be worth running."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._reading import as_read, joined, split_words

__all__ = [
    "BUZZWORDS",
    "DISAPPOINT",
    "DISCLAIMER",
    "NEGATION",
    "NEGATIVE",
    "OFF_TOPIC",
    "PLACEHOLDERS",
    "RECONSIDER",
    "WATCHED",
    "WRONG_OUTCOME",
    "WRONG_VOICE",
    "Phrases",
    "plain",
    "reading",
]

_I = re.IGNORECASE


def plain(text: str) -> str:
    """``text`` with typographic quotes as plain ones, so one pattern covers both."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


def reading(text: str) -> str:
    """``text`` as a reader reads it (``_reading.as_read``), with the ``WATCHED`` words joined where split."""
    text = as_read(text)
    return joined(text, words) if (words := split_words(text.lower(), WATCHED)) else text


class Phrases:
    """Patterns, each paired with lowercase words one of which it needs: a fast substring check
    skips the (much slower) regular expression on the usual text that has none of them."""

    def __init__(self, *rules: tuple[tuple[str, ...], str, int]) -> None:
        self.rules = [(keys, re.compile(pattern, flags)) for keys, pattern, flags in rules]
        self.keys = tuple(sorted({k for keys, _, _ in rules for k in keys}))
        # For the first look, a key that holds another ("the decision" holds "decision") adds nothing.
        self._gate = tuple(k for k in self.keys if not any(o != k and o in k for o in self.keys))

    def anywhere(self, lowered: str) -> bool:
        """False when no pattern can match ``lowered`` (say, every field of a draft joined): none of the words
        any of them needs is there."""
        return any(map(lowered.__contains__, self._gate))

    def finditer(self, text: str, lowered: str, *, looked: bool = False) -> Iterator[re.Match[str]]:
        """Every match in ``text`` (``lowered`` is it in lowercase); ``looked`` when ``anywhere`` already
        found a key in a text that holds this one, so only each pattern's own keys are checked."""
        if not looked and not any(map(lowered.__contains__, self._gate)):
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

_FUTURE = (
    r"(?!,? (?:for|in|when|if|should) (?:the |a |any )?(?:future|other|another|different|new|later|upcoming|similar)\b)"
)
"""Not followed by "for future roles" and the like: being considered for a later role is what a thank-you invites."""

RECONSIDER = Phrases(
    (
        (
            "reconsider",
            "reevalu",
            "reassess",
            "reexamin",
            "re-",
            "riconsider",
            "rivalut",
            "riesamin",
            "reavali",
            "heroverweg",
            "revidier",
            "berdenk",
        ),
        # The word itself, also in the languages a draft might slip into once accents are read away
        # (reconsiderer, reconsiderar, riconsiderare, reavaliar, heroverwegen, uberdenken, revidieren).
        r"\breconsider\w*|\bre-?(?:evalu|assess|examin)\w*|\b(?:riconsider|rivalut|riesamin|reavali|heroverweg|"
        r"revidier)\w*|\bu(?:e)?berdenk\w*",
        _I,
    ),
    (
        ("decision", "choice", "selection", "outcome", "rejection"),
        r"\b(?:revisit|reverse|overturn|rethink|review|change|appeal)\w*\s+(?:(?:against|of|on)\s+)?"
        r"(?:the|your|this|that|my)\s+(?:hiring\s+)?(?:decision|choice|selection|outcome|rejection)"
        r"(?!s?\s+(?:trees?|models?|tables?|matri\w+|frameworks?|making|makers?|logs?)\b)",
        _I,
    ),
    (
        ("your mind", "another", "second", "one more", "fresh look", "look again", "look at", "look over"),
        r"\bchange your mind\b|\b(?:another|a second|one more|a fresh|a new) (?:look|chance|shot|review)\b"
        r"|\blook again at my (?:application|candidacy|profile)\b"
        r"|\blook (?:at|over) (?:my|the) (?:application|candidacy|profile|resume|cv|interviews?) (?:again|once more|"
        r"a second time)\b",
        _I,
    ),
    (
        ("still",),
        r"\bstill (?:be )?(?:considered|in the running) for (?:the|this|that) (?:role|position|job)\b"
        r"|\bstill (?:be )?(?:under|in) consideration\b",
        _I,
    ),
    (
        ("considered", "consider me", "consider my"),
        # Being considered again for this role asks for the decision back; for future roles it does not.
        rf"\b(?:be|being|get|getting|been) (?:re-?)?considered (?:again|once more|anew|a second time)\b{_FUTURE}"
        rf"|\bconsider (?:me|my (?:application|candidacy|profile)) (?:again|once more|anew)\b{_FUTURE}",
        _I,
    ),
    (
        ("back in", "back into", "back on", "again in", "again into", "again on", "remain", "stay", "kept", "keep"),
        rf"\b(?:back|again) (?:in|into|on) (?:the )?(?:running|contention|consideration|shortlist|short[ -]list|"
        rf"process)\b{_FUTURE}"
        rf"|\b(?:remain|stay|keep me|kept) (?:in|under) (?:the running|consideration|contention)\b{_FUTURE}"
        rf"|\bkeep (?:my|me|our) (?:(?:application|candidacy|profile|file|name|cv|resume) )?(?:active|open|alive|"
        rf"live|on the table|in play|pending|under review)\b{_FUTURE}"
        r"|\b(?:keep|hold) (?:the|this|that) (?:role|position|job|offer|opening|spot) (?:open )?for me\b",
        _I,
    ),
    (
        ("revisit", "reopen", "re-open", "review", "relook"),
        r"\b(?:revisit|reopen|re-open|re-?review|relook at)\w* (?:my|our) (?:application|candidacy|file|case)\b",
        _I,
    ),
    (
        ("candidate", "hire", "choice", "pick", "option"),
        r"\b(?:if|should|in case) (?:the|your) (?:chosen|selected|other|successful|new) (?:candidate|hire)"
        r"|\b(?:if|should|in case) (?:the|your) (?:first|top|preferred|chosen|other) (?:choice|pick|candidate|hire|"
        r"option) (?:declines?|says no|turns (?:it|you) down|does not accept|doesn't accept|falls? through|"
        r"does not work out|doesn't work out|backs out|withdraws)\b",
        _I,
    ),
    (("wrong", "mistaken", "hasty", "unfair"), r"\b(?:wrong|mistaken|hasty|unfair) (?:decision|choice|call)\b", _I),
    (("better",), r"\b(?:I am|I'm|I was) (?:the|a) better (?:candidate|fit|choice)\b", _I),
    (
        (
            "anything",
            "something",
            "things",
            "the situation",
            "the decision",
            "the plan",
            "the hire",
            "the choice",
            "reopen",
            "open up",
            "opens up",
            "available again",
            "open again",
        ),
        # "If anything changes" asks them to come back to the decision; "on your side", "in the team" and the
        # like speak of new needs, which the thank-you note invites.
        r"\b(?:if|should|in case|whenever) (?:anything|something|things|the (?:situation|decision|plan|hire|choice))"
        r" (?:changes?|changed|should change|falls? through|(?:does not|doesn't|did not|didn't) work out)\b"
        r"(?!\s+(?:on|at|in|within|for|across) (?:your|the|their) (?:side|end|team|company|organi[sz]ation|group|"
        r"department|plans?|roadmap|business|future))"
        r"|\b(?:if|should|in case|when) (?:the|this|that) (?:role|position|job|opening|offer)"
        r" (?:opens? up again|reopens?|becomes? (?:available|open) again|is reopened)\b",
        _I,
    ),
    (
        ("decision", "choice", "outcome", "rejection"),
        r"\b(?:could|can|would|might|may|will) (?:the|your|this|that|my) (?:hiring )?"
        r"(?:decision|choice|outcome|rejection) (?:still )?(?:change|shift|be (?:changed|revisited|reversed|undone|"
        r"appealed|reconsidered|reviewed|overturned|reopened|revised|looked at again))\b"
        r"|\b(?:the|your|this|that|my) (?:hiring )?(?:decision|choice|outcome|rejection) (?:could|can|might|may|would|"
        r"will|should) (?:still )?be (?:changed|revisited|reversed|undone|appealed|reconsidered|reviewed|overturned|"
        r"reopened|revised)\b"
        r"|\bis (?:the|your|this|that) (?:decision|choice|outcome) (?:final|set in stone|still open)\b",
        _I,
    ),
    (
        ("appeal",),
        r"\b(?:an|any|the) appeals? (?:process|procedure)\b|\b(?:way|chance|option|possibility|right) to appeal\b",
        _I,
    ),
    (
        ("decision", "decisao", "d'avis", "opinion", "idea", "entscheidung", "beslissing", "berleg"),
        # The same asks in French, Spanish, Portuguese, Italian, German and Dutch, accents read away.
        r"\b(?:revenir sur|revoir|reviser|changer|revisar|cambiar|replantear(?:se)?|revertir|rivedere|cambiare)"
        r" (?:votre|ta|la|cette|sa|su|tu|esta|esa|la sua|questa) decisione?\b"
        r"|\b(?:rever|mudar|reverter) (?:a |a sua |sua |essa |esta )?decisao\b"
        r"|\bchanger d'avis\b|\bcambiar de (?:opinion|idea)\b|\bcambiare idea\b"
        r"|\bentscheidung\w*\b[^.!?\n]{0,60}\b(?:a(?:e)?ndern|r(?:u|ue)ckgangig|u(?:e)?berpr(?:u|ue)f|revidier)\w*"
        r"|\b(?:noch ?(?:ein)?mal|nochmals|erneut) (?:\w+ )?u(?:e)?berleg\w*"
        r"|\bbeslissing\w*\b[^.!?\n]{0,40}\b(?:herzien|terugdraaien|terug te draaien)\b",
        _I,
    ),
    (
        ("chance",),
        # "Is there any chance you would have ten minutes?" asks for the call; any other chance is the role.
        r"\bis there (?:still )?(?:any|a|some) chance\b(?!,? (?:that )?(?:you|we)(?:'d| would| could| might| can)?"
        r" (?:have|spare|find|make|talk|chat|meet|hop|join|give me|fit in)\b)",
        _I,
    ),
)
WATCHED = ("reconsider", "reevalu", "reassess", "reexamin", "riconsider", "heroverweg", "berdenk", "revisit",
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
        (("filled",), r"\b(?:role|position|job) (?:has been|was|is) filled\b", _I),
    ),
}

WRONG_VOICE = Phrases(
    (
        ("candidate", "applicant"),
        r"\b(?:the|this|that|our|said) (?:(?:selected|chosen|successful|other|new|right|best|ideal|strongest|"
        r"final|top|preferred|winning|internal|external) )?(?:candidate|applicant)\b(?!s)",
        _I,
    ),
    (
        ("them", "him", "her"),
        r"\b(?:we|I)(?:'ll|'d| (?:should|would|could|will|might|did|do|have|had|decided to|chose to))?"
        r" (?:select|hire|choose|pick|reject|interview|onboard)(?:ed|d|ing)? (?:them|him|her)\b",
        _I,
    ),
    (("why should",), r"\bwhy should (?:we|I) (?:select|hire|choose|pick|consider|trust)\b", _I),
    (
        ("she", "he would", "he'd", "he will", "he'll", "he is", "he's", "he has", "he loves", "he wants", "he hopes"),
        # The candidate as "she" or "he", wanting something of the reader: "She would love your advice".
        r"\b(?:she|he)(?:'d|'ll|'s| would| will| is| has| was)?(?: (?:really|very much|so|truly|also))? (?:love|like|"
        r"value|appreciate|welcome|be (?:grateful|glad|happy|thankful|delighted|keen)|hope|want|loves|likes|values|"
        r"appreciates|welcomes|hopes|wants|hoping|keen)\b[^.!?\n]{0,60}?\b(?:you|your)\b",
        _I,
    ),
    (
        ("her ", "his "),
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
        r"|\bI(?: am|'m)? (?:represent|representing) (?:her|him|them|a candidate|my client)\b"
        r"|\b(?:as|I am|I'm|being) (?:her|his|their) (?:career |job |personal )?(?:coach|agent|recruiter|"
        r"representative|assistant|advisor|adviser|counsel(?:l)?or|mentor|lawyer|attorney|manager)\b",
        _I,
    ),
)
"""Words that are not the candidate's own: about "the candidate" (or "she", "her search") in the third person,
someone writing on their behalf, or the interviewer's."""

OFF_TOPIC = Phrases(
    (("what made you", "what makes you"), r"\bwhat (?:made|makes) you (?:think|believe|feel|qualified)\b", _I),
    (("why should", "why do you", "why did you", "why would you"),
     r"\bwhy (?:should|do|did|would) (?:we|you|I) (?:hire|select|choose|pick|want|think you|deserve|apply)\b", _I),
    (("strength", "weakness"), r"\byour (?:greatest |biggest )?(?:strengths?|weakness(?:es)?)\b", _I),
    (("yourself",), r"\btell (?:me|us) about yourself\b|\bwhere do you see yourself\b", _I),
    (("how could you", "how dare"), r"\bhow (?:could|dare) you\b", _I),
    (("why wasn't", "why was i not", "why didn't you", "why did you not"),
     r"\bwhy (?:wasn't I|was I not|didn't you|did you not) (?:selected|chosen|hired|pick|choose|hire|select)\w*", _I),
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
