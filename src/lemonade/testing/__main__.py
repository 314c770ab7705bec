"""``python -m lemonade.testing --demo``."""

from ._demo import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
