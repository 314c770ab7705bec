"""The offline writer's follow-up drafts pass every guardrail, over generated situations, calls and referrals
(names with accents and hyphens, organisations that look like domains or hold brackets, with or without
emails)."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import situation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_offline import FIRST, LAST, WORDS, situations

from lemonade import (
    FOLLOW_UP_STEPS,
    Call,
    CheckInFacts,
    FollowUpStep,
    InputError,
    Introduction,
    Lemonade,
    NoReply,
    OfflineWarning,
    Referral,
    Situation,
    check,
)

ORGANIZATIONS = [None, "Northwind", "Northwind.io", "[Labs] Inc", "Café Olé Ltd", "data.gov", "Zeta-Labs"]
TITLES = [None, "Head of Data", "VP, Platform", "Staff Engineer [contract]", "Directrice Générale"]
RELATIONS = [None, "former colleague of the manager's", "a mentor from grad school", "runs the meetup"]


@st.composite
def referrals(draw: st.DrawFn) -> Referral:
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    data: dict[str, Any] = {
        "name": f"{first} {last}",
        "title": draw(st.sampled_from(TITLES)),
        "organization": draw(st.sampled_from(ORGANIZATIONS)),
        "relation": draw(st.sampled_from(RELATIONS)),
        "introduction": draw(st.sampled_from([None, "forward", "direct", "both"])),
    }
    if draw(st.booleans()):
        data["email"] = f"{first[0].lower()}@example.net".replace("ø", "o").replace("ł", "l")
    return Referral.model_validate({k: v for k, v in data.items() if v is not None})


@st.composite
def calls(draw: st.DrawFn) -> Call:
    people = draw(st.lists(referrals(), max_size=4, unique_by=lambda r: r.key))
    words = draw(st.lists(st.sampled_from([*WORDS, "meetup", "suggested", "said", "the", "and"]), max_size=25))
    mention = " ".join(f"{r.name} at {r.organization}" for r in people if r.organization and draw(st.booleans()))
    notes = " ".join([*words, mention]).strip()
    return Call(on=date(2026, 12, 1) + timedelta(days=draw(st.integers(0, 40))), notes=notes, referrals=tuple(people))


def context_for(step: str, call: Call, pick: int) -> Any:
    if step == "nudge":
        return NoReply(sent_on=date(2026, 11, 27), subject="A quick call for advice?", call_minutes=10 + 5 * (pick % 2))
    if step == "thank_you_after_call":
        return call
    if step in ("introduction_request", "referral_outreach"):
        return Introduction(call=call, referral=call.referrals[pick % len(call.referrals)])
    return CheckInFacts(decided_on=date(2026, 11, 27), on=date(2027, 2, 25), call=call if pick % 2 else None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations(), calls(), st.sampled_from(FOLLOW_UP_STEPS), st.integers(0, 10_000))
def test_every_offline_follow_up_passes_every_guardrail(
    s: Situation, call: Call, step: FollowUpStep, seed: int
) -> None:
    if step in ("introduction_request", "referral_outreach") and not call.referrals:
        return
    context = context_for(step, call, seed)
    if isinstance(context, CheckInFacts):  # some or all of the links were shared before
        context = context.model_copy(update={"shared": s.resource_urls[: seed % 5]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineWarning)
        draft = Lemonade(backend="offline", seed=seed).draft(step, s, context=context)
    assert draft.report.violations == (), (step, draft.report, draft.text)
    assert check(draft.value, s, context=context).errors == ()
    assert draft.model == "offline"


@pytest.mark.parametrize("step", FOLLOW_UP_STEPS)
def test_the_same_seed_gives_the_same_draft_and_others_vary(step: FollowUpStep) -> None:
    priya = Referral(name="Priya Shah", organization="Northwind", email="priya@example.net")
    call = Call(on=date(2026, 12, 3), notes="Dana suggested Priya at Northwind", referrals=(priya,))
    context = context_for(step, call, 1)
    lm = Lemonade(backend="offline", seed=3)
    assert lm.draft(step, situation(), context=context).value == lm.draft(step, situation(), context=context).value
    texts = {Lemonade(backend="offline", seed=n).draft(step, situation(), context=context).text for n in range(12)}
    assert len(texts) >= 2


def test_a_follow_up_needs_what_it_is_written_from() -> None:
    with pytest.raises(InputError, match="context"):
        Lemonade(backend="offline").draft("nudge", situation())
    with pytest.raises(InputError, match="unknown step"):
        Lemonade(backend="offline").draft("thank_you_later", situation())  # type: ignore[arg-type]


def test_the_check_in_brings_a_link_not_shared_before() -> None:
    s = situation(resources=[
        {"url": "https://example.org/a", "title": "Guide A", "topic": "moving reporting to dbt"},
        {"url": "https://example.org/b", "title": "Guide B", "topic": "churn forecasting"},
    ])  # fmt: skip
    facts = CheckInFacts(decided_on=date(2026, 11, 27), on=date(2027, 2, 25), shared=("https://example.org/b",))
    body = Lemonade(backend="offline").draft("check_in", s, context=facts).value.body
    assert "https://example.org/a" in body and "https://example.org/b" not in body
    every = facts.model_copy(update={"shared": ("https://example.org/a", "https://example.org/b")})
    draft = Lemonade(backend="offline").draft("check_in", s, context=every)
    assert "https://" not in draft.value.body and draft.report.ok  # nothing fresh to share: no link, no finding


@pytest.mark.parametrize("tone", ["warm", "formal", "brief"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_campaign_speaks_in_the_kits_one_voice(tone: str, seed: int) -> None:
    s = situation(tone=tone)
    lm = Lemonade(backend="offline", seed=seed)
    kit_email = lm.call_request(s).value.body
    nudge = lm.draft("nudge", s, context=NoReply(sent_on=date(2026, 11, 27), subject="A call?", call_minutes=15))
    priya = Referral(name="Priya Shah", organization="Northwind", email="priya@example.net")
    call = Call(on=date(2026, 12, 3), notes="Dana suggested Priya", referrals=(priya,))
    outreach = lm.draft("referral_outreach", s, context=Introduction(call=call, referral=priya))
    first_line, closing = kit_email.split("\n")[0], kit_email.split("\n\n")[-1]
    assert nudge.value.body.split("\n")[0] == first_line  # the same greeting to the manager
    assert nudge.value.body.split("\n\n")[-1] == closing == outreach.value.body.split("\n\n")[-1]  # one sign-off
    assert outreach.value.body.split("\n")[0] != first_line  # the referral is greeted by their own name
