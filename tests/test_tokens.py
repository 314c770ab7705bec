"""Token counting, the estimate fallback, trimming the notes to a budget, and prices."""

from __future__ import annotations

import warnings

import pytest
from conftest import engine, good, situation

from lemonade import InputError, Lemonade, Price, TokenCounter, TokenEstimateWarning
from lemonade.drafts._usage import cost_usd
from lemonade.testing import Reply, ScriptedServer


def test_counts_with_the_models_encoding() -> None:
    counter = TokenCounter()
    assert counter.encoding_name("gpt-4o-mini") == "o200k_base"
    assert counter.encoding_name("gpt-4") == "cl100k_base"
    assert counter.encoding_name("llama3.1:8b") == "o200k_base"
    assert counter.count("hello world", "gpt-4o").tokens == 2
    count = counter.count_messages([{"role": "user", "content": "hello world"}], "gpt-4o")
    assert count.tokens == 3 + 1 + 2 + 3 and not count.estimated


def unloadable(name: str) -> object:
    raise OSError(f"cannot download {name}: no network")


def test_falls_back_to_an_estimate_and_warns_once(server: ScriptedServer) -> None:
    counter = TokenCounter(load_encoding=unloadable)  # type: ignore[arg-type]
    lm = engine(server, token_counter=counter)
    with pytest.warns(TokenEstimateWarning, match="estimated") as caught:
        preview = lm.preview("call_request", situation())
        lm.preview("thank_you", situation())
    assert len(caught) == 1
    assert preview.tokens_estimated
    assert preview.prompt_tokens == pytest.approx(sum(len(m["content"]) for m in preview.messages) / 4, rel=0.05)
    server.script("call_request", Reply(content=good("call_request"), usage=False))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draft = lm.call_request(situation())  # never fails a draft for it, nor warns again
    assert draft.report.ok and draft.usage.estimated


def test_notes_are_trimmed_to_the_budget_and_nothing_else() -> None:
    long_notes = "Dana liked my churn demo. " + "We talked at length about cohort retention. " * 400
    s = situation(notes=long_notes)
    full = Lemonade().preview("thank_you", situation(notes="Short."))
    budget = full.prompt_tokens + 200
    preview = Lemonade(max_prompt_tokens=budget).preview("thank_you", s)
    assert preview.notes_trimmed
    assert full.prompt_tokens < preview.prompt_tokens <= budget
    user = preview.messages[1]["content"]
    assert "Dana liked my churn demo." in user and "[…]" in user
    for fact in ("Jill Moreno", "Ms. Ruiz", "ABC Corp", "Senior Data Analyst", "churn forecasting"):
        assert fact in user
    untrimmed = Lemonade(max_prompt_tokens=100_000).preview("thank_you", s)
    assert not untrimmed.notes_trimmed and long_notes.strip() in untrimmed.messages[1]["content"]


def test_budget_too_small_for_the_facts_sends_nothing(server: ScriptedServer) -> None:
    with pytest.raises(InputError, match="max_prompt_tokens") as info:
        engine(server, max_prompt_tokens=50).call_request(situation())
    assert info.value.field == "max_prompt_tokens"
    assert server.count() == 0


def test_trim_keeps_the_beginning() -> None:
    counter = TokenCounter()
    text = "one two three four five six seven eight nine ten " * 10
    cut = counter.trim(text, 10, "gpt-4o")
    assert text.startswith(cut.removesuffix(" […]"))
    assert counter.count(cut, "gpt-4o").tokens <= 10
    assert counter.trim("short", 10, "gpt-4o") == "short"


def test_cost_matches_dated_snapshots_to_the_longest_name() -> None:
    prices = {"gpt-4o": Price(2.5, 10.0), "gpt-4o-mini": Price(0.15, 0.6)}
    assert cost_usd("gpt-4o-mini-2024-07-18", 1_000_000, 0, prices) == pytest.approx(0.15)
    assert cost_usd("gpt-4o-2024-08-06", 0, 1_000_000, prices) == pytest.approx(10.0)
    assert cost_usd("llama3", 10, 10, prices) is None
