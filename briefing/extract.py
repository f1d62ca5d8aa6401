"""Read feeds, listing pages and article pages into plain records.

``parse_feed`` reads RSS and Atom with feedparser from text the fetcher already decoded;
``find_article_links`` finds article links on an HTML listing page (CSS selector, else heuristics);
``extract_article`` pulls an article page's title, main text and date with trafilatura. Nothing here
touches the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from .errors import ParseError
from .text import html_to_text, squash

__all__ = ["Article", "Entry", "extract_article", "find_article_links", "parse_feed"]

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_DATE_RE = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|pubdate|publishdate|og:published_time)["'][^>]*content\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"""<time[^>]+datetime\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One item of a feed."""

    url: str
    title: str
    summary: str
    content: str
    published: datetime | None


@dataclass(frozen=True)
class Article:
    """The main content of an article page."""

    title: str
    text: str
    published: datetime | None


def parse_feed(text: str, base_url: str) -> list[Entry]:
    """Parse an RSS or Atom document; raise ParseError when it holds no feed at all."""
    import feedparser

    body = _XML_DECL_RE.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    parsed = feedparser.parse(body.encode("utf-8"), response_headers={"content-type": "application/xml; charset=utf-8"})
    if not parsed.entries:
        if parsed.get("version"):
            return []  # a well-formed feed with no items
        if not text.strip():
            raise ParseError(f"{base_url}: not an RSS or Atom feed (the body is empty)")
        reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom root element"
        raise ParseError(f"{base_url}: not an RSS or Atom feed ({reason})")
    entries: list[Entry] = []
    for e in parsed.entries:
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
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=timezone.utc) if when else None
        entries.append(Entry(url=urljoin(base_url, link), title=title, summary=summary, content=content, published=published))
    return entries


def find_article_links(html: str, base_url: str, selector: str | None = None) -> list[tuple[str, str]]:
    """``(url, link text)`` of the articles a listing page links to, in page order, without repeats.

    With a CSS ``selector`` the matching ``<a>`` elements (or the links inside matching elements) are
    taken; without one, links on the same host whose path looks like an article (two or more segments,
    or a file name with digits) and whose text is a headline (8+ characters).
    """
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as e:
        raise ParseError(f"{base_url}: cannot parse the listing page: {e}") from e
    if selector:
        try:
            found = doc.cssselect(selector)
        except Exception as e:  # cssselect raises its own SelectorError family
            raise ParseError(f"{base_url}: bad CSS selector {selector!r}: {e}") from e
        anchors = []
        for el in found:
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
    else:
        anchors = list(doc.iter("a"))
    host = urlsplit(base_url).hostname
    out: list[tuple[str, str]] = []
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
            if parts.hostname != host or len(text) < 8 or not (len(segments) >= 2 or any(c.isdigit() for c in parts.path)):
                continue
        if url not in seen and urlsplit(url).scheme in ("http", "https"):
            seen.add(url)
            out.append((url, text))
    return out


def extract_article(html: str, url: str, tz: str = "UTC") -> Article:
    """Title, main text and publication time of an article page."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True)
    if doc is None:
        raise ParseError(f"{url}: no article text found on the page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = squash(str(data.get("title") or "")).replace("\n", " ")
    text = squash(str(data.get("text") or ""))
    lines = text.split("\n")
    if lines and title and lines[0].strip() == title:  # trafilatura repeats the headline
        text = "\n".join(lines[1:]).strip()
    text = "\n\n".join(p for p in text.split("\n") if p.strip())
    return Article(title=title, text=text, published=_page_date(html, data.get("date"), tz))


def _page_date(html: str, fallback: object, tz: str) -> datetime | None:
    for pattern in (_META_DATE_RE, _TIME_RE):
        m = pattern.search(html)
        if m:
            parsed = _iso(m.group(1), tz)
            if parsed:
                return parsed
    return _iso(str(fallback), tz) if fallback else None


def _iso(value: str, tz: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(timezone.utc)
