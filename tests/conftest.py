"""Shared fixtures: two situations, good answers for every step, and a scripted server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

try:
    import lemonade  # noqa: F401  # the installed package, not the source tree
except ModuleNotFoundError as e:
    raise pytest.UsageError(
        f"lemonade is not installed in this Python ({sys.executable}); activate the project's virtual environment "
        "first (. .venv/bin/activate), as the README's first line does"
    ) from e

import openai
from tenacity import AsyncRetrying, Retrying

from lemonade import Lemonade, Situation, default_async_retrying, default_retrying
from lemonade.testing import EXAMPLE_ANSWERS, Reply, ScriptedServer, example_situation_data


def pytest_configure(config: pytest.Config) -> None:
    # Drafting offline on purpose is not worth a warning in tests; a filter naming lemonade's class can only be
    # set once lemonade imports, so it is set here rather than in pyproject.toml.
    config.addinivalue_line("filterwarnings", "ignore::lemonade.OfflineWarning")


_SHARED_TIKTOKEN = Path(__file__).resolve().parents[2] / "shared" / "tiktoken"
if _SHARED_TIKTOKEN.is_dir():
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(_SHARED_TIKTOKEN))

TODAY = date(2026, 11, 26)


def situation_data(outcome: str = "rejected", **changes: Any) -> dict[str, Any]:
    return example_situation_data(outcome, **changes)


def situation(outcome: str = "rejected", **changes: Any) -> Situation:
    return Situation.model_validate(situation_data(outcome, **changes))


GOOD = EXAMPLE_ANSWERS


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
