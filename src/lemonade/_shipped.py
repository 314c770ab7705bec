"""Folders shipped inside the wheel (prompts/, examples/) that live at the repository root in a checkout."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["shipped"]


def shipped(name: str) -> Traversable:
    """The shipped folder ``name``: inside the installed package, or the checkout's own."""
    packaged = importlib.resources.files("lemonade").joinpath(name)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name
