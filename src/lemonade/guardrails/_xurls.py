"""The links X finds in a post, exactly as twitter-text does (``extractUrlsWithIndices``), for X's length.

A port of twitter-text 3 (JavaScript, the reference): a link with ``http://`` or ``https://``, or a bare
domain whose ending is on twitter-text's list of top-level domains (``_tlds``); labels of at most 63
characters, also once punycode-encoded; nothing glued to a letter, digit, ``@``, ``$`` or ``#`` before it.
This is deliberately narrower than the guardrails' own link finder (``_links``), which counts any
``label.tld`` for safety; each is honest about what it is for.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ._tlds import COUNTRY_TLDS, GENERIC_TLDS
from ._trie import trie

__all__ = ["XUrl", "x_urls"]

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL = 63

_SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_INVALID = r"\uFFFE\uFEFF\uFFFF"
_DIRECTIONAL = r"\u202A-\u202E\u061C\u200E\u200F\u2066\u2067\u2068\u2069"
_PUNCT = r"\!'#%&'\(\)*\+,\\\-\.\/:;<=>\?@\[\]\^_{|}~\$"
_PUNCT_IN_RUNS = r"\!'#%&'\(\)*\+,\\\/:;<=>\?@\[\]\^{|}~\$"
"""``_PUNCT`` but for ".", "_" and "-", which join labels."""
_CYRILLIC = r"\u0400-\u04FF"
_LATIN_ACCENTS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272"
    r"\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)


_Patterns = tuple[re.Pattern[str], ...]


@functools.cache
def _patterns() -> _Patterns:
    """The extraction expressions, compiled on first use (keeping import time light)."""
    tlds = trie(GENERIC_TLDS | COUNTRY_TLDS)
    tld = rf"(?:(?:{tlds})(?=[^0-9a-zA-Z@+-]|$)|xn--[\-0-9a-z]+)"
    char = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
    subdomain = rf"(?:(?:{char}(?:[_-]|{char})*)?{char}\.)"
    domain_name = rf"(?:(?:{char}(?:-|{char})*)?{char}\.)"
    domain = rf"(?:{subdomain}*{domain_name}{tld})"
    path_char = rf"[a-z{_CYRILLIC}0-9!\*';:=\+,\.\$\/%#\[\]\-\u2013_~@\|&{_LATIN_ACCENTS}]"
    parens = rf"\((?:{path_char}+|(?:{path_char}*\({path_char}+\){path_char}*))\)"
    path_end = rf"[\+\-a-z{_CYRILLIC}0-9=_#\/{_LATIN_ACCENTS}]|(?:{parens})"
    # As in twitter-text, the ending's "|" is spliced in ungrouped: a path segment is either characters up to
    # an ending character, or one balanced parenthesis on its own.
    path = rf"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
    query_end = r"[a-z0-9\-_&=#/]"
    before = rf"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
    extract = re.compile(
        rf"({before})((https?://)?({domain})(?::([0-9]+))?(/{path}*)?(\?{query}*{query_end})?)", re.IGNORECASE
    )
    ascii_domain = re.compile(
        rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+(?:(?:{tlds})(?=[^0-9a-zA-Z@+-]|$)|xn--[\-0-9a-z]+)", re.IGNORECASE
    )
    tco = re.compile(rf"^https?://t\.co/([a-z0-9]+)(?:\?{query}*{query_end})?", re.IGNORECASE)
    label_char = re.compile(char)
    top = re.compile(tld, re.IGNORECASE)
    label_run = re.compile(f"[^{_PUNCT_IN_RUNS}{_SPACES}{_INVALID}{_DIRECTIONAL}]+")  # labels, dots, "-", "_"
    protocol = re.compile(r"https?://", re.IGNORECASE)
    return extract, ascii_domain, tco, label_char, top, label_run, protocol


@dataclass(frozen=True, slots=True)
class XUrl:
    """A link X counts as 23 characters: its text and where it is (code point offsets)."""

    url: str
    start: int
    end: int


def _punycode_length(label: str) -> int | None:
    if label.isascii():
        return len(label)
    try:
        return len("xn--" + label.encode("punycode").decode("ascii"))
    except UnicodeError:
        return None


def _ascii_domain_length(domain: str) -> int | None:
    """The length of ``domain`` once each label is punycode-encoded, or None when a label is empty or too long."""
    if domain[:4].lower() == "xn--" and not _patterns()[1].search(domain):
        return None  # a punycode domain holds no other characters
    total = 0
    for label in domain.split("."):
        size = _punycode_length(label)
        if size is None or not 1 <= size <= _MAX_LABEL:
            return None
        total += size + 1
    return total - 1


def _chars(spec: str) -> frozenset[str]:
    """The characters of a character-class body such as ``a-z\\u2000-\\u200A``."""
    return frozenset(c for c in map(chr, range(0x3100)) if re.fullmatch(f"[{spec}]", c)) | frozenset(
        c for c in "\ufeff\ufffe\uffff\uff20\uff03" if re.fullmatch(f"[{spec}]", c)
    )


@functools.cache
def _not_label() -> frozenset[str]:
    return _chars(_PUNCT + _SPACES + _INVALID + _DIRECTIONAL)


@functools.cache
def _not_before() -> frozenset[str]:
    return _chars(f"A-Za-z0-9@\uff20$#\uff03{_INVALID}") - _chars(_DIRECTIONAL)


def _is_label_char(char: str) -> bool:
    return char not in _not_label()


_JOINERS = re.compile(r"[._\-\"`]")
"""In an ASCII run, the characters after which a link may begin (the rest are letters and digits)."""


def _reach(text: str, start: int, end: int, reach: dict[int, bool]) -> None:
    """Mark in ``reach`` the positions of the run ``text[start:end]`` where twitter-text's domain expression
    matches (labels, each followed by a dot, then a listed top-level domain) and where a link could begin (the
    run's start, or after a character that may stand before a link). From the right, so each position costs
    a constant: the expression itself would rescan the labels from every position."""
    tld, not_before = _patterns()[4], _not_before()
    if text[start:end].isascii():  # then a link can begin only after one of _JOINERS
        wanted = [start, *(m.end() for m in _JOINERS.finditer(text, start, end - 1))]
    else:
        wanted = [q for q in range(start, end) if q == start or text[q - 1] not in not_before]
    for q in reversed(wanted):
        if not _is_label_char(text[q]):
            continue
        dot = text.find(".", q, end)
        if dot == -1 or not _is_label_char(text[dot - 1]):
            continue
        underscore = text.find("_", q, dot)
        if (underscore == -1 and tld.match(text, dot + 1)) or reach.get(
            dot + 1
        ):  # one label, then the top-level domain
            reach[q] = True


def _starts(text: str) -> list[int]:
    """The positions where the extraction expression can match (each the character before a link, or 0):
    only runs of domain characters that hold a dot before a listed top-level domain are looked at."""
    _, _, _, _, tld, run, protocol = _patterns()
    reach: dict[int, bool] = {}
    not_before = _not_before()
    for found in run.finditer(text):
        start, end = found.span()
        dot = text.find(".", start, end)
        while dot != -1:
            if tld.match(text, dot + 1):
                _reach(text, start, end, reach)
                break
            dot = text.find(".", dot + 1, end)
    starts = set()
    for q in reach:
        if q == 0:
            starts.add(0)
        elif text[q - 1] not in not_before:
            starts.add(q - 1)
    for found in protocol.finditer(text):
        if reach.get(found.end()):
            q = found.start()
            if q == 0:
                starts.add(0)
            elif text[q - 1] not in not_before:
                starts.add(q - 1)
    return sorted(starts)


def x_urls(text: str) -> list[XUrl]:
    """Every link in ``text`` that X counts as a link, in order (``text`` NFC-normalised already).

    The same matches as running twitter-text's expression over the whole text, in linear time: it is tried
    only where it can match, since trying it everywhere rescans long runs of labels (quadratic time)."""
    if "." not in text:
        return []
    extract, ascii_domain, tco = _patterns()[:3]
    urls: list[XUrl] = []
    done = 0
    for at in _starts(text):
        if at < done or (match := extract.match(text, at)) is None:
            continue
        done = match.end()
        before, url, protocol, domain, _, path, _ = match.groups()
        end = match.end()
        start = end - len(url)
        encoded = _ascii_domain_length(domain)
        if encoded is None or len(protocol or "https://") + len(url) + encoded - len(domain) > _MAX_URL_LENGTH:
            continue
        if not protocol:
            if re.search(r"[-_./]$", before):
                continue
            last: XUrl | None = None
            for found in ascii_domain.finditer(domain):
                last = XUrl(found.group(0), start + found.start(), start + found.end())
                urls.append(last)
            if last is None:
                continue
            if path:  # the last ASCII domain takes the path and query along
                urls[-1] = XUrl(url.replace(domain, last.url, 1), last.start, end)
            continue
        if short := tco.match(url):
            if short.group(1) and len(short.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url, end = short.group(0), start + len(short.group(0))
        urls.append(XUrl(url, start, end))
    return urls
