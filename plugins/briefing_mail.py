"""The DAG's mailer: briefing's messages sent through the SMTP provider's public ``send_email_smtp``.

``briefing.deliver`` composes each subscriber's message (the HTML edition, the PDF attached, the
``List-Unsubscribe`` header, a ``Message-ID`` the delivery ledger records) and hands it to a mailer.
In Airflow the mailer is this: the hook of the connection ``smtp_default`` (host, port, login, TLS,
retries) sends it with the hook's public interface, never its private client, so a provider upgrade
cannot break it unnoticed. The hook builds its own MIME message from the HTML and the attachments, so
the plain-text alternative of the message is not sent from Airflow.
"""

from __future__ import annotations

import tempfile
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

#: the headers of briefing's message that the hook's own message carries over
KEPT_HEADERS = ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")


class HookMailer:
    """A ``briefing.deliver.Mailer`` over an open ``SmtpHook`` (``with SmtpHook(...) as hook``)."""

    def __init__(self, hook: Any) -> None:
        self.hook = hook

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("html",))
        if body is None:
            raise ValueError(f"the message to {message['To']} has no HTML part")
        headers = {name: str(message[name]) for name in KEPT_HEADERS if message[name]}
        with tempfile.TemporaryDirectory(prefix="briefing-mail-") as tmp:
            files = []
            for n, part in enumerate(message.iter_attachments()):
                path = Path(tmp) / Path(part.get_filename() or f"attachment-{n}").name
                path.write_bytes(part.get_payload(decode=True) or b"")
                files.append(str(path))
            self.hook.send_email_smtp(
                to=parseaddr(str(message["To"]))[1],
                from_email=str(message["From"]),
                subject=str(message["Subject"]),
                html_content=str(body.get_content()),
                files=files,
                custom_headers=headers,
            )
