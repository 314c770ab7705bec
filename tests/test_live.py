"""Against a real model server, when one is named: ``LEMONADE_LIVE_BASE_URL`` (and ``LEMONADE_LIVE_MODEL``,
``LEMONADE_LIVE_TIMEOUT`` in seconds). Skipped otherwise; the README says how to run them against
llama.cpp's ``llama-server`` or Ollama.

Small local models often fail the guardrails; what must hold is that no failing draft comes back
marked ok, that a re-check agrees with every report, and that every failure is a LemonadeError."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import openai
import pytest
from conftest import situation

from lemonade import STEPS, Lemonade, LemonadeError, Step, check

BASE_URL = os.environ.get("LEMONADE_LIVE_BASE_URL")
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not BASE_URL, reason="set LEMONADE_LIVE_BASE_URL to run against a real model server"),
]


def live(**options: Any) -> Lemonade:
    client = openai.OpenAI(base_url=BASE_URL, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")
    return Lemonade(
        client=client,
        model=os.environ.get("LEMONADE_LIVE_MODEL", "local"),
        timeout=float(os.environ.get("LEMONADE_LIVE_TIMEOUT", "300")),
        max_tokens=int(os.environ.get("LEMONADE_LIVE_MAX_TOKENS", "600")),
        **options,
    )


@pytest.mark.parametrize("step", STEPS)
def test_a_draft_is_either_sound_or_an_honest_failure(step: Step) -> None:
    s = situation()
    try:
        draft = live(strict=False).draft(step, s)
    except LemonadeError as e:
        assert e.usage is None or e.usage.requests >= 1
        return
    assert check(draft.value, s).ok == draft.report.ok  # the report says what a re-check says
    assert draft.usage.requests >= 1 and draft.attempts >= 1


def test_with_a_fallback_the_kit_is_always_sendable() -> None:
    kit = live(fallback="offline").kit(situation("declined_offer"))
    assert kit.ok
    for draft in kit.drafts.values():
        assert draft.model in ("offline", os.environ.get("LEMONADE_LIVE_MODEL", "local"))
        assert check(draft.value, draft.situation).ok


def test_the_async_kit_against_the_same_server() -> None:
    kit = asyncio.run(live(fallback="offline").akit(situation()))
    assert kit.ok and kit.usage.requests >= 4
