"""The guardrail rules over a draft's texts: each looks at one or more text fields and returns its findings.

Every rule runs in time linear in the text. The situation's own strings (``own``: names, company, role,
topics, titles) are never phrases or links: ``Bitterman`` is not bitter and ``Booking.com`` is not a link.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from ..situation._situation import Outcome, Person
from ..situation._text import name_key
from ._calls import call_length
from ._links import address_key, find_addresses, find_links, link_key, own_spans
from ._phrases import (
    BUZZWORDS,
    DISAPPOINT,
    DISCLAIMER,
    NEGATIVE,
    PLACEHOLDERS,
    WATCHED,
    WRONG_OUTCOME,
    WRONG_VOICE,
    Phrases,
    plain,
    words_in,
)
from ._reading import as_read, joined, read_words, split_words, unleet
from ._reconsider import RECONSIDER
from ._report import Violation, finding
from ._voice import third_person
from ._xcount import MAX_X_LENGTH, x_length

__all__ = [
    "FAR_OVER",
    "Fields",
    "addresses",
    "call_length",
    "emails",
    "every_text",
    "length",
    "linkedin",
    "names_company",
    "oversized",
    "share_links",
    "subject",
    "x_post",
]

Fields = Mapping[str, str]
"""Field name (as a path, e.g. ``questions[2]``) to its text."""

FAR_OVER = 20_000
"""Characters in one text beyond which an answer is refused at once, before the other rules run: ten times the
longest text a step allows (a 1,900-character LinkedIn message)."""
_PER_FIELD = 3
"""At most this many findings of one code in one field: enough to fix them all, short enough to re-ask."""


def _snippet(text: str, start: int, end: int) -> str:
    return repr(text[max(0, start - 15) : end + 15].strip())


def _masked(text: str, own: Sequence[str]) -> str:
    """``text`` (as read) with the situation's own strings blanked out (same length), so no phrase is found in
    them."""
    spans = own_spans(text, read_words(own, WATCHED)) if own else []
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = ("x" if not c.isspace() else c for c in text[start:end])
    return "".join(chars)


_CLAUSE = re.compile(r"[.;:!?,\u2014\u2013]|\s-\s|\b(?:but|and|so|yet)\b", re.IGNORECASE)


def _disclaimed(text: str, start: int) -> bool:
    """True when the phrase at ``start`` follows a disclaimer in its own clause ("I am not asking you to ..."),
    in a sentence that is not itself a question."""
    ends = (text.find(mark, start, start + 400) for mark in "?.!\n")
    sentence_end = min((i for i in ends if i != -1), default=len(text))
    if text[sentence_end : sentence_end + 1] == "?":
        return False
    clause = _CLAUSE.split(text[max(0, start - 80) : start])[-1]
    return DISCLAIMER.search(clause) is not None


def _findings(
    texts: list[tuple[str, str, str]],
    phrases: Phrases,
    code: str,
    what: str,
    own: Sequence[str],
    joined: str,
    found: frozenset[str],
    disclaimable: bool = False,
) -> list[Violation]:
    """Every distinct phrase found in each field (at most a few per field), none of them in the situation's own
    words. The usual text has no phrase at all, so the own words are blanked out only where one is found.
    ``joined`` is every field in lowercase, ``found`` the words of the rules in it (``words_in``)."""
    out: list[Violation] = []
    rules = phrases.present(joined, found)  # one look at all the fields
    if not rules:
        return out
    for field, text, lowered in texts:
        matches = phrases.finditer(text, lowered, rules=rules)
        first = next(matches, None)
        if first is None:
            continue
        if own and (masked := _masked(text, own)) != text:
            text, lowered = masked, masked.lower()
            matches = phrases.finditer(text, lowered, rules=rules)
            first = next(matches, None)
        said: set[str] = set()
        for match in itertools.chain((first,) if first else (), matches):
            if disclaimable and _disclaimed(text, match.start()):
                continue
            if (phrase := match.group(0).lower()) not in said:
                said.add(phrase)
                out.append(finding(code, "error", field, f"{what}: {_snippet(text, match.start(), match.end())}"))
                if len(said) == _PER_FIELD:
                    break
    return out


_MIXED = re.compile(r"[013457](?:(?<=[a-z].)|(?=[a-z]))")
_EVERY_TEXT = (PLACEHOLDERS, RECONSIDER, NEGATIVE, *WRONG_OUTCOME.values(), WRONG_VOICE, BUZZWORDS)
"""The families every text is read for, whose words one scan of a draft finds."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_LINE_BREAK = re.compile("[\r\n\u2028\u2029\x85]")


