"""The weighted length of an X post under twitter-text's v3 rules (``parseTweet``), exactly.

Text is NFC-normalised; every link X finds (``_xurls``) counts 23 whatever its length; an emoji (a
keycap, a flag, a tag sequence, or an emoji with its modifiers and variation selector, zero-width-joined
to the next) counts 2; every other code point counts 1 in the weight-100 ranges (U+0000-U+10FF and parts
of General Punctuation) and 2 elsewhere. U+FFFE, U+FEFF and U+FFFF make a post invalid. The conformance
suite of twitter-text runs in ``tests/``, and a property test checks this against an independent port.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from ._xurls import x_urls

__all__ = ["MAX_X_LENGTH", "XLength", "x_count", "x_length"]

MAX_X_LENGTH = 280
_URL_LENGTH = 23
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_INVALID = frozenset("\ufffe\ufeff\uffff")
_EMOJI_IN_LIGHT_RANGES = frozenset("\u00a9\u00ae")  # the only emoji there that stand alone


@dataclass(frozen=True, slots=True)
class XLength:
    """What X's composer says of a post: its weighted length, whether X accepts it, and the ranges (in UTF-16
    code units, inclusive) that it shows and that fit."""

    weighted_length: int
    valid: bool
    permillage: int
    valid_range_end: int
    display_range_end: int


@functools.cache
def _emoji() -> Any:
    """An emoji, by Unicode's emoji properties (the ``regex`` package knows them), compiled on first use."""
    import regex

    element = (
        r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}"
        r"|(?![#*0-9\U0001F1E6-\U0001F1FF])\p{Emoji}\uFE0F?\p{Emoji_Modifier}?)"
    )
    return regex.compile(
        r"[#*0-9]\uFE0F?\u20E3"
        r"|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
        r"|[\U0001F1E6-\U0001F1FF]{2}"
        rf"|{element}(?:\u200D{element})*"
    )


def _weight(char: str) -> int:
    cp = ord(char)
    return 100 if any(lo <= cp <= hi for lo, hi in _LIGHT_RANGES) else 200


def _utf16(text: str) -> int:
    return len(text) + sum(1 for c in text if c > "\uffff")


def _plain(text: str) -> bool:
    """True when ``text`` can hold no emoji and every code point weighs 1 (the usual post)."""
    if text.isascii():
        return True
    return max(text) <= "\u10ff" and _EMOJI_IN_LIGHT_RANGES.isdisjoint(text)


def x_count(text: str) -> XLength:
    """The weighted length of ``text`` and whether X accepts it, as twitter-text's ``parseTweet`` says."""
    normal = unicodedata.normalize("NFC", text)
    urls = {u.start: u.end for u in x_urls(normal)}
    emoji = {} if _plain(normal) else {m.start(): m.end() for m in _emoji().finditer(normal)}
    weighted, valid, shown, i, limit = 0, True, 0, 0, MAX_X_LENGTH * 100
    while i < len(normal):
        if i in urls:
            weighted += _URL_LENGTH * 100
            i = urls[i] - 1
        elif i in emoji:
            weighted += 200
            i = emoji[i] - 1
        else:
            weighted += _weight(normal[i])
        valid = valid and normal[i] not in _INVALID
        if valid and weighted <= limit:
            shown = i
        i += 1
    length = weighted // 100
    offset = _utf16(text) - _utf16(normal)
    return XLength(
        weighted_length=length,
        valid=valid and 0 < length <= MAX_X_LENGTH,
        permillage=math.floor(length / MAX_X_LENGTH * 1000),
        valid_range_end=_utf16(normal[: shown + 1]) - 1 + offset,
        display_range_end=max(_utf16(text) - 1, 0),
    )


def x_length(text: str) -> int:
    """Weighted length of ``text`` as X counts it against the 280 limit."""
    normal = unicodedata.normalize("NFC", text)
    if _plain(normal):  # one per code point, and 23 per link
        return len(normal) + sum(_URL_LENGTH - (u.end - u.start) for u in x_urls(normal))
    return x_count(text).weighted_length
