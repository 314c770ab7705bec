"""Finding links in a draft the way a guardrail must: broadly, so that an injected link cannot slip through.

Any ``scheme://`` address, any ``label.tld`` form (on any top-level domain, known or not: ``evil.zip/login``,
``evil.example/phish``), ``www.`` addresses and bare IPv4 addresses count, whatever stands before them unless
it is part of a word or an email address (``//evil.com``, ``-evil.com``, ``_evil.com`` are links). Links are
found in the text as a reader sees it (``_reading.as_seen``): ``evil\u200b.com``, ``evil\u2024com``,
``evil。zip``, ``https\uff1a//`` and ``evil[.]com`` are links too, and each is reported as the reader sees it.
This is broader than X's own rule (``_xurls``, exact twitter-text, for the X length): a guardrail errs towards
flagging. Two things keep it fair to honest drafts: the situation's own links match exactly
(``https://en.wikipedia.org/wiki/Apple_Inc.`` keeps its dot, a ``'`` its place), and its own names
(``Booking.com``, ``[24]7.ai``) are never links.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._reading import as_seen

__all__ = ["Link", "address_key", "find_addresses", "find_links", "link_key", "own_spans", "same_link"]

_URL_CHARS = r"[^\s<>\"`{}|\\^\u00a0\u2000-\u200b\u2028\u2029\u3000]"
_LINK = re.compile(
    # Where a run of word characters and hyphens starts (a leading "-" or "_" is passed over and left out), not
    # after a label's dot, nor in an email address's domain. Starting only there keeps the scan linear.
    r"(?<![\w\-])(?<![^\W_]\.)(?<![\w.+\-]@)[_\-]*"
    rf"(?:[a-z][a-z0-9+.\-]{{0,15}}://{_URL_CHARS}+"  # any scheme
    r"|(?:[^\W_](?:[\w\-]{0,62}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9\-]{1,59})(?![\w@\-])"  # label.tld
    rf"(?:[:/?#]{_URL_CHARS}*)?"
    rf"|\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?![\w.])(?:[:/?#]{_URL_CHARS}*)?)",  # IPv4
    re.IGNORECASE,
)
_CLOSERS = ".,;:!?'\"\u201d\u2019\u00bb*_~"
_HINT = re.compile(r"\.[^\W_]|://")
"""What every link has: a scheme, or a dot right before a letter or digit."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in text: what was written and where."""

    text: str
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> int:
    """Where a link ends once trailing punctuation is left to the sentence; a ``)`` stays when the link opened
    one. Linear: the parentheses are counted once."""
    opened = text.count("(", start, end) - text.count(")", start, end)
    while end > start:
        char = text[end - 1]
        if char == ")" and opened < 0:
            opened += 1
        elif char not in _CLOSERS:
            break
        end -= 1
    return end


def _exact(text: str, url: str) -> Iterable[int]:
    """Where ``url`` (a known link, or it without its scheme) stands whole in ``text``."""
    at = text.find(url)
    while at != -1:
        end = at + len(url)
        before = text[at - 1] if at else " "
        after = text[end : end + 2]
        whole_before = not (before.isalnum() or before in "@.-/_")
        whole_after = not after or after[0].isspace() or (after[0] in _CLOSERS + ")" and _ends(after[1:]))
        if whole_before and whole_after:
            yield at
        at = text.find(url, at + 1)


def _ends(rest: str) -> bool:
    return not rest or rest[0].isspace() or rest[0] in _CLOSERS + ")"


_SPACE = re.compile(r"\s")


def _candidates(text: str) -> Iterable[re.Match[str]]:
    """The links in ``text``: the link expression is run only over the words (runs without white space, which
    no link holds) where ``_HINT`` sees something, not over every word of the text."""
    done = 0
    for hint in _HINT.finditer(text):
        if hint.start() < done:
            continue
        start = max(text.rfind(c, 0, hint.start()) for c in " \n\t") + 1
        gap = _SPACE.search(text, hint.end())
        end = gap.start() if gap else len(text)
        if start < done:
            start = done
        yield from _LINK.finditer(text, start, end)
        done = end


@functools.lru_cache(maxsize=256)
def _longest_first(known: tuple[str, ...]) -> tuple[str, ...]:
    """Each known link and its forms without scheme or ``www.``, longest first, so a shorter link that overlaps
    a longer one starts or ends inside it."""
    return tuple(sorted({v for k in known for v in _variants(k)}, key=len, reverse=True))


