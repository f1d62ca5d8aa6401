"""Read feeds, listing pages and article pages into plain records.

``read_feed`` reads RSS and Atom with feedparser from text the fetcher already decoded, after
``_safexml`` has removed any DOCTYPE (no entity expansion beyond a small bound, no external
entities, whatever the expat version); a malformed feed yields the items that can be recovered, with a
``problem`` that says so. ``parse_feed`` is the same, entries only. ``find_listing_entries`` and
``find_article_links`` find article links on an HTML listing page (CSS selector, else heuristics), with
the dates printed beside them; ``extract_article`` pulls an article page's title, main text and date
with trafilatura. Dates are read by ``_dates`` in the source's timezone. Nothing here touches
the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from cssselect import SelectorError

from ..errors import ParseError
from ..records import Selectors
from ..text import HAN_RE, html_to_text, squash
from ._dates import find_date, parse_date, plausible
from ._safexml import HostileXML, defuse

__all__ = [
    "Article",
    "Entry",
    "Feed",
    "Link",
    "extract_article",
    "find_article_links",
    "find_listing_entries",
    "looks_like_feed",
    "parse_feed",
    "read_feed",
]

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_DATE_RE = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["']"""
    r"""(?:article:published_time|datePublished|pubdate|publishdate|og:published_time)["']"""
    r"""[^>]*content\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"""<time[^>]+datetime\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_HTML_START_RE = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE | re.DOTALL)
