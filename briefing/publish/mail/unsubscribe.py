"""One-click unsubscribe (RFC 8058): each subscriber's signed token, and what presenting one does.

Every email carries a link ``BRIEFING_UNSUBSCRIBE_URL?t=<token>`` in its ``List-Unsubscribe`` header and
its footer. The token is ``<token id>.<mac>``: the token id is a random key the store gave the
subscriber's row (``records.SubscriberEntry.token_id``), and the MAC is an HMAC-SHA256, under the
deployment's secret (``BRIEFING_UNSUBSCRIBE_SECRET``), of that id and the subscriber's address. So:

- nobody without the secret can make a token (``refused``: a MAC that does not match is never acted on);
- a token names one row and is bound to its address: it cannot be reused for another address, and a
  subscriber removed and added again gets a new id, so tokens of the old emails are ``unknown``;
- an ``unknown`` token (no such row) changes nothing, and says so without telling whether an address
  is on the list;
- presenting a good token again is harmless (``already``).

A mail provider's one-click POST (body ``List-Unsubscribe=One-Click``) unsubscribes at once; a GET of
the link only shows a page that asks to confirm, with a button that makes the same POST, since mail
scanners fetch links in messages. ``check`` reads; ``unsubscribe`` writes; ``page`` is the HTML answer
both servers give (the Airflow plugin's ``/briefing/unsubscribe`` and ``briefing unsubscribe-server``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, NamedTuple
from urllib.parse import parse_qs, quote

from ...errors import ConfigError
from ...records import SubscriberEntry
from ...store import Store

__all__ = [
    "MAX_BODY",
    "ONE_CLICK_BODY",
    "Checked",
    "Outcome",
    "Result",
    "check",
    "is_one_click",
    "make_token",
    "new_token_id",
    "page",
    "unsubscribe",
    "unsubscribe_link",
]

#: what RFC 8058 says a one-click POST's body holds
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"
#: the most of a POST's body an endpoint reads: a one-click body is 26 bytes; a POST may send a little more,
#: never much
MAX_BODY = 4096
_TOKEN = re.compile(r"([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})")
_PURPOSE = "briefing-unsubscribe:1"

Outcome = Literal["valid", "unsubscribed", "already", "unknown", "refused"]


def new_token_id() -> str:
    """A fresh random key for a subscriber's row (128 bits)."""
    return secrets.token_urlsafe(16)


def _mac(secret: str, token_id: str, email: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8"), f"{_PURPOSE}:{token_id}:{email.strip().lower()}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_token(entry: SubscriberEntry, secret: str) -> str:
    """The subscriber's unsubscribe token; ConfigError without a secret or a token id."""
    if not secret:
        raise ConfigError("no unsubscribe secret: set BRIEFING_UNSUBSCRIBE_SECRET or BRIEFING_UNSUBSCRIBE_SECRET_FILE")
    if not entry.token_id:
        raise ConfigError(f"{entry.email} has no token id: add it to the store first (briefing subscribers add)")
    return f"{entry.token_id}.{_mac(secret, entry.token_id, entry.email)}"


def unsubscribe_link(base: str, token: str) -> str:
    """``base`` (the endpoint, ``https://.../unsubscribe``) with the token as its ``t`` parameter."""
    return f"{base}{'&' if '?' in base else '?'}t={quote(token, safe='')}"


def is_one_click(body: bytes) -> bool:
    """Whether a POST's form body holds ``List-Unsubscribe=One-Click`` (RFC 8058)."""
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return False
    return "One-Click" in form.get("List-Unsubscribe", [])


@dataclass(frozen=True)
class Result:
    """What a token is, or what presenting it did; ``address`` only for a token that proved itself."""

    outcome: Outcome
    address: str = ""

    @property
    def http_status(self) -> int:
        return {"refused": 403, "unknown": 404}.get(self.outcome, 200)


class Checked(NamedTuple):
    """What a token is, and the subscriber's row when the token proved itself."""

    result: Result
    entry: SubscriberEntry | None


def check(store: Store, token: str, secret: str | None) -> Checked:
    """What ``token`` is, changing nothing: ``valid`` (or ``already`` unsubscribed), ``unknown`` or ``refused``."""
    m = _TOKEN.fullmatch(token.strip())
    if not secret or m is None:
        return Checked(Result("refused"), None)
    entry = store.subscriber_by_token(m.group(1))
    if entry is None:
        return Checked(Result("unknown"), None)
    if not hmac.compare_digest(m.group(2), _mac(secret, entry.token_id, entry.email)):
        return Checked(Result("refused"), None)
    return Checked(Result("already" if entry.status == "unsubscribed" else "valid", entry.email), entry)


def unsubscribe(
    store: Store,
    token: str,
    secret: str | None,
    *,
    how: str = "one-click unsubscribe",
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Result:
    """Unsubscribe the token's subscriber (active or bouncing), recording ``how``; a bad token changes nothing."""
    result, entry = check(store, token, secret)
    if entry is None or result.outcome != "valid":
        return result
    changed = store.set_subscriber_status(
        entry.email, "unsubscribed", why=how, when=clock(), only_from=("active", "bouncing")
    )
    return Result("unsubscribed" if changed else "already", entry.email)


def _masked(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"  # the first letter only, not even the length


_STYLE = (
    "body{font-family:'Helvetica Neue',Arial,'Noto Sans CJK SC',sans-serif;color:#1b1f24;background:#fbfaf7;"
    "max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5}"
    "header{border-top:6px solid #b3261e;padding-top:1rem}"
    ".kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.75rem;color:#b3261e;font-weight:700;margin:0}"
    "h1{font-size:1.5rem;margin:.3rem 0 1rem}"
    "button{font:700 1rem Arial,sans-serif;background:#b3261e;color:#fff;border:0;"
    "padding:.6rem 1.2rem;border-radius:4px;cursor:pointer}"
)


def page(result: Result, token: str = "") -> str:
    """The HTML answer to a GET (``valid``: a page that asks to confirm) or a POST of the link."""
    who = html.escape(_masked(result.address)) if result.address else ""
    if result.outcome == "valid":
        title = "Unsubscribe from the briefing?"
        body = (
            f"<p>Stop sending the weekly China Tech Briefing to <strong>{who}</strong>?</p>"
            f"<form method='post' action='?t={html.escape(quote(token, safe=''), quote=True)}'>"
            "<input type='hidden' name='List-Unsubscribe' value='One-Click'>"
            "<button type='submit'>Unsubscribe</button></form>"
            "<p style='color:#5b6470;font-size:.9rem'>Nothing changes until you press the button.</p>"
        )
    elif result.outcome == "unsubscribed":
        title, body = (
            "You are unsubscribed",
            f"<p><strong>{who}</strong> will get no more briefings. Sorry to see you go.</p>",
        )
    elif result.outcome == "already":
        title, body = "Already unsubscribed", f"<p><strong>{who}</strong> gets no briefings; nothing changed.</p>"
    elif result.outcome == "unknown":
        title, body = (
            "Link not recognised",
            "<p>This unsubscribe link belongs to no subscription (it may be from an old email). Nothing changed.</p>",
        )
    else:
        title, body = (
            "Link not valid",
            "<p>This unsubscribe link is damaged or was not made by this briefing. Nothing changed.</p>",
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<meta name='robots' content='noindex'><title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><header><p class='kicker'>China Tech Briefing</p><h1>{html.escape(title)}</h1></header>"
        f"{body}</body></html>"
    )
