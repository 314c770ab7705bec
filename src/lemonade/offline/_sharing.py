"""The offline value-add share: the candidate's chosen links by email, as an X post in their own voice, and as a
LinkedIn message written the way one is written. Each of the three says why the link is worth a look (in the
resource's own note where there is one) and none repeats another's wording."""

from __future__ import annotations

import random
from typing import Any

from ..guardrails._xcount import x_length
from ..situation._situation import Resource, Situation
from ._voice import Voice, conversations, lead_topics, pick

__all__ = ["value_add"]

_X_ROOM = 270  # X allows 280; leave a little for a person's own edit


def _featured(s: Situation) -> Resource:
    """The resource the short texts share: the first on the topic the notes lead with."""
    for topic in lead_topics(s):
        for r in s.resources:
            if r.topic.casefold() == topic.casefold():
                return r
    return s.resources[0]


def _why(r: Resource) -> str:
    """The resource's note as a sentence, in the candidate's words; empty where there is none."""
    if not r.note:
        return ""
    note = r.note.strip()
    return note if note[-1] in ".!?" else note + "."


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _email_body(s: Situation, voice: Voice, rng: random.Random, intro: int) -> str:
    shared = s.resources[:3]
    one = len(shared) == 1
    they, them, s_ = ("it", "it", "s") if one else ("they", "them", "")
    closing = pick(
        rng,
        f"No reply needed; I hope {they} help{s_}.",
        f"No need to reply; you came to mind as soon as I read {them}.",
        f"There is no need to reply; I hope {they} prove{s_} useful.",
        f"No reply needed. I hope the team finds {them} useful.",
    )
    if len(shared) == 1:
        r = shared[0]
        opening = [
            f'Since we talked about {r.topic}, I thought you might like "{r.title}":',
            f'I came across "{r.title}" and thought of our {conversations(s)} about {r.topic}:',
            f'Something I read recently made me think of our talk about {r.topic}, "{r.title}":',
            f'Here is a piece on {r.topic} that you and the team may enjoy, "{r.title}":',
        ][intro]
        lines = "\n".join(x for x in (opening, r.url, _why(r)) if x)
        return voice.email(lines, closing)
    topics = _joined(list(dict.fromkeys(r.topic for r in shared)))
    few = "two" if len(shared) == 2 else "a few"
    opening = [
        f"Since we talked about {topics}, here are {few} things you and the team might find useful:",
        f"I came across {few} pieces that made me think of our {conversations(s)} about {topics}:",
        f"Some recent reading made me think of our talk about {topics}; here are {few} I would pass on:",
        f"Here are {few} reads on {topics} that you might like:",
    ][intro]
    body = ""
    # As many resources, with their notes where they fit, as keep the email short.
    for items, with_notes in ((shared, True), (shared, False), (shared[:2], False)):
        listed = "\n".join(f'- "{r.title}": {r.url}' + (f"\n  {_why(r)}" if with_notes and r.note else "")
                           for r in items)  # fmt: skip
        body = voice.email(opening, listed, closing)
        if len(body.split()) <= 170:
            break
    return body


def _x_post(s: Situation, rng: random.Random) -> str:
    """A public post in the candidate's voice: why the link matters, the link, and a thank-you to the manager
    (or the organisation) by handle where the situation gives one. It says nothing of any hiring decision."""
    r = _featured(s)
    hook = pick(
        rng,
        f"The clearest thing I have read on {r.topic} in a while:",
        f"If {r.topic} is on your list this year, this is worth your time:",
        f"A good read for anyone working on {r.topic}:",
        f"Worth bookmarking if you care about {r.topic}:",
        f"One of the most useful things I have found on {r.topic}:",
        f"For anyone thinking about {r.topic}, this is a good place to start:",
    )
    manager, company = s.hiring_manager.x_handle, s.company.x_handle
    if manager:
        thanks = pick(
            rng,
            f"Thanks to {manager} for a great conversation on this.",
            f"Prompted by a good talk with {manager}.",
            f"{manager}, this one made me think of our conversation.",
            f"With thanks to {manager} for the conversation that sent me looking.",
        )
    elif company:
        thanks = pick(
            rng,
            f"Thanks to the team at {company} for a great conversation on this.",
            f"Prompted by a good talk with the team at {company}.",
            f"With thanks to the team at {company} for the conversation that sent me looking.",
            f"Good conversations with the team at {company} sent me back to this.",
        )
    else:
        thanks = pick(rng, "Sharing in case it helps someone else.", "Passing it along.",
                      "Hope it helps someone.", "Happy reading.")  # fmt: skip
    link = f'"{r.title}" {r.url}'

    def post(*parts: str, after: str = "") -> str:
        return "\n\n".join(x for x in (" ".join(p for p in parts if p), after) if x)

    tries = [
        post(hook, link, after=" ".join(x for x in (_why(r), thanks) if x)),
        post(hook, link, after=thanks),
        post(link, after=thanks),
        post(hook, r.url),
        r.url,
    ]
    return next(text for text in tries if x_length(text) <= _X_ROOM)


def _linkedin(s: Situation, voice: Voice, rng: random.Random, intro: int) -> str:
    """A short direct message: a greeting, the link and why, a friendly close and the candidate's name."""
    r = _featured(s)
    shares = [
        f'This made me think of what we discussed about {r.topic}: "{r.title}" {r.url}',
        f'When I read "{r.title}", our talk about {r.topic} came straight to mind: {r.url}',
        f'Sharing something I found useful on {r.topic}: "{r.title}" {r.url}',
        f'A quick share, since {r.topic} came up when we talked: "{r.title}" {r.url}',
    ]
    hope = "Hope" if s.tone != "formal" else "I hope"
    close = pick(
        rng,
        f"{hope} all is well with you and the team.",
        f"{hope} you enjoy it.",
        f"{hope} it comes in handy for the team.",
        "Wishing you a good week." if s.tone != "formal" else "With best wishes for the week.",
    )
    why = " ".join(x for x in (_why(r), close) if x)
    text = f"{voice.chat_greeting}\n\n{shares[intro]}\n\n{why}\n\n{voice.chat_name}"
    if len(text) > 480:
        text = f"{voice.chat_greeting}\n\n{shares[intro].split(': ')[0]}: {r.url}\n\n{voice.chat_name}"
    return text


def value_add(s: Situation, voice: Voice, rng: random.Random) -> dict[str, Any]:
    """The value-add share for ``s``; its email and LinkedIn message open with different words."""
    email_intro, linkedin_intro = rng.sample(range(4), 2)
    topic = _featured(s).topic
    subjects = ["Something you might find useful", "A read on what we discussed", "A link worth a look"]
    if len(s.resources) == 1 and len(f"A read on {topic}") <= 50:
        subjects.append(f"A read on {topic}")
    return {
        "email_subject": pick(rng, *subjects),
        "email_body": _email_body(s, voice, rng, email_intro),
        "x_post": _x_post(s, rng),
        "linkedin_message": _linkedin(s, voice, rng, linkedin_intro),
    }
