"""The week's email, one message per subscriber: the published edition's email parts, its PDF attached,
the subscriber's own one-click unsubscribe link, signed with the deployment's DKIM key when it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING

from ..errors import BriefingError
from ..publish import Archive, file_names
from ..publish.mail import DkimKey, Subscriber, build_message, sender_domain
from ..records import SubscriberEntry
from ..render import render_email
from ..settings import Settings
from ._assembly import build_edition

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["composer", "dkim_key"]


def composer(p: Pipeline, week: Week, dkim: DkimKey | None = None) -> Callable[[Subscriber], EmailMessage]:
    """What makes each subscriber's message of the published ``week`` (``dkim``, else the settings' key).

    BriefingError when the week is not published yet: its PDF is read from the archive."""
    key = dkim or dkim_key(p.settings)
    html_name, pdf_name = file_names(str(week))
    archive = Archive(p.settings.archive)
    if not archive.exists(pdf_name):
        raise BriefingError(
            f"{week}: not published yet ({archive.locate(pdf_name)} is missing): publish before emailing"
        )
    pdf = archive.read(pdf_name)
    edition = build_edition(p, week)
    entries = {e.email.lower(): e for e in p.store.subscribers()}
    settings = p.settings
    web_edition = f"{settings.public_url.rstrip('/')}/{html_name}" if settings.public_url else ""

    def compose(sub: Subscriber) -> EmailMessage:
        one_click = _one_click(settings, entries.get(sub.email.lower()))
        subject, text, html = render_email(
            edition, sub.themes, unsubscribe=one_click or settings.unsubscribe, web_edition=web_edition
        )
        return build_message(
            subject=subject, sender=settings.sender, subscriber=sub, text=text, html=html, pdf=pdf,
            pdf_name=pdf_name, unsubscribe=settings.unsubscribe, one_click=one_click, dkim=key,
        )  # fmt: skip

    return compose


def _one_click(settings: Settings, entry: SubscriberEntry | None) -> str:
    """The subscriber's one-click unsubscribe link, or "" when the deployment has no endpoint or secret."""
    from ..publish.mail.unsubscribe import make_token, unsubscribe_link

    if entry is None or not settings.unsubscribe_url or not settings.unsubscribe_secret:
        return ""
    return unsubscribe_link(settings.unsubscribe_url, make_token(entry, settings.unsubscribe_secret))


def dkim_key(settings: Settings) -> DkimKey | None:
    """The DKIM key of the settings (``BRIEFING_DKIM_KEY_FILE``), or None when none is set."""
    if not settings.dkim_key_file:
        return None
    return DkimKey.from_file(
        settings.dkim_key_file, settings.dkim_selector, settings.dkim_domain or sender_domain(settings.sender)
    )