def control_characters(fields: Fields) -> list[Violation]:
    """No control characters in any text: they would reach terminals and mail headers raw."""
    out = []
    for field, text in fields.items():
        if bad := _CONTROL.search(text):
            out.append(finding("control_character", "error", field, f"contains U+{ord(bad.group()):04X}; remove it"))
    return out


def _read(fields: Fields) -> tuple[list[tuple[str, str, str]], str]:
    """Each field as a reader reads it (``_reading.as_read``, split watched words joined), with its lowercase,
    and all of them joined in lowercase."""
    texts = [(field, read, read.lower()) for field, read in ((f, as_read(t)) for f, t in fields.items())]
    lowered = "\n".join(low for _, _, low in texts)
    if any(map(lowered.__contains__, "013457")) and _MIXED.search(lowered):  # a digit in a word: "rec0nsider"
        texts = [(field, read, read.lower()) for field, read in ((f, unleet(t)) for f, t, _ in texts)]
        lowered = "\n".join(low for _, _, low in texts)
    if words := split_words(lowered, WATCHED):
        texts = [(field, read, read.lower()) for field, read in ((f, joined(t, words)) for f, t, _ in texts)]
        lowered = "\n".join(low for _, _, low in texts)
    return texts, lowered


def every_text(
    fields: Fields,
    outcome: Outcome,
    own: Sequence[str] = (),
    candidate: Person | None = None,
    others: Sequence[str] = (),
) -> list[Violation]:
    """The rules every text of every draft must pass, and the clichés it should avoid (warnings), each over the
    text as a reader reads it: look-alike letters, invisible characters and split words hide nothing. ``others``
    are the names of the other people in the situation (the manager, referrals): their names are not the
    candidate's."""
    texts, joined = _read(fields)
    found = words_in(joined, _EVERY_TEXT)
    out = [finding("empty", "error", f, "is empty") for f, t, _ in texts if not t.strip()]
    if any(_CONTROL.search(t) for t in fields.values()):
        out += control_characters(fields)
    out += _findings(texts, PLACEHOLDERS, "placeholder", "template leftover or model chatter", own, joined, found)
    out += _findings(texts, RECONSIDER, "reconsider", "asks to revisit the decision", own, joined, found, True)
    out += _findings(texts, NEGATIVE, "negative_tone", "sounds bitter or blaming", own, joined, found)
    if "disappoint" in joined:
        disappointed = [(f, m) for f, t, low in texts if "disappoint" in low for m in DISAPPOINT.finditer(t)]
        if len(disappointed) > 1:
            out.append(finding("negative_tone", "error", disappointed[1][0], "dwells on disappointment (twice)"))
    other = "a declined offer" if outcome == "rejected" else "not being selected"
    out += _findings(texts, WRONG_OUTCOME[outcome], "wrong_outcome", f"speaks of {other}", own, joined, found)
    out += _findings(texts, WRONG_VOICE, "wrong_voice", "not in the candidate's own voice", own, joined, found)
    if candidate is not None:
        out += third_person(texts, joined, candidate, others)
    return out + _buzzwords(texts, joined, found, own)


