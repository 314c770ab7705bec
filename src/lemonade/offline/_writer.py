"""The offline writer: real drafts for all four steps from the situation alone, with no model and no network.

Each sentence role has several phrasings per outcome and tone; a seeded random choice picks one, so a
given seed and situation always give the same kit, and other seeds give other wordings. It uses only
what the situation says: names, the role, the interview topics (the one the notes mention first leads),
the resources, and from the notes only whether there were several conversations. It never quotes the
notes and never writes a link that is not one of the resources.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..guardrails._xcount import x_length
from ..situation._situation import Person, Resource, Situation

__all__ = ["write"]


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


def _lead_topics(s: Situation) -> list[str]:
    """Interview topics, those the notes mention first (by a shared word of four letters or more)."""
    notes = set(re.findall(r"[^\W\d_]{4,}", (s.notes or "").casefold()))
    mentioned = [t for t in s.interview_topics if notes & set(re.findall(r"[^\W\d_]{4,}", t.casefold()))]
    return mentioned + [t for t in s.interview_topics if t not in mentioned]


def _lead_topic(s: Situation) -> str | None:
    topics = _lead_topics(s)
    return topics[0] if topics else None


def _several_talks(s: Situation) -> bool:
    notes = (s.notes or "").casefold()
    return bool(re.search(r"\b(?:conversations|interviews|rounds|meetings|calls|two|three|four|several)\b", notes))


def _greeting(s: Situation) -> str:
    m = s.hiring_manager
    if s.tone == "formal":
        return f"Dear {m.formal_name},"
    return f"{'Dear' if s.tone == 'warm' else 'Hi'} {m.first_name},"


def _signature(s: Situation, rng: random.Random) -> str:
    close = {
        "formal": ("Sincerely,", "Kind regards,", "Respectfully,"),
        "warm": ("Warm regards,", "With thanks,", "All the best,"),
        "brief": ("Best,", "Thanks,", "Best regards,"),
    }[s.tone]
    c: Person = s.candidate
    lines = [rng.choice(close), c.name] + [x for x in (c.email, c.phone) if x]
    return "\n".join(lines)


def _email(s: Situation, rng: random.Random, paragraphs: list[str]) -> str:
    return "\n\n".join([_greeting(s), *[p for p in paragraphs if p], _signature(s, rng)])


def _timing(s: Situation) -> bool:
    reason = (s.decline_reason or "").casefold()
    return bool(re.search(r"timing|time|relocat|move|moving|year|month|family|start date", reason))


def _thanks_opening(s: Situation, rng: random.Random) -> str:
    talks = "conversations" if _several_talks(s) else "conversation"
    role, company = s.role, s.company.name
    if s.outcome == "rejected":
        return _pick(
            rng,
            f"Thank you for the {talks} about the {role} role at {company}, "
            "and for letting me know where things landed.",
            f"Thank you for your time during the {role} process at {company}; I appreciated hearing the news from you.",
            f"I appreciated our {talks} about the {role} role at {company}, and your note letting me know the outcome.",
        )
    reason = "the timing is not right for me" if _timing(s) else "the fit is not quite right for me at this point"
    return _pick(
        rng,
        f"Thank you again for the offer for the {role} role at {company}, and for understanding that {reason}.",
        f"I am grateful for the offer for the {role} role at {company}, and for your understanding that {reason}.",
        f"Thank you for offering me the {role} role at {company}; I appreciated your understanding that {reason}.",
    )


def _call_request(s: Situation, rng: random.Random) -> dict[str, Any]:
    minutes = rng.choice((10, 15))
    topic = _lead_topic(s)
    liked = (
        _pick(
            rng,
            f"I especially enjoyed talking about {topic} with you.",
            f"Our discussion of {topic} has stayed with me.",
            f"I keep coming back to what we discussed about {topic}.",
        )
        if topic
        else ""
    )
    if s.outcome == "rejected":
        ask = _pick(
            rng,
            f"Would you have {minutes} minutes for a short call in the next few weeks? I would value your advice on "
            "my search, and any people you think I should meet.",
            f"Could I ask for {minutes} minutes of your time for a quick call? Your advice on where to look next, and "
            "who to talk to, would mean a lot.",
            f"If you could spare {minutes} minutes for a brief call, I would love your advice on my next steps and any "
            "introductions you think would make sense.",
        )
    else:
        ask = _pick(
            rng,
            f"Would you have {minutes} minutes for a short call in the coming weeks? I would like to stay in touch, "
            "hear your advice, and learn about people or future roles that might be a closer match.",
            f"Could I ask for {minutes} minutes of your time for a quick call? I would value your advice and would "
            "like to keep in touch about roles that could fit better later on.",
        )
    easy = _pick(
        rng,
        "I am happy to work around your schedule.",
        "Any time that suits you works for me.",
        "I will gladly fit around your calendar.",
    )
    subject = _pick(
        rng, "A quick call for advice?", "Could we talk for a few minutes?", "A short call, if you have time"
    )
    if s.tone == "brief":
        body = _email(s, rng, [_thanks_opening(s, rng), f"{ask} {easy}"])
    else:
        body = _email(s, rng, [f"{_thanks_opening(s, rng)} {liked}".strip(), f"{ask} {easy}"])
    return {"subject": subject, "body": body, "call_minutes": minutes}


def _questions(s: Situation, rng: random.Random) -> dict[str, Any]:
    topics = _lead_topics(s) or [s.role]
    first, second = topics[0], topics[1 % len(topics)]
    company, role = s.company.name, s.role
    # The heart of the step is a "who do you know" question, so one always leads.
    lead = _pick(
        rng,
        f"Who else should I be talking to about {first}?",
        f"Who are the people you would call first about {first}?",
    )
    pool = [
        _pick(rng, f"Which teams or companies do you see investing in {second} right now?",
              f"Which organizations come to mind as doing serious work on {second}?"),
        _pick(rng, f"Who do you know who is hiring for work similar to the {role} role?",
              "What kind of team do you think would get the most from the skills you saw in our conversations?"),
        _pick(rng, "Where do you hear about openings before they are posted?",
              "Where do the best people in your field tend to hear about new roles?"),
        _pick(rng, f"Who in your network outside {company} would be worth a conversation?",
              "Which former colleagues of yours might be open to a short conversation with me?"),
        _pick(rng, "How would you approach my search if you were in my position?",
              "What would you focus on in my search over the next few months?"),
    ]  # fmt: skip
    rng.shuffle(pool)
    count = rng.choice((3, 4, 5))
    m = s.hiring_manager
    name = m.first_name if s.tone != "formal" else m.formal_name
    opener = _pick(
        rng,
        f"Thank you for making the time, {name}; I know your schedule is full.",
        f"Thanks so much for taking this call, {name}.",
        f"I really appreciate you giving me a few minutes today, {name}.",
    )
    if s.outcome == "declined_offer":
        opener += " It means a lot that we can stay in touch."
    permission = _pick(
        rng,
        "May I mention your name when I reach out to the people you suggest?",
        "Would it be all right to say you suggested I get in touch with them?",
    )
    closing = _pick(
        rng,
        "Thank you again. I will follow up with each person and let you know how it goes.",
        "This has been a real help; I will reach out to the people you named and keep you posted.",
        "Thank you for your generosity with your time; I will follow up on every suggestion.",
    )
    return {"opener": opener, "questions": [lead, *pool[:count]], "permission_question": permission, "closing": closing}


def _thank_you(s: Situation, rng: random.Random) -> dict[str, Any]:
    company, role = s.company.name, s.role
    topic = _lead_topic(s)
    considered = (
        _pick(
            rng,
            f"I was glad to be considered by {company}, a company I have long admired.",
            f"Being considered by {company}, a company I admire and respect, was a privilege.",
            f"It was a pleasure to be considered by {company}; I have admired its work for a long time.",
        )
        if s.outcome == "rejected"
        else _pick(
            rng,
            f"I was glad to be considered by {company}, a company I admire, "
            "and I am grateful for the confidence the offer showed.",
            f"The offer from {company}, a company I have long admired, meant a great deal to me.",
        )
    )
    future = (
        _pick(
            rng,
            "Should a need arise in the future for someone with my skills, I would be happy to meet with you again.",
            "If a need for my skills comes up in the future, I would be glad to talk again.",
        )
        if s.outcome == "rejected"
        else _pick(
            rng,
            "Should a role come up that matches better, I would be happy to meet with you again.",
            "If a position that fits more closely opens up later, I would be glad to talk again.",
        )
    )
    memory = f"I especially enjoyed our conversation about {topic}." if topic else ""
    thanks = _pick(rng, "Thank you for your time and for a thoughtful process.", "Thank you for everything.")
    email = _email(s, rng, [f"{thanks} {considered}", f"{memory} {future}".strip()])
    opening = (
        f"Thank you for the time you and your team gave me during the process for the {role} role."
        if s.outcome == "rejected"
        else f"Thank you for offering me the {role} role, and for the care your team took throughout the process."
    )
    paragraphs = [f"{opening} {considered}", f"{memory} {future}".strip()]
    if s.tone != "brief":
        paragraphs.append("I wish you and the team every success, and I hope our paths cross again soon.")
    subject = _pick(rng, "Thank you", "Thank you, and keeping in touch", "With thanks for your time")
    return {"email_subject": subject, "email_body": email, "letter_paragraphs": paragraphs}


def _resource_line(r: Resource, *, with_note: bool) -> str:
    note = f"\n  {r.note.rstrip('.')}." if r.note and with_note else ""
    return f"- {r.title} ({r.topic}): {r.url}{note}"


def _x_post(s: Situation, rng: random.Random) -> str:
    r = min(s.resources, key=lambda r: len(r.title) + len(r.topic))
    options = [
        _pick(rng, f'Worth a read on {r.topic}: "{r.title}" {r.url}', f'"{r.title}", on {r.topic}: {r.url}'),
        f'"{r.title}" {r.url}',
        f"Worth a read: {r.url}",
    ]
    return next(text for text in options if x_length(text) <= 270)


def _value_add(s: Situation, rng: random.Random) -> dict[str, Any]:
    if len(s.resources) > 1:
        intro = _pick(
            rng,
            "Since we talked about these topics, I thought these might be useful to you and the team:",
            "Our conversation stayed with me, and I came across a few things you might find useful:",
            "I wanted to pass along a few things related to what we discussed:",
        )
    else:
        intro = _pick(
            rng,
            "Since we talked about it, I thought this might be useful to you and the team:",
            "Our conversation stayed with me, and I came across something you might find useful:",
            "I wanted to pass along something related to what we discussed:",
        )
    # As many resources (with their notes, where they fit) as keep the email short.
    email = ""
    for shared, notes in ((s.resources[:3], True), (s.resources[:3], False), (s.resources[:1], False)):
        lines = "\n".join(_resource_line(r, with_note=notes) for r in shared)
        email = _email(s, rng, [intro, lines, "No reply needed; I hope it helps."])
        if len(email.split()) <= 170:
            break
    first = s.resources[0]
    greeting = f"Hi {s.hiring_manager.first_name}," if s.tone != "formal" else f"Dear {s.hiring_manager.formal_name},"
    linkedin = (
        f'{greeting} I came across "{first.title}" and thought of our conversation about {first.topic}: '
        f"{first.url}\nI hope it is useful."
    )
    if len(linkedin) > 480:
        linkedin = f"{greeting} this made me think of our conversation: {first.url}\nI hope it is useful."
    subject = _pick(rng, "Something you might find useful", "A read on what we discussed", "A link worth a look")
    return {"email_subject": subject, "email_body": email, "x_post": _x_post(s, rng), "linkedin_message": linkedin}


_WRITERS = {
    "call_request": _call_request,
    "referral_questions": _questions,
    "thank_you": _thank_you,
    "value_add": _value_add,
}


def write(step: str, situation: Situation, seed: int = 0) -> dict[str, Any]:
    """The JSON a model would return for ``step``, written offline; the same seed gives the same draft."""
    rng = random.Random(f"{seed}:{step}:{situation.model_dump_json()}")
    return _WRITERS[step](situation, rng)
