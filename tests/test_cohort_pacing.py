"""Reading OpenAI's rate-limit headers (Go durations included), and the pacer that keeps a cohort under them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lemonade import InputError
from lemonade.cohort._limits import go_duration, read_headers
from lemonade.cohort._pacer import DEFAULT_CONCURRENCY, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- Go durations and headers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("6m0s", 360.0),
        ("1s", 1.0),
        ("12ms", 0.012),
        ("120ms", 0.12),
        ("4m12.172s", 252.172),
        ("23h18m29.144s", 23 * 3600 + 18 * 60 + 29.144),
        ("1h", 3600.0),
        ("2m", 120.0),
        ("500us", 0.0005),
        ("250µs", 0.00025),
        ("7ns", 7e-9),
        ("0", 0.0),
        ("1.5", 1.5),
        (" 3s ", 3.0),
    ],
)
def test_go_durations_are_read_unit_by_unit(text: str, seconds: float) -> None:
    assert go_duration(text) == pytest.approx(seconds)


def test_twelve_milliseconds_are_not_twelve_minutes() -> None:
    assert go_duration("12ms") == pytest.approx(0.012)
    assert go_duration("12m") == pytest.approx(720.0)


@pytest.mark.parametrize("text", ["", "s", "m5s", "5x", "1s2", "1 s", "ms", "1.2.3s", "--1s"])
def test_unreadable_durations_are_none(text: str) -> None:
    assert go_duration(text) is None


@given(
    hours=st.integers(0, 30),
    minutes=st.integers(0, 59),
    seconds=st.integers(0, 59),
    millis=st.integers(0, 999),
)
def test_any_duration_go_writes_reads_back(hours: int, minutes: int, seconds: int, millis: int) -> None:
    # Go's time.Duration.String(): the largest units present, seconds with a fraction; under a second, ms.
    total = hours * 3600 + minutes * 60 + seconds + millis / 1000
    if total < 1:
        text = f"{millis}ms" if millis else "0s"
    else:
        text = (f"{hours}h" if hours else "") + (f"{minutes}m" if hours or minutes else "")
        text += f"{seconds}.{millis:03d}s" if millis else f"{seconds}s"
    assert go_duration(text) == pytest.approx(total, abs=1e-9)


def test_headers_are_read_in_any_case_and_retry_after_ms_comes_first() -> None:
    said = read_headers(
        {
            "X-RateLimit-Limit-Requests": "60",
            "x-ratelimit-limit-tokens": "150000",
            "x-ratelimit-remaining-requests": "59",
            "x-ratelimit-remaining-tokens": "149984",
            "x-ratelimit-reset-requests": "1s",
            "x-ratelimit-reset-tokens": "6m0s",
            "retry-after-ms": "250",
            "retry-after": "9",
        }
    )
    assert (said.limit_requests, said.limit_tokens) == (60, 150000)
    assert (said.remaining_requests, said.remaining_tokens) == (59, 149984)
    assert (said.reset_requests, said.reset_tokens, said.retry_after) == (1.0, 360.0, 0.25)
    assert said.says_anything
    assert not read_headers({"content-type": "application/json", "retry-after": "soon"}).says_anything
    assert read_headers({"retry-after": "2"}).retry_after == 2.0


# -- the pacer -----------------------------------------------------------------------------------------


def test_requests_are_spaced_at_the_ceiling_not_burst() -> None:
    clock = Clock()
    pacer = Pacer(rpm=600, headroom=0, clock=clock)
    waits = [pacer.reserve(100) for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    clock.now += 10  # idle: no credit piles up beyond one request
    assert [pacer.reserve(100) for _ in range(2)] == pytest.approx([0.0, 0.1])


def test_tokens_bind_when_they_are_the_tighter_limit() -> None:
    clock = Clock()
    pacer = Pacer(rpm=6000, tpm=60_000, headroom=0, clock=clock)  # 100 req/s, but 1,000 tokens/s
    waits = [pacer.reserve(2000) for _ in range(3)]
    assert waits == pytest.approx([0.0, 2.0, 4.0])
    assert pacer.requests_per_second() == pytest.approx(0.5)


def test_a_large_request_does_not_let_small_ones_bunch_up_behind_it() -> None:
    clock = Clock()
    pacer = Pacer(rpm=60, tpm=60_000, headroom=0, clock=clock)  # 1 req/s, 1,000 tokens/s
    first = pacer.reserve(10_000)  # ten seconds' worth of tokens
    after = [pacer.reserve(1) for _ in range(3)]
    assert first == 0.0
    assert after == pytest.approx([10.0, 11.0, 12.0])  # one per second once the tokens allow, not all at 10 s


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.floats(0, 3, allow_nan=False), st.integers(0, 5000)),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([(60.0, None), (None, 50_000.0), (600.0, 100_000.0), (30.0, 5_000.0)]),
)
def test_the_schedule_always_stays_under_both_ceilings(
    arrivals: list[tuple[float, int]], limits: tuple[float | None, float | None]
) -> None:
    rpm, tpm = limits
    clock = Clock()
    pacer = Pacer(rpm=rpm, tpm=tpm, headroom=0, clock=clock)
    sends: list[tuple[float, int]] = []
    for gap, tokens in arrivals:
        clock.now += gap
        sends.append((clock.now + pacer.reserve(tokens), tokens))
    for i in range(len(sends)):
        for j in range(i + 1, len(sends)):
            between = sends[j][0] - sends[i][0]
            assert between >= -1e-9
            if rpm:
                assert (j - i) <= between * rpm / 60 + 1e-6
            if tpm:
                assert sum(t for _, t in sends[i:j]) <= between * tpm / 60 + 1e-6


def test_a_429_holds_every_later_request_and_slows_the_pace() -> None:
    clock = Clock()
    pacer = Pacer(rpm=600, headroom=0, clock=clock)
    assert pacer.reserve(10) == 0.0
    pacer.settle(429, {"retry-after-ms": "750", "x-ratelimit-limit-requests": "600"})
    assert pacer.throttled == 1
    assert pacer.pace == pytest.approx(0.85)
    waits = [pacer.reserve(10) for _ in range(3)]
    assert waits[0] == pytest.approx(0.75)
    assert waits[1] - waits[0] == pytest.approx(0.1 / 0.85)  # the slower pace, for everyone
    pacer.settle(429, {"retry-after-ms": "10"})  # a second 429 in the same round trip: no second cut
    assert pacer.pace == pytest.approx(0.85)
    for _ in range(20):
        pacer.settle(200, {})
    assert pacer.pace == 1.0


def test_a_429_without_retry_after_waits_for_the_exhausted_limit() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    pacer.reserve(10)
    pacer.settle(429, {"x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "2.5s",
                       "x-ratelimit-remaining-requests": "10", "x-ratelimit-reset-requests": "80ms"})  # fmt: skip
    assert pacer.reserve(10) == pytest.approx(2.5)


def test_the_ceiling_is_learnt_from_the_headers_after_one_probe() -> None:
    clock = Clock()
    pacer = Pacer(clock=clock)
    assert [pacer.rpm, pacer.tpm] == [None, None]
    assert pacer.wanted_in_flight() == 1  # nothing known: one request finds out
    assert pacer.reserve(1000) == 0.0
    clock.now += 0.2
    pacer.settle(200, {"x-ratelimit-limit-requests": "3000", "x-ratelimit-limit-tokens": "10000000"})
    assert (pacer.rpm, pacer.tpm) == (3000, 10_000_000)
    assert pacer.latency == pytest.approx(0.2)
    # 50 requests a second (less the headroom) for 0.2 s each: about ten in flight, with a margin.
    assert pacer.wanted_in_flight() == math.ceil(3000 / 60 * 0.99 * 0.2 * 1.5) + 1


def test_the_lower_of_hand_given_and_heard_ceilings_wins() -> None:
    pacer = Pacer(rpm=100, clock=Clock())
    pacer.reserve(1)
    pacer.settle(200, {"x-ratelimit-limit-requests": "500"})
    assert pacer.rpm == 100
    pacer.settle(200, {"x-ratelimit-limit-requests": "50"})
    assert pacer.rpm == 50


def test_a_server_with_no_headers_leaves_concurrency_to_the_default() -> None:
    pacer = Pacer(clock=Clock())
    pacer.reserve(1)
    pacer.settle(200, {})
    assert pacer.wanted_in_flight() is None
    assert pacer.reserve(1) == 0.0
    assert DEFAULT_CONCURRENCY >= 8


def test_a_spent_limit_shared_with_someone_else_waits_for_room() -> None:
    clock = Clock()
    pacer = Pacer(rpm=60, tpm=60_000, headroom=0, clock=clock)
    pacer.reserve(3000)
    clock.now += 5
    pacer.settle(200, {"x-ratelimit-remaining-tokens": "1000", "x-ratelimit-remaining-requests": "30"})
    assert pacer.reserve(3000) == pytest.approx(2.0)  # 2,000 tokens short at 1,000 a second


@pytest.mark.parametrize("bad", [0, -5, float("nan"), float("inf")])
def test_ceilings_must_be_positive_numbers(bad: float) -> None:
    with pytest.raises(InputError) as caught:
        Pacer(rpm=bad)
    assert caught.value.field == "rpm"


def test_a_server_that_only_says_429_gets_a_guessed_ceiling_that_climbs_back() -> None:
    clock = Clock()
    pacer = Pacer(headroom=0, clock=clock)
    pacer.reserve(1)
    pacer.settle(429, {"retry-after-ms": "500"})
    assert pacer.rpm == pytest.approx(120)  # one request per half second, as the server asked
    waits = [pacer.reserve(1) for _ in range(3)]
    assert waits == pytest.approx([0.5, 0.5 + 0.5 / 0.85, 0.5 + 1.0 / 0.85])  # spaced, not all at once
    pacer.settle(200, {})
    assert pacer.rpm == pytest.approx(120 * 1.02)
    pacer.settle(200, {"x-ratelimit-limit-requests": "600"})  # once the server says, that is the ceiling
    assert pacer.rpm == 600
