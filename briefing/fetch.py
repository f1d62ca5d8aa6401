"""Fetch sources into the store.

``fetch_source`` fetches one source (a feed, or an HTML listing of article links), fetches article pages
where the feed carries only teasers, stores every story it has not seen before and returns a
``SourceResult``: a source that fails is a value with its error, never an exception, so one bad source
never stops the others. ``fetch_sources`` does that for several sources and records each one's health.
All HTTP goes through ``briefing.http.Client``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from .decode import decode
from .errors import BriefingError, FetchError
from .extract import Entry, extract_article, find_article_links, parse_feed
from .http import Client
from .records import Source, SourceResult, Story
from .store import Store
from .text import content_hash
from .urls import canonical_url, story_id

__all__ = ["TEASER_CHARS", "fetch_source", "fetch_sources"]

log = logging.getLogger(__name__)

#: A feed item whose text is shorter than this is a teaser: the article page is fetched for the text.
TEASER_CHARS = 400
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def fetch_source(source: Source, *, client: Client, store: Store, tz: str, clock: Clock = _utcnow) -> SourceResult:
    """Fetch ``source`` into ``store``; never raises for the source's own failures."""
    started = time.perf_counter()
    try:
        stories, skipped = _collect(source, client=client, store=store, tz=tz, clock=clock)
        rows = [(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories]
        new = store.add_stories(rows)
    except BriefingError as e:
        status = e.status if isinstance(e, FetchError) else None
        log.warning("%s: failed: %s", source.id, e)
        return SourceResult(source=source.id, status="error", error=str(e), http_status=status, seconds=round(time.perf_counter() - started, 3))
    result = SourceResult(
        source=source.id,
        status="ok",
        stories=len(stories) + skipped,
        new=len(new),
        skipped=skipped,
        http_status=200,
        seconds=round(time.perf_counter() - started, 3),
    )
    log.info("%s: %d stories seen, %d new, %d already stored (%.2fs)", source.id, result.stories, result.new, skipped, result.seconds)
    return result


def fetch_sources(
    sources: Iterable[Source],
    *,
    client: Client,
    store: Store,
    tz: str,
    run_id: str,
    clock: Clock = _utcnow,
    progress: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Fetch each source in turn, record its health under ``run_id`` and return the results."""
    results = []
    for source in sources:
        result = fetch_source(source, client=client, store=store, tz=tz, clock=clock)
        store.record_fetch(run_id, result, clock())
        results.append(result)
        if progress:
            progress(result)
    return results


def _collect(source: Source, *, client: Client, store: Store, tz: str, clock: Clock) -> tuple[list[Story], int]:
    """The stories of ``source`` that are not stored yet, and how many stored ones were skipped."""
    response = client.get(source.url, allow_private=source.allow_private)
    text, _ = decode(response.content, response.content_type)
    if source.kind == "feed":
        entries = parse_feed(text, response.url)
    else:
        selector = source.selectors.link if source.selectors else None
        entries = [Entry(url=u, title=t, summary="", content="", published=None) for u, t in find_article_links(text, response.url, selector)]
    known = store.existing_ids([story_id(e.url) for e in entries])
    stories: list[Story] = []
    skipped = 0
    seen: set[str] = set()
    for entry in entries:
        sid = story_id(entry.url)
        if sid in known or sid in seen:
            skipped += 1
            continue
        seen.add(sid)
        stories.append(_story(source, entry, client=client, tz=tz, now=clock()))
    return stories, skipped


def _story(source: Source, entry: Entry, *, client: Client, tz: str, now: datetime) -> Story:
    title, text, published = entry.title, entry.content, entry.published
    needs_page = source.kind == "html" or source.fetch_articles or len(text or entry.summary) < TEASER_CHARS
    if needs_page:
        try:
            page = client.get(entry.url, allow_private=source.allow_private)
            html, _ = decode(page.content, page.content_type)
            article = extract_article(html, page.url, tz)
            text = article.text if len(article.text) > len(text) else text
            title = title or article.title
            published = published or article.published
        except BriefingError as e:
            # the feed's own text still makes a story; the article is tried again on a later run only
            # if the story was not stored, so say so plainly
            log.warning("%s: article %s not read, keeping the feed's text: %s", source.id, entry.url, e)
    return Story(
        id=story_id(entry.url),
        source=source.id,
        url=entry.url,
        title=title,
        summary=entry.summary,
        text=text,
        lang=source.lang,
        published=published,
        fetched=now,
        date_estimated=published is None,
    )
