"""The offline writer: real drafts for all four steps from the situation alone, with no model and no network.

Each sentence role has several phrasings per outcome; a seeded random choice picks one, so a given seed and
situation always give the same kit, and other seeds give other wordings. The greeting and sign-off come from
the kit's ``Voice``, so they stay the same across its steps, and each step opens in its own way. It uses only
what the situation says: names, the role, the organisation and its kind, the interview topics (the one the
notes mention first leads), the resources, and from the notes only whether there were several
conversations. It never quotes the notes and never writes a link that is not one of the resources.
"""

from __future__ import annotations

import random
import re
from typing import Any

from ..situation._situation import Situation
from ._sharing import value_add
from ._voice import Voice, admired, conversations, lead_topic, lead_topics, pick, the_role

__all__ = ["write"]


def _timing(s: Situation) -> bool | None:
    """Whether the candidate said no for timing (True), for fit (False), or gave no reason (None)."""
    if not s.decline_reason:
        return None
    return bool(re.search(r"timing|time|relocat|mov(?:e|ing)|year|month|family|start date", s.decline_reason.lower()))


def _declined_because(s: Situation, rng: random.Random) -> str:
    """Why the candidate said no, in their own terms; it presumes nothing about how the manager took it."""
    timing = _timing(s)
    if timing is None:
        return pick(rng, "Saying no was not easy.", "Turning it down was a hard call.",
                    "It was not an easy thing to say no.", "I did not say no lightly.")  # fmt: skip
    if timing:
        return pick(
            rng,
            "Saying no was not easy; the timing is simply not right for me.",
            "Turning it down was hard, and it came down to timing alone.",
            "It was not an easy thing to say no, and the timing was the only reason.",
            "I said no only because the timing does not work for me right now.",
        )
    return pick(
        rng,
        "Saying no was not easy; the fit is not quite right for me at this point.",
        "Turning it down was hard, and it came down to fit rather than anything about the team.",
        "It was not an easy thing to say no; the role is just not the right match for me right now.",
        "I said no only because the fit is not quite right for me at this stage.",
    )


def _call_request(s: Situation, voice: Voice, rng: random.Random) -> dict[str, Any]:
    minutes = rng.choice((10, 15))
    role, company, talks, topic = the_role(s), s.company.name, conversations(s), lead_topic(s)
    at = f"{role} at {company}"
    if s.outcome == "rejected":
        opening = pick(
            rng,
            f"Thank you for the {talks} about {at}, and for letting me know where things landed.",
            f"I appreciated our {talks} about {at}.",
            f"It was good to get to know you and the team during the hiring process for {at}.",
            f"It was a pleasure to talk with you about {at}.",
        )
        standing = pick(
            rng,
            "Making it to the final round meant a lot to me, and I learned a great deal from it.",
            "Being one of your finalists was encouraging, and I valued the time you gave me.",
            "Reaching the final stage with your team meant a lot, and it has made me clearer about what I want next.",
            "I was glad to be among your finalists, and I learned a lot along the way.",
        )
        ask = pick(
            rng,
            f"Would you have {minutes} minutes for a short call in the next few weeks? I would value your advice on "
            "my search, and your thoughts on anyone I should meet.",
            f"Could I ask for {minutes} minutes of your time for a quick call? Your advice on where to look next, and "
            "who to talk to, would be a great help.",
            f"If you could spare {minutes} minutes for a brief call, I would love your advice on my next steps and on "
            "anyone you think I should meet.",
            f"Might you have {minutes} minutes for a call sometime soon? I would be grateful for your perspective on "
            "my search and for any introductions you think make sense.",
        )
    else:
        opening = pick(
            rng,
            f"Thank you again for the offer for {at}.",
            f"I was honored to be offered {at}.",
            f"Your offer for {at} meant a great deal to me.",
            f"It was a privilege to receive the offer for {at}.",
        )
        standing = _declined_because(s, rng)
        ask = pick(
            rng,
            f"Would you have {minutes} minutes for a short call in the coming weeks? I would like to stay in touch, "
            "hear your advice, and learn about people or future roles that might be a closer match.",
            f"Could I ask for {minutes} minutes of your time for a quick call? I would value your advice and would "
            "like to keep in touch about roles that could fit better later on.",
            f"If you could spare {minutes} minutes for a brief call, I would love to hear your advice and to stay in "
            "touch about future roles on your team.",
            f"Might you have {minutes} minutes for a call sometime soon? I would be glad of your advice, and I would "
            "like to stay in touch about roles that fit better down the road.",
        )
    liked = pick(
        rng,
        f"I especially enjoyed talking about {topic} with you.",
        f"Our discussion of {topic} has stayed with me.",
        f"I keep coming back to what we discussed about {topic}.",
        f"I am still mulling over our discussion of {topic}.",
    )
    easy = pick(
        rng,
        "I am happy to work around your schedule.",
        "Any time that suits you works for me.",
        "I will gladly fit around your calendar.",
        "Whatever time is easiest for you is fine with me.",
    )
    subject = pick(
        rng, "A quick call for advice?", "Could we talk for a few minutes?", "A short call, if you have time",
        f"{minutes} minutes of your advice?",
    )  # fmt: skip
    first = [opening, standing] if s.tone == "brief" or topic is None else [opening, standing, liked]
    body = voice.email(" ".join(first), f"{ask} {easy}")
    return {"subject": subject, "body": body, "call_minutes": minutes}


