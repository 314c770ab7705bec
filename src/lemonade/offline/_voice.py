"""How the offline writer speaks for a candidate, shared by every step it writes: the greeting and sign-off
that stay the same across one kit, forms of address, how the role and the organisation are named, and what
the situation says about the interview (its topics, and whether there were several conversations).

A ``Voice`` is chosen once per situation and seed, so each step written for the same kit (and any step
added later, such as a nudge or a check-in) greets and signs off in the same way.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..drafts._values import SIGN_OFFS
from ..situation._situation import Situation

__all__ = [
    "Voice",
    "admired",
    "conversations",
    "lead_topic",
    "lead_topics",
    "organization",
    "pick",
    "several_talks",
    "the_role",
]


def pick(rng: random.Random, *options: str) -> str:
    """One of ``options``, chosen by ``rng``."""
    return rng.choice(options)


@dataclass(frozen=True)
class Voice:
    """The parts of every message in one kit that must not change from one step to the next."""

    greeting: str
    """The first line of each email: "Dear Ms. Ruiz," or "Hi Dana,"."""
    sign_off: str
    """The closing line of each email, the same as the printed letter's: "Warm regards,"."""
    signature: str
    """The candidate's name, then their email address and phone where known."""
    chat_greeting: str
    """How a short message (LinkedIn) opens: "Hi Dana," or, in the formal tone, "Hello Ms. Ruiz,"."""
    chat_name: str
    """How a short message is signed: the first name, or the full name in the formal tone."""
    addressed: str
    """What the candidate calls the manager when speaking to them: "Dana", or "Ms. Ruiz" in the formal tone."""

    @classmethod
    def of(cls, situation: Situation, seed: int) -> Voice:
        """The voice of the kit written for ``situation`` with ``seed``: the same for each of its steps."""
        s, m, c = situation, situation.hiring_manager, situation.candidate
        rng = random.Random(f"{seed}:voice:{s.model_dump_json()}")
        if s.tone == "formal":
            greeting, chat = f"Dear {m.formal_name},", f"Hello {m.formal_name},"
        elif s.tone == "warm":
            greeting, chat = f"{pick(rng, 'Dear', 'Hi')} {m.first_name},", f"Hi {m.first_name},"
        else:
            greeting = chat = f"Hi {m.first_name},"
        signature = "\n".join([c.name, *(x for x in (c.email, c.phone) if x)])
        chat_name = c.name if s.tone == "formal" else c.first_name
        addressed = m.formal_name if s.tone == "formal" else m.first_name
        return cls(greeting, SIGN_OFFS[s.tone], signature, chat, chat_name, addressed)

    def email(self, *paragraphs: str, greeting: str | None = None) -> str:
        """An email body: the greeting (the manager's, unless another is given), the non-empty paragraphs, then
        the sign-off and signature."""
        opening = greeting or self.greeting
        return "\n\n".join([opening, *(p for p in paragraphs if p), f"{self.sign_off}\n{self.signature}"])


def lead_topics(s: Situation) -> list[str]:
    """The interview topics, those the notes mention first (by a shared word of four letters or more)."""
    notes = set(re.findall(r"[^\W\d_]{4,}", (s.notes or "").casefold()))
    mentioned = [t for t in s.interview_topics if notes & set(re.findall(r"[^\W\d_]{4,}", t.casefold()))]
    return mentioned + [t for t in s.interview_topics if t not in mentioned]


def lead_topic(s: Situation) -> str | None:
    """The topic a draft leads with, if the situation names any."""
    topics = lead_topics(s)
    return topics[0] if topics else None


def several_talks(s: Situation) -> bool:
    """Whether the notes say there was more than one conversation (the notes are never quoted)."""
    notes = (s.notes or "").casefold()
    return bool(re.search(r"\b(?:conversations|interviews|rounds|meetings|calls|two|three|four|several)\b", notes))


def conversations(s: Situation) -> str:
    """ "conversations" where there were several, else "conversation"."""
    return "conversations" if several_talks(s) else "conversation"


def the_role(s: Situation) -> str:
    """The role as a noun phrase that reads inside a sentence: "the Senior Data Analyst role".

    A role name with a comma ("Nurse Manager, Pediatric ICU") would break the sentence around it, so its
    qualifier goes in parentheses: "the Nurse Manager (Pediatric ICU) role".
    """
    head, _, rest = s.role.partition(",")
    if rest.strip():
        return f"the {head.strip()} ({rest.strip()}) role"
    return f"the {s.role} role"


_ARTICLE = {"agency": "an"}


def organization(s: Situation) -> str | None:
    """ "a hospital", "an agency": the organisation's kind with its article, where the situation gives one
    that reads well after a name. None when the kind is unknown (or is a government), so callers word it
    neutrally instead of calling every employer a company."""
    kind = s.company.kind
    if kind is None or kind == "government":
        return None
    return f"{_ARTICLE.get(kind, 'a')} {kind}"


def admired(s: Situation, rng: random.Random) -> str:
    """The organisation's name followed by why the candidate is glad of it, e.g. "ABC Corp, a company I have
    long admired", or, with no kind known, "ABC Corp, whose work I have long admired"."""
    noun = organization(s)
    if noun is None:
        return f"{s.company.name}, {pick(rng, 'whose work I have long admired', 'whose work I admire and respect')}"
    return f"{s.company.name}, {pick(rng, f'{noun} I have long admired', f'{noun} I admire and respect')}"
