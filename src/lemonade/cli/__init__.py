"""The ``lemonade`` command line, on top of everything else: it reads situation files, drives ``Lemonade``
and writes what it drafted. ``python -m lemonade`` runs the same ``main``."""

from ._main import main

__all__ = ["main"]
