"""The ``lemonade`` command line (also ``python -m lemonade``): the list of commands, and the one place that turns
what they raise into a message and an exit code.

Exit codes: 0 done, 1 a guardrail failure, 2 bad input or usage, 3 a provider error.

Each command is a module of its own holding one ``Command``; adding one is one line in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TextIO

from .._errors import LemonadeError
from ..engine._lemonade import OfflineWarning
from ._batch import BATCH
from ._campaign import CAMPAIGN
from ._check import CHECK
from ._cohort import COHORT
from ._command import BAD_INPUT, Command, exit_code, explained
from ._draft import DRAFT
from ._example import EXAMPLE
from ._preview import PREVIEW

__all__ = ["COMMANDS", "main"]

COMMANDS: tuple[Command, ...] = (
    EXAMPLE,
    DRAFT,
    CHECK,
    PREVIEW,
    CAMPAIGN,
    COHORT,
    BATCH,
)
"""Every subcommand, in the order ``lemonade --help`` lists them."""


def _version() -> str:
    try:
        return version("lemonade")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code for usage errors is 2 as well
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"lemonade: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lemonade",
        description="Turn a job rejection, or a declined offer, into a follow-up kit: a call request, questions for "
        "the call, a thank-you email and letter, and links to share. Start with: lemonade example > me.toml",
        epilog="Exit codes: 0 done, 1 a draft fails its guardrails, 2 bad input or usage, 3 a provider error.",
    )
    parser.add_argument("--version", action="version", version=f"lemonade {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, help=command.help, description=command.description))
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare ``lemonade``: show what it can do
        parser.print_help(out)
        return BAD_INPUT
    command = next(c for c in COMMANDS if c.name == args.command)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("ignore", OfflineWarning)  # the command says so itself, in its own words
            code = command.run(args, out, err)
        for warning in caught:  # one short line each, without the source line Python would add
            err.write(f"lemonade: note: {warning.message}\n")
        return code
    except (LemonadeError, OSError) as e:
        err.write(f"lemonade: {explained(e)}\n")
        return exit_code(e)
