"""Fetch one source into the store.

``fetch_source`` fetches one source (a feed, or an HTML listing of article links), fetches article pages
where the feed carries only teasers, stores every story it has not seen before and returns a
``SourceResult``: a source that fails is a value with its error, never an exception, so one bad source
never stops the others. Within a source:

- the feed or listing is fetched with a conditional GET (the ETag and Last-Modified the store kept for
  its URL); a 304 costs no parsing and adds nothing, and new validators are saved only once the
  source's stories are stored;
- everything the source does shares one time budget; when it runs out, the stories not yet read are
  left for the next run (and the validators are not saved, so that run sees them again);
- item links that the SSRF guard refuses are dropped; a text that is mostly U+FFFD is an error; a
  malformed feed yields what can be recovered; control characters are stripped from every stored text
  (``text.strip_controls``); a date that is unreadable or implausible (1970, 2099) gives way to the
  fetch time. Whatever was wrong but not fatal is reported on the result (see ``_warnings``);
- for a past ``week``, a source with a date-templated ``archive_url`` is read from its archive pages
  (``archive_pages``), so a backfill finds stories that have left the live feed.

All HTTP goes through ``Client`` (``_client``); many sources at once are ``fetch_sources``'s
(``_concurrent``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

from ..errors import BriefingError, ConfigError, FetchError, ParseError
from ..records import Fetched, Source, SourceResult, Story, Validators
from ..text import content_hash, is_chinese, strip_controls
from ..urls import canonical_url, story_id
from ..week import Week
from ._archive import archive_pages
from ._client import Client, Response
from ._decode import decode, garbled
from ._extract import Entry, extract_article, find_listing_entries, looks_like_feed, read_feed

__all__ = ["DEFAULT_BUDGET", "TEASER_CHARS", "Clock", "StoryStore", "fetch_source", "utcnow"]

log = logging.getLogger("briefing.fetch")  # the stage's logger, as when it was one module

#: A feed item whose text is shorter than this is a teaser: the article page is fetched for the text.
TEASER_CHARS = 400
#: Seconds one source may take in all: the feed, its retries and waits, and its article pages.
DEFAULT_BUDGET = 180.0
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The default clock: now, in UTC."""
    return datetime.now(UTC)


class StoryStore(Protocol):
    """What fetching needs of the store (``briefing.store.Store`` has it)."""

    def existing_ids(self, ids: Sequence[str]) -> set[str]: ...

    def add_stories(self, items: Iterable[Fetched]) -> list[str]: ...

    def validators(self, url: str) -> Validators: ...

    def save_validators(self, url: str, validators: Validators, when: datetime) -> None: ...


# -- one source ------------------------------------------------------------------------------------------


class _OutOfTime(Exception):
    """The source's time budget ran out while reading an article page."""


