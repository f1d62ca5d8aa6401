"""The subscribers file (SPEC, "Subscribers file"), read and checked before anything reaches a mail server.

One address a line, or the CSV form ``email,name,themes``; blank lines and ``#`` comments are ignored. A
malformed address or name is a ConfigError naming its line, and never reaches the SMTP server.
``resend_addresses`` checks the addresses a run is asked to resend to against the subscribers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path

from ...errors import ConfigError

__all__ = [
    "MAX_ADDRESS",
    "MAX_LOCAL",
    "Subscriber",
    "load_subscribers",
    "parse_subscribers",
    "resend_addresses",
    "to_header",
]

#: RFC 5321: a path holds at most 256 characters with its angle brackets; a local part at most 64
MAX_ADDRESS, MAX_LOCAL = 254, 64
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


@dataclass(frozen=True)
class Subscriber:
    """A subscriber: the address, a name for the ``To`` header, and the themes put first in its email."""

    email: str
    name: str = ""
    themes: tuple[str, ...] = ()


def load_subscribers(path: str | Path, theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    """The subscribers file at ``path``; ConfigError when it does not read or a line is bad."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")  # a spreadsheet's CSV starts with a byte-order mark
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the subscribers file: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: the subscribers file is not UTF-8 text (byte {e.start})") from e
    return parse_subscribers(text, str(p), theme_ids)


def parse_subscribers(text: str, where: str = "<subscribers>", theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    """Subscribers from the file's text; every bad line is a ConfigError naming it."""
    out: list[Subscriber] = []
    seen: set[str] = set()
    for n, line in enumerate(
        text.removeprefix("\ufeff").split("\n"), start=1
    ):  # lines end at \n only, never at U+0085 or U+2028
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        odd = next((c for c in stripped if c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
        if odd is not None:
            raise ConfigError(f"{where}:{n}: the line holds a control or line-separator character (U+{ord(odd):04X})")
        if "," in stripped:
            fields = next(csv.reader(io.StringIO(stripped)))
            if fields and fields[0].strip().lower() == "email":
                continue  # a CSV header
            if len(fields) > 3:
                raise ConfigError(f"{where}:{n}: expected 'email,name,themes', got {len(fields)} fields")
            email, name, themes_field = (fields + ["", ""])[:3]
        else:
            email, name, themes_field = stripped, "", ""
        email = email.strip()
        if len(email) > MAX_ADDRESS or len(email.partition("@")[0]) > MAX_LOCAL:
            raise ConfigError(
                f"{where}:{n}: the address {_clip(email)!r} is too long "
                f"(at most {MAX_ADDRESS} characters, {MAX_LOCAL} before the @)"
            )
        if not _EMAIL_RE.match(email) or parseaddr(email)[1] != email:
            raise ConfigError(f"{where}:{n}: {_clip(email)!r} is not a valid email address")
        themes = tuple(t for t in re.split(r"[;|\s]+", themes_field.strip()) if t)
        unknown = [t for t in themes if theme_ids and t not in theme_ids]
        if unknown:
            raise ConfigError(
                f"{where}:{n}: unknown theme(s) {', '.join(map(_clip, unknown))} (known: {', '.join(theme_ids)})"
            )
        key = email.lower()
        if key in seen:
            raise ConfigError(f"{where}:{n}: {email} is listed twice")
        seen.add(key)
        subscriber = Subscriber(email=email, name=name.strip(), themes=themes)
        try:
            EmailMessage()["To"] = to_header(subscriber)  # what the message will hold: a name must fit a header
        except (ValueError, TypeError) as e:
            raise ConfigError(
                f"{where}:{n}: the name {_clip(subscriber.name)!r} cannot go in an email header: {e}"
            ) from e
        out.append(subscriber)
    return out


def to_header(subscriber: Subscriber) -> str:
    """The ``To`` header of a subscriber's message."""
    return formataddr((subscriber.name, subscriber.email)) if subscriber.name else subscriber.email


def resend_addresses(resend: bool | Collection[str], subscribers: Sequence[Subscriber]) -> frozenset[str] | None:
    """Which subscribers ``resend`` names, lower-cased; None for all (``True`` or ``"all"``).

    An address that is not a subscriber is a ConfigError, so a typo never passes for a resend.
    """
    if resend is True:
        return None
    if resend is False:
        return frozenset()
    names = {r.strip().lower() for r in ([resend] if isinstance(resend, str) else resend) if r.strip()}
    if "all" in names:
        return None
    missing = sorted(names - {s.email.lower() for s in subscribers})
    if missing:
        raise ConfigError(f"cannot resend to {', '.join(map(_clip, missing))}: not in the subscribers file")
    return frozenset(names)


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value)} characters)"
