"""Text as a reader sees it, so that what looks the same is checked the same.

A rule that matched characters as typed would miss a word or a link a person plainly reads: "re\\u00adconsider"
(a soft hyphen), "reconsid\\u0435r" (a Cyrillic e), "evil\\u200b.com" (a zero-width space), "https\\uff1a//"
(a full-width colon). Two views are made, each only as far as its rules need:

- ``as_seen``, for links: compatibility forms as their plain ones (NFKC: full-width and mathematical letters,
  the one-dot leader, the small full stop), invisible characters dropped (zero-width spaces and joiners, soft
  hyphens, word joiners, text-direction marks, tag characters), the other characters a reader takes for a dot
  in an address as ".", and the defanged "[.]" and "(dot)" as ".". Letters of other alphabets stay: a host
  written with a Cyrillic "\\u0435" is another host, and stays an unknown link.
- ``as_read``, for wording: typographic quotes as plain ones, compatibility forms as plain ones and accents
  dropped (NFKD), invisible characters dropped, letters of other alphabets that look Latin (Cyrillic
  "\\u0435", Greek "\\u03bf", small capitals) as the Latin letter, vulgar fractions as decimals; then a
  watched word split to dodge a rule ("re-consider", "re consider", "r e c o n s i d e r") is joined again,
  when its first piece starts a word ("are considering" stays as it is). The wording rules also read digits
  inside a word as the letters they stand for (``unleet``: "rec0nsider").

Text that is plain ASCII costs one look: nothing but a split word can hide in it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["as_read", "as_seen", "joined", "read_words", "split_words", "unleet"]

_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
"""Characters that show nothing, or nothing between two letters: soft hyphen, zero-width space, non-joiner and
joiner, text-direction marks and controls, word joiner and invisible operators, variation selectors, Hangul
fillers, byte order mark, tag characters."""

_DOTS = (
    "\u3002\uff61\u2024\ufe52\uff0e\u2027\u2219\u22c5\u00b7\u2e31\u2e33\u0701\u0702\u06d4\u0660\u06f0\u16eb"
    "\u1427\ua4f8\ua60e\U00010101\U00010a50"
)
"""Characters a reader takes for the dot of an address: ideographic, full-width and small full stops, the
one-dot leader, the hyphenation point, the bullet and dot operators, the middle dots, Syriac, Arabic, runic,
Canadian syllabics, Lisu, Vai and Aegean dots, and the Arabic-Indic zeros drawn as a dot. (A Catalan "l·l" in a
word then reads as a link; the situation's own words never do.)"""

# Letters drawn as a Latin letter (Unicode's confusables that stand for one Latin letter), each pair the letter
# and the Latin one: Cyrillic, Cyrillic capitals, Greek, Greek capitals, Armenian, then Latin's own dotless i,
# iota, alpha, script g and small capitals.
_PAIRS = (
    "\u0430a \u0441c \u0435e \u043eo \u0440p \u0445x \u0443y \u0455s \u0456i \u0458j \u0501d "
    "\u051bq \u051dw \u04bbh \u04cfl \u04afy \u0475v "
    "\u0410A \u0412B \u0415E \u0405S \u0406I \u0408J \u041aK \u041cM \u041dH \u041eO \u0420P "
    "\u0421C \u0422T \u0423Y \u0425X \u04aeY \u051aQ \u051cW \u04c0I \u0500D "
    "\u03b1a \u03b9i \u03bak \u03bdv \u03bfo \u03c1p \u03c5u \u03c7x \u03b3y \u03c9w \u03f2c "
    "\u03f3j "
    "\u0391A \u0392B \u0395E \u0396Z \u0397H \u0399I \u039aK \u039cM \u039dN \u039fO \u03a1P "
    "\u03a4T \u03a5Y \u03a7X "
    "\u0585o \u0578n \u057du \u0570h \u0566q "
    "\u0131i \u0269i \u0251a \u0261g \u1d00a \u0299b \u1d04c \u1d05d \u1d07e \ua730f \u0262g "
    "\u029ch \u026ai \u1d0aj \u1d0bk \u029fl \u1d0dm \u0274n \u1d0fo \u1d18p \u0280r \ua731s "
    "\u1d1bt \u1d1cu \u1d20v \u1d21w \u028fy \u1d22z"
)
_LOOK_ALIKES = {pair[0]: pair[1] for pair in _PAIRS.split()}
_FRACTIONS = {"\u00bd": ".5", "\u00bc": ".25", "\u00be": ".75"}
"""Vulgar fractions as decimals: "1\u00bd hours" reads 1.5 hours (NFKD would make it "11/2")."""

_TO_SEE = str.maketrans(dict.fromkeys(_DOTS, "."))
_HYPHENS = "\u2010\u2011\u2012\u2043\u2212\ufe63"
"""Hyphens and the minus sign, which read as "-"."""
_TO_READ = str.maketrans(
    {**dict.fromkeys(_DOTS, "."), **dict.fromkeys(_HYPHENS, "-"), **_LOOK_ALIKES, "\u2032": "'", "\u2033": '"',
     "\u02bc": "'"}
)  # fmt: skip
_ODD_SEEN = re.compile(f"[{_INVISIBLE}{_DOTS}]")
_ODD_READ = re.compile(f"[{_INVISIBLE}{_DOTS}{_HYPHENS}{''.join(_LOOK_ALIKES)}\u2032\u2033\u02bc]")
_GONE = re.compile(f"[{_INVISIBLE}]+")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_DEFANGED = re.compile(r"\s?[\[({]\s?(?:\.|dot)\s?[\])}]\s?", re.IGNORECASE)
_SEPARATOR = r"(?:[\-_*\u2010-\u2015]\n?|[^\S\n])*"
"""What may split a word and still let it be read as one: hyphens and dashes (also at a line's end), low lines,
asterisks, spaces."""


def as_seen(text: str) -> str:
    """``text`` as a reader sees an address in it (see the module's docstring)."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _ODD_SEEN.search(text):
            text = _GONE.sub("", text).translate(_TO_SEE)
    if ("[" in text or "(" in text or "{" in text) and _DEFANGED.search(text):
        text = _DEFANGED.sub(".", text)
    return text


@functools.lru_cache(maxsize=256)
def _folded(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    # Look-alikes before NFKD (which makes the lunate sigma a final sigma) and after it (which takes the accent
    # off a Cyrillic letter).
    if _ODD_READ.search(text):
        text = _GONE.sub("", text).translate(_TO_READ)
    if not unicodedata.is_normalized("NFKD", text):
        for fraction, decimal in _FRACTIONS.items():
            text = text.replace(fraction, decimal)
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        if _ODD_READ.search(text):
            text = _GONE.sub("", text).translate(_TO_READ)
    return text


def as_read(text: str) -> str:
    """``text`` as a reader reads its words, split words aside (see the module's docstring). Each rule of a draft
    asks for the same texts, so the folding of one that is not plain ASCII is kept for the next."""
    return text if text.isascii() else _folded(text)


_MIXED = re.compile(r"[0-9](?:(?<=[a-z].)|(?=[a-z]))", re.IGNORECASE)
_LEET_WORD = re.compile(r"\b(?=[a-z0-9]*[a-z])(?=[a-z0-9]*[0-9])[a-z0-9]+\b", re.IGNORECASE)
_LEET = str.maketrans("013457", "oieast")


def unleet(text: str) -> str:
    """``text`` with the digits inside words that also hold letters read as the letters they stand for
    ("rec0nsider", "unfa1r"); numbers on their own ("15 minutes") stay."""
    if not _MIXED.search(text):
        return text
    return _LEET_WORD.sub(lambda m: m.group().translate(_LEET), text)


def split_words(lowered: str, watched: tuple[str, ...]) -> tuple[str, ...]:
    """The ``watched`` words (lowercase) that may stand split in ``lowered``: one look at it without its
    separators. The usual text has none, and then nothing else is done."""
    squeezed = lowered.replace(" ", "").replace("\t", "").replace("-\n", "").replace("-", "").replace("_", "")
    squeezed = squeezed.replace("*", "")
    if not squeezed.isascii():
        squeezed = squeezed.replace("\u2013", "").replace("\u2014", "").replace("\u2015", "")
    return tuple(word for word in watched if word in squeezed and squeezed.count(word) > lowered.count(word))


@functools.cache
def _split(word: str) -> re.Pattern[str]:
    """``word`` with anything that may split a word allowed between its letters, starting a word."""
    return re.compile(r"(?<![^\W_])" + _SEPARATOR.join(map(re.escape, word)), re.IGNORECASE)


def joined(text: str, words: tuple[str, ...]) -> str:
    """``text`` with each of ``words`` joined again where it is split into pieces, the first piece starting a
    word ("re-consider" reads "reconsider"; "are considering" stays)."""
    for word in words:
        text = _split(word).sub(lambda m: re.sub(_SEPARATOR, "", m.group()), text)
    return text


@functools.lru_cache(maxsize=64)
def _read_words(words: tuple[str, ...], watched: tuple[str, ...]) -> tuple[str, ...]:
    read = (unleet(as_read(w)).lower() for w in words)
    return tuple(sorted({joined(w, split_words(w, watched)) for w in read}, key=len, reverse=True))


def read_words(words: Iterable[str], watched: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``words`` (lowercase) read as ``as_read`` and ``joined`` read a text, longest first, so they are found in
    it."""
    return _read_words(tuple(words), watched)
