"""The ``.eml`` files: one email draft as a message every mail program opens, and the same file read back.

Written for the widest reach: every header is ASCII (RFC 5322), with names and subjects beyond ASCII as RFC 2047
encoded words and domains in IDNA form; only an address whose local part is not ASCII makes the message use RFC
6532 (UTF-8 headers), as nothing else can carry it. A header shows exactly the text that was checked: a subject
or a name holding "=?" (what starts an encoded word, which a mail program would decode into other text, even
into another header) is written as encoded words from end to end, so it decodes to itself. The body is
``text/plain; format=flowed`` (RFC 3676): lines are folded at 72 columns with a trailing space, so a mail
program joins them again, and a long link is never broken. It is 7bit where the text is ASCII, else
quoted-printable. ``X-Unsent: 1`` makes mail programs open the file as a draft, and its ``Date`` is the day it
is meant to be sent.
"""

from __future__ import annotations

import base64
import email.policy
import re
import unicodedata
from datetime import date, datetime, time
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser, Parser
from email.policy import Policy

from .._errors import InputError
from ..situation._situation import Person

__all__ = ["as_datetime", "email_message", "flowed", "read_email", "unflowed"]

FLOW_WIDTH = 72
SEND_TIME = time(9, 0)
"""The time of day an email dated only by its day is meant to go out."""

_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _single_line(text: str, field: str) -> str:
    """``text`` as a header may carry it: no control, line-break or text-direction characters."""
    for char in text:
        if unicodedata.category(char) == "Cc" or char in "\u2028\u2029\u0085" or char in _BIDI:
            raise InputError(
                f"{field} holds the control character U+{ord(char):04X}, which an email header cannot carry",
                field=field,
            )
    return text


def _address(person: Person, field: str) -> Address:
    if not person.email:
        raise InputError(f"{field}.email is needed to write an email file", field=f"{field}.email")
    name = _single_line(person.name, f"{field}.name")
    username, _, domain = _single_line(person.email, f"{field}.email").partition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as e:
        raise InputError(
            f"{field}.email: the domain {domain!r} is not a valid domain name", field=f"{field}.email"
        ) from e
    return Address(display_name=name, username=username, domain=domain)


class _Literal(str):
    """A header whose text is written as RFC 2047 encoded words from end to end (an address after them), so a
    mail program shows exactly this text, "=?" and all, and never decodes it into anything else. A name is one
    encoded word however long: Python's own parser reads a space between two in a name, where RFC 2047 (and
    every mail program) reads none."""

    name: str
    text: str
    address: str | None
    addresses: tuple[Address, ...]
    """As the email package's address headers have it, for code that reads ``message["From"].addresses``."""
    defects: tuple[Exception, ...] = ()

    def __new__(cls, name: str, text: str, address: Address | None = None) -> _Literal:
        spec = address.addr_spec if address is not None else None
        shown = super().__new__(cls, text if spec is None else f"{text} <{spec}>")
        shown.name, shown.text, shown.address = name, text, spec
        shown.addresses = (address,) if address is not None else ()
        return shown

    def fold(self, *, policy: Policy) -> str:
        """The header as written (the email package calls this for a value that carries its own ``name``)."""
        if self.address is None:
            encoded = Header(self.text, "utf-8", header_name=self.name).encode(linesep=policy.linesep)
            return f"{self.name}: {encoded}{policy.linesep}"
        word = "=?utf-8?b?" + base64.b64encode(self.text.encode("utf-8")).decode("ascii") + "?="
        return f"{self.name}: {word}{policy.linesep} <{self.address}>{policy.linesep}"


def _subject(text: str) -> str:
    """What to set the Subject to: the text itself, or a ``_Literal`` where it holds "=?"."""
    return _Literal("Subject", text) if "=?" in text else text


