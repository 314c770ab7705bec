"""``python -m lemonade``: the same as the ``lemonade`` command."""

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
