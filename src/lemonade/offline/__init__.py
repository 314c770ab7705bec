"""The offline writer: real drafts from the situation alone, with no model and no network.

``_writer`` holds the phrasings and picks among them with a seeded random choice; ``_draft`` is the
whole offline path in a straight line: write, check, return a ``Draft``. ``Lemonade(backend="offline")``
and ``fallback="offline"`` both use it.
"""

__all__: list[str] = []