@dataclass
class _Run:
    """One source being fetched: its budget, and the problems worth reporting that were not fatal."""

    source: Source
    client: Client
    store: StoryStore
    tz: str
    clock: Clock
    deadline: float
    notes: list[str] = field(default_factory=list)
    article_errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    rejected_dates: list[str] = field(default_factory=list)
    _vetted: dict[str, str | None] = field(default_factory=dict)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        return self.client.get(
            url,
            allow_private=self.source.allow_private,
            headers=headers,
            deadline=self.deadline,
            rate=self.source.rate_limit,
        )

    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline

    def refusal(self, url: str) -> str | None:
        """Why the client would refuse ``url`` (scheme, SSRF guard), or None; one check per host."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._vetted:
            try:
                self.client.vet(url, allow_private=self.source.allow_private)
                self._vetted[key] = None
            except FetchError as e:
                self._vetted[key] = str(e)
        return self._vetted[key]


def fetch_source(
    source: Source,
    *,
    client: Client,
    store: StoryStore,
    tz: str,
    clock: Clock = utcnow,
    week: Week | None = None,
    budget: float = DEFAULT_BUDGET,
) -> SourceResult:
    """Fetch ``source`` into ``store``; never raises for the source's own failures.

    With ``week`` and an ``archive_url``, the source's archive pages for that week are read instead of
    its live URL. ``budget`` is the source's total time in seconds.
    """
    started = time.perf_counter()
    run = _Run(source=source, client=client, store=store, tz=tz, clock=clock, deadline=time.monotonic() + budget)
    try:
        seen, new, skipped, status = _fetch(run, week)
    except BriefingError as e:
        code = e.status if isinstance(e, FetchError) else None
        log.warning("%s: failed: %s", source.id, e)
        return SourceResult(
            source=source.id,
            status="error",
            error=str(e),
            http_status=code,
            seconds=round(time.perf_counter() - started, 3),
        )
    result = SourceResult(
        source=source.id,
        status="ok",
        stories=seen,
        new=new,
        skipped=skipped,
        http_status=status,
        seconds=round(time.perf_counter() - started, 3),
        warnings=_warnings(run),
    )
    if result.error:
        log.warning("%s: error; %s; %.1fs", source.id, result.error, result.seconds)
    elif status == 304:
        log.info("%s: ok; not modified since the last run; %.1fs", source.id, result.seconds)
    else:
        log.info(
            "%s: ok; %d stories seen, %d new, %d already stored; %.1fs",
            source.id,
            result.stories,
            result.new,
            skipped,
            result.seconds,
        )
    for warning in result.warnings:
        log.warning("%s: warning: %s", source.id, warning)
    return result


def _warnings(run: _Run) -> tuple[str, ...]:
    """What went wrong without failing the source, for the ``warnings`` of an ``ok`` result."""
    notes = list(run.notes)
    if run.refused:
        notes.append(f"{len(run.refused)} item link(s) refused and dropped: {run.refused[0]}")
    if run.article_errors:
        notes.append(
            f"{len(run.article_errors)} article page(s) not read, the feed's text kept: {run.article_errors[0]}"
        )
    if run.rejected_dates:
        notes.append(
            f"{len(run.rejected_dates)} item date(s) unreadable or implausible, the fetch time used instead: "
            f"{run.rejected_dates[0]}"
        )
    return tuple(notes)


def _fetch(run: _Run, week: Week | None) -> tuple[int, int, int, int]:
    """Fetch, read and store one source; returns (stories seen, new, already stored, HTTP status)."""
    source = run.source
    validators: Validators | None = None
    if week is not None and source.archive_url:
        entries, status = _archive_entries(run, week)
    else:
        seen = run.store.validators(source.url)
        headers = {}
        if seen.etag:
            headers["If-None-Match"] = seen.etag
        if seen.last_modified:
            headers["If-Modified-Since"] = seen.last_modified
        response = run.get(source.url, headers)
        if response.not_modified:
            return 0, 0, 0, 304
        entries = _read(run, response, as_feed=source.kind == "feed")
        validators, status = Validators(etag=response.etag, last_modified=response.last_modified), response.status

    ids: dict[str, Entry] = {}
    for entry in entries:
        reason = run.refusal(entry.url)
        if reason is not None:
            run.refused.append(reason)
            continue
        ids.setdefault(story_id(entry.url), entry)
    known = run.store.existing_ids(list(ids))
    fresh = [(sid, e) for sid, e in ids.items() if sid not in known]
    stories: list[Story] = []
    left = 0
    for n, (sid, entry) in enumerate(fresh):
        if run.out_of_time():
            left = len(fresh) - n
            break
        try:
            stories.append(_story(run, sid, entry))
        except _OutOfTime:
            left = len(fresh) - n
            break
    new = run.store.add_stories([Fetched(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories])
    if left:
        run.notes.append(f"the time budget ran out: {left} stor{'y' if left == 1 else 'ies'} left for the next run")
    elif validators is not None:
        run.store.save_validators(source.url, validators, run.clock())
    return len(ids), len(new), len(known), status


def _read(run: _Run, response: Response, *, as_feed: bool) -> list[Entry]:
    """The entries of a fetched feed or listing page.

    A Chinese source whose titles hold no Chinese character was decoded with a wrong charset (a UTF-8 feed
    served as ``iso-8859-1`` reads as mojibake without one undecodable byte): it is read again without
    the HTTP header's charset, and if its titles still hold no Chinese, the source fails and nothing of
    it is stored."""
    entries, encoding = _entries(run, response, response.content_type, as_feed=as_feed)
    if run.source.lang != "zh" or not entries or any(is_chinese(e.title) for e in entries):
        return entries
    again, other = _entries(run, response, "", as_feed=as_feed)
    if again and any(is_chinese(e.title) for e in again):
        run.notes.append(
            f"{response.url}: the declared charset ({encoding}) gave no Chinese title; read as {other} instead"
        )
        return again
    raise ParseError(
        f"{response.url}: a Chinese source, but none of its {len(entries)} titles holds a Chinese character "
        f"when read as {encoding} or {other}: the feed's encoding is wrong; nothing was stored"
    )


def _entries(run: _Run, response: Response, content_type: str, *, as_feed: bool) -> tuple[list[Entry], str]:
    decoded = decode(response.content, content_type)
    text, encoding = decoded.text, decoded.encoding
    lost = garbled(text)
    if lost.mostly:
        raise ParseError(
            f"{response.url}: the text is mostly undecodable: {lost.replaced} of {lost.non_ascii} non-ASCII characters "
            f"are U+FFFD when read as {encoding}"
        )
    if lost.noticeably:
        run.notes.append(f"{response.url}: {lost.replaced} undecodable characters (U+FFFD) when read as {encoding}")
    now = run.clock()
    if as_feed:
        feed = read_feed(text, response.url, run.tz, now)
        if feed.problem:
            run.notes.append(f"{response.url}: {feed.problem}")
        return feed.entries, encoding
    return find_listing_entries(text, response.url, run.source.selectors, run.tz, now), encoding


def _story(run: _Run, sid: str, entry: Entry) -> Story:
    source = run.source
    title, text, published = entry.title, entry.content, entry.published
    needs_page = source.kind == "html" or source.fetch_articles or len(text or entry.summary) < TEASER_CHARS
    if needs_page:
        try:
            page = run.get(entry.url)
            page_text = decode(page.content, page.content_type)
            if garbled(page_text.text).mostly:
                raise ParseError(f"{page.url}: the page is mostly undecodable when read as {page_text.encoding}")
            article = extract_article(page_text.text, page.url, run.tz, run.clock())
            text = article.text if len(article.text) > len(text) else text
            title = title or article.title
            published = published or article.published
        except BriefingError as e:
            if run.out_of_time():
                raise _OutOfTime() from e  # not stored: the next run reads the page with a fresh budget
            # the feed's own text still makes a story; say so on the result
            run.article_errors.append(str(e))
            log.warning("%s: article %s not read, keeping the feed's text: %s", source.id, entry.url, e)
    now = run.clock()
    if published is None and entry.rejected_date:
        run.rejected_dates.append(f"{entry.url} says {entry.rejected_date!r}")
        log.warning(
            "%s: %s: the date %r is unreadable or implausible; the fetch time stands in",
            source.id,
            entry.url,
            entry.rejected_date,
        )
    return Story(
        id=sid,
        source=source.id,
        url=strip_controls(entry.url).strip(),
        title=strip_controls(title).replace("\n", " ").strip(),
        summary=strip_controls(entry.summary),
        text=strip_controls(text),
        lang=source.lang,
        published=published,
        fetched=now,
        date_estimated=published is None,
    )


def _archive_entries(run: _Run, week: Week) -> tuple[list[Entry], int]:
    assert run.source.archive_url is not None
    try:
        pages = archive_pages(run.source.archive_url, week, run.tz)
    except ConfigError as e:
        raise ConfigError(f"source {run.source.id!r}: {e}") from e
    entries: list[Entry] = []
    failures: list[BriefingError] = []
    status = 0
    for page in pages:
        if run.out_of_time():
            run.notes.append(f"the time budget ran out before archive page {page}")
            break
        try:
            response = run.get(page)
            text = response.content[:4096].decode("utf-8", "ignore")
            entries.extend(_read(run, response, as_feed=looks_like_feed(text)))
            status = response.status
        except BriefingError as e:
            failures.append(e)
    if not status:
        if failures:
            raise failures[0]
        raise FetchError(
            f"{run.source.archive_url}: no archive page could be read for {week}", url=run.source.archive_url
        )
    if failures:
        run.notes.append(f"{len(failures)} of {len(pages)} archive pages failed: {failures[0]}")
    return entries, status
