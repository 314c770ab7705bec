"""The follow-up steps' guardrails: each rule fires where it should, and a near miss does not; names that look
like links or placeholders are the candidate's own and are never findings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import situation

from lemonade import (
    Call,
    CheckInFacts,
    Introduction,
    Letter,
    NoReply,
    Referral,
    Situation,
    check,
)
from lemonade.drafts._followups import FOLLOW_UP_TYPES
from lemonade.offline._followups import write_follow_up

PRIYA = Referral(name="Priya Shah", title="Head of Data", organization="Northwind", email="priya@example.net",
                 relation="former colleague of Dana's")  # fmt: skip
OMAR = Referral(name="Omar Haddad", organization="Chicago Data Meetup", introduction="forward")
CALL = Call(on=date(2026, 12, 3), notes="Dana suggested Priya at Northwind and a meetup", referrals=(PRIYA, OMAR))
CONTEXTS: dict[str, Any] = {
    "nudge": NoReply(sent_on=date(2026, 11, 27), subject="A quick call for advice?", call_minutes=15),
    "thank_you_after_call": CALL,
    "introduction_request": Introduction(call=CALL, referral=OMAR),
    "referral_outreach": Introduction(call=CALL, referral=PRIYA),
    "check_in": CheckInFacts(decided_on=date(2026, 11, 27), on=date(2027, 2, 25), call=CALL),
}


def good(step: str, s: Situation | None = None, context: Any = None, seed: int = 0) -> dict[str, Any]:
    s = s or situation()
    data = write_follow_up(step, s, context or CONTEXTS[step], seed)
    if "letter_paragraphs" in data:
        data["letter"] = Letter.for_situation(s, data["letter_paragraphs"], on=date(2026, 12, 4)).model_dump()
    return data


def findings(step: str, s: Situation | None = None, context: Any = None, **changes: Any) -> set[tuple[str, str]]:
    s = s or situation()
    data = {**good(step, s, context), **changes}
    if "letter_paragraphs" in changes:
        data["letter"] = {**data["letter"], "paragraphs": changes["letter_paragraphs"]}
    value = FOLLOW_UP_TYPES[step].model_validate(data)
    return {(v.code, v.field) for v in check(value, s, context=context or CONTEXTS[step]).violations}


def codes(*args: Any, **kwargs: Any) -> set[str]:
    return {c for c, _ in findings(*args, **kwargs)}


@pytest.mark.parametrize("outcome", ["rejected", "declined_offer"])
@pytest.mark.parametrize("step", list(CONTEXTS))
def test_the_offline_drafts_of_the_example_have_no_findings(step: str, outcome: str) -> None:
    assert findings(step, situation(outcome)) == set()


def nudge(sentence: str) -> str:
    return f"Dear Dana,\n\nI haven't heard back about a 15-minute call. {sentence}\n\nWarm regards,\nJill Moreno"


def outreach(opening: str, ask: str = "Would you have 15 minutes for a short call?") -> str:
    return f"Hi Priya,\n\n{opening} {ask} I am happy to fit around your schedule.\n\nBest,\nJill Moreno"


def note(text: str, greeting: str = "Dear Omar,") -> str:
    return f"{greeting}\n\n{text}\n\nWith thanks,\nJill Moreno"


INTRO = "My name is Jill Moreno, and I interviewed at ABC Corp, where I got to know Dana Ruiz."
ONE_ASK = "I would be grateful for 15 minutes of your advice. I can be reached at jill@example.com."

# (step, field changes, code that must fire, outcome)
FIRING: list[tuple[str, dict[str, Any], str, str]] = [
    ("nudge", {"body": nudge("I'm surprised you haven't replied.")}, "guilt", "rejected"),
    ("nudge", {"body": nudge("I am still waiting to hear from you.")}, "guilt", "rejected"),
    ("nudge", {"body": nudge("As per my last email, a call would help.")}, "guilt", "rejected"),
    ("nudge", {"body": nudge("I know you are busy, but a reply would be nice.")}, "guilt", "rejected"),
    ("nudge", {"body": nudge("Could we talk on [date]?")}, "placeholder", "rejected"),
    ("nudge", {"body": nudge("word " * 70)}, "too_long", "rejected"),
    ("nudge", {"body": nudge("Half an hour would be ideal for the call.")}, "call_too_long", "rejected"),
    ("referral_outreach", {"body": outreach("Dana Ruiz suggested I write. Is Northwind hiring?")}, "asks_for_job",
     "rejected"),
    ("referral_outreach", {"body": outreach("Dana Ruiz suggested I write.", "Could you refer me for a role there?")},
     "asks_for_job", "rejected"),
    ("referral_outreach", {"body": outreach("I hope you are well. I interviewed at ABC Corp. Dana Ruiz suggested "
                                            "I write.")}, "no_connection", "rejected"),
    ("referral_outreach", {"body": outreach("Dana Ruiz suggested I write.").replace("Hi Priya", "Hi Dana")},
     "wrong_recipient", "rejected"),
    ("referral_outreach", {"body": outreach("Dana Ruiz suggested I write.", "Could we talk for 30 minutes?")},
     "call_too_long", "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} Thank you for the call on Thursday. {ONE_ASK}")},
     "not_forwardable", "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} As you suggested, Omar knows the field. {ONE_ASK}")},
     "not_forwardable", "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} {ONE_ASK}", greeting="Hi Dana,")}, "not_forwardable",
     "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} {ONE_ASK} Could you also review my resume?")}, "ask_count",
     "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} I can be reached at jill@example.com.")}, "ask_count",
     "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} {ONE_ASK}", greeting="Hello,")}, "missing_referral",
     "rejected"),
    ("thank_you_after_call", {"email_body": "Dear Dana,\n\nThank you for the call and your advice. I was glad to "
                              "be considered by ABC Corp.\n\nWith thanks,\nJill Moreno"}, "missing_referral",
     "rejected"),
    ("check_in", {"body": "Dear Dana,\n\nA quick hello. https://example.org/dbt-guide is worth a read.\n\n"
                  "Warm regards,\nJill Moreno"}, "not_open_to_role", "declined_offer"),
    ("check_in", {"body": "Dear Dana,\n\nIs the offer still open? https://example.org/dbt-guide is worth a read. I "
                  "would be glad to hear of a role that fits better.\n\nWarm regards,\nJill Moreno"}, "reconsider",
     "declined_offer"),
    ("check_in", {"body": "Dear Dana,\n\nA quick hello. Is ABC Corp hiring? https://example.org/dbt-guide\n\n"
                  "Warm regards,\nJill Moreno"}, "asks_for_job", "rejected"),
    ("check_in", {"body": "Dear Dana,\n\nA quick hello, and a guide: https://example.com/made-up\n\n"
                  "Warm regards,\nJill Moreno"}, "unknown_link", "rejected"),
]  # fmt: skip

NOT_FIRING: list[tuple[str, dict[str, Any], str, str]] = [
    ("nudge", {"body": nudge("If now is a busy time, I completely understand.")}, "guilt", "rejected"),
    ("nudge", {"body": nudge("I was surprised by how much I enjoyed our talk.")}, "guilt", "rejected"),
    ("referral_outreach", {"body": outreach("Dana Ruiz suggested I write. I am not asking for a job, only your "
                                            "perspective.")}, "asks_for_job", "rejected"),
    ("referral_outreach", {"body": outreach("I hope you are well. Dana Ruiz suggested I write.")}, "no_connection",
     "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} Dana suggested I ask for your advice. {ONE_ASK}")},
     "not_forwardable", "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} {ONE_ASK}")}, "ask_count", "rejected"),
    ("introduction_request", {"body": note(f"{INTRO} {ONE_ASK}")}, "missing_referral", "rejected"),
    ("thank_you_after_call", {"email_body": "Dear Dana,\n\nThank you for the call and your advice, and for "
                              "suggesting Priya. I was glad to be considered by ABC Corp.\n\nWith thanks,\n"
                              "Jill Moreno"}, "missing_referral", "rejected"),
    ("check_in", {"body": "Dear Dana,\n\nA quick hello: https://example.org/dbt-guide. I would be glad to hear of "
                  "a role that fits better.\n\nWarm regards,\nJill Moreno"}, "not_open_to_role", "declined_offer"),
    ("check_in", {"body": "Dear Dana,\n\nThe guide is still open to everyone: https://example.org/dbt-guide. I "
                  "would be glad to hear of a better-matched role.\n\nWarm regards,\nJill Moreno"}, "reconsider",
     "declined_offer"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("step", "changes", "code", "outcome"), FIRING, ids=[f"{r[2]}-{i}" for i, r in enumerate(FIRING)]
)
def test_rule_fires(step: str, changes: dict[str, Any], code: str, outcome: str) -> None:
    assert code in codes(step, situation(outcome), **changes)


@pytest.mark.parametrize(
    ("step", "changes", "code", "outcome"), NOT_FIRING, ids=[f"{r[2]}-{i}" for i, r in enumerate(NOT_FIRING)]
)
def test_near_miss_does_not_fire(step: str, changes: dict[str, Any], code: str, outcome: str) -> None:
    assert code not in codes(step, situation(outcome), **changes)


def test_the_thank_you_names_something_from_the_call() -> None:
    call = Call(on=date(2026, 12, 3), notes="Dana recommended the Chicago analytics meetup.")
    body = "Dear Dana,\n\nThank you for the call. I was glad to be considered by ABC Corp.\n\nWith thanks,\nJill Moreno"
    assert "no_call_detail" in codes("thank_you_after_call", context=call, email_body=body)
    near = body.replace("for the call.", "for the call, and for the tip about the meetup.")
    assert "no_call_detail" not in codes("thank_you_after_call", context=call, email_body=near)
    # With no notes and nobody suggested, there is nothing it could name.
    empty = Call(on=date(2026, 12, 3))
    assert "no_call_detail" not in codes("thank_you_after_call", context=empty, email_body=body)


def test_a_follow_up_without_its_context_is_a_finding() -> None:
    value = FOLLOW_UP_TYPES["nudge"].model_validate(good("nudge"))
    assert {v.code for v in check(value, situation()).violations} == {"missing_context"}
    assert {v.code for v in check(value, situation(), context=CALL).violations} == {"missing_context"}


def test_every_follow_up_code_has_a_firing_case() -> None:
    fired = {code for _, _, code, _ in FIRING} | {"no_call_detail", "missing_context"}
    assert {"guilt", "asks_for_job", "no_connection", "not_forwardable", "ask_count", "missing_referral",
            "no_call_detail", "not_open_to_role"} <= fired  # fmt: skip


ODD_NAMES = [
    ("Northwind.io", "Priya Shah"),
    ("[Labs] Inc", "Priya Shah"),
    ("data.gov", "Zoë [Team] O'Brien-Díaz"),
    ("www.acme.co", "Jean-Luc Dubois"),
]


@pytest.mark.parametrize(("organization", "name"), ODD_NAMES)
@pytest.mark.parametrize("step", ["introduction_request", "referral_outreach", "thank_you_after_call", "check_in"])
def test_names_that_look_like_links_or_placeholders_are_not_findings(step: str, organization: str, name: str) -> None:
    person = Referral(name=name, title="Head of [Data]", organization=organization, email="p@example.net")
    call = Call(on=date(2026, 12, 3), notes=f"Dana suggested {name} at {organization}.", referrals=(person,))
    context = {
        "introduction_request": Introduction(call=call, referral=person),
        "referral_outreach": Introduction(call=call, referral=person),
        "thank_you_after_call": call,
        "check_in": CheckInFacts(decided_on=date(2026, 11, 27), on=date(2027, 2, 25), call=call),
    }[step]
    s = situation(company={"name": "abc.io [Analytics]"})
    text = str(good(step, s, context))
    assert any(odd in text for odd in (organization, name, "abc.io [Analytics]", "Head of [Data]"))
    assert findings(step, s, context) == set()


def test_an_invented_link_still_fires_beside_a_domain_like_name() -> None:
    person = Referral(name="Priya Shah", organization="Northwind.io", email="p@example.net")
    call = Call(on=date(2026, 12, 3), notes="Priya at Northwind.io", referrals=(person,))
    context = Introduction(call=call, referral=person)
    body = outreach("Dana Ruiz suggested I write to you at Northwind.io. See northwind-careers.io for my work.")
    assert ("unknown_link", "body") in findings("referral_outreach", context=context, body=body)
    assert "unknown_link" not in codes("referral_outreach", context=context, body=body.split(" See ")[0] + " Bye.")


@pytest.mark.parametrize("step", ["nudge", "referral_outreach", "check_in"])
def test_a_follow_up_in_the_third_person_is_not_the_candidates_voice(step: str) -> None:
    field = "body" if step != "check_in" else next(k for k in good(step) if k.endswith("body"))
    text = good(step)[field].replace("\n\n", "\n\nJill Moreno is a strong analyst. ", 1)
    assert "wrong_voice" in codes(step, **{field: text})
    near_miss = good(step)[field].replace("\n\n", "\n\nJill Moreno here, with a short note. ", 1)
    assert "wrong_voice" not in codes(step, **{field: near_miss})


def test_the_situations_own_words_are_never_findings_in_a_follow_up_either() -> None:
    s = situation(company={"name": "Booking.com"}, hiring_manager={"name": "Dana Bitterman", "courtesy_title": "Ms."})
    context = NoReply(sent_on=date(2026, 11, 27), subject="A quick call for advice?", call_minutes=15)
    assert codes("nudge", s, context) == set()


@pytest.mark.parametrize("step", list(CONTEXTS))
def test_a_follow_up_far_beyond_its_limits_is_refused_at_once(step: str) -> None:
    field = next(k for k in ("body", "email_body") if k in good(step))
    assert codes(step, **{field: "Who do you know? " * 200_000}) == {"too_long"}  # nothing else was even run
