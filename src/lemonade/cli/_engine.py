"""Who writes a command's drafts: the flags that choose a model server (or the offline writer), and the
``Lemonade`` built from them. Commands that draft (``draft`` and any added later) share these flags."""

from __future__ import annotations

import argparse
import os
from typing import Any, TextIO
from urllib.parse import urlsplit

from .._errors import InputError
from ..engine._lemonade import Backend, Lemonade

__all__ = ["NO_MODEL_SERVER", "add_engine_options", "engine"]

NO_MODEL_SERVER = (
    "no model server is configured: set OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL or --base-url (a local "
    "server such as Ollama or llama.cpp)"
)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text}")
    return value


def _base_url(text: str) -> str:
    """An http(s) URL a request can go to: a host, and a port in range where one is given."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port  # reading it checks it
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"is not a URL a request can go to ({e}): {text!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// URL with a host, e.g. "
                                         f"http://localhost:11434/v1, not {text!r}")  # fmt: skip
    del port
    return text.strip()


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """The flags that choose and tune the writer."""
    group = parser.add_argument_group("who writes the drafts")
    group.add_argument(
        "--backend",
        choices=["auto", "openai", "offline"],
        default="auto",
        help="openai: any OpenAI-compatible server; offline: lemonade's built-in writer, no model and no network; "
        "auto (default): openai when OPENAI_API_KEY, OPENAI_BASE_URL or --base-url is set, else offline",
    )
    group.add_argument("--model", help="the model's name (default: LEMONADE_MODEL, else gpt-4o-mini)")
    group.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="an OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama",
    )
    group.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="how long to wait for each answer (a CPU model may need 300 or more)",
    )
    group.add_argument(
        "--max-tokens", type=_positive_int, metavar="N", help="the longest answer to ask the model for, in tokens"
    )
    group.add_argument(
        "--max-reasks",
        type=_count,
        metavar="N",
        help="how many times a draft that fails its checks is sent back to the model to fix (default 2)",
    )
    group.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="picks the offline writer's wording; the same seed gives the same drafts",
    )


def _configured(args: argparse.Namespace) -> bool:
    return bool(args.base_url or os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def engine(args: argparse.Namespace, err: TextIO) -> Lemonade:
    """The ``Lemonade`` the flags ask for. Raises ``InputError`` (one line: what to set) when ``--backend openai``
    names no server; says on ``err`` when ``auto`` falls back to the offline writer, and nothing when offline
    was asked for."""
    backend: Backend = args.backend
    if backend == "openai" and not _configured(args):
        raise InputError(NO_MODEL_SERVER, field="backend")
    if backend == "auto":
        backend = "openai" if _configured(args) else "offline"
        if backend == "offline":
            err.write(
                "lemonade: note: writing offline with lemonade's built-in writer (no model is configured); "
                "set OPENAI_API_KEY, or OPENAI_BASE_URL or --base-url, to draft with a model\n"
            )
    client = None
    if args.base_url and backend == "openai":
        import openai

        client = openai.OpenAI(base_url=args.base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")
    tuning: dict[str, Any] = {
        name: value
        for name, value in (("timeout", args.timeout), ("max_tokens", args.max_tokens), ("max_reasks", args.max_reasks))
        if value is not None
    }
    return Lemonade(client=client, model=args.model, backend=backend, seed=args.seed, strict=False, **tuning)
