"""The email of the publish stage: each subscriber sent the week's briefing once, and never twice.

The public face of the email; its modules:

- ``_subscribers_file``: the subscribers file (SPEC, "Subscribers file"), read and checked (``Subscriber``,
  ``load_subscribers``), and the addresses a run resends to (``resend_addresses``);
- ``_message``: one subscriber's message (``build_message``), the headers a provider checks
  (``list_headers``) and its DKIM signature (``DkimKey``, ``sign``);
- ``_smtp``: the SMTP server (``parse_smtp_url``, ``SmtpMailer``) and ``transmit``, one command at a time;
- ``_delivery``: ``deliver``, the delivery ledger's states, and ``_outcome``: what a delivery did
  (``Delivery``);
- ``_policy``: the rules of a run's email step (``email_week``): what a backfill, a dry run, a resend mean;
- ``subscribers`` (public): the mailing list kept in the store (``add``, ``remove``, ``recipients``,
  ``settle``...); ``unsubscribe`` (public): one-click unsubscribe tokens and the page both endpoints give;
  ``_server``: the endpoint for deployments without Airflow (``UnsubscribeServer``).
"""

from __future__ import annotations

from ._delivery import EDITION, LEASE, Compose, deliver
from ._message import (
    SIGNED_HEADERS,
    DkimKey,
    Header,
    SealedMessage,
    build_message,
    list_headers,
    list_id,
    sender_domain,
    sign,
    wire_bytes,
)
from ._outcome import Delivery, Held, RecipientNote
from ._policy import EmailRequest, EmailResult, Outbox, Send, email_week
from ._server import UnsubscribeServer
from ._smtp import Mailer, SmtpMailer, SmtpTarget, parse_smtp_url, transmit
from ._subscribers_file import (
    MAX_ADDRESS,
    MAX_LOCAL,
    Subscriber,
    load_subscribers,
    parse_subscribers,
    resend_addresses,
    to_header,
)

__all__ = [
    "EDITION",
    "LEASE",
    "MAX_ADDRESS",
    "MAX_LOCAL",
    "SIGNED_HEADERS",
    "Compose",
    "Delivery",
    "DkimKey",
    "EmailRequest",
    "EmailResult",
    "Header",
    "Held",
    "Mailer",
    "Outbox",
    "RecipientNote",
    "SealedMessage",
    "Send",
    "SmtpMailer",
    "SmtpTarget",
    "Subscriber",
    "UnsubscribeServer",
    "build_message",
    "deliver",
    "email_week",
    "list_headers",
    "list_id",
    "load_subscribers",
    "parse_smtp_url",
    "parse_subscribers",
    "resend_addresses",
    "sender_domain",
    "sign",
    "to_header",
    "transmit",
    "wire_bytes",
]
