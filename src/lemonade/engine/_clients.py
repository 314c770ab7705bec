"""The OpenAI clients lemonade sends with: copies of the caller's (never changed), with the SDK's own
retries off so that one layer retries, or clients built from the environment."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import InputError

if TYPE_CHECKING:
    import openai

__all__ = ["async_client", "copied", "environment_options", "sync_client"]

C = TypeVar("C", "openai.OpenAI", "openai.AsyncOpenAI")


def environment_options() -> dict[str, Any]:
    """Client options from the environment: a local server named by OPENAI_BASE_URL needs no key."""
    if os.environ.get("OPENAI_BASE_URL") and not os.environ.get("OPENAI_API_KEY"):
        return {"api_key": "not-needed"}
    return {}


def copied(client: C, *, timeout: float) -> C:
    """A copy of ``client`` with the SDK's retries off; the caller's own client is left as it was."""
    return client.with_options(max_retries=0, timeout=timeout)


def sync_client(
    given: openai.OpenAI | None, given_async: openai.AsyncOpenAI | None, *, timeout: float
) -> openai.OpenAI:
    """The client for synchronous calls: a copy of ``given``, else one like ``given_async``, else from the
    environment."""
    import openai

    base = given
    if base is None and given_async is not None:
        a = given_async
        base = openai.OpenAI(api_key=a.api_key, organization=a.organization, project=a.project,
                             base_url=a.base_url, timeout=a.timeout)  # fmt: skip
    try:
        base = base or openai.OpenAI(**environment_options())
    except openai.OpenAIError as e:
        raise InputError(f"no model server is configured: {e}", field="client") from e
    return copied(base, timeout=timeout)


def async_client(given: openai.OpenAI | None, *, timeout: float) -> openai.AsyncOpenAI:
    """A new async client like ``given`` (or from the environment), for one call; the caller closes it."""
    import openai

    if given is not None:
        return openai.AsyncOpenAI(api_key=given.api_key, organization=given.organization, project=given.project,
                                  base_url=given.base_url, timeout=timeout, max_retries=0)  # fmt: skip
    return openai.AsyncOpenAI(timeout=timeout, max_retries=0, **environment_options())