def _variants(url: str) -> tuple[str, ...]:
    bare = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", url, flags=re.IGNORECASE)
    return tuple(sorted({url, bare, bare.removeprefix("www.")} - {""}, key=len, reverse=True))


def own_spans(text: str, own: Iterable[str]) -> list[tuple[int, int]]:
    """Where the situation's own strings (names, company, role, topics, titles) stand in ``text``, as whole
    words, ignoring case."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two; keep offsets true
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    spans = []
    for word in own:
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            if (at == 0 or not lowered[at - 1].isalnum()) and (end == len(lowered) or not lowered[end].isalnum()):
                spans.append((at, end))
            at = lowered.find(word, at + 1)
    return spans


def find_links(text: str, *, known: Iterable[str] = (), own: Iterable[str] = ()) -> list[Link]:
    """Every link in ``text`` as a reader sees it (``as_seen``; each link's text and offsets are in that view),
    in order: the ``known`` links exactly as written, then anything else that a reader or a mail program could
    follow. A link that lies within one of the ``own`` strings (lowercase) is a name, not a link."""
    found: list[Link] = []
    text = rest = as_seen(text)
    if not _HINT.search(rest):  # the usual sentence: nothing that could be a link
        return found
    taken: list[tuple[int, int]] = []
    mask = bytearray(len(rest) + 1)
    for url in _longest_first(tuple(map(as_seen, known))):
        for at in _exact(rest, url):
            end = at + len(url)
            if not (mask[at] or mask[end - 1]):
                mask[at:end] = b"\x01" * len(url)
                taken.append((at, end))
                found.append(Link(text[at:end], at, end))
    if taken:  # the known links are found; look for others around them
        pieces, last = [], 0
        for s, e in sorted(taken):
            pieces += [rest[last:s], " " * (e - s)]
            last = e
        rest = "".join([*pieces, rest[last:]])
        if not _HINT.search(rest):
            return sorted(found, key=lambda link: link.start)
    spans = None
    for match in _candidates(rest):
        start = match.start() + len(match.group()) - len(match.group().lstrip("_-"))
        end = _trimmed(rest, start, match.end())
        if end <= start:
            continue
        if spans is None:
            spans = own_spans(text, map(as_seen, own))
        if any(s <= start and end <= e for s, e in spans):
            continue
        found.append(Link(text[start:end], start, end))
    return sorted(found, key=lambda link: link.start)


@functools.lru_cache(maxsize=1024)
def link_key(url: str) -> str:
    """What identifies a link: host without ``www.`` (lowercased), path without trailing slash, query."""
    url = as_seen(url.strip())
    if not re.match(r"^[a-z][a-z0-9+.\-]*://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return host + path + query


def same_link(found: str, known: Iterable[str]) -> bool:
    """True when ``found`` is one of ``known``, ignoring scheme, ``www.``, host case and a trailing slash."""
    return link_key(found) in {link_key(k) for k in known}


_LOCAL = r"[\w!#$%*+^{|}~\-]"
_ADDRESS = re.compile(
    r"(?<![\w!#$%*+^{|}~\-.'])"  # where a local part starts: the scan stays linear
    rf"{_LOCAL}(?:{_LOCAL}|[.'])*@(?:[^\W_](?:[\w\-]{{0,62}}[^\W_])?\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9\-]{{1,59}})(?![\w\-])",
    re.IGNORECASE,
)
"""An email address as a mail program makes it clickable (also after ``mailto:`` or in its ``?cc=``): a local
part (without "/", "?", "=" or "&", which a link's path and query hold: ``medium.com/@jill.moreno`` is a link,
``email=jill@example.com`` names jill@example.com), "@", and a domain with a top-level domain."""


def find_addresses(text: str) -> list[str]:
    """Every email address in ``text`` as a reader sees it (``as_seen``), in order."""
    if "@" not in text and "\uff20" not in text and "\ufe6b" not in text:
        return []
    return [m.group() for m in _ADDRESS.finditer(as_seen(text))]


def address_key(address: str) -> str:
    """What identifies an address: as a reader sees it, case folded."""
    return as_seen(address.strip()).casefold()
