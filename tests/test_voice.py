"""wrong_voice: the candidate by any of their names, by courtesy title and surname, as "she" or "he", or through
someone writing for them (a coach, an agent) is not their own voice; their "I" and honest mentions of other
people (the manager, a referral, their own coach) are."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import GOOD, situation
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import Call, CallRequest, Letter, Referral, Situation, ThankYouAfterCall, check
from lemonade.guardrails._reading import _LOOK_ALIKES
from lemonade.offline._followups import write_follow_up

LOOK_ALIKE = {latin: other for other, latin in _LOOK_ALIKES.items()}


def body_with(paragraph: str) -> str:
    paragraphs = GOOD["rejected"]["call_request"]["body"].split("\n\n")
    paragraphs.insert(2, paragraph)
    return "\n\n".join(paragraphs)


def codes(paragraph: str, s: Situation | None = None) -> set[str]:
    s = s or situation()
    body = body_with(paragraph).replace("Jill Moreno", s.candidate.name).replace("Ms. Ruiz", s.hiring_manager.name)
    value = CallRequest.model_validate({**GOOD["rejected"]["call_request"], "body": body})
    return set(check(value, s).codes)


THIRD_PERSON = [
    "Ms. Moreno would love your advice on her search.",
    "Moreno would love your advice.",
    "Jill would love to hear your advice.",
    "JILL MORENO HAS a strong record with dbt.",
    "She would love your advice on her search.",
    "She'd really value your advice.",
    "He would be grateful for 15 minutes of your time.",
    "Any pointers for her job search are welcome.",
    "As her career coach, I am writing on Jill's behalf.",
    "I am writing on behalf of Ms. Moreno.",
    "I am writing on her behalf.",
    "I represent Jill in her search.",
    "My client would welcome 15 minutes with you.",
    "Jill's portfolio shows the dbt work.",
    "M\u043ereno would love your advice.",
    "Jil\u200bl would love your advice.",
    "Jill M. would love your advice.",
    "Jill's looking for advice on her next step.",
    "I'm reaching out for Jill Moreno.",
    "My candidate would value your time.",
]


@pytest.mark.parametrize("sentence", THIRD_PERSON)
def test_the_candidate_in_the_third_person_is_wrong_voice(sentence: str) -> None:
    assert "wrong_voice" in codes(sentence)


HONEST = [
    "I would love your advice on my search.",
    "Dana would know best who to ask.",
    "Ms. Ruiz would know best who to ask.",
    "My career coach suggested I write to you.",
    "I built dashboards for my client, a retailer, last year.",
    "I represented the analytics team at the dbt meetup.",
    "Thank you for the offer of your time.",
    "I enjoyed meeting the team; everyone was generous with their time.",
    "I'm reaching out for advice, not for a job.",
    "I was glad to be a candidate for the role.",
]


@pytest.mark.parametrize("sentence", HONEST)
def test_the_candidates_own_voice_and_other_people_pass(sentence: str) -> None:
    assert codes(sentence) <= {"buzzword"}


def test_a_surname_the_manager_shares_is_hers() -> None:
    s = situation(
        candidate={"name": "Ana Moreno", "email": "ana@example.com"},
        hiring_manager={"name": "Dana Moreno", "courtesy_title": "Ms."},
    )
    assert "wrong_voice" not in codes("Ms. Moreno would know best who to ask.", s)
    assert "wrong_voice" in codes("Ana would love your advice.", s)


FIRST = ["Jill", "Zo\u00eb", "Ren\u00e9e", "Siobh\u00e1n", "Mar\u00eda", "Ahmed", "Kenji", "Olu"]
LAST = ["Moreno", "N\u00fa\u00f1ez", "O'Brien", "van der Berg", "Kowalczyk", "Nakamura", "Okafor", "M\u00fcller"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FIRST), st.sampled_from(LAST), st.booleans(), st.booleans())
def test_any_of_the_candidates_names_in_the_third_person_is_found(
    first: str, last: str, by_surname: bool, disguise: bool
) -> None:
    s = situation(candidate={"name": f"{first} {last}", "email": "me@example.com"})
    name = last.split()[-1] if by_surname else first
    if disguise:  # as typed by someone hiding it: a look-alike letter, and the accents left off
        name = "".join(LOOK_ALIKE.get(c, c) for c in name[:2]) + name[2:]
    assert "wrong_voice" in codes(f"{name} would love your advice on the search.", s)
    assert codes(f"I would love your advice on the search, {s.hiring_manager.name.split()[0]}.", s) <= {"buzzword"}


def test_a_referral_named_in_a_follow_up_is_not_the_candidate() -> None:
    s = situation()
    priya = Referral(name="Priya Moreno", organization="Northwind")
    call = Call(on=date(2026, 12, 3), notes="Dana suggested Priya at Northwind", referrals=(priya,))
    data: dict[str, Any] = write_follow_up("thank_you_after_call", s, call, 0)
    data["letter"] = Letter.for_situation(s, data["letter_paragraphs"], on=date(2026, 12, 4)).model_dump()

    def voice(sentence: str) -> bool:
        body = data["email_body"].replace("\n\n", f"\n\n{sentence}\n\n", 1)
        value = ThankYouAfterCall.model_validate({**data, "email_body": body})
        return "wrong_voice" in check(value, s, context=call).codes

    assert not voice("Priya would be glad to talk about dbt, and Ms. Moreno has my note.")
    assert voice("Jill would be glad to talk about dbt.")