def _questions(s: Situation, voice: Voice, rng: random.Random) -> dict[str, Any]:
    topics = lead_topics(s)
    first, second = (topics[0], topics[1 % len(topics)]) if topics else (None, None)
    field = "in your field"
    about, on_first = (f"about {first}", f"on {first}") if topics else (field, field)
    on, in_ = (f"on {second}", f"in {second}") if topics else (field, field)
    people = pick(
        rng,
        f"Who else should I be talking to {about}?",
        f"Who are the people you would call first {about}?",
        f"Who do you know who is doing interesting work {on_first}?",
        f"Who would you introduce me to if I wanted to learn more {about}?",
    )
    network = pick(
        rng,
        f"Who in your network outside {s.company.name} would be worth a conversation?",
        "Which former colleagues of yours might be open to a short conversation with me?",
        "Which people in your network would you suggest I get to know?",
    )
    teams = pick(
        rng,
        f"Which teams or organizations do you see investing {in_} right now?",
        f"Which organizations come to mind for serious work {on}?",
    )
    openings = pick(
        rng,
        "Where do you hear about openings before they are posted?",
        "Where do the best people in your field tend to hear about new roles?",
    )
    if s.outcome == "rejected":
        fit = pick(
            rng,
            "From what you saw of my work, where do you think I would fit best?",
            "What kind of team do you think would make the most of what I bring?",
        )
        search = pick(
            rng,
            "How would you approach my search if you were in my position?",
            "What would you focus on in my search over the next few months?",
        )
        ranked = [people, network, fit, teams, openings, search]
        lever = pick(
            rng,
            "You saw my work up close during the process, so your view on where I should look next means a lot.",
            "You know my work better than most after the final round, so your advice is the most useful I could ask.",
            "Your team took me all the way to the final round, so your view on where I fit best means a lot to me.",
            "Having been one of your finalists, I would value your honest view on where to look next.",
        )
    else:
        touch = pick(
            rng,
            "What would be the best way to stay in touch as the team's plans take shape?",
            "How would you like me to keep in touch about the team's work over the coming months?",
        )
        ranked = [people, touch, network, teams, openings]
        lever = pick(
            rng,
            "It means a lot that we can stay in touch.",
            "I am glad we could keep the conversation going.",
            "Staying in touch with you matters to me.",
            "I am glad the door stays open between us.",
        )
    name = voice.addressed
    opener = pick(
        rng,
        f"Thanks so much for taking this call, {name}.",
        f"I really appreciate you making the time, {name}; I know your schedule is full.",
        f"{name}, thank you for fitting this in.",
        f"Good to talk again, {name}, and thank you for the time.",
    )
    permission = pick(
        rng,
        "May I mention your name when I reach out to the people you suggest?",
        "Would it be all right to say you suggested I get in touch with them?",
        "Would you be comfortable with me mentioning your name when I contact them?",
    )
    closing = pick(
        rng,
        "Thank you again. I will follow up with each person and let you know how it goes.",
        "This has been a real help; I will reach out to the people you named and keep you posted.",
        "Thank you for being so generous with your time; I will follow up on every suggestion.",
        "I am grateful for this. I will follow up with each of them and let you know what comes of it.",
    )
    # Three to five questions fit a call of fifteen minutes; the most valuable come first.
    questions = ranked[: rng.choice((3, 4, 5))]
    return {"opener": f"{opener} {lever}", "questions": questions, "permission_question": permission,
            "closing": closing}  # fmt: skip


