"""The offline writer's follow-up steps: the nudge, the thank-you after the call, the introduction request,
the outreach to a referral and the check-in, from the situation and what each step is written from.

Like the kit's writer it picks among phrasings with a seeded random choice, uses only what it is told
(names, the role, the topics, the resources, the people suggested on the call) and never quotes notes
beyond one word, never invents a link, and never writes a pronoun for someone whose pronouns it does not
know.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .._errors import InputError
from ..drafts._followups import require_context
from ..guardrails._followups import call_words
from ..situation._followup import Call, CheckInFacts, Introduction, NoReply, Referral, spoken_date
from ..situation._situation import Situation
from ._voice import Voice, pick

__all__ = ["write_follow_up"]

_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _fitting(limit: int, *options: str) -> str:
    """The first option of at most ``limit`` characters (the last one is always short)."""
    return next((o for o in options if len(o) <= limit), options[-1])


def _greeting(s: Situation, name: str, first: str, formal: str) -> str:
    if s.tone == "formal":
        return f"Dear {formal},"
    return f"{'Dear' if s.tone == 'warm' else 'Hi'} {first},"


def _to_referral(s: Situation, r: Referral) -> str:
    return _greeting(s, r.name, r.first_name, r.name)


def _names(people: list[str]) -> str:
    """ "A", "A and B", "A, B and C"; four or more: the first two "and others"."""
    if len(people) > 3:
        return f"{people[0]}, {people[1]} and others"
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + f" and {people[-1]}"


def _topic_of(s: Situation, notes: str) -> str | None:
    """The interview topic the notes speak of, else the first topic."""
    words = set(call_words(notes))
    for topic in s.interview_topics:
        if words & set(re.findall(r"[^\W\d_]{4,}", topic.casefold())):
            return topic
    return s.interview_topics[0] if s.interview_topics else None


def _nudge(s: Situation, rng: random.Random, sent: NoReply, voice: Voice) -> dict[str, Any]:
    minutes = sent.call_minutes
    when = f"{sent.sent_on:%B} {sent.sent_on.day}"
    opening = pick(
        rng,
        f"I wanted to follow up on my note of {when} about a short call.",
        f"I am writing to follow up on my email of {when} about a brief call.",
        f"A short follow-up to my note of {when}, in case it got buried.",
    )
    if s.outcome == "rejected":
        ask = pick(
            rng,
            f"If you could spare {minutes} minutes in the coming weeks, I would value your advice on my search.",
            f"I would still value {minutes} minutes of your advice, whenever it suits you.",
        )
    else:
        ask = pick(
            rng,
            f"If you could spare {minutes} minutes in the coming weeks, I would like to stay in touch and hear "
            "your advice.",
            f"I would still enjoy a {minutes}-minute call to stay in touch, whenever it suits you.",
        )
    ease = pick(
        rng,
        "If now is a busy time, I completely understand.",
        "If the timing does not work, no need to reply.",
        "I understand if now is not a good time.",
    )
    subject = _fitting(50, f"Re: {sent.subject}", "Following up on a short call")
    paragraphs = [opening, ask] if s.tone == "brief" else [opening, f"{ask} {ease}"]
    return {"subject": subject, "body": voice.email(*paragraphs), "call_minutes": minutes}


def _detail(s: Situation, call: Call, rng: random.Random) -> str:
    """The one thing from the call the thank-you names: who was suggested, else what was discussed."""
    if call.referrals:
        named = _names([r.name + (f" at {r.organization}" if r.organization else "") for r in call.referrals])
        return pick(
            rng,
            f"I am especially grateful for your suggestion to talk with {named}.",
            f"Your suggestion to talk with {named} was especially generous.",
        )
    ignore = [s.candidate.name, s.hiring_manager.name, s.company.name]
    words = call_words(call.notes, ignore)
    topic = _topic_of(s, call.notes) if words else None
    if topic and set(words) & set(re.findall(r"[^\W\d_]{4,}", topic.casefold())):
        return f"What you said about {topic} has given me a lot to think about."
    if words:
        return f"I have been thinking about what you said about {words[0]} ever since."
    return "Your advice has given me a lot to think about."


def _thank_you_after_call(s: Situation, rng: random.Random, call: Call, voice: Voice) -> dict[str, Any]:
    company, day = s.company.name, f"{call.on:%A}"
    thanks = pick(
        rng,
        f"Thank you for taking the time to talk on {day}, and for your advice.",
        f"Thank you for our call on {day} and for the advice you shared.",
    )
    detail = _detail(s, call, rng)
    follow = ""
    direct = [r.first_name for r in call.referrals if r.how != "forward"]
    forwarded = [r.first_name for r in call.referrals if r.how != "direct"]
    if direct:
        follow = pick(
            rng,
            f"I will write to {_names(direct)} this week and let you know how it goes.",
            f"I will get in touch with {_names(direct)} this week and keep you posted.",
        )
    if forwarded:
        note = "notes" if len(forwarded) > 1 else "a short note"
        follow += f" I will also send you {note} you can forward to {_names(forwarded)}, as you offered."
    follow = follow.strip()
    if s.outcome == "rejected":
        door = pick(
            rng,
            f"I was glad to be considered by {company}, and I would be happy to meet again should a need arise.",
            f"Being considered by {company} meant a lot; should a need arise in the future, I would be glad to "
            "talk again.",
        )
    else:
        door = pick(
            rng,
            f"I remain grateful for the offer from {company}, and I would be glad to talk again should a role "
            "that fits better come up.",
            f"The offer from {company} meant a great deal; should a better-matched role open up, I would be "
            "happy to talk again.",
        )
    email = voice.email(f"{thanks} {detail}", follow, door)
    paragraphs = [f"Thank you for speaking with me on {spoken_date(call.on)}, and for your advice. {detail}", door]
    if s.tone != "brief":
        later = "I will keep you posted on the introductions you suggested. " if call.referrals else ""
        paragraphs.append(f"{later}I wish you and the team every success.")
    subject = pick(rng, "Thank you for the call", "Thank you for your advice", "With thanks for your time")
    return {"email_subject": subject, "email_body": email, "letter_paragraphs": paragraphs}


def _who_i_am(s: Situation) -> str:
    m = s.hiring_manager.name
    return f"I recently interviewed for the {s.role} role at {s.company.name}, where I got to know {m}."


def _why_them(s: Situation, r: Referral) -> str:
    m = s.hiring_manager.first_name
    work = " at ".join(x for x in (r.title, r.organization) if x)
    if work:
        return (
            f"{m} suggested I ask for your advice, given your work as {work}."
            if r.title
            else (f"{m} suggested I ask for your advice, given your work with {work}.")
        )
    return f"{m} thought you would be a good person to ask for advice."


def _introduction_request(s: Situation, rng: random.Random, intro: Introduction, voice: Voice) -> dict[str, Any]:
    r, c = intro.referral, s.candidate
    minutes = rng.choice((10, 15))
    topic = _topic_of(s, intro.call.notes)
    about = f" on {topic}" if topic else " on where to focus my search"
    ask = pick(
        rng,
        f"I would be grateful for {minutes} minutes of your advice{about}, whenever it suits you.",
        f"I would value a {minutes}-minute call to hear your perspective{about}, at a time that works for you.",
    )
    reach = f"I can be reached at {c.email}." if c.email else ""
    paragraphs = [f"My name is {c.name}. {_who_i_am(s)}", _why_them(s, r), f"{ask} {reach}".strip()]
    subject = _fitting(
        50, f"A note to forward to {r.name}", f"A note to forward to {r.first_name}", "A note to forward"
    )
    body = voice.email(*paragraphs, greeting=_to_referral(s, r))
    return {"subject": subject, "body": body, "call_minutes": minutes}


def _referral_outreach(s: Situation, rng: random.Random, intro: Introduction, voice: Voice) -> dict[str, Any]:
    r, m = intro.referral, s.hiring_manager
    minutes = rng.choice((10, 15))
    topic = _topic_of(s, intro.call.notes)
    connection = pick(
        rng,
        f"{m.name} suggested I get in touch with you.",
        f"{m.name} at {s.company.name} suggested I reach out to you.",
    )
    where = "there" if s.company.name in connection else f"at {s.company.name}"
    on = f" on {topic}" if topic else ""
    reason = f"I recently interviewed for the {s.role} role {where}, and I would be glad to hear your perspective{on}."
    ask = pick(
        rng,
        f"Would you have {minutes} minutes for a short call in the next few weeks? I would value your advice on "
        "where to focus my search.",
        f"Could I ask for {minutes} minutes of your time for a quick call? Your advice on where to look next would "
        "be a great help.",
    )
    ease = pick(rng, "I am happy to fit around your schedule.", "Any time that suits you works for me.")
    subject = _fitting(50, f"{m.name} suggested I get in touch", f"{m.first_name} suggested I get in touch",
                       "A mutual contact suggested I write")  # fmt: skip
    body = voice.email(f"{connection} {reason}", f"{ask} {ease}", greeting=_to_referral(s, r))
    return {"subject": subject, "body": body, "call_minutes": minutes}


def _check_in(s: Situation, rng: random.Random, facts: CheckInFacts, voice: Voice) -> dict[str, Any]:
    months = _NUMBERS.get(facts.months, str(facts.months))
    since = "since we spoke" if facts.call else f"since the {s.role} process"
    hello = pick(
        rng,
        f"It has been about {months} months {since}, and I wanted to say hello.",
        f"I hope all is well at {s.company.name}; it has been about {months} months {since}.",
    )
    topic = s.interview_topics[0] if s.interview_topics else None
    kept = f"I have kept thinking about our conversation on {topic}." if topic else ""
    fresh = [r for r in s.resources if r.url not in facts.shared]
    if fresh:
        r = fresh[-1]
        item = pick(
            rng,
            f"I came across {r.title}, which I thought you and the team might find useful: {r.url}",
            f"In case it is useful to the team, {r.title} is worth a look: {r.url}",
        )
    elif topic:
        item = f"If it would ever help the team, I would be glad to share what I have learned about {topic} since."
        kept = ""  # the offer already names the topic
    else:
        item = "If I can ever be useful to you or the team, I would be glad to help."
    thanks = ""
    if facts.call and facts.call.referrals:
        thanks = f"Thank you again for suggesting I talk with {_names([x.name for x in facts.call.referrals])}."
    if s.outcome == "declined_offer":
        door = pick(
            rng,
            f"If a role that fits more closely comes up at {s.company.name}, I would be glad to hear about it.",
            "I would be glad to hear of a better-matched role, should one open up.",
        )
    else:
        door = pick(rng, "I would be glad to stay in touch.", "I hope our paths cross again before long.")
    subject = pick(
        rng, "Checking in, with something useful", "A quick hello", f"Checking in from {s.candidate.first_name}"
    )
    body = voice.email(f"{hello} {kept}".strip(), item, f"{thanks} {door}".strip())
    return {"subject": _fitting(50, subject, "A quick hello"), "body": body}


def write_follow_up(step: str, situation: Situation, context: object, seed: int = 0) -> dict[str, Any]:
    """The JSON a model would return for follow-up ``step``, written offline from ``context``."""
    require_context(step, context)
    rng = random.Random(f"{seed}:{step}:{situation.model_dump_json()}:{_key(context)}")
    voice = Voice.of(situation, seed)  # the kit's own greeting and sign-off
    if step == "nudge" and isinstance(context, NoReply):
        return _nudge(situation, rng, context, voice)
    if step == "thank_you_after_call" and isinstance(context, Call):
        return _thank_you_after_call(situation, rng, context, voice)
    if step == "introduction_request" and isinstance(context, Introduction):
        return _introduction_request(situation, rng, context, voice)
    if step == "referral_outreach" and isinstance(context, Introduction):
        return _referral_outreach(situation, rng, context, voice)
    if step == "check_in" and isinstance(context, CheckInFacts):
        return _check_in(situation, rng, context, voice)
    raise InputError(f"the offline {step} is not written from a {type(context).__name__}", field="context")


def _key(context: object) -> str:
    dump = getattr(context, "model_dump_json", None)
    return dump() if callable(dump) else repr(context)
