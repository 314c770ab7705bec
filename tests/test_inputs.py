"""Situation inputs reject bad values with a message naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import situation, situation_data
from pydantic import ValidationError

from lemonade import Address, Person, Resource, Situation


def error_fields(data: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as info:
        Situation.model_validate(data)
    return {".".join(map(str, e["loc"])) for e in info.value.errors()}


def test_a_good_situation() -> None:
    s = situation()
    assert s.hiring_manager.formal_name == "Ms. Ruiz"
    assert s.candidate.first_name == "Jill"
    assert s.resource_urls == ("https://example.org/dbt-guide",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"candidate": {"name": ""}}, "candidate.name"),
        ({"hiring_manager": {"name": "   "}}, "hiring_manager.name"),
        ({"company": {"name": ""}}, "company.name"),
        ({"role": ""}, "role"),
        ({"outcome": "ghosted"}, "outcome"),
        ({"tone": "snarky"}, "tone"),
        ({"candidate": {"name": "Jill", "email": "not-an-email"}}, "candidate.email"),
        ({"candidate": {"name": "Jill", "x_handle": "@way_too_long_for_x_handles"}}, "candidate.x_handle"),
        ({"candidate": {"name": "Jill", "linkedin_url": "linkedin.com/in/jill"}}, "candidate.linkedin_url"),
        (
            {"resources": [{"url": "ftp://example.org/x", "title": "t", "topic": "churn forecasting"}]},
            "resources.0.url",
        ),
        ({"hiring_manger": {"name": "Dana"}}, "hiring_manger"),
    ],
)
def test_bad_field_is_named(change: dict[str, Any], field: str) -> None:
    assert field in error_fields(situation_data(**change))


def test_resource_topic_must_be_an_interview_topic() -> None:
    data = situation_data(resources=[{"url": "https://example.org/a", "title": "A", "topic": "pricing"}])
    with pytest.raises(ValidationError, match=r"resources\[0\]\.topic: 'pricing' is not one of interview_topics"):
        Situation.model_validate(data)


def test_decline_reason_only_for_declined_offer() -> None:
    with pytest.raises(ValidationError, match="decline_reason: is only for outcome 'declined_offer'"):
        Situation.model_validate(situation_data("rejected", decline_reason="timing"))
    assert situation("declined_offer").decline_reason == "timing: relocating next year"


def test_address_without_region() -> None:
    address = Address(lines=["Hauptstrasse 5"], city="Berlin", postal_code="10115", country="Germany")
    assert address.as_lines() == ["Hauptstrasse 5", "Berlin 10115", "Germany"]


def test_inputs_are_frozen_and_stripped() -> None:
    person = Person(name="  Dana Ruiz ", x_handle="dana_r")
    assert person.name == "Dana Ruiz"
    assert person.x_handle == "@dana_r"
    with pytest.raises(ValidationError):
        person.name = "Someone"  # type: ignore[misc]
    assert Resource(url=" https://example.org/x ", title="X", topic="t").url == "https://example.org/x"


def test_blank_notes_become_none() -> None:
    assert situation(notes="   ").notes is None
