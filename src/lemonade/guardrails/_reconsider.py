"""The asks to revisit a decision that the ``reconsider`` rule looks for, in English and in the languages a draft
might slip into (accents read away): the word itself, and the same ask in other words."""

from __future__ import annotations

import re

from ._phrases import Phrases, each

__all__ = ["RECONSIDER"]

_I = re.IGNORECASE
_ROLE_WORDS = ("role", "position", "job", "opening", "offer")

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
            "uberdenk",
            "ueberdenk",
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
        (
            "change your mind",
            "look again",
            "look at my",
            "look at the",
            "look over my",
            "look over the",
            *each(("another", "a second", "one more", "a fresh", "a new"), ("look", "chance", "shot", "review")),
        ),
        r"\bchange your mind\b|\b(?:another|a second|one more|a fresh|a new) (?:look|chance|shot|review)\b"
        # "another look at the dbt guide" is no ask; "another look at the application" is.
        r"(?! (?:at|over) (?:the|a|an|your|this|that|our) (?!application|candidacy|profile|resume|cv|decision|"
        r"interview|role|position|job)\w)"
        r"|\blook again at my (?:application|candidacy|profile)\b"
        r"|\blook (?:at|over) (?:my|the) (?:application|candidacy|profile|resume|cv|interviews?) (?:again|once more|"
        r"a second time)\b",
        _I,
    ),
    (
        each(("still", "still be"), ("considered", "in the running", "under consideration", "in consideration")),
        r"\bstill (?:be )?(?:considered|in the running) for (?:the|this|that) (?:role|position|job)\b"
        r"|\bstill (?:be )?(?:under|in) consideration\b",
        _I,
    ),
    (
        (
            *each(("considered", "consider me"), ("again", "once more", "anew", "a second time")),
            *each(("consider my",), ("application", "candidacy", "profile")),
        ),
        # Being considered again for this role asks for the decision back; for future roles it does not.
        rf"\b(?:be|being|get|getting|been) (?:re-?)?considered (?:again|once more|anew|a second time)\b{_FUTURE}"
        rf"|\bconsider (?:me|my (?:application|candidacy|profile)) (?:again|once more|anew)\b{_FUTURE}",
        _I,
    ),
    (
        (
            "back in",
            "back on",
            "again in",
            "again on",
            "keep my",
            "keep our",
            "hold the",
            "hold this",
            "hold that",
            *each(
                ("remain", "stay", "keep me", "kept"),
                ("in the running", "in consideration", "under consideration", "in contention"),
            ),
            *each(("keep me",), ("active", "open", "alive", "live", "on the table", "in play", "pending", "under")),
            *each(("keep",), ("the", "this", "that"), ("role", "position", "job", "offer", "opening", "spot")),
        ),
        rf"\b(?:back|again) (?:in|into|on) (?:the )?(?:running|contention|consideration|shortlist|short[ -]list|"
        rf"process)\b{_FUTURE}"
        rf"|\b(?:remain|stay|keep me|kept) (?:in|under) (?:the running|consideration|contention)\b{_FUTURE}"
        rf"|\bkeep (?:my|me|our) (?:(?:application|candidacy|profile|file|name|cv|resume) )?(?:active|open|alive|"
        rf"live|on the table|in play|pending|under review)\b{_FUTURE}"
        r"|\b(?:keep|hold) (?:the|this|that) (?:role|position|job|offer|opening|spot) (?:open )?for me\b",
        _I,
    ),
    (
        ("revisit", "reopen", "re-open", "rereview", "re-review", "relook"),
        r"\b(?:revisit|reopen|re-open|re-?review|relook at)\w* (?:my|our) (?:application|candidacy|file|case)\b",
        _I,
    ),
    (
        (
            *each(("chosen", "selected", "other", "successful", "new"), ("candidate", "hire")),
            *each(("first", "top", "preferred", "chosen", "other"), ("choice", "pick", "candidate", "hire", "option")),
        ),
        r"\b(?:if|should|in case) (?:the|your) (?:chosen|selected|other|successful|new) (?:candidate|hire)"
        r"|\b(?:if|should|in case) (?:the|your) (?:first|top|preferred|chosen|other) (?:choice|pick|candidate|hire|"
        r"option) (?:declines?|says no|turns (?:it|you) down|does not accept|doesn't accept|falls? through|"
        r"does not work out|doesn't work out|backs out|withdraws)\b",
        _I,
    ),
    (
        each(("wrong", "mistaken", "hasty", "unfair"), ("decision", "choice", "call")),
        r"\b(?:wrong|mistaken|hasty|unfair) (?:decision|choice|call)\b",
        _I,
    ),
    (
        each(("better",), ("candidate", "fit", "choice")),
        r"\b(?:i am|i'm|i was) (?:the|a) better (?:candidate|fit|choice)\b",
        _I,
    ),
    (
        (
            *each(
                (
                    "anything",
                    "something",
                    "things",
                    "the situation",
                    "the decision",
                    "the plan",
                    "the hire",
                    "the choice",
                ),
                ("change", "should change", "fall", "does not", "doesn't", "did not", "didn't"),
            ),
            "reopen",
            "is reopened",
            "open up again",
            "opens up again",
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
        # Could the decision change, can it be appealed, is it final.
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
        (
            "think again",
            "think twice",
            "thought again",
            "thinking again",
            "think it over",
            "think this over",
            "think that over",
            "keep me in mind for the",
            "keep me in mind for this",
            "keep me in mind for that",
            "consider me for",
            "consider my application for",
            "volver a",
            *each(("is", "was"), ("the", "that", "this"), _ROLE_WORDS),
        ),
        r"\b(?:think|thought|thinking) (?:again|twice) about (?:my|the|your|this|that) (?:application|candidacy|"
        r"decision|choice)\b|\bthink (?:it|this|that) over again\b"
        r"|\b(?:keep me in mind|consider me|consider my application) for (?:the|this|that) (?:role|position|job)\b"
        r"|\b(?:is|was) (?:the|that|this) (?:role|position|job|opening|offer) still (?:open|available|on the table|"
        r"unfilled)\b|\bvolver a (?:considerar|evaluar|valorar)\b",
        _I,
    ),
    (
        ("appeal",),
        r"\b(?:an|any|the) appeals? (?:process|procedure)\b|\b(?:way|chance|option|possibility|right) to appeal\b",
        _I,
    ),
    (
        (
            "decision",
            "decisao",
            "changer d'avis",
            "cambiar de",
            "cambiare idea",
            "entscheidung",
            "beslissing",
            "nochmal",
            "noch einmal",
            "noch mal",
            "erneut",
        ),
        # The same asks in French, Spanish, Portuguese, Italian, German and Dutch, accents read away.
        r"\b(?:revenir sur|revoir|reviser|changer|revisar|cambiar|replantear(?:se)?|revertir|rivedere|cambiare)"
        r" (?:votre|ta|la|cette|sa|su|tu|esta|esa|la sua|questa) decisione?\b"
        r"|\b(?:rever|mudar|reverter) (?:a |a sua |sua |essa |esta )?decisao\b"
        r"|\bchanger d'avis\b|\bcambiar de (?:opinion|idea)\b|\bcambiare idea\b"
        r"|\bentscheidung\w*\b[^.!?\n]{0,60}\b(?:a(?:e)?ndern|r(?:u|ue)ckgangig|u(?:e)?berpr(?:u|ue)f|revidier)\w*"
        r"|\b(?:noch ?(?:ein)?mal|nochmals|erneut) (?:\w+ )?(?:u(?:e)?berleg|u(?:e)?berpr(?:u|ue)f|pr(?:u|ue)f)\w*"
        r"|\bbeslissing\w*\b[^.!?\n]{0,40}\b(?:herzien|terugdraaien|terug te draaien)\b",
        _I,
    ),
    (
        ("is there any chance", "is there a chance", "is there some chance", "is there still"),
        # "Is there any chance you would have ten minutes?" asks for the call; any other chance is the role.
        r"\bis there (?:still )?(?:any|a|some) chance\b(?!,? (?:that )?(?:you|we)(?:'d| would| could| might| can)?"
        r" (?:have|spare|find|make|talk|chat|meet|hop|join|give me|fit in)\b)",
        _I,
    ),
)
