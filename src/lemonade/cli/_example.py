"""``lemonade example``: print a commented situation file to start from."""

from __future__ import annotations

import argparse
from typing import TextIO

from .._shipped import shipped
from ._command import DONE, Command

__all__ = ["EXAMPLE"]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--outcome",
        choices=["rejected", "declined_offer"],
        default="rejected",
        help="rejected: you were a finalist and were not selected (default); declined_offer: you turned the offer down",
    )


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(shipped("examples").joinpath(f"{args.outcome}.toml").read_text(encoding="utf-8"))
    return DONE


EXAMPLE = Command(
    name="example",
    help="print a commented situation file to start from",
    description="Print a commented situation file to start from: lemonade example > me.toml",
    arguments=_arguments,
    run=_run,
)