def _person(name: str, address: Address) -> Address | str:
    """What to set From or To to: the address, or a ``_Literal`` where its name is beyond ASCII or holds "=?"."""
    if "=?" in address.display_name or not address.display_name.isascii():
        return _Literal(name, address.display_name, address)
    return address


def as_datetime(when: date | datetime | None) -> datetime:
    """The moment a message is dated: a datetime as given (local time where it has no zone), a day at 09:00 local
    time, or now."""
    if when is None:
        return datetime.now().astimezone()
    if not isinstance(when, datetime):
        when = datetime.combine(when, SEND_TIME)
    return when if when.tzinfo is not None else when.astimezone()


def _fold(line: str, width: int) -> list[str]:
    """``line`` cut at spaces into pieces of at most ``width`` (a word longer than that stays whole); each piece
    but the last keeps the space it was cut at, so joining them gives ``line`` back exactly."""
    pieces = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        if cut <= 0:
            cut = line.find(" ", width)
        if cut <= 0:
            break
        pieces.append(line[: cut + 1])
        line = line[cut + 1 :]
    return [*pieces, line]


def flowed(text: str, width: int = FLOW_WIDTH) -> str:
    """``text`` as a format=flowed body: long lines folded at ``width`` with a trailing space (a soft break),
    hard lines without one, and lines that start with a space, ">" or "From " space-stuffed."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        for piece in _fold(line.rstrip(" "), width):
            out.append(" " + piece if piece.startswith((" ", ">", "From ")) else piece)
    return "\n".join(out)


def unflowed(text: str) -> str:
    """A format=flowed body as the text it stands for: soft breaks joined, space-stuffing removed."""
    out: list[str] = []
    current: str | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw[1:] if raw.startswith(" ") else raw
        current = line if current is None else current + line
        if not line.endswith(" ") or line == "-- ":  # a hard break ends the paragraph line
            out.append(current)
            current = None
    if current is not None:
        out.append(current.rstrip(" "))
    return "\n".join(out)


def email_message(
    subject: str, body: str, sender: Person, recipient: Person | None, *, when: datetime, subject_field: str
) -> EmailMessage:
    """One email draft, From ``sender``, To ``recipient`` where their address is known, dated ``when``."""
    addresses = [_address(sender, "candidate")]
    if recipient is not None and recipient.email:
        addresses.append(_address(recipient, "hiring_manager"))
    subject = _single_line(subject.strip(), subject_field)
    ascii_only = all(a.username.isascii() for a in addresses)
    message = EmailMessage(policy=email.policy.SMTP if ascii_only else email.policy.SMTPUTF8)
    message["From"] = _person("From", addresses[0])
    if len(addresses) > 1:
        message["To"] = _person("To", addresses[1])
    message["Subject"] = _subject(subject)
    message["Date"] = when
    message["X-Unsent"] = "1"
    text = flowed(body.strip()) + "\n"
    cte = "7bit" if text.isascii() else "quoted-printable"
    message.set_content(text, charset="utf-8", cte=cte, params={"format": "flowed", "delsp": "no"})
    return message


def read_email(data: bytes, *, where: str) -> tuple[str, str]:
    """The subject and the plain-text body of an ``.eml`` file, as a person left it."""
    try:
        head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        if head.isascii():
            message = BytesParser(policy=email.policy.default).parsebytes(data)
        else:  # UTF-8 headers (RFC 6532), as written for an address beyond ASCII
            message = Parser(policy=email.policy.default).parsestr(data.decode("utf-8"))
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else None
    except (LookupError, ValueError) as e:  # UnicodeDecodeError is a ValueError
        raise InputError(f"{where}: cannot read it as an email: {e}", field=where) from e
    if not isinstance(body, str):
        raise InputError(f"{where}: has no plain-text body to check", field=where)
    if part is not None and str(part.get_param("format", "")).lower() == "flowed":
        body = unflowed(body)
    body = re.sub(r"[ \t]+\n", "\n", body.replace("\r\n", "\n")).strip()
    return str(message.get("Subject", "")).strip(), body