_FEED_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_ALTERNATE_RE = re.compile(r"""<link\b[^>]*type\s*=\s*["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE)
_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One item of a feed."""

    url: str
    title: str
    summary: str
    content: str
    published: datetime | None
    #: the date the feed printed when it was unreadable or implausible (1970, 2099): the fetch time stands in
    rejected_date: str | None = None


@dataclass(frozen=True)
class Article:
    """The main content of an article page."""

    title: str
    text: str
    published: datetime | None


@dataclass(frozen=True)
class Feed:
    """The entries of a feed, and what was wrong with it when it was malformed but partly readable."""

    entries: list[Entry]
    problem: str | None = None


def parse_feed(text: str, base_url: str, tz: str = "UTC", now: datetime | None = None) -> list[Entry]:
    """Parse an RSS or Atom document; raise ParseError when it holds no feed at all."""
    return read_feed(text, base_url, tz, now).entries


def looks_like_feed(text: str) -> bool:
    """Whether ``text`` starts like an RSS, RDF or Atom document (for archive pages of either kind)."""
    return bool(_FEED_START_RE.match(text[:4096]))


def read_feed(text: str, base_url: str, tz: str = "UTC", now: datetime | None = None) -> Feed:
    """Parse an RSS or Atom document into entries; ParseError when it holds no feed or is hostile.

    Times without an offset are read in ``tz``; relative ones ("3小时前") against ``now``.
    """
    import xml.sax

    import feedparser

    if not text.strip():
        raise ParseError(f"{base_url}: not an RSS or Atom feed (the body is empty)")
    if _HTML_START_RE.match(text[:4096]):
        raise ParseError(f"{base_url}: not an RSS or Atom feed: got an HTML page{_feed_hint(text, base_url)}")
    try:
        safe = defuse(text).text
    except HostileXML as e:
        raise ParseError(f"{base_url}: refused: {e}") from e
    body = _XML_DECL_RE.sub('<?xml version="1.0" encoding="utf-8"?>', safe, count=1)
    parsed = feedparser.parse(body.encode("utf-8"), response_headers={"content-type": "application/xml; charset=utf-8"})
    broken = getattr(parsed, "bozo_exception", None)
    if not parsed.entries:
        if parsed.get("version") and not isinstance(broken, xml.sax.SAXException):
            return Feed([])  # a well-formed feed with no items
        reason = broken or "no RSS or Atom root element"
        raise ParseError(f"{base_url}: not an RSS or Atom feed ({reason})")
    entries = _entries(parsed.entries, base_url, tz, now)
    problem = None
    if isinstance(broken, xml.sax.SAXException):
        problem = f"malformed feed ({broken}); recovered {len(entries)} item{'s' if len(entries) != 1 else ''}"
    return Feed(entries, problem)


def _feed_hint(html: str, base_url: str) -> str:
    m = _ALTERNATE_RE.search(html[:65536])
    href = _HREF_RE.search(m.group(0)) if m else None
    return f" (the page names a feed: {urljoin(base_url, href.group(1))})" if href else ""


def _entries(items: list[Any], base_url: str, tz: str, now: datetime | None) -> list[Entry]:
    entries: list[Entry] = []
    for e in items:
        link = e.get("link") or ""
        title = html_to_text(e.get("title", "")).replace("\n", " ").strip()
        if not link or not title:
            continue
        content = ""
        if e.get("content"):
            content = html_to_text(max((c.get("value", "") for c in e.content), key=len))
        summary = html_to_text(e.get("summary", ""))
        if summary == content:
            summary = ""
        updated = dict.get(
            e, "updated"
        )  # not e.get: feedparser maps a missing "updated" to "published", with a warning
        published = parse_date(e.get("published"), tz, now) or parse_date(updated, tz, now)
        if published is None:
            when = e.get("published_parsed") or dict.get(e, "updated_parsed")
            try:
                published = (
                    plausible(datetime(when[0], when[1], when[2], when[3], when[4], when[5], tzinfo=UTC), now)
                    if when
                    else None
                )
            except (ValueError, OverflowError):
                published = None
        printed = str(e.get("published") or updated or "")
        rejected = printed[:80] if published is None and printed.strip() else None
        entries.append(
            Entry(
                url=urljoin(base_url, link),
                title=title,
                summary=summary,
                content=content,
                published=published,
                rejected_date=rejected,
            )
        )
    return entries


@dataclass(frozen=True)
class Link:
    """A link to an article on a listing page: where it goes, and its text."""

    url: str
    text: str


def find_article_links(html: str, base_url: str, selector: str | None = None) -> list[Link]:
    """The links to the articles a listing page links to, in page order, without repeats.

    With a CSS ``selector`` the matching ``<a>`` elements (or the links inside matching elements) are
    taken; without one, links on the same host whose path looks like an article (two or more segments,
    or a file name with digits) and whose text is a headline (8+ characters, or 5+ Chinese ones).
    """
    selectors = Selectors(link=selector) if selector else None
    return [Link(e.url, e.title) for e in find_listing_entries(html, base_url, selectors)]


def find_listing_entries(
    html: str, base_url: str, selectors: Selectors | None = None, tz: str = "UTC", now: datetime | None = None
) -> list[Entry]:
    """The articles a listing page links to, as entries with the title and the date printed beside each.

    Links are found as ``find_article_links`` says. A link's title is its text, or the text of
    ``selectors.title`` inside the link's item; its date is the text (or ``datetime`` attribute) of
    ``selectors.date`` inside the item, else a date printed in the item's text (``2026-11-20``,
    ``11月20日``, ``3小时前``), else none. The item is the nearest ancestor that holds no other link.
    """
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as e:
        raise ParseError(f"{base_url}: cannot parse the listing page: {e}") from e
    selector = selectors.link if selectors else None
    if selector:
        try:
            found = doc.cssselect(selector)
        except Exception as e:  # cssselect raises its own SelectorError family
            raise ParseError(f"{base_url}: bad CSS selector {selector!r}: {e}") from e
        anchors: list[Any] = []
        for el in found:
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
    else:
        anchors = list(doc.iter("a"))
    host = urlsplit(base_url).hostname
    out: list[Entry] = []
    seen: set[str] = set()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        text = squash(a.text_content()).replace("\n", " ")
        if not selector:
            parts = urlsplit(url)
            segments = [s for s in parts.path.split("/") if s]
            if (
                parts.hostname != host
                or not _headline(text)
                or not (len(segments) >= 2 or any(c.isdigit() for c in parts.path))
            ):
                continue
        if url in seen or urlsplit(url).scheme not in ("http", "https"):
            continue
        seen.add(url)
        item = _item_of(a)
        title = text
        if selectors and selectors.title and item is not None:
            title = _first_text(item, selectors.title) or text
        published = _listing_date(a, item, selectors.date if selectors else None, tz, now)
        out.append(Entry(url=url, title=title, summary="", content="", published=published))
    return out


def _headline(text: str) -> bool:
    """Long enough to be a headline rather than a menu item: 8+ characters, or 5+ Chinese ones."""
    return len(text) >= 8 or len(HAN_RE.findall(text)) >= 5


def _item_of(a: Any) -> Any:
    """The nearest ancestor of link ``a`` (up to four levels) that holds no other link: its list item."""
    item = None
    el = a.getparent()
    for _ in range(4):
        if el is None or el.tag in ("body", "html"):
            break
        if sum(1 for link in el.iter("a") if link.get("href")) > 1:
            break
        item = el
        el = el.getparent()
    return item


def _first_text(item: Any, selector: str) -> str:
    try:
        found = item.cssselect(selector)
    except (SelectorError, ValueError):
        return ""
    return squash(found[0].text_content()).replace("\n", " ") if found else ""


def _listing_date(a: Any, item: Any, selector: str | None, tz: str, now: datetime | None) -> datetime | None:
    if item is None:
        return None
    if selector:
        try:
            found = item.cssselect(selector)
        except (SelectorError, ValueError):
            found = []
        for el in found[:1]:
            return parse_date(el.get("datetime"), tz, now) or find_date(el.text_content(), tz, now)
    stamp = next((el.get("datetime") for el in item.iter("time") if el.get("datetime")), None)
    if stamp:
        return parse_date(stamp, tz, now)
    own = a.text_content()
    return find_date(item.text_content().replace(own, " ", 1), tz, now)


def extract_article(html: str, url: str, tz: str = "UTC", now: datetime | None = None) -> Article:
    """Title, main text and publication time of an article page."""
    import trafilatura

    def run(precision: bool) -> dict[str, Any] | None:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=precision,
            favor_recall=not precision,
        )
        if doc is None:
            return None
        return dict(doc.as_dict() if hasattr(doc, "as_dict") else doc)

    data = run(precision=True)
    if data is None or not str(data.get("text") or "").strip():
        data = run(precision=False)  # precision found nothing: a short page or an odd layout
    if data is None:
        raise ParseError(f"{url}: no article text found on the page")
    title = squash(str(data.get("title") or "")).replace("\n", " ")
    text = squash(str(data.get("text") or ""))
    lines = text.split("\n")
    if lines and title and lines[0].strip() == title:  # trafilatura repeats the headline
        text = "\n".join(lines[1:]).strip()
    text = "\n\n".join(p for p in text.split("\n") if p.strip())
    return Article(title=title, text=text, published=_page_date(html, data.get("date"), tz, now))


def _page_date(html: str, fallback: object, tz: str, now: datetime | None = None) -> datetime | None:
    """The page's publication time: a meta tag or ``<time>``, else a date with a time printed near the
    top of the page that agrees with trafilatura's date, else trafilatura's date (a day, no time)."""
    for pattern in (_META_DATE_RE, _TIME_RE):
        m = pattern.search(html)
        if m:
            parsed = parse_date(m.group(1), tz, now)
            if parsed:
                return parsed
    day = parse_date(str(fallback), tz, now) if fallback else None
    printed = find_date(_visible_head(html), tz, now)
    if printed is not None and (day is None or _same_local_day(printed, day, tz)):
        return printed
    return day


def _visible_head(html: str) -> str:
    """The first few thousand characters of the page's visible text, where bylines live."""
    body = re.search(r"(?is)<body\b.*", html)
    return html_to_text((body.group(0) if body else html)[:60000])[:3000]


def _same_local_day(a: datetime, b: datetime, tz: str) -> bool:
    zone = ZoneInfo(tz)
    return a.astimezone(zone).date() == b.astimezone(zone).date()
