"""call_too_long and call_minutes_mismatch: the shorter and vaguer ways to say how long (1h, 30', 1.5 hrs, a few
hours, the afternoon, over lunch) count where they say how long the call is, and nowhere else."""

from __future__ import annotations

import pytest
from conftest import GOOD, situation
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import CallRequest, check


def body_with(paragraph: str) -> str:
    paragraphs = GOOD["rejected"]["call_request"]["body"].split("\n\n")
    paragraphs.insert(2, paragraph)
    return "\n\n".join(paragraphs)


def codes(paragraph: str) -> set[str]:
    value = CallRequest.model_validate({**GOOD["rejected"]["call_request"], "body": body_with(paragraph)})
    return set(check(value, situation()).codes)


TOO_LONG = [
    "Could we talk for 1h next week?",
    "Could we talk for 1 hr next week?",
    "Could we meet for an hr?",
    "Could we talk for 30' next week?",
    "Could we talk for 1.5 hrs next week?",
    "Could we talk for 1,5 h next week?",
    "Could we talk for 1h30 next week?",
    "Would you be free for a 1h call?",
    "Would you have 1\u00bd hours for a call?",
    "Could you spare \uff12\uff48 for a call?",
    "Could we talk for a few hours next week?",
    "Could we talk for several hours next week?",
    "Could we talk for an hour or two?",
    "Could we spend the afternoon talking it through?",
    "Could we block out the whole day to talk?",
    "Could we talk all afternoon?",
    "Could we set aside half a day to discuss it?",
    "Could we discuss it over a long lunch?",
    "Could we grab lunch to talk it through?",
    "Could we talk it over dinner?",
    "Could we meet for the afternoon?",
    "Could we spend this morning on a call?",
    "Could we talk for 45m next week?",
    "Could we talk for 1-2h next week?",
    "Could you spare a good hour for a call?",
]


@pytest.mark.parametrize("sentence", TOO_LONG)
def test_a_call_asked_for_longer_than_the_limit_is_too_long(sentence: str) -> None:
    assert "call_too_long" in codes(sentence)


HONEST = [
    "I spent a few hours on the dbt guide.",
    "I spent the afternoon reading your blog.",
    "The build went from 3h to 1h; could we talk about it?",
    "I hope your afternoon is going well.",
    "Would Tuesday afternoon work for the call?",
    "We enjoyed the afternoon we spent talking about dbt.",
    "Have a good afternoon, and could we talk soon?",
    "I'm free all day Thursday if that helps.",
    "My '90s playlist is still going.",
    "Could you spare 15' for a call?",
    "Thank you for your time over the last few weeks.",
    "I still use the 30-day plan we sketched together.",
    "Could we meet this afternoon, or talk the morning after?",
    "Could we talk during the afternoon on Tuesday?",
    "We raised $30m last year; could we talk about it?",
]


@pytest.mark.parametrize("sentence", HONEST)
def test_other_durations_and_times_of_day_are_not_the_call(sentence: str) -> None:
    found = codes(sentence)
    assert not found & {"call_too_long", "call_minutes_mismatch"}
    assert found <= {"buzzword"}


def test_a_shorter_call_that_disagrees_with_call_minutes_is_a_mismatch() -> None:
    assert "call_minutes_mismatch" in codes("Could you spare 10' for a call?")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=600), st.sampled_from(["{h}h", "{h} hrs", "{h} hr", "{h}h call"]))
def test_hours_as_shorthand_count_as_their_minutes(minutes: int, form: str) -> None:
    hours = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    if hours in ("0", ""):
        return
    found = codes(f"Could we talk for {form.format(h=hours)} next week?")
    asked = round(float(hours) * 60)
    assert ("call_too_long" in found) == (asked > 15)
    assert ("call_minutes_mismatch" in found) == (asked <= 15 and asked != 15)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=240))
def test_minutes_with_a_prime_count_as_minutes(minutes: int) -> None:
    found = codes(f"Could you spare {minutes}' for a call next week?")
    assert ("call_too_long" in found) == (minutes > 15)
    assert ("call_minutes_mismatch" in found) == (minutes < 15)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99))
def test_hours_that_are_not_the_call_are_not_counted(before: int, after: int) -> None:
    found = codes(f"The build went from {before}h to {after}h; could we talk about it?")
    assert not found & {"call_too_long", "call_minutes_mismatch"}
