"""Canonical URLs and the story ids derived from them.

Two links to the same article (http and https, tracking parameters, a trailing slash, ``www.``, mobile
and AMP variants, a fragment) give the same canonical URL, and so the same story id: refetching a story
never stores it twice.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["canonical_url", "story_id"]

_TRACKING_PREFIXES = ("utm_", "spm", "mc_", "pk_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
_TRACKING_KEYS = {
    "fbclid", "gclid", "from", "ref", "share", "share_token", "timestamp", "wfr", "isappinstalled", "scene", "amp",
    "outputtype",
}


def canonical_url(url: str) -> str:
    """The canonical form of ``url``."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile.", "amp.", "wap."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    for suffix in ("/amp", "/amp/", ".amp"):
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)]
    if path.endswith("/") and path != "/":
        path = path.rstrip("/")
    if not parts.query:
        return f"https://{host}{path}"  # what urlunsplit gives for an empty query: the common case, quicker
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def story_id(url: str) -> str:
    """The id of the story at ``url``: 16 hex digits of the SHA-256 of its canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]
