"""The fetch stage: sources read from the web into the store, politely, within bounds, safely.

The public face of the stage; its private modules, in the order a story passes through them:

- ``_concurrent``: ``fetch_sources``, many sources at once, hosts in parallel, each host bounded, every
  store call on the calling thread and each source's health recorded under the run id;
- ``_source``: ``fetch_source``, one source (its feed or listing, the article pages of teasers, the
  stories it has not seen before) within one time budget, its failures a value, never an exception;
  ``_archive``: the archive pages of a past week, for a backfill;
- ``_client``: ``Client``, the one HTTP client of briefing, with robots.txt (``_robots``), per-host pacing
  (``_politeness``), one request on the wire by ``_transport``, whose SSRF guard (``_guard``) is checked
  again on the very addresses it connects to (``_pinned``), retries and the wording of failures
  (``_failures``), and bodies read within the budget and decompressed with a cap (``_body``);
- ``_decode``: bytes to text (the declared charset, else detection), and how much of it is garbled;
- ``_extract``: feeds, listing pages and article pages read into entries (XML defused by ``_safexml``,
  dates read by ``_dates``).
"""

from __future__ import annotations

from ._archive import archive_pages
from ._client import PROJECT_URL, USER_AGENT, Client, Response
from ._concurrent import DEFAULT_WORKERS, fetch_sources
from ._dates import find_date, parse_date
from ._decode import Decoded, Garbled, declared_charset, decode, garbled, normalise_charset
from ._extract import (
    Article,
    Entry,
    Feed,
    Link,
    extract_article,
    find_article_links,
    find_listing_entries,
    looks_like_feed,
    parse_feed,
    read_feed,
)
from ._failures import retry_after
from ._guard import AllowPrivate, allowed_networks, first_refused
from ._politeness import HostGate
from ._robots import MAX_BYTES as ROBOTS_MAX_BYTES
from ._robots import PRODUCT_TOKEN, RobotsCache, RobotsTxt, Rule, Verdict, robots_url
from ._source import DEFAULT_BUDGET, TEASER_CHARS, StoryStore, fetch_source

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_WORKERS",
    "PRODUCT_TOKEN",
    "PROJECT_URL",
    "ROBOTS_MAX_BYTES",
    "TEASER_CHARS",
    "USER_AGENT",
    "AllowPrivate",
    "Article",
    "Client",
    "Decoded",
    "Entry",
    "Feed",
    "Garbled",
    "HostGate",
    "Link",
    "Response",
    "RobotsCache",
    "RobotsTxt",
    "Rule",
    "StoryStore",
    "Verdict",
    "allowed_networks",
    "archive_pages",
    "declared_charset",
    "decode",
    "extract_article",
    "fetch_source",
    "fetch_sources",
    "find_article_links",
    "find_date",
    "find_listing_entries",
    "first_refused",
    "garbled",
    "looks_like_feed",
    "normalise_charset",
    "parse_date",
    "parse_feed",
    "read_feed",
    "retry_after",
    "robots_url",
]
