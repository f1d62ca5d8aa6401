"""The DAG's mailer: briefing's messages sent over the connection ``smtp_default`` of the SMTP provider.

``briefing.publish.mail`` composes each subscriber's message (text, HTML, the PDF attached, the
``List-Unsubscribe`` header, a ``Message-ID`` the delivery ledger records) and hands it to a mailer
with a ``committing`` call that must come just before the message's body goes out (the delivery
ledger records the outcome as unknown from then on, so a dropped connection never leads to a second
copy). The hook's ``send_email_smtp`` cannot honour that (it builds its own message, and retries a
whole send after a dropped connection), so this mailer reads the connection through the hook's public
properties (host, port, login, password, SSL, STARTTLS, timeout) and talks SMTP itself with
``briefing.publish.mail.transmit``; it never touches the hook's private client.

``dkim_key`` reads the DKIM signing key from the Airflow connection ``briefing_dkim`` (the password:
the PEM private key; the login: the selector; the host: the signing domain, default the sender's),
so the key can live in Airflow's secrets backend instead of a file (``BRIEFING_DKIM_KEY_FILE``).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    from briefing.publish.mail import DkimKey


class HookMailer:
    """A ``briefing.publish.mail.Mailer`` over the connection of an open ``SmtpHook``
    (``with SmtpHook(...) as hook``)."""

    def __init__(self, hook: SmtpHook) -> None:
        self.hook = hook

    def send(self, message: EmailMessage, committing: Callable[[], None]) -> None:
        from briefing.publish.mail import transmit

        hook = self.hook
        client: smtplib.SMTP
        if hook.use_ssl:
            client = smtplib.SMTP_SSL(
                hook.host, hook.port or 0, timeout=hook.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(hook.host, hook.port or 0, timeout=hook.timeout)
        try:
            if not hook.use_ssl and hook.smtp_starttls:
                client.starttls(context=ssl.create_default_context())
            if hook.smtp_user:
                client.login(hook.smtp_user, hook.smtp_password)
            transmit(client, message, committing)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


DKIM_CONN = "briefing_dkim"


def dkim_key(sender: str, conn_id: str = DKIM_CONN) -> DkimKey | None:
    """The ``briefing.publish.mail.DkimKey`` of the connection ``conn_id``, or None when it is not defined."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    from briefing.publish.mail import DkimKey, sender_domain

    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return None
    extra = conn.extra_dejson
    selector = conn.login or extra.get("selector") or ""
    domain = conn.host or extra.get("domain") or sender_domain(sender)
    return DkimKey.from_pem(
        conn.password or extra.get("private_key") or "", selector, domain, where=f"the connection {conn_id}"
    )