def _thank_you(s: Situation, voice: Voice, rng: random.Random) -> dict[str, Any]:
    role, company, topic = the_role(s), s.company.name, lead_topic(s)
    if s.outcome == "rejected":
        considered = pick(
            rng,
            f"I am grateful to have been considered for {role} at {admired(s, rng)}.",
            f"Being considered by {admired(s, rng)}, was a privilege.",
            f"I was glad to be considered by {admired(s, rng)}.",
            f"It meant a great deal to be considered by {admired(s, rng)}.",
        )
        thanks_options = [
            "Thank you for your time and for a thoughtful process.",
            "Thank you for everything you and the team put into the process.",
            "Thank you for the care you and the team took throughout.",
        ]
        future = pick(
            rng,
            "Should a need arise in the future for someone with my skills, I would be happy to meet with you again.",
            "If a need for what I do comes up in the future, I would be glad to talk again.",
            "Should your team ever need someone with my background, I would be more than happy to meet again.",
            "If a need for my skills comes up down the line, I would welcome the opportunity to talk again.",
        )
    else:
        considered = pick(
            rng,
            f"I wanted to thank you properly for the offer for {role}, and for the confidence it showed.",
            f"The confidence {company} showed in me with its offer means a great deal.",
            f"Receiving an offer from {admired(s, rng)}, was an honor.",
            f"Being offered {role} by {admired(s, rng)}, is something I will remember.",
        )
        thanks_options = [
            "Thank you for your time and for a thoughtful process.",
            "Thank you for the care you and the team took throughout.",
            "Thank you for making the process such a good one.",
        ]
        future = pick(
            rng,
            "Should a role come up that matches better, I would be happy to meet with you again.",
            "If a position that fits more closely opens up later, I would be glad to talk again.",
            "I would welcome the opportunity to talk again about a role that fits better down the line.",
            "Should a role that suits me better come up, I would be more than happy to meet again.",
        )
    if company.casefold() not in considered.casefold():
        considered += f" I have long admired the work at {company}."
    memory = (
        pick(
            rng,
            f"Our conversation about {topic} was a highlight for me.",
            f"I learned a lot from our exchange on {topic}.",
            f"The time we spent on {topic} stood out for me.",
            f"Talking through {topic} with you was a real pleasure.",
        )
        if topic
        else ""
    )
    # The letter is the same note in print; its thanks is worded differently from the email's.
    thanks, letter_thanks = rng.sample(thanks_options, 2)
    email = voice.email(f"{considered} {thanks}", f"{memory} {future}".strip())
    paragraphs = [f"{considered} {letter_thanks}", f"{memory} {future}".strip()]
    if s.tone != "brief":
        paragraphs.append(
            pick(
                rng,
                "I wish you and the team every success, and I hope our paths cross before long.",
                "I hope our paths cross soon, and I wish you and the team all the best.",
                "I wish you and your colleagues well, and I look forward to staying in touch.",
            )
        )
    subject = pick(rng, "Thank you", "Thank you, and keeping in touch", "With thanks for your time",
                   f"Thank you from {s.candidate.first_name}")  # fmt: skip
    return {"email_subject": subject, "email_body": email, "letter_paragraphs": paragraphs}


_WRITERS = {
    "call_request": _call_request,
    "referral_questions": _questions,
    "thank_you": _thank_you,
    "value_add": value_add,
}


def write(step: str, situation: Situation, seed: int = 0) -> dict[str, Any]:
    """The JSON a model would return for ``step``, written offline; the same seed gives the same draft."""
    rng = random.Random(f"{seed}:{step}:{situation.model_dump_json()}")
    return _WRITERS[step](situation, Voice.of(situation, seed), rng)
