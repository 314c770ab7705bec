"""A list of words as one regular expression shaped as a trie, which a scan tries in a few steps per position
instead of one per word: twitter-text's top-level domains, and the words the wording rules need."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["trie"]


def trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` as a trie, longest first where one word starts another, so it matches the
    longest word at a position."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)
