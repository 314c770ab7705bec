"""What lemonade passes on of a server's words: never a credential, never a terminal control sequence, and
never a whole page.

Every credential the client sends (its API key, and the values of headers or query parameters whose
names say they are keys, tokens or signatures) is replaced by ``[redacted]`` wherever lemonade raises,
prints or keeps text a server or a model sent; control characters (ESC, BEL, bidirectional overrides …)
are shown escaped, so a hostile server cannot clear or retitle a terminal or fake a message; and long
text is cut to its start, with its size said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Scrubber", "credentials_in"]

_CREDENTIAL_NAME = re.compile(
    r"key|token|auth|secret|passw|signature|\bsig\b|subscription|cookie|session|credential", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LONGEST = 300


def credentials_in(api_key: object, headers: Mapping[str, object], query: Mapping[str, object]) -> tuple[str, ...]:
    """The credentials a client sends: its API key, and header or query values named like keys or tokens."""
    found = [api_key] if isinstance(api_key, str) else []
    for name, value in (*headers.items(), *query.items()):
        if isinstance(value, str) and _CREDENTIAL_NAME.search(name):
            found.append(value.removeprefix("Bearer ").removeprefix("bearer ").strip())
    return tuple(v for v in found if len(v) >= 8)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Scrubber:
    """Makes text a server or a model sent safe to raise, print or keep."""

    secrets: tuple[str, ...] = ()

    def with_secrets(self, more: Iterable[str]) -> Scrubber:
        return Scrubber(tuple(dict.fromkeys((*self.secrets, *(s for s in more if len(s) >= 8)))))

    def redact(self, text: str) -> str:
        """``text`` with every credential replaced by ``[redacted]`` (the longest first)."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, "[redacted]")
        return text

    def __call__(self, text: str, limit: int = _LONGEST) -> str:
        """``text`` redacted, its control characters escaped, and cut to ``limit`` characters, saying so."""
        clean = _CONTROL.sub(_escaped, self.redact(text))
        if len(clean) > limit:
            clean = f"{clean[:limit]}… ({len(text):,} characters in all)"
        return clean
