"""The OpenAI clients lemonade sends with: copies of the caller's (never changed), with the SDK's own
retries off so that one layer retries, or clients built from the environment.

An async client's connection pool belongs to one event loop, so where lemonade makes the async client
itself (from the caller's sync client, or from the environment) it keeps one per event loop and per set
of settings, shared by every call on that loop, with every setting of the caller's client (key, base
URL, organization, project, default headers and query, timeout; Azure's API version too). Such a client
is closed when its loop shuts down (``asyncio.run`` closes the loop's open async generators, and a small
one holds each client until then), or by ``Lemonade.aclose()``. A caller's own async client is copied
once and never closed by lemonade.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, TypeVar

from .._errors import InputError
from ._scrub import credentials_in

if TYPE_CHECKING:
    import asyncio

    import openai

__all__ = ["AsyncClients", "copied", "environment_options", "secrets_of", "sync_client"]

C = TypeVar("C", "openai.OpenAI", "openai.AsyncOpenAI")


def environment_options() -> dict[str, Any]:
    """Client options from the environment: a local server named by OPENAI_BASE_URL needs no key."""
    if os.environ.get("OPENAI_BASE_URL") and not os.environ.get("OPENAI_API_KEY"):
        return {"api_key": "not-needed"}
    return {}


def copied(client: C, *, timeout: float | None) -> C:
    """A copy of ``client`` with the SDK's retries off (and ``timeout``, where one was given); the
    caller's own client is left as it was."""
    if timeout is None:
        return client.with_options(max_retries=0)
    return client.with_options(max_retries=0, timeout=timeout)


def _settings(client: openai.OpenAI | openai.AsyncOpenAI) -> dict[str, Any]:
    """Every setting of ``client`` that a client of the other kind (sync or async) can take."""
    import openai

    options: dict[str, Any] = {
        "api_key": client.api_key,
        "organization": client.organization,
        "project": client.project,
        "base_url": client.base_url,
        "timeout": client.timeout,
        "default_headers": dict(client._custom_headers),
        "default_query": dict(client._custom_query),
    }
    for name in ("webhook_secret", "websocket_base_url"):
        if getattr(client, name, None) is not None:
            options[name] = getattr(client, name)
    if isinstance(client, openai.AzureOpenAI | openai.AsyncAzureOpenAI):
        options["api_version"] = client._api_version
        options["azure_ad_token"] = client._azure_ad_token
        options["azure_ad_token_provider"] = client._azure_ad_token_provider
        options["azure_deployment"] = None  # already part of base_url
    return options


def secrets_of(client: openai.OpenAI | openai.AsyncOpenAI | None) -> tuple[str, ...]:
    """What must never be echoed: the client's API key, and header or query values named like credentials
    (a gateway's subscription key, a ``?key=`` parameter), and the environment's ``OPENAI_API_KEY``."""
    env = os.environ.get("OPENAI_API_KEY") or ""
    if client is None:
        return credentials_in(env, {}, {})
    headers, query = getattr(client, "_custom_headers", {}), getattr(client, "_custom_query", {})
    return credentials_in(getattr(client, "api_key", None), headers, query) + credentials_in(env, {}, {})


def sync_client(
    given: openai.OpenAI | None, given_async: openai.AsyncOpenAI | None, *, timeout: float | None
) -> openai.OpenAI:
    """The client for synchronous calls: a copy of ``given``, else one like ``given_async``, else one from
    the environment."""
    import openai

    try:
        if given is not None:
            base = given
        elif given_async is not None:
            kind = openai.AzureOpenAI if isinstance(given_async, openai.AsyncAzureOpenAI) else openai.OpenAI
            base = kind(**_settings(given_async))
        else:
            base = openai.OpenAI(**environment_options())
    except openai.OpenAIError as e:
        raise InputError(
            "no model server is configured: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server", field="client"
        ) from e
    return copied(base, timeout=timeout)


async def _closed_with_the_loop(client: openai.AsyncOpenAI) -> AsyncGenerator[None, None]:
    """Held open while the loop runs; the loop's shutdown closes it, and with it the client."""
    try:
        yield
    finally:
        await client.close()


_Held = tuple["openai.AsyncOpenAI", AsyncGenerator[None, None]]
_BY_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Held]] = weakref.WeakKeyDictionary()
"""The async clients lemonade made, per event loop and settings; an entry lives as long as its loop."""
_BY_LOOP_LOCK = threading.Lock()


def _key(options: dict[str, Any]) -> str:
    return repr(sorted((name, repr(value)) for name, value in options.items()))


class AsyncClients:
    """The async client for the running loop: a copy of the caller's async client, or one made like the
    caller's sync client (or from the environment), shared per loop and settings."""

    def __init__(self, given: openai.OpenAI | None, given_async: openai.AsyncOpenAI | None, *, timeout: float | None):
        self._given, self._timeout = given, timeout
        self._copy = copied(given_async, timeout=timeout) if given_async is not None else None
        self._made_with: tuple[dict[str, Any], str] | None = None  # the options and their key, worked out once

    def _options(self) -> tuple[dict[str, Any], str]:
        """The options of the client to make, and the key it is shared under (worked out on first use)."""
        if self._made_with is None:
            options = _settings(self._given) if self._given is not None else environment_options()
            options["max_retries"] = 0
            if self._timeout is not None:
                options["timeout"] = self._timeout
            self._made_with = options, _key(options)
        return self._made_with

    def _made(self, options: dict[str, Any]) -> openai.AsyncOpenAI:
        import openai

        kind = openai.AsyncAzureOpenAI if isinstance(self._given, openai.AzureOpenAI) else openai.AsyncOpenAI
        try:
            return kind(**options)
        except openai.OpenAIError as e:
            raise InputError(
                "no model server is configured: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server",
                field="client",
            ) from e

    async def get(self) -> openai.AsyncOpenAI:
        """The client for the running loop, made on first use."""
        import asyncio

        if self._copy is not None:
            return self._copy
        loop = asyncio.get_running_loop()
        options, key = self._options()
        with _BY_LOOP_LOCK:
            held = _BY_LOOP.setdefault(loop, {}).get(key)
        if held is not None:
            return held[0]
        client = self._made(options)
        keeper = _closed_with_the_loop(client)
        await keeper.__anext__()
        with _BY_LOOP_LOCK:
            _BY_LOOP.setdefault(loop, {})[key] = (client, keeper)
        return client

    async def aclose(self) -> None:
        """Close the client lemonade made for the running loop (the caller's own stays open)."""
        import asyncio

        if self._copy is not None:
            return
        loop = asyncio.get_running_loop()
        with _BY_LOOP_LOCK:
            held = _BY_LOOP.get(loop, {}).pop(self._options()[1], None)
        if held is not None:
            await held[1].aclose()
