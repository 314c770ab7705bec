"""Links and email addresses are found as a reader sees them: whatever stands before a domain, with invisible
characters, look-alike dots, full-width forms or a defanged dot; honest wording around them stays clean."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import GOOD, situation
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import Call, CallRequest, Introduction, Referral, ReferralOutreach, Situation, check
from lemonade.guardrails._links import find_addresses, find_links
from lemonade.guardrails._reading import as_seen
from lemonade.offline._followups import write_follow_up

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\u2063", "\ufeff", "\u180e", "\U000e0041"]
DOTS = [
    "\u2024",
    "\ufe52",
    "\uff0e",
    "\u3002",
    "\uff61",
    "\u2219",
    "\u22c5",
    "\u00b7",
    "\u0660",
    "[.]",
    "(.)",
    " [dot] ",
    "(dot)",
]


def body_with(paragraph: str) -> str:
    paragraphs = GOOD["rejected"]["call_request"]["body"].split("\n\n")
    paragraphs.insert(2, paragraph)
    return "\n\n".join(paragraphs)


def codes(paragraph: str, s: Situation | None = None) -> set[str]:
    value = CallRequest.model_validate({**GOOD["rejected"]["call_request"], "body": body_with(paragraph)})
    return set(check(value, s or situation()).codes)


@pytest.mark.parametrize("before", ["/", "//", "-", "_", "(", "'", '"', "*", "~", "...", ">", "|", "\u2014", "\\"])
def test_a_domain_is_a_link_whatever_stands_before_it(before: str) -> None:
    assert "unknown_link" in codes(f"My portfolio: {before}evil.com/login")


@pytest.mark.parametrize(
    "disguised",
    ["https\uff1a//evil.com/login", "\uff48\uff54\uff54\uff50\uff53://evil.com/login", "\uff45\uff56\uff49\uff4c.com",
     "\U0001d41e\U0001d42f\U0001d422\U0001d425.com", "evil.\uff43\uff4f\uff4d/login", "evil\u2024com"],
)  # fmt: skip
def test_full_width_and_compatibility_forms_are_links(disguised: str) -> None:
    assert "unknown_link" in codes(f"Notes from me: {disguised}")


@pytest.mark.parametrize("dot", DOTS)
def test_look_alike_and_defanged_dots_are_links(dot: str) -> None:
    assert "unknown_link" in codes(f"Notes from me: evil{dot}com/login")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(INVISIBLE), st.integers(min_value=0, max_value=len("evil.com/login")))
def test_an_invisible_character_anywhere_in_a_link_hides_nothing(char: str, at: int) -> None:
    link = "evil.com/login"
    assert "unknown_link" in codes(f"Notes from me: {link[:at]}{char}{link[at:]}")


@settings(max_examples=300, deadline=None)
@given(st.characters(exclude_categories=["Cs"]))
def test_any_character_before_a_domain_leaves_it_a_link(char: str) -> None:
    # A letter or digit joins the domain's first label, and that is still a link; nothing hides it.
    assert any(not link.text.startswith("https://example.org") for link in find_links(f"see: {char}evil.com/login"))


def test_the_situations_own_link_disguised_is_still_its_own_link() -> None:
    assert "unknown_link" not in codes("The guide again: https://example.org/dbt\u200b-guide")
    assert "unknown_link" not in codes("The guide again: example\uff0eorg/dbt-guide")


@pytest.mark.parametrize(
    "honest",
    ["We tried A/B testing and/or cohort views.", "Q3-Q4 went well, e.g. the dbt work, i.e. staging.",
     "I am a self-starter in data/analytics.", "The 2024-2025 plan, U.S.-based, follow-up notes.",
     "Jill\u00a0Moreno, St. Louis \u2014 Ms. Ruiz.", "\u201cmoving reporting to dbt\u201d \u2013 my notes."],
)  # fmt: skip
def test_honest_wording_is_no_link(honest: str) -> None:
    found = codes(honest)
    assert "unknown_link" not in found
    assert found <= {"buzzword"}


@pytest.mark.parametrize(
    "address",
    ["jill.moreno@evil.com", "mailto:jill@evil.com", "JILL@EVIL.COM", "jill\uff20evil.com", "jill@ev\u200bil.com",
     "mailto:jill@example.com?cc=eve@evil.io", "<eve+x@sub.evil.io>", "dana@example.com"],
)  # fmt: skip
def test_an_address_the_situation_never_names_is_unknown_email(address: str) -> None:
    assert "unknown_email" in codes(f"Please reply to {address} instead.")


@pytest.mark.parametrize("address", ["jill@example.com", "Jill@Example.COM", "mailto:jill@example.com"])
def test_the_candidates_own_address_is_known(address: str) -> None:
    found = codes(f"Please reply to {address}.")
    assert "unknown_email" not in found
    assert found <= {"buzzword"}


def test_the_managers_and_a_referrals_addresses_are_known() -> None:
    s = situation(hiring_manager={"name": "Dana Ruiz", "courtesy_title": "Ms.", "email": "dana@example.com"})
    assert "unknown_email" not in codes("Copying dana@example.com as you asked.", s)
    priya = Referral(name="Priya Shah", organization="Northwind", email="priya@example.net")
    intro = Introduction(
        call=Call(on=date(2026, 12, 3), notes="Dana suggested Priya", referrals=(priya,)), referral=priya
    )
    data: dict[str, Any] = write_follow_up("referral_outreach", s, intro, 0)

    def outreach(sentence: str) -> set[str]:
        body = data["body"].replace("\n\n", f"\n\n{sentence}\n\n", 1)
        return set(check(ReferralOutreach.model_validate({**data, "body": body}), s, context=intro).codes)

    assert "unknown_email" not in outreach("Priya can reach me at jill@example.com; Dana is dana@example.com.")
    assert "unknown_email" not in outreach("I have priya@example.net from Dana.")
    assert "unknown_email" in outreach("Write to eve@evil.io.")


def test_a_link_with_an_at_sign_in_its_path_is_a_link_not_an_address() -> None:
    assert find_addresses("https://medium.com/@jill.moreno/post") == []
    assert [link.text for link in find_links("https://medium.com/@jill.moreno/post")] == [
        "https://medium.com/@jill.moreno/post"
    ]


def test_links_are_reported_as_the_reader_sees_them() -> None:
    assert as_seen("evil\u200b\uff0ecom") == "evil.com"
    assert [link.text for link in find_links("see evil\u200b.com/login")] == ["evil.com/login"]