def _buzzwords(
    texts: list[tuple[str, str, str]], joined: str, found: frozenset[str], own: Sequence[str]
) -> list[Violation]:
    """``buzzword`` warnings: the clichés in each field, none of them in the situation's own words."""
    out: list[Violation] = []
    rules = BUZZWORDS.present(joined, found)
    if not rules:
        return out
    for field, text, lowered in texts:
        if next(BUZZWORDS.finditer(text, lowered, rules=rules), None) is None:
            continue
        cleared = _masked(text, own)
        words = sorted({m.group(0).lower() for m in BUZZWORDS.finditer(cleared, cleared.lower(), rules=rules)})
        if words:
            out.append(finding("buzzword", "warning", field, f"cliché: {', '.join(words)}"))
    return out


def share_links(
    fields: Fields,
    allowed: Iterable[str],
    chosen: Sequence[str] = (),
    required: Sequence[str] = (),
    own: Sequence[str] = (),
) -> list[Violation]:
    """``unknown_link`` for a link not in ``allowed``; ``no_link`` for a required field with none of ``chosen``."""
    known = tuple(allowed)
    allowed_keys = {link_key(url) for url in known}
    chosen_keys = {link_key(url) for url in chosen}
    out = []
    for field, text in fields.items():
        keys, unknown = [], []
        for link in find_links(text, known=known, own=own):
            keys.append(key := link_key(link.text))
            if key not in allowed_keys:
                unknown.append(link.text)
        for shown in unknown[:_PER_FIELD]:
            out.append(finding("unknown_link", "error", field, f"{shown[:100]!r} is not one of the chosen links"))
        if len(unknown) > _PER_FIELD:
            out.append(finding("unknown_link", "error", field, f"and {len(unknown) - _PER_FIELD:,} more links"))
        if field in required and chosen_keys.isdisjoint(keys):
            out.append(finding("no_link", "error", field, "carries none of the chosen links"))
    return out


def addresses(fields: Fields, known: Iterable[str | None]) -> list[Violation]:
    """``unknown_email`` for an email address (also a ``mailto:`` one) that is none of ``known`` (the candidate's,
    the manager's, a referral's): a mail program makes any of them a link to write to."""
    out: list[Violation] = []
    allowed = None
    for field, text in fields.items():
        unknown = []
        for address in find_addresses(text):
            if allowed is None:
                allowed = {address_key(a) for a in known if a}
            if address_key(address) not in allowed:
                unknown.append(address)
        for shown in unknown[:_PER_FIELD]:
            message = (
                f"{shown[:100]!r} is not an address the situation names (the candidate's, the manager's, a referral's)"
            )
            out.append(finding("unknown_email", "error", field, message))
        if len(unknown) > _PER_FIELD:
            out.append(finding("unknown_email", "error", field, f"and {len(unknown) - _PER_FIELD:,} more addresses"))
    return out


def names_company(field: str, texts: Iterable[str], company: str) -> list[Violation]:
    texts = list(texts)
    if any(company.casefold() in t.casefold() for t in texts):
        return []
    name = name_key(company)
    if any(name in name_key(plain(t)) for t in texts):
        return []
    return [finding("missing_company", "error", field, f"does not name {company}")]


_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|greetings)\b[ \t,]*(?P<who>[^,:!\n]*)", re.IGNORECASE
)
_WORD = re.compile(r"[\w'-]+")


@functools.lru_cache(maxsize=64)
def _names_of(name: str, salutation_name: str | None) -> frozenset[str]:
    """Any of a person's names, read as people read them ("Dear Dr. Peña," for Inés Peña Solís), and the name
    they are addressed by."""
    names = set(_WORD.findall(name_key(name)))
    names.update(_WORD.findall(name_key(salutation_name or ""))[-1:])
    return frozenset(names)


@functools.lru_cache(maxsize=64)
def _signatures(name: str) -> tuple[str, str]:
    return name_key(name), name_key(name.split()[0])


