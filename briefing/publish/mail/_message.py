"""One subscriber's message (``build_message``), the headers a mail provider looks for in it, and its DKIM
signature.

``list_headers`` gives what a provider checks before it trusts a newsletter: ``Date`` (RFC 5322),
``Message-ID`` on the sender's own domain, ``List-Id`` (RFC 2919), ``List-Unsubscribe`` with the
subscriber's one-click HTTPS link and a mailto address, and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` (RFC 8058) whenever the HTTPS link is there.

``sign`` signs a finished message with DKIM (dkimpy; relaxed/relaxed canonicalization, RSA-SHA256)
over the headers RFC 8058 asks to be covered, the two ``List-Unsubscribe`` headers included, and
returns a ``SealedMessage``: the message as it will go on the wire, its bytes fixed, since a message
re-serialised after signing might be folded differently and fail verification. ``transmit``
(``briefing.publish.mail``) sends a sealed message's ``wire`` bytes as they are.

The key is a PEM private key, read from a file (``BRIEFING_DKIM_KEY_FILE``) or, in the DAG, from the
Airflow connection ``briefing_dkim`` (``plugins/briefing_mail.py``); the public half is published in
DNS at ``<selector>._domainkey.<domain>``.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import NamedTuple

from ...errors import ConfigError
from ._subscribers_file import Subscriber, to_header

__all__ = [
    "SIGNED_HEADERS",
    "DkimKey",
    "Header",
    "SealedMessage",
    "build_message",
    "list_headers",
    "list_id",
    "sender_domain",
    "sign",
    "wire_bytes",
]

#: the headers the DKIM signature covers (each one present is signed; RFC 8058 section 4 asks for the
#: List-Unsubscribe pair)
SIGNED_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)


def sender_domain(sender: str) -> str:
    """The domain of the ``From`` address (``localhost`` when it has none)."""
    return parseaddr(sender)[1].rpartition("@")[2].strip().lower() or "localhost"


def list_id(sender: str, name: str = "China Tech Briefing") -> str:
    """``List-Id`` (RFC 2919): the list's name and ``<local part>.<domain>`` of the sender."""
    local = parseaddr(sender)[1].partition("@")[0] or "briefing"
    return f"{name} <{local}.{sender_domain(sender)}>"


class Header(NamedTuple):
    """One header of a message: its name and its value."""

    name: str
    value: str


def list_headers(
    *,
    sender: str,
    unsubscribe: str,
    one_click: str = "",
    when: datetime | None = None,
    name: str = "China Tech Briefing",
) -> list[Header]:
    """The headers of one subscriber's message besides From, To and Subject.

    ``one_click`` is the subscriber's HTTPS unsubscribe link (with its token); ``unsubscribe`` the
    deployment's mailto: (or https:) address. ``List-Unsubscribe-Post`` comes only with an HTTPS link
    that unsubscribes by itself.
    """
    links = [u for u in (one_click, unsubscribe) if u]
    out = [
        Header("Date", format_datetime((when or datetime.now(UTC)).astimezone(UTC))),
        Header("Message-ID", make_msgid(domain=sender_domain(sender))),
        Header("List-Id", list_id(sender, name)),
        Header("List-Unsubscribe", ", ".join(f"<{u}>" for u in dict.fromkeys(links))),
    ]
    if one_click.lower().startswith("https://"):
        out.append(Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return out


@dataclass(frozen=True)
class DkimKey:
    """A DKIM signing key: ``selector`` and ``domain`` name its public half in DNS."""

    selector: str
    domain: str
    private_key: bytes = field(repr=False)

    @classmethod
    def from_pem(cls, pem: str | bytes, selector: str, domain: str, where: str = "the DKIM key") -> DkimKey:
        """A key from PEM text; ConfigError when it is not an RSA private key dkimpy can use."""
        from dkim.crypto import UnparsableKeyError, parse_pem_private_key

        data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
        if not selector or not domain:
            raise ConfigError(
                f"{where}: a DKIM key needs a selector and a domain (BRIEFING_DKIM_SELECTOR, BRIEFING_DKIM_DOMAIN)"
            )
        try:
            parse_pem_private_key(data)
        except (UnparsableKeyError, ValueError, IndexError, TypeError) as e:
            raise ConfigError(f"{where}: not a PEM RSA private key dkimpy can read ({e or type(e).__name__})") from None
        return cls(selector=selector, domain=domain.lower(), private_key=data)

    @classmethod
    def from_file(cls, path: str | Path, selector: str, domain: str) -> DkimKey:
        try:
            pem = Path(path).read_bytes()
        except OSError as e:
            raise ConfigError(f"{path}: cannot read the DKIM key file: {e.strerror or e}") from None
        return cls.from_pem(pem, selector, domain, where=str(path))


class SealedMessage(EmailMessage):
    """A message whose bytes on the wire are fixed (``wire``): a DKIM signature covers them."""

    wire: bytes = b""


def wire_bytes(message: EmailMessage) -> bytes:
    """The bytes that go to the SMTP server: a sealed message's own, else the message with CRLF line ends."""
    if isinstance(message, SealedMessage) and message.wire:
        return message.wire
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def sign(message: EmailMessage, key: DkimKey) -> SealedMessage:
    """``message`` with a ``DKIM-Signature`` header first, sealed (see the module's docstring)."""
    import dkim

    body = wire_bytes(message)
    present = [h.encode("ascii") for h in SIGNED_HEADERS if h in message]
    try:
        signature = dkim.sign(
            body,
            key.selector.encode("ascii"),
            key.domain.encode("ascii"),
            key.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=present,
            linesep=b"\r\n",
        )
    except (dkim.DKIMException, ValueError, UnicodeError) as e:
        raise ConfigError(
            f"cannot sign the message with the DKIM key {key.selector}._domainkey.{key.domain}: {e}"
        ) from e
    signed = signature + body
    sealed = email.message_from_bytes(signed, _class=SealedMessage, policy=email.policy.default)
    assert isinstance(sealed, SealedMessage)
    sealed.wire = signed
    return sealed


def build_message(
    *,
    subject: str,
    sender: str,
    subscriber: Subscriber,
    text: str,
    html: str,
    pdf: bytes,
    pdf_name: str,
    unsubscribe: str,
    one_click: str = "",
    when: datetime | None = None,
    dkim: DkimKey | None = None,
) -> EmailMessage:
    """One subscriber's message: plain text, HTML alternative and the PDF attached, with the headers a
    provider checks (``list_headers``: Date, Message-ID, List-Id, List-Unsubscribe with the
    subscriber's ``one_click`` link and ``unsubscribe``, List-Unsubscribe-Post); signed with ``dkim``."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to_header(subscriber)
    for name, value in list_headers(sender=sender, unsubscribe=unsubscribe, one_click=one_click, when=when):
        msg[name] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return sign(msg, dkim) if dkim is not None else msg
