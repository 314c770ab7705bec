"""Finding links in text, the way a reader (and X) would see them, and telling known ones from invented ones."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Link", "find_links", "link_key", "same_link"]

_TLDS = (
    "com|org|net|io|dev|co|ai|edu|gov|info|biz|me|app|ly|gl|xyz|tech|blog|news|page|site|"
    "uk|de|fr|es|it|nl|ca|us|au|in|jp|eu|ch|se|no|dk|fi|ie|nz|br|mx"
)
_SCHEMED = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
_BARE = re.compile(
    rf"(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"'`\[\]{{}}|\\^]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)'\"\u201d\u2019\u00bb"


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in text: what was written and where."""

    text: str
    start: int
    end: int


_MAYBE_DOMAIN = re.compile(rf"\.(?:{_TLDS})\b")  # on lowercased text


def _trimmed(text: str, match: re.Match[str]) -> Link | None:
    raw = match.group(0)
    # A closing parenthesis belongs to the link only when the link opened one.
    while raw and raw[-1] in _TRAILING and not (raw[-1] == ")" and raw.count("(") >= raw.count(")")):
        raw = raw[:-1]
    return Link(raw, match.start(), match.start() + len(raw)) if raw else None


def find_links(text: str) -> list[Link]:
    """Every http(s) URL, www. address or bare domain in ``text`` (emails excluded), in order."""
    lowered = text.lower()
    found = []
    rest = text
    if "http" in lowered or "www." in lowered:
        for match in _SCHEMED.finditer(text):
            if link := _trimmed(text, match):
                found.append(link)
                rest = rest[: link.start] + " " * (link.end - link.start) + rest[link.end :]
    # The bare-domain expression is slow, so it runs only where something looks like a domain.
    if _MAYBE_DOMAIN.search(rest.lower() if found else lowered):
        found += [link for match in _BARE.finditer(rest) if (link := _trimmed(rest, match))]
        found.sort(key=lambda link: link.start)
    return found


@functools.lru_cache(maxsize=1024)
def link_key(url: str) -> str:
    """What identifies a link: host without ``www.`` (lowercased), path without trailing slash, query."""
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.\-]*://", url, re.IGNORECASE):
        url = "http://" + url
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return host + path + query


def same_link(found: str, known: Iterable[str]) -> bool:
    """True when ``found`` is one of ``known``, ignoring scheme, ``www.``, host case and a trailing slash."""
    return link_key(found) in {link_key(k) for k in known}
