"""The scripted server's rate-limited mode, checked with the bare openai client: OpenAI's headers on every
answer, limits enforced over short windows, 429s with retry-after-ms, and a 429 slowing a whole cohort."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from conftest import GOOD, TODAY, no_wait_async_retrying, situation_data
from hypothesis import given
from hypothesis import strategies as st

from lemonade import Lemonade
from lemonade.cohort._limits import go_duration, read_headers
from lemonade.testing import RateLimitedServer, Reply
from lemonade.testing._ratelimit import go_format


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def defaults() -> dict[str, Reply]:
    return {step: Reply(content=answer) for step, answer in GOOD["rejected"].items()}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited(clock: Clock) -> Iterator[RateLimitedServer]:
    with RateLimitedServer(rpm=120, tpm=100_000, defaults=defaults(), clock=clock) as server:
        yield server


def ask(client: openai.OpenAI, tokens: int = 100) -> Any:
    return client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "hello"}],
        max_tokens=tokens,
        response_format={"type": "json_schema", "json_schema": {"name": "call_request", "schema": {}}},
    )


@given(st.floats(0, 200_000, allow_nan=False))
def test_go_durations_written_by_the_server_read_back(seconds: float) -> None:
    assert go_duration(go_format(seconds)) == pytest.approx(seconds, abs=max(1e-6, seconds * 1e-3))


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (0.012, "12ms"), (0.12, "120ms"), (1.5, "1.5s"),
                                               (360, "6m0s"), (252.172, "4m12.172s")])  # fmt: skip
def test_go_durations_look_like_openais(seconds: float, text: str) -> None:
    assert go_format(seconds) == text


def test_every_answer_says_the_limits_and_a_burst_past_the_short_window_gets_429(
    limited: RateLimitedServer, clock: Clock
) -> None:
    client = openai.OpenAI(base_url=limited.url, api_key="test", max_retries=0)
    first = ask(client)
    said = read_headers(first.headers)
    assert (said.limit_requests, said.limit_tokens, said.remaining_requests) == (120, 100_000, 119)
    assert said.reset_requests == pytest.approx(0.5)  # one request refills in 60/120 s
    ask(client)  # two a second: the window's whole quota
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    headers = caught.value.response.headers
    assert int(headers["retry-after-ms"]) > 0 and headers["x-ratelimit-limit-requests"] == "120"
    assert caught.value.code == "rate_limit_exceeded"
    assert limited.throttled == 1 and limited.admitted == 2
    clock.now += 1.5  # the window refills, though most of the minute's 120 are left all along
    assert ask(client).status_code == 200
    client.close()


def test_tokens_are_counted_as_prompt_plus_max_tokens(limited: RateLimitedServer, clock: Clock) -> None:
    client = openai.OpenAI(base_url=limited.url, api_key="test", max_retries=0)
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 1500}
    cost = limited.tokens_of(body)
    assert 1500 < cost < 1520
    with pytest.raises(openai.RateLimitError) as caught:  # 100,000 a minute: 1,666 a one-second window
        ask(client, 1500), ask(client, 1500)
    assert "tokens per min" in caught.value.message
    client.close()


def test_a_429_slows_the_whole_cohort_not_one_request(clock: Clock) -> None:
    # The server's limits are unknown to the cohort (no headers): a burst meets 429s; each one holds every
    # request of the cohort for the retry-after it asks, and slows the pace.
    with RateLimitedServer(rpm=480, window=0.5, headers=False, defaults=defaults()) as server:
        client = openai.OpenAI(base_url=server.url, api_key="test")
        lm = Lemonade(client=client, model="gpt-4o-mini", async_retrying=no_wait_async_retrying(8), today=lambda: TODAY)
        cohort = lm.cohort([situation_data() for _ in range(8)], steps="call_request", max_concurrency=8)
        results = list(cohort)
        client.close()
        arrivals = [r.arrived for r in server.requests]
    assert all(r.ok for r in results) and len(results) == 8  # none surfaced
    assert 1 <= server.throttled <= 8 and cohort.ledger.throttled == server.throttled  # no retry storm
    pacer = cohort.pacer
    assert pacer is not None and pacer.pace < 1.0  # the whole cohort slowed down
    assert arrivals[-1] - arrivals[0] >= (8 - 4) / 8  # 8 a second at most once the quota of the window was spent
