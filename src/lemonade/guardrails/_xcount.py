"""The weighted length of an X post under the twitter-text v3 rules.

Text is NFC-normalised; every link counts 23 whatever its length; code points in the
weight-100 ranges count 1; an emoji (with its modifiers, variation selectors and
zero-width-joined partners) counts 2; everything else (CJK, most symbols) counts 2.
"""

from __future__ import annotations

import unicodedata

from ._links import find_links

__all__ = ["MAX_X_LENGTH", "x_length"]

MAX_X_LENGTH = 280
_URL_LENGTH = 23
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_ZWJ = 0x200D
_JOINERS = {0xFE0E, 0xFE0F, 0x20E3}


def _is_emoji(cp: int) -> bool:
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    )


def _is_modifier(cp: int) -> bool:
    return cp in _JOINERS or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


def _weight(cp: int) -> int:
    return 1 if any(lo <= cp <= hi for lo, hi in _LIGHT_RANGES) else 2


def _text_length(text: str) -> int:
    if not text or max(text) <= "\u10ff":
        return len(text)  # every character weighs 1 and none is an emoji
    total = 0
    cps = [ord(c) for c in text]
    i = 0
    while i < len(cps):
        cp = cps[i]
        if _is_emoji(cp) or (cp <= 0x39 and i + 1 < len(cps) and cps[i + 1] in _JOINERS):
            i += 1
            # One emoji: its modifiers and any zero-width-joined emoji after it.
            while i < len(cps):
                if _is_modifier(cps[i]) or (0x1F1E6 <= cp <= 0x1F1FF and 0x1F1E6 <= cps[i] <= 0x1F1FF):
                    i += 1
                    cp = -1
                elif cps[i] == _ZWJ and i + 1 < len(cps):
                    i += 2
                else:
                    break
            total += 2
            continue
        total += _weight(cp)
        i += 1
    return total


def x_length(text: str) -> int:
    """Weighted length of ``text`` as X counts it against the 280 limit."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for link in find_links(text):
        total += _text_length(text[pos : link.start]) + _URL_LENGTH
        pos = link.end
    return total + _text_length(text[pos:])
