"""The settings of a deployment, read from the environment (SPEC, "Settings of a deployment").

The CLI and the DAG read the same names: ``BRIEFING_SOURCES``, ``BRIEFING_DB_URL``,
``BRIEFING_ARCHIVE`` and ``BRIEFING_TIMEZONE``. Explicit arguments win over the environment, which wins
over the defaults (``config/sources.yaml``, a SQLite file ``briefing.sqlite`` and ``archive/`` in the
working directory). Email adds ``BRIEFING_SUBSCRIBERS`` (the subscribers file), ``BRIEFING_FROM`` (the
sender) and ``BRIEFING_UNSUBSCRIBE`` (a mailto: or https: URL for the List-Unsubscribe header), and the
SMTP password of ``briefing run --smtp`` in ``BRIEFING_SMTP_PASSWORD`` or a file named by
``BRIEFING_SMTP_PASSWORD_FILE`` (so that it is not on a command line, where ``ps`` shows it);
``BRIEFING_PUBLIC_URL`` is where the archive is served, for absolute links in its Atom feed.
``BRIEFING_MIN_EVENTS`` and ``BRIEFING_MIN_SOURCES`` are the least a week must hold to be rendered,
approved and published (default 3 events from 2 sources): below them the run stops with the reason.

Delivery (issue 18): ``BRIEFING_UNSUBSCRIBE_URL`` is the public HTTPS address of the one-click
unsubscribe endpoint (the archive app's ``/briefing/unsubscribe``, or ``briefing unsubscribe-server``'s
``/unsubscribe``), and ``BRIEFING_UNSUBSCRIBE_SECRET`` (or a file named by
``BRIEFING_UNSUBSCRIBE_SECRET_FILE``) the key that signs each subscriber's token: with both, every
email carries ``List-Unsubscribe: <https://...>, <mailto:...>`` and ``List-Unsubscribe-Post``.
``BRIEFING_DKIM_KEY_FILE`` (a PEM private key), ``BRIEFING_DKIM_SELECTOR`` and ``BRIEFING_DKIM_DOMAIN``
(default: the sender's domain) sign each message with DKIM (in the DAG the connection
``briefing_dkim`` may hold them instead). ``BRIEFING_BOUNCE_THRESHOLD`` (default 3) is how many weeks
in a row an address may be refused permanently before it is marked bouncing and no longer sent to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["Settings", "sqlite_url"]

ENV_NAMES = (
    "BRIEFING_SOURCES",
    "BRIEFING_DB_URL",
    "BRIEFING_ARCHIVE",
    "BRIEFING_TIMEZONE",
    "BRIEFING_SUBSCRIBERS",
    "BRIEFING_FROM",
    "BRIEFING_UNSUBSCRIBE",
    "BRIEFING_PUBLIC_URL",
    "BRIEFING_MIN_EVENTS",
    "BRIEFING_MIN_SOURCES",
    "BRIEFING_UNSUBSCRIBE_URL",
    "BRIEFING_DKIM_KEY_FILE",
    "BRIEFING_DKIM_SELECTOR",
    "BRIEFING_DKIM_DOMAIN",
    "BRIEFING_BOUNCE_THRESHOLD",
)  # and, for the command line only (the DAG sends through smtp_default): BRIEFING_SMTP_PASSWORD[_FILE]


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


@dataclass(frozen=True)
class Settings:
    sources: str
    db_url: str
    archive: str
    timezone: str | None  # None: the source config's timezone
    subscribers: str | None = None
    sender: str = "China Tech Briefing <briefing@localhost>"
    unsubscribe: str = "mailto:briefing@localhost?subject=unsubscribe"
    public_url: str = ""  # where the archive is published, for absolute links in the feed
    min_events: int = 3  # a week with fewer events is not published
    min_sources: int = 2  # nor one whose stories come from fewer sources
    smtp_password: str | None = field(default=None, repr=False)
    unsubscribe_url: str = ""  # the one-click endpoint, https://.../unsubscribe (each token is added as ?t=...)
    unsubscribe_secret: str | None = field(default=None, repr=False)  # signs the unsubscribe tokens
    dkim_key_file: str | None = None
    dkim_selector: str = ""
    dkim_domain: str = ""  # default: the sender's domain
    bounce_threshold: int = 3  # weeks in a row of permanent refusals that make an address bouncing

    @classmethod
    def load(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        sources: str | None = None,
        db_url: str | None = None,
        archive: str | None = None,
        timezone: str | None = None,
        subscribers: str | None = None,
        smtp_password_file: str | None = None,
    ) -> Settings:
        e = os.environ if env is None else env
        password_file = smtp_password_file or e.get("BRIEFING_SMTP_PASSWORD_FILE")
        return cls(
            sources=sources or e.get("BRIEFING_SOURCES") or "config/sources.yaml",
            db_url=db_url or e.get("BRIEFING_DB_URL") or sqlite_url("briefing.sqlite"),
            archive=archive or e.get("BRIEFING_ARCHIVE") or "archive",
            timezone=timezone or e.get("BRIEFING_TIMEZONE") or None,
            subscribers=subscribers or e.get("BRIEFING_SUBSCRIBERS") or None,
            sender=e.get("BRIEFING_FROM") or cls.sender,
            unsubscribe=e.get("BRIEFING_UNSUBSCRIBE") or cls.unsubscribe,
            public_url=e.get("BRIEFING_PUBLIC_URL") or "",
            min_events=_count(e, "BRIEFING_MIN_EVENTS", cls.min_events),
            min_sources=_count(e, "BRIEFING_MIN_SOURCES", cls.min_sources),
            smtp_password=_read_secret(password_file) if password_file else e.get("BRIEFING_SMTP_PASSWORD") or None,
            unsubscribe_url=(e.get("BRIEFING_UNSUBSCRIBE_URL") or "").strip(),
            unsubscribe_secret=_unsubscribe_secret(e),
            dkim_key_file=e.get("BRIEFING_DKIM_KEY_FILE") or None,
            dkim_selector=(e.get("BRIEFING_DKIM_SELECTOR") or "").strip(),
            dkim_domain=(e.get("BRIEFING_DKIM_DOMAIN") or "").strip(),
            bounce_threshold=max(1, _count(e, "BRIEFING_BOUNCE_THRESHOLD", cls.bounce_threshold)),
        )


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or ""
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name}={raw!r}: not a whole number of 0 or more")
    return value


def _read_secret(path: str, what: str = "SMTP password") -> str:
    """The secret in the file at ``path``: its first line, without the line break."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            f"{path}: cannot read the {what} file: {getattr(e, 'strerror', None) or type(e).__name__}"
        ) from None
    secret = text.split("\n", 1)[0].rstrip("\r")
    if not secret:
        raise ConfigError(f"{path}: the {what} file is empty")
    return secret


def _unsubscribe_secret(env: Mapping[str, str]) -> str | None:
    """The key of the unsubscribe tokens: ``BRIEFING_UNSUBSCRIBE_SECRET_FILE``'s first line, else
    ``BRIEFING_UNSUBSCRIBE_SECRET``."""
    path = env.get("BRIEFING_UNSUBSCRIBE_SECRET_FILE")
    return _read_secret(path, "unsubscribe secret") if path else env.get("BRIEFING_UNSUBSCRIBE_SECRET") or None
