"""What a subcommand of the ``lemonade`` command line is, and the exit codes every command shares.

Each command lives in its own module and is one ``Command`` value; ``_main`` lists them, one line each.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from .._errors import GuardrailError, InputError, LemonadeError, PromptError

__all__ = ["BAD_INPUT", "DONE", "GUARDRAIL_FAILURE", "PROVIDER_ERROR", "Command", "exit_code", "explained"]

DONE, GUARDRAIL_FAILURE, BAD_INPUT, PROVIDER_ERROR = 0, 1, 2, 3
_RAW_SHOWN = 300


def exit_code(error: LemonadeError | OSError) -> int:
    """The exit code for an error a command raised."""
    if isinstance(error, InputError | PromptError | OSError):
        return BAD_INPUT
    if isinstance(error, GuardrailError):
        return GUARDRAIL_FAILURE
    return PROVIDER_ERROR


def explained(error: LemonadeError | OSError) -> str:
    """What to print for an error a command raised: one line, or for a draft that could not be read at all,
    its report and the start of the model's last answer."""
    if isinstance(error, OSError):  # e.g. --out names a folder that cannot be written
        return f"{error.filename or ''}: {error.strerror or error}"
    if isinstance(error, InputError | PromptError):
        return str(error)
    if isinstance(error, GuardrailError):
        text = f"{error}\n{error.report}"
        if error.raw is not None:
            raw = error.raw if len(error.raw) <= _RAW_SHOWN else error.raw[:_RAW_SHOWN] + "…"
            text += f"\nthe model's last answer began: {raw!r}"
        return text
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Command:
    """One subcommand: its name and help, the arguments it adds to its parser, and what it runs.

    ``run(args, out, err)`` returns the exit code; errors lemonade raises are turned into messages and exit
    codes by ``main``, so a command only raises them.
    """

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO, TextIO], int]
    description: str | None = None
