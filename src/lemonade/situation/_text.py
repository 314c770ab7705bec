"""How lemonade reads a person's words: one-line fields without control characters, names compared as people
read them, links that are safe to share, and names cut short enough to be part of a file name.

Nothing here knows what a situation holds; ``_situation`` applies these checks to its fields.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from urllib.parse import urlsplit

__all__ = ["LinkWarning", "name_key", "one_line", "shareable_url", "shortened", "some_lines"]


class LinkWarning(UserWarning):
    """A resource link that is accepted but looks suspicious, e.g. a host that mixes scripts (``example.com``
    written with a Cyrillic letter a, U+0430), the mark of a look-alike address."""


_BIDI = "\u202a-\u202e\u2066-\u2069"
"""Embedding, override and isolate controls: they reorder what a reader sees (RLO is U+202E)."""
_ONE_LINE_BAD = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_LINES_BAD = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_INVISIBLE = re.compile("[\u2060\ufeff]")
_ZERO_WIDTH = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u200b]+")


def _named(char: str) -> str:
    name = unicodedata.name(char, "") or {"\x00": "NUL", "\x07": "BEL", "\x1b": "ESC", "\n": "line feed"}.get(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def shortened(name: str, *, limit: int, source: str | None = None) -> str:
    """``name`` as it is where it has at most ``limit`` characters; else its start and a digest of ``source`` (the
    text it was made from, ``name`` by default), ``limit`` characters in all, so that two long names that begin
    alike stay apart and the same text always gives the same name."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256((source if source is not None else name).encode()).hexdigest()[:10]
    return name[: max(0, limit - len(digest) - 1)].rstrip("-_. ") + "-" + digest


def one_line(value: str) -> str:
    """A one-line field: refuse control, line-break and bidirectional control characters; then NFC, zero-width
    spaces as spaces, invisible joiners dropped, and runs of white space as one space."""
    if bad := _ONE_LINE_BAD.search(value):
        raise ValueError(f"contains a control or line-break character ({_named(bad.group())}); it must be one line")
    value = _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", value))).strip()
    if not value:
        raise ValueError("is blank once invisible characters are removed")
    return value


def some_lines(value: str) -> str:
    """Free text that may span lines (notes): refuse control characters other than tab and line breaks."""
    if bad := _LINES_BAD.search(value):
        raise ValueError(f"contains a control character ({_named(bad.group())})")
    return unicodedata.normalize("NFC", value)


def name_key(text: str) -> str:
    """A name as people read it, for comparing: NFC, zero-width characters dropped, white space collapsed,
    case folded. ``"Jill\\u200bMoreno"`` and ``"jill  moreno"`` both read ``"jill moreno"``."""
    if text.isascii():
        return " ".join(text.split()).casefold()
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip().casefold()


_URL_BAD = re.compile(f"[\\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff{_BIDI}\\\\]")


_TOGETHER = ({"CJK", "HIRAGANA", "KATAKANA"}, {"CJK", "HANGUL"}, {"CJK", "BOPOMOFO"})
"""Scripts that are written together (with Latin too), as Unicode's "highly restrictive" level allows."""


def _mixes_scripts(label: str) -> bool:
    """True when a host label's letters come from scripts not written together (Latin with Cyrillic, say)."""
    scripts = {unicodedata.name(c, "?").split()[0] for c in label if c.isalpha()}
    others = scripts - {"LATIN"}
    if any(others <= together for together in _TOGETHER):
        return False  # one script, or Latin with Han and its companions
    return len(scripts) > 1


def _decoded(label: str) -> str:
    if label.lower().startswith("xn--"):
        try:
            return label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return label
    return label


def shareable_url(value: str) -> str:
    """An absolute http(s) link that is safe to put in a message: a host, no white space, no control, invisible
    or bidirectional characters, and no user name or password. Warns (``LinkWarning``) when a host label mixes
    scripts."""
    value = value.strip()
    if bad := _URL_BAD.search(value):
        what = "white space" if bad.group().isspace() else _named(bad.group())
        raise ValueError(f"must be a plain link, but contains {what}")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an http:// or https:// URL, got {value[:80]!r}")
    if "@" in parts.netloc:
        raise ValueError("carries a user name or password before '@'; sharing it would publish them, so remove it")
    host = parts.hostname or ""
    if not host or host.startswith(".") or ".." in host:
        raise ValueError(f"has no usable host name: {value[:80]!r}")
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as e:
        raise ValueError(f"has a port that is not a number: {value[:80]!r}") from e
    mixed = [label for label in map(_decoded, host.split(".")) if _mixes_scripts(label)]
    if mixed:
        warnings.warn(
            f"the link {value[:80]!r} has a host that mixes scripts ({', '.join(mixed)}): "
            "it may imitate another address; check it before sharing",
            LinkWarning,
            stacklevel=2,
        )
    return value