def emails(field: str, body: str, manager: Person, candidate: Person) -> list[Violation]:
    """An email greets the hiring manager by name (any of their names, read as people read them) and is signed
    with the candidate's name."""
    out = []
    text = body.strip()
    greeting = _GREETING.match(text.split("\n", 1)[0]) if text else None
    if greeting is None:
        out.append(finding("missing_greeting", "warning", field, f"does not open by greeting {manager.name}"))
    else:
        who = set(_WORD.findall(name_key(greeting.group("who"))))
        if who.isdisjoint(_names_of(manager.name, manager.salutation_name)):
            shown = greeting.group("who").strip() or "nobody by name"
            out.append(finding("wrong_recipient", "error", field, f"greets {shown!r}, not {manager.name}"))
    signatures = _signatures(candidate.name)
    last = [name_key(line) for line in [line for line in text.rsplit("\n", 8)[-8:] if line.strip()][-4:]]
    if not any(n in line for line in last for n in signatures):
        out.append(finding("unsigned", "error", field, f"is not signed with {candidate.name}"))
    return out


def length(field: str, text: str, max_words: int) -> list[Violation]:
    n = len(text.split())
    if n > max_words:
        return [finding("too_long", "error", field, f"{n} words; the limit is {max_words}")]
    return []


_ENCODED_WORD = re.compile(r"=\?[^?\s]{0,75}\?[bq]\?", re.IGNORECASE)
"""The start of an RFC 2047 encoded word (``=?utf-8?b?``), which a mail program decodes into other text."""


def subject(field: str, text: str) -> list[Violation]:
    """A subject is one short line of plain text."""
    if _LINE_BREAK.search(text.strip()):
        return [finding("control_character", "error", field, "has a line break; a subject is one line")]
    if "=?" in text and (word := _ENCODED_WORD.search(text)):
        shown = repr(text[word.start() : word.start() + 30])
        message = (
            f"holds an encoded word ({shown}...), which a mail program would decode into other text; write it plainly"
        )
        return [finding("encoded_word", "error", field, message)]
    n = len(text.strip())
    if n > 60:
        return [finding("subject_too_long", "error", field, f"{n} characters; the limit is 60")]
    if n > 50:
        return [finding("subject_too_long", "warning", field, f"{n} characters; under 50 reads best")]
    return []


def x_post(field: str, text: str) -> list[Violation]:
    """The post fits X's 280. A post that cannot be over is not counted: no code point weighs over 2, and each
    link (which X counts as 23) holds a dot, so 2 per character and 23 per dot is an upper bound."""
    normal = unicodedata.normalize("NFC", text)
    if 2 * len(normal) + 23 * normal.count(".") <= MAX_X_LENGTH:
        return []
    n = x_length(text)
    if n > MAX_X_LENGTH:
        return [finding("x_too_long", "error", field, f"weighted length {n}; X allows {MAX_X_LENGTH}")]
    return []


def linkedin(field: str, text: str) -> list[Violation]:
    n = len(text)
    if n > 1900:
        return [finding("linkedin_too_long", "error", field, f"{n} characters; the limit is 1,900")]
    if n > 500:
        return [finding("linkedin_too_long", "warning", field, f"{n} characters; under 500 gets read")]
    return []


_LENGTH_CODES = {"subject": "subject_too_long", "email_subject": "subject_too_long", "x_post": "x_too_long",
                 "linkedin_message": "linkedin_too_long"}  # fmt: skip


def oversized(fields: Fields, *, many: tuple[str, int, str] | None = None, max_items: int = 50) -> list[Violation]:
    """Findings for an answer far beyond any limit, so it is refused at once, before the costlier rules run:
    a text over ``FAR_OVER`` characters, or a list (``many``: its field, its length and the code to report)
    of more than ``max_items``. Empty for any sane answer."""
    out = []
    if many is not None and many[1] > max_items:
        field, count, code = many
        out.append(finding(code, "error", field, f"{count:,} items, far beyond the limit"))
    for field, text in fields.items():
        if len(text) > FAR_OVER:
            code = _LENGTH_CODES.get(field, "too_long")
            out.append(finding(code, "error", field, f"{len(text):,} characters, far beyond the limit; write it short"))
    return out
