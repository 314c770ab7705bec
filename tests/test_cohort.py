"""Cohorts through the real engine and the real openai client, over HTTP to the scripted server: results per
situation as they complete, lazy input, one failure never stopping the rest, the journal, and the ledger."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD, TODAY, engine, good, situation_data

from lemonade import (
    STEPS,
    CohortResult,
    GuardrailError,
    InputError,
    Kit,
    Lemonade,
    ProviderError,
    Situation,
)
from lemonade.testing import Reply, ScriptedServer

_CLIENT = re.compile(r"\(client (\d+)\)")


def client_data(i: int) -> dict[str, Any]:
    """A situation told apart from the others by its notes (the example answers fit them all)."""
    return situation_data(notes=f"Three conversations with Dana; she liked my churn demo (client {i}).")


def good_server() -> ScriptedServer:
    return ScriptedServer(defaults={step: Reply(content=answer) for step, answer in GOOD["rejected"].items()})


@pytest.fixture
def served() -> Iterator[ScriptedServer]:
    with good_server() as s:
        yield s


def clients_asked(server: ScriptedServer, since: int = 0) -> list[tuple[str, str | None]]:
    """(client number, step) of every request the server received, in order of arrival."""
    found = []
    for r in server.requests[since:]:
        text = " ".join(str(m.get("content")) for m in r.body.get("messages", []))
        number = _CLIENT.search(text)
        found.append((number.group(1) if number else "?", r.step))
    return found


def test_every_situation_comes_back_with_its_kit_and_the_ledger_adds_up(served: ScriptedServer) -> None:
    lm = engine(served)
    cohort = lm.cohort(client_data(i) for i in range(6))
    results = list(cohort)
    assert sorted(r.key for r in results) == [str(i) for i in range(6)]
    for r in results:
        assert r.error is None and r.ok and r.outcome == "done"
        assert isinstance(r.kit, Kit) and r.kit.ok
        assert r.usage.requests == 4 and r.usage.total_tokens > 0
        assert r.resumed == ()
    assert served.count() == 24
    assert sorted(clients_asked(served)) == sorted((str(i), step) for i in range(6) for step in STEPS)
    ledger = cohort.ledger
    assert (ledger.situations, ledger.done, ledger.failed, ledger.steps_drafted) == (6, 6, 0, 24)
    assert ledger.requests == 24
    assert ledger.total_tokens == sum(r.usage.total_tokens for r in results)
    assert ledger.cost_usd == pytest.approx(sum(r.usage.cost_usd or 0 for r in results))
    assert ledger.reasks == 0 and ledger.reask_share == 0.0


def test_reasks_are_counted_with_their_share_of_the_tokens(served: ScriptedServer) -> None:
    served.script("call_request", Reply(content=good("call_request", call_minutes=45)))
    cohort = engine(served).cohort([client_data(0)], steps="call_request")
    [result] = list(cohort)
    assert result.ok and result.usage.requests == 2
    ledger = cohort.ledger
    assert ledger.reasks == 1 == result.usage.reasks
    assert 0 < ledger.reask_tokens < ledger.total_tokens
    assert ledger.reask_share == pytest.approx(ledger.reask_tokens / ledger.total_tokens)


def test_items_are_situations_mappings_or_key_pairs_and_bad_ones_fail_alone(served: ScriptedServer) -> None:
    items: list[Any] = [
        Situation.model_validate(client_data(0)),
        client_data(1),
        ("jill-2026", client_data(2)),
        {"outcome": "rejected"},  # not a situation
        ("jill-2026", client_data(3)),  # the same key again
        42,
        (7, client_data(4)),
    ]
    listed = list(engine(served).cohort(items, steps=["call_request"]))
    assert sorted(r.key for r in listed) == ["0", "1", "3", "5", "7", "jill-2026", "jill-2026"]
    results = {r.key: r for r in listed if r.key != "jill-2026"}
    assert all(results[k].ok for k in ("0", "1", "7"))
    assert isinstance(results["3"].error, InputError) and results["3"].outcome == "input"
    assert isinstance(results["5"].error, InputError) and "give a Situation" in str(results["5"].error)
    first, again = sorted((r for r in listed if r.key == "jill-2026"), key=lambda r: r.error is not None)
    assert first.ok and isinstance(again.error, InputError) and "given to two situations" in str(again.error)
    assert served.count() == 4  # nothing was sent for the bad ones


def test_one_situations_server_error_never_stops_the_others(served: ScriptedServer) -> None:
    served.script("thank_you", Reply(status=400, error="this one is broken"))
    results = list(engine(served).cohort(client_data(i) for i in range(4)))
    failed = [r for r in results if r.error is not None]
    assert len(results) == 4 and len(failed) == 1
    [bad] = failed
    assert isinstance(bad.error, ProviderError) and bad.outcome == "provider"
    assert set(bad.drafts) == {"call_request", "referral_questions", "value_add"}  # the rest was kept
    assert bad.kit is None
    assert all(r.kit is not None for r in results if r is not bad)


def test_a_draft_failing_its_guardrails_is_reported_not_raised(served: ScriptedServer) -> None:
    bad = Reply(content=good("call_request", call_minutes=45))
    served.script("call_request", bad, bad, bad)
    [strict] = list(engine(served).cohort([client_data(0)], steps="call_request"))
    assert isinstance(strict.error, GuardrailError) and strict.outcome == "guardrails"
    served.script("call_request", bad, bad, bad)
    [lenient] = list(engine(served, strict=False).cohort([client_data(0)], steps="call_request"))
    assert lenient.error is None and not lenient.ok and lenient.outcome == "guardrails"
    assert lenient.drafts["call_request"].report.codes >= {"call_too_long"}


def test_the_input_is_read_lazily(served: ScriptedServer) -> None:
    pulled = 0

    def endless() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        while True:
            pulled += 1
            yield client_data(pulled)

    cohort = engine(served).cohort(endless(), steps="call_request", max_concurrency=3)
    first = [next(cohort) for _ in range(5)]
    cohort.close()
    assert len(first) == 5 and all(r.ok for r in first)
    assert pulled <= 5 + 3 + 1  # what was handed back, what was in flight, and one more at most


def test_the_offline_backend_drafts_a_cohort_with_no_server() -> None:
    lm = Lemonade(backend="offline", today=lambda: TODAY)
    cohort = lm.cohort(client_data(i) for i in range(3))
    results = list(cohort)
    assert all(r.ok and r.kit is not None and r.kit.call_request.model == "offline" for r in results)
    assert cohort.ledger.requests == 0 and cohort.ledger.cost_usd == 0.0 and cohort.pacer is None


def test_bad_arguments_are_refused_before_anything_is_sent(served: ScriptedServer) -> None:
    lm = engine(served)
    with pytest.raises(InputError, match="unknown step"):
        lm.cohort([client_data(0)], steps=["call_request", "cover_letter"])
    with pytest.raises(InputError, match="an iterable of situations"):
        lm.cohort(client_data(0))
    with pytest.raises(InputError, match="max_concurrency"):
        lm.cohort([client_data(0)], max_concurrency=0)
    with pytest.raises(InputError, match="rpm"):
        lm.cohort([client_data(0)], rpm=-1)
    assert served.count() == 0


def test_the_async_cohort_iterates_and_can_be_awaited(served: ScriptedServer) -> None:
    lm = engine(served)

    async def run() -> tuple[list[CohortResult], list[CohortResult]]:
        first = [r async for r in lm.acohort([client_data(0), client_data(1)], steps="thank_you")]
        second = [r async for r in await lm.acohort([client_data(2)], steps="thank_you")]
        return first, second

    first, second = asyncio.run(run())
    assert [r.ok for r in first] == [True, True] and [r.key for r in second] == ["0"]
    assert served.count("thank_you") == 3


def test_the_sync_cohort_works_inside_a_running_loop_as_in_a_notebook(served: ScriptedServer) -> None:
    lm = engine(served)

    async def cell() -> list[CohortResult]:
        return list(lm.cohort([client_data(0), client_data(1)], steps="call_request"))

    assert [r.ok for r in asyncio.run(cell())] == [True, True]


# -- the journal -----------------------------------------------------------------------------------------


def test_a_journaled_cohort_run_again_asks_for_nothing_it_has(served: ScriptedServer, tmp_path: Path) -> None:
    journal = tmp_path / "cohort.db"
    lm = engine(served)
    first = {r.key: r for r in lm.cohort((client_data(i) for i in range(3)), journal=journal)}
    assert served.count() == 12
    again = lm.cohort((client_data(i) for i in range(3)), journal=journal)
    second = {r.key: r for r in again}
    assert served.count() == 12  # nothing asked twice
    for key, result in second.items():
        assert result.resumed == STEPS and result.usage.requests == 0
        assert result.kit == first[key].kit
    assert again.ledger.steps_resumed == 12 and again.ledger.requests == 0
    assert again.ledger.resumed_cost_usd == pytest.approx(sum(r.usage.cost_usd or 0 for r in first.values()))


def test_a_changed_situation_is_drafted_afresh(served: ScriptedServer, tmp_path: Path) -> None:
    journal = tmp_path / "cohort.db"
    lm = engine(served)
    list(lm.cohort([client_data(0), client_data(1)], steps="call_request", journal=journal))
    changed = client_data(1) | {"role": "Lead Data Analyst"}
    results = {r.key: r for r in lm.cohort([client_data(0), changed], steps="call_request", journal=journal)}
    assert results["0"].resumed == ("call_request",) and results["1"].resumed == ()
    assert served.count() == 3


def test_errors_are_not_journaled_so_a_rerun_tries_them_again(served: ScriptedServer, tmp_path: Path) -> None:
    journal = tmp_path / "cohort.db"
    served.script("call_request", Reply(status=400, error="down for a moment"))
    lm = engine(served)
    [failed] = list(lm.cohort([client_data(0)], journal=journal))
    assert isinstance(failed.error, ProviderError)
    [fixed] = list(lm.cohort([client_data(0)], journal=journal))
    assert fixed.ok and set(fixed.resumed) == {"referral_questions", "thank_you", "value_add"}
    assert served.count("call_request") == 2 and served.count() == 5


def test_a_second_process_is_refused_while_a_journal_is_in_use(tmp_path: Path) -> None:
    journal = tmp_path / "cohort.db"
    lm = Lemonade(backend="offline", today=lambda: TODAY)
    with lm.cohort([client_data(0)], journal=journal) as running:
        code = (
            "import sys; from lemonade import Lemonade, InputError\n"
            f"try:\n    Lemonade(backend='offline').cohort([], journal={str(journal)!r})\n"
            "except InputError as e:\n    print('refused:', e); sys.exit(7)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert done.returncode == 7, done.stderr
        assert "in use by another lemonade cohort" in done.stdout
        assert [r.ok for r in running] == [True]
    with lm.cohort([client_data(0)], journal=journal) as after:  # released once the first is closed
        assert [r.resumed for r in after] == [STEPS]


def test_a_journal_from_a_newer_lemonade_or_another_program_is_refused(tmp_path: Path) -> None:
    import sqlite3

    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version=99")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some words " * 20)
    lm = Lemonade(backend="offline")
    for path, said in ((newer, "newer lemonade"), (other, "another program"), (text, "not a lemonade journal")):
        with pytest.raises(InputError, match=said) as caught:
            lm.cohort([], journal=path)
        assert caught.value.field == "journal"
