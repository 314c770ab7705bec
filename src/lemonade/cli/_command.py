"""What a subcommand of the ``lemonade`` command line is, and the exit codes every command shares.

Each command lives in its own module and is one ``Command`` value; ``_main`` lists them, one line each.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

__all__ = ["BAD_INPUT", "DONE", "GUARDRAIL_FAILURE", "PROVIDER_ERROR", "Command"]

DONE, GUARDRAIL_FAILURE, BAD_INPUT, PROVIDER_ERROR = 0, 1, 2, 3


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
