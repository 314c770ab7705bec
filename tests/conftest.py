"""Shared fixtures: two situations, good answers for every step, and a scripted server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openai
import pytest
from tenacity import AsyncRetrying, Retrying

from lemonade import Lemonade, Situation, default_async_retrying, default_retrying
from lemonade.testing import Reply, ScriptedServer

_SHARED_TIKTOKEN = Path(__file__).resolve().parents[2] / "shared" / "tiktoken"
if _SHARED_TIKTOKEN.is_dir():
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(_SHARED_TIKTOKEN))

TODAY = date(2026, 11, 26)


def situation_data(outcome: str = "rejected", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": outcome,
        "candidate": {
            "name": "Jill Moreno",
            "email": "jill@example.com",
            "address": {
                "lines": ["12 Elm Street"],
                "city": "Springfield",
                "region": "IL",
                "postal_code": "62701",
                "country": "USA",
            },
        },
        "hiring_manager": {"name": "Dana Ruiz", "title": "Director of Analytics", "courtesy_title": "Ms."},
        "company": {
            "name": "ABC Corp",
            "address": {
                "lines": ["500 Market Street", "Floor 9"],
                "city": "Chicago",
                "region": "IL",
                "postal_code": "60601",
                "country": "USA",
            },
        },
        "role": "Senior Data Analyst",
        "interview_topics": ["moving reporting to dbt", "churn forecasting"],
        "notes": "Three conversations with Dana; she liked my churn demo.",
        "resources": [
            {
                "url": "https://example.org/dbt-guide",
                "title": "A dbt migration guide",
                "topic": "moving reporting to dbt",
            }
        ],
        "tone": "warm",
    }
    if outcome == "declined_offer":
        data["decline_reason"] = "timing: relocating next year"
    data.update(changes)
    return data


def situation(outcome: str = "rejected", **changes: Any) -> Situation:
    return Situation.model_validate(situation_data(outcome, **changes))


GOOD: dict[str, dict[str, dict[str, Any]]] = {
    "rejected": {
        "call_request": {
            "subject": "A quick call for advice?",
            "body": (
                "Dear Ms. Ruiz,\n\nThank you for the conversations about the Senior Data Analyst role at ABC Corp. "
                "I enjoyed our talks about moving reporting to dbt.\n\nWould you have 15 minutes for a short call "
                "in the next few weeks? I would value your advice on my search and any people you think I should "
                "meet. I am glad to work around your schedule.\n\nBest regards,\nJill Moreno"
            ),
            "call_minutes": 15,
        },
        "referral_questions": {
            "opener": "Thank you for making time for me, Dana; I know your week is full.",
            "questions": [
                "Who else in the Chicago analytics community should I be talking to about dbt migrations?",
                "Which teams or companies do you see investing in churn forecasting this year?",
                "What kind of analytics leader do you think would value the work I showed you?",
                "Where do you hear about senior analyst openings before they are posted?",
            ],
            "permission_question": "May I mention your name when I reach out to the people you suggest?",
            "closing": "Thank you again; I will follow up with each person and let you know how it goes.",
        },
        "thank_you": {
            "email_subject": "Thank you, and let us stay in touch",
            "email_body": (
                "Hi Dana,\n\nThank you for considering me for the Senior Data Analyst role. I was glad to be "
                "considered by ABC Corp, a company I have long admired, and I enjoyed our talk about churn "
                "forecasting.\n\nShould a need arise in the future, I would be happy to meet again.\n\n"
                "Warm regards,\nJill Moreno"
            ),
            "letter_paragraphs": [
                "Thank you for the time you and your team gave me during the Senior Data Analyst process. "
                "I was glad to be considered by ABC Corp, a company I have long admired and respected.",
                "I especially enjoyed our conversation about moving reporting to dbt. Should a need arise in "
                "the future for what I offer, I would be happy to meet with you again.",
            ],
        },
        "value_add": {
            "email_subject": "A dbt migration guide you might like",
            "email_body": (
                "Hi Dana,\n\nSince we talked about moving reporting to dbt, I thought you might find this "
                "guide useful: https://example.org/dbt-guide\n\nIt covers the staging approach we discussed.\n\n"
                "All the best,\nJill Moreno"
            ),
            "x_post": "A clear, practical guide to moving reporting to dbt: https://example.org/dbt-guide",
            "linkedin_message": (
                "Hi Dana, this dbt migration guide made me think of our conversation: "
                "https://example.org/dbt-guide. Hope it is useful!"
            ),
        },
    },
}

GOOD["declined_offer"] = {
    "call_request": {
        **GOOD["rejected"]["call_request"],
        "body": (
            "Dear Ms. Ruiz,\n\nThank you again for the offer for the Senior Data Analyst role at ABC Corp and "
            "for understanding my decision; the timing of my move next year made it the right call for now.\n\n"
            "Would you have 15 minutes for a short call in the coming weeks? I would value your advice and "
            "would love to stay in touch about future roles.\n\nBest regards,\nJill Moreno"
        ),
    },
    "referral_questions": GOOD["rejected"]["referral_questions"],
    "thank_you": {
        **GOOD["rejected"]["thank_you"],
        "email_body": (
            "Hi Dana,\n\nThank you for the offer for the Senior Data Analyst role and for the confidence it "
            "showed. I was glad to be considered by ABC Corp, a company I admire.\n\nShould a role that fits "
            "my timing come up, I would be happy to meet again.\n\nWarm regards,\nJill Moreno"
        ),
    },
    "value_add": GOOD["rejected"]["value_add"],
}


def good(step: str, outcome: str = "rejected", **changes: Any) -> dict[str, Any]:
    return {**GOOD[outcome][step], **changes}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        yield s


def no_wait_retrying(attempts: int = 4) -> Retrying:
    return default_retrying(attempts=attempts, sleep=lambda _s: None)


def no_wait_async_retrying(attempts: int = 4) -> AsyncRetrying:
    async def sleep(_seconds: float) -> None:
        return None

    return default_async_retrying(attempts=attempts, sleep=sleep)


_OPEN_CLIENTS: list[openai.OpenAI] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN_CLIENTS:
        _OPEN_CLIENTS.pop().close()


def client_for(server: ScriptedServer, **options: Any) -> openai.OpenAI:
    """A real OpenAI client pointed at the scripted server, closed when the test ends."""
    client = openai.OpenAI(base_url=server.url, api_key="test-key", **options)
    _OPEN_CLIENTS.append(client)
    return client


def engine(server: ScriptedServer, **options: Any) -> Lemonade:
    options.setdefault("retrying", no_wait_retrying())
    options.setdefault("async_retrying", no_wait_async_retrying())
    options.setdefault("today", lambda: TODAY)
    return Lemonade(client=client_for(server), model="gpt-4o-mini", **options)


def script_good(server: ScriptedServer, outcome: str = "rejected") -> None:
    for step, content in GOOD[outcome].items():
        server.script(step, Reply(content=content))


__all__ = ["GOOD", "TODAY", "Reply", "client_for", "engine", "good", "script_good", "situation", "situation_data"]
