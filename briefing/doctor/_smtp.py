"""Email: the SMTP server greeted and left (no mail is sent), and what a mail provider wants of a bulk
sender (``check_delivery``)."""

from __future__ import annotations

import json
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import BriefingError, ConfigError
from ..settings import Settings
from ._check import Check, fail, ok, skip

SMTP_CONN = "smtp_default"
DKIM_CONN = "briefing_dkim"  # the DKIM key in Airflow (plugins/briefing_mail.py)

SMTP_CONN_FIX = (
    "airflow connections add smtp_default --conn-type smtp --conn-host HOST --conn-port PORT "
    '[--conn-login USER --conn-password PASSWORD] --conn-extra \'{"from_email": "briefing@example.org"}\''
)


@dataclass(frozen=True)
class SmtpTarget:
    """An SMTP server to greet: from an ``smtp://[user:pass@]host:port`` URL or Airflow's ``smtp_default``."""

    host: str
    port: int
    tls: bool = False  # TLS from the first byte (smtps, port 465)
    starttls: bool | None = None  # True: always, False: never, None: when the server offers it
    user: str = ""
    password: str = field(default="", repr=False)
    origin: str = "--smtp"

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(f"SMTP URL {url.split('@')[-1]!r} must look like smtp://[user:pass@]host:port")
        try:
            port = parts.port
        except ValueError as e:
            raise ConfigError(f"SMTP URL {url.split('@')[-1]!r}: {e}") from e
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=port or (465 if tls else 25),
            tls=tls,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
        )

    @classmethod
    def from_airflow_uri(cls, uri: str) -> SmtpTarget:
        """The connection as ``airflow connections get -o json`` gives its URI, read as the SMTP hook does:
        TLS unless the extra says ``disable_ssl``, then STARTTLS unless it says ``disable_tls``."""
        parts = urlsplit(uri)
        extra: dict[str, object] = {}
        raw = parse_qs(parts.query).get("__extra__")
        if raw:
            loaded = json.loads(raw[0])
            extra = loaded if isinstance(loaded, dict) else {}
        else:
            extra = {k: v[0] for k, v in parse_qs(parts.query).items()}
        tls = not _true(extra.get("disable_ssl", False))
        if not parts.hostname:
            raise ConfigError(f"the connection {SMTP_CONN} has no host")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 587),
            tls=tls,
            starttls=None if tls else not _true(extra.get("disable_tls", False)),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            origin=f"the connection {SMTP_CONN}",
        )

    def __str__(self) -> str:
        return f"{'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}"


def _true(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def probe_smtp(target: SmtpTarget, timeout: float = 10.0) -> str:
    """Greet the server, STARTTLS and log in as configured, then leave: no mail is sent.

    Returns what was done; ConfigError says what failed."""
    done = []
    try:
        if target.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                target.host, target.port, timeout=timeout, context=ssl.create_default_context()
            )
            done.append("TLS")
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        try:
            client.ehlo()
            if target.starttls or (target.starttls is None and client.has_extn("starttls")):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
                done.append("STARTTLS")
            if target.user:
                client.login(target.user, target.password)
                done.append(f"logged in as {target.user}")
            code, _ = client.noop()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"NOOP refused")
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
    except (OSError, smtplib.SMTPException) as e:
        raise ConfigError(f"{target}: {type(e).__name__}: {e}") from e
    return ", ".join(["answers", *done])


#: the shortest unsubscribe secret accepted (bytes of text; 32 random bytes, base64, is what
#: ``openssl rand -base64 32`` gives)
MIN_SECRET = 16


def check_delivery(settings: Settings, needed: bool, dkim_connection: bool = False) -> Check:
    """What a mail provider looks for in a bulk sender (issue 18): a sender on a real domain, one-click
    unsubscribe (RFC 8058), a DKIM signature, a link to the web edition. ``warn`` names each one missing;
    ``fail`` is a piece that is set but cannot work (a key that does not read, an http:// endpoint)."""
    from ..publish.mail import DkimKey, sender_domain

    if not needed:
        return skip("delivery", "no subscribers: no email is sent")
    domain = sender_domain(settings.sender)
    broken, missing, fine = [], [], []
    if "." not in domain or domain.endswith((".localhost", ".local", ".invalid", ".test")):
        missing.append(
            f"the sender {settings.sender!r} is on no real domain, so Message-ID and List-Id are not either: set "
            "BRIEFING_FROM to an address on your domain"
        )
    else:
        fine.append(f"from {domain}")
    url, secret = settings.unsubscribe_url, settings.unsubscribe_secret
    if url and not url.lower().startswith("https://"):
        broken.append(
            f"BRIEFING_UNSUBSCRIBE_URL={url!r} is not https://: providers accept only an HTTPS one-click link (RFC "
            "8058)"
        )
    elif secret and len(secret) < MIN_SECRET:
        broken.append(
            f"the unsubscribe secret is {len(secret)} characters long: use at least {MIN_SECRET} random ones (openssl "
            "rand -base64 32)"
        )
    elif not (url and secret):
        missing.append(
            "no one-click unsubscribe: set BRIEFING_UNSUBSCRIBE_URL (https://<airflow>/briefing/unsubscribe, or "
            "briefing unsubscribe-server behind HTTPS) and BRIEFING_UNSUBSCRIBE_SECRET or ..._SECRET_FILE"
        )
    else:
        fine.append("one-click unsubscribe")
    if settings.dkim_key_file:
        try:
            key = DkimKey.from_file(settings.dkim_key_file, settings.dkim_selector, settings.dkim_domain or domain)
        except BriefingError as e:
            broken.append(str(e))
        else:
            fine.append(f"DKIM {key.selector}._domainkey.{key.domain}")
            if key.domain != domain and not domain.endswith("." + key.domain):
                missing.append(f"the DKIM domain {key.domain} is not the sender's ({domain}): DMARC wants them aligned")
    elif dkim_connection:
        fine.append(f"DKIM from the connection {DKIM_CONN}")
    else:
        missing.append(
            "unsigned: set BRIEFING_DKIM_KEY_FILE and BRIEFING_DKIM_SELECTOR (in Airflow the connection "
            "briefing_dkim may hold the key), and publish the public key in DNS at <selector>._domainkey.<domain>"
        )
    if not settings.public_url:
        missing.append("no link to the web edition: set BRIEFING_PUBLIC_URL to where the archive is served")
    if broken:
        return fail("delivery", "; ".join(broken), "fix the setting named; see docs/email.md")
    if missing:
        return Check("delivery", "warn", "; ".join(missing), "see docs/email.md")
    return ok("delivery", ", ".join(fine) + ", web edition linked")


def check_smtp(target: SmtpTarget | None, needed: bool, probe: Callable[[SmtpTarget], str] = probe_smtp) -> Check:
    if target is None:
        if needed:
            return fail(
                "smtp",
                f"subscribers or alerts are set, but there is no SMTP server (--smtp, or the connection {SMTP_CONN} "
                "in Airflow)",
                f"give --smtp smtp://host:port; in Airflow: {SMTP_CONN_FIX}",
            )
        return skip("smtp", "no SMTP server and no subscribers: no email is sent")
    try:
        done = probe(target)
    except BriefingError as e:
        return fail(
            "smtp",
            f"{target.origin}: {e}",
            f"check the host, port, TLS and login of {target.origin}, and that this machine may reach the server",
        )
    return ok("smtp", f"{target} ({target.origin}): {done}; no mail sent")
