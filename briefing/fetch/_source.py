"""Fetch sources into the store.

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

``fetch_sources`` fetches many sources at once: sources on different hosts run concurrently, at most
``client.per_host`` at a time per host, so one slow host never stalls the others; all store calls are
made on the calling thread (worker threads hand them over), and each source's health is recorded in the
store under the run id. All HTTP goes through ``briefing.http.Client``.
"""

from __future__ import annotations

import logging
import queue
import string
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from .decode import decode, garbled
from .errors import BriefingError, ConfigError, FetchError, ParseError
from .extract import Entry, extract_article, find_listing_entries, looks_like_feed, read_feed
from .http import Client, Response
from .lexicon import is_chinese
from .records import Source, SourceResult, Story
from .store import Store
from .text import content_hash, strip_controls
from .urls import canonical_url, story_id
from .week import Week, zone

__all__ = ["DEFAULT_BUDGET", "DEFAULT_WORKERS", "TEASER_CHARS", "StoryStore", "archive_pages", "fetch_source", "fetch_sources"]

log = logging.getLogger(__name__)

#: A feed item whose text is shorter than this is a teaser: the article page is fetched for the text.
TEASER_CHARS = 400
#: Seconds one source may take in all: the feed, its retries and waits, and its article pages.
DEFAULT_BUDGET = 180.0
#: Sources fetched at once by ``fetch_sources`` (at most ``client.per_host`` of them on one host).
DEFAULT_WORKERS = 16
Clock = Callable[[], datetime]
T = TypeVar("T")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class StoryStore(Protocol):
    """What fetching needs of the store (``briefing.store.Store`` has it)."""

    def existing_ids(self, ids: Sequence[str]) -> set[str]: ...

    def add_stories(self, items: Iterable[tuple[Story, str, str]]) -> list[str]: ...

    def validators(self, url: str) -> tuple[str | None, str | None]: ...

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, when: datetime) -> None: ...


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
        return self.client.get(url, allow_private=self.source.allow_private, headers=headers, deadline=self.deadline, rate=self.source.rate_limit)

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
    clock: Clock = _utcnow,
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
        return SourceResult(source=source.id, status="error", error=str(e), http_status=code, seconds=round(time.perf_counter() - started, 3))
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
        log.info("%s: ok; %d stories seen, %d new, %d already stored; %.1fs", source.id, result.stories, result.new, skipped, result.seconds)
    for warning in result.warnings:
        log.warning("%s: warning: %s", source.id, warning)
    return result


def _warnings(run: _Run) -> tuple[str, ...]:
    """What went wrong without failing the source, for the ``warnings`` of an ``ok`` result."""
    notes = list(run.notes)
    if run.refused:
        notes.append(f"{len(run.refused)} item link(s) refused and dropped: {run.refused[0]}")
    if run.article_errors:
        notes.append(f"{len(run.article_errors)} article page(s) not read, the feed's text kept: {run.article_errors[0]}")
    if run.rejected_dates:
        notes.append(f"{len(run.rejected_dates)} item date(s) unreadable or implausible, the fetch time used instead: {run.rejected_dates[0]}")
    return tuple(notes)


def _fetch(run: _Run, week: Week | None) -> tuple[int, int, int, int]:
    """Fetch, read and store one source; returns (stories seen, new, already stored, HTTP status)."""
    source = run.source
    validators: tuple[str | None, str | None] | None = None
    if week is not None and source.archive_url:
        entries, status = _archive_entries(run, week)
    else:
        etag, last_modified = run.store.validators(source.url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = run.get(source.url, headers)
        if response.not_modified:
            return 0, 0, 0, 304
        entries = _read(run, response, as_feed=source.kind == "feed")
        validators, status = (response.etag, response.last_modified), response.status

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
    new = run.store.add_stories([(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories])
    if left:
        run.notes.append(f"the time budget ran out: {left} stor{'y' if left == 1 else 'ies'} left for the next run")
    elif validators is not None:
        run.store.save_validators(source.url, validators[0], validators[1], run.clock())
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
        run.notes.append(f"{response.url}: the declared charset ({encoding}) gave no Chinese title; read as {other} instead")
        return again
    raise ParseError(
        f"{response.url}: a Chinese source, but none of its {len(entries)} titles holds a Chinese character when read as "
        f"{encoding} or {other}: the feed's encoding is wrong; nothing was stored"
    )


def _entries(run: _Run, response: Response, content_type: str, *, as_feed: bool) -> tuple[list[Entry], str]:
    text, encoding = decode(response.content, content_type)
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
            html, encoding = decode(page.content, page.content_type)
            if garbled(html).mostly:
                raise ParseError(f"{page.url}: the page is mostly undecodable when read as {encoding}")
            article = extract_article(html, page.url, run.tz, run.clock())
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
        log.warning("%s: %s: the date %r is unreadable or implausible; the fetch time stands in", source.id, entry.url, entry.rejected_date)
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


# -- backfill from archive pages ------------------------------------------------------------------------------

_DAY_FIELDS = {"date", "day"}
_MONTH_FIELDS = {"month"}
_FIELDS = {"date", "year", "month", "day", "week", "isoyear", "isoweek"}


def archive_pages(template: str, week: Week, tz: str = "UTC") -> list[str]:
    """The archive URLs of ``week`` from a date-templated ``archive_url``, in order, without repeats.

    Fields: ``{date}`` (a date: ``{date:%Y/%m/%d}``), ``{year}``, ``{month}``, ``{day}`` (numbers:
    ``{month:02d}``), ``{week}`` (``2026-W47``), ``{isoyear}``, ``{isoweek}``. A template with a day
    field gives one page per day of the week; with a month but no day, one per month the week touches;
    otherwise one page for the week. Raises ConfigError for an unknown field or a bad format.
    """
    zone(tz)
    try:
        used = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as e:
        raise ConfigError(f"archive_url {template!r}: {e}") from e
    unknown = used - _FIELDS
    if unknown:
        raise ConfigError(f"archive_url {template!r}: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_FIELDS))})")
    days = [week.monday + timedelta(days=i) for i in range(7)]
    if not used & _DAY_FIELDS:
        days = days[:1] if not used & _MONTH_FIELDS else [d for i, d in enumerate(days) if i == 0 or d.month != days[i - 1].month]
    pages: list[str] = []
    for day in days:
        page = _format_archive(template, day, week)
        if page not in pages:
            pages.append(page)
    return pages


def _format_archive(template: str, day: date, week: Week) -> str:
    try:
        return template.format(date=day, year=day.year, month=day.month, day=day.day, week=str(week), isoyear=week.year, isoweek=week.number)
    except (ValueError, KeyError, IndexError, AttributeError) as e:
        raise ConfigError(f"archive_url {template!r}: {e}") from e


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
        raise FetchError(f"{run.source.archive_url}: no archive page could be read for {week}", url=run.source.archive_url)
    if failures:
        run.notes.append(f"{len(failures)} of {len(pages)} archive pages failed: {failures[0]}")
    return entries, status


# -- many sources at once ---------------------------------------------------------------------------------------


def fetch_sources(
    sources: Iterable[Source],
    *,
    client: Client,
    store: Store,
    tz: str,
    run_id: str,
    clock: Clock = _utcnow,
    progress: Callable[[SourceResult], None] | None = None,
    week: Week | None = None,
    budget: float = DEFAULT_BUDGET,
    workers: int = DEFAULT_WORKERS,
) -> list[SourceResult]:
    """Fetch ``sources``, record each one's health under ``run_id``, return the results in order.

    ``progress`` is called with each result as it comes, on the calling thread; so are all store calls.
    ``workers`` bounds the sources fetched at once (1: one after another).
    """
    todo = list(sources)
    results: list[SourceResult | None] = [None] * len(todo)
    client.forget_robots()  # robots.txt is cached per host for one run

    def finish(i: int, result: SourceResult) -> None:
        store.record_fetch(run_id, result, clock())
        results[i] = result
        if progress:
            progress(result)

    if workers <= 1 or len(todo) <= 1:
        for i, source in enumerate(todo):
            finish(i, fetch_source(source, client=client, store=store, tz=tz, clock=clock, week=week, budget=budget))
        return [r for r in results if r is not None]

    desk = _Desk(store)
    lanes = _lanes(todo, week, client.per_host)
    lock = threading.Lock()

    def lane(indices: deque[int]) -> None:
        while True:
            with lock:
                if not indices or desk.closed:
                    return
                i = indices.popleft()
            try:
                result = fetch_source(todo[i], client=client, store=desk, tz=tz, clock=clock, week=week, budget=budget)
            except BaseException as e:
                desk.post(("crash", i, e))
            else:
                desk.post(("done", i, result))

    crashes: list[BaseException] = []
    pool = ThreadPoolExecutor(max_workers=min(workers, len(lanes)), thread_name_prefix="fetch")
    try:
        for indices in lanes:
            pool.submit(lane, indices)
        received = 0
        while received < len(todo):
            kind, i, payload = desk.next()
            received += 1
            if kind == "crash":
                assert isinstance(payload, BaseException)
                crashes.append(payload)
            else:
                assert isinstance(payload, SourceResult)
                finish(i, payload)
    finally:
        desk.close()  # before waiting for the workers: none may block on a store call nobody serves
        pool.shutdown(wait=True)
        client.close()
    if crashes:
        raise crashes[0]
    return [r for r in results if r is not None]


def _lanes(todo: list[Source], week: Week | None, per_host: int) -> list[deque[int]]:
    """Queues of source indices: up to ``per_host`` per host, interleaved so every host starts early."""
    by_host: dict[str, list[int]] = {}
    for i, s in enumerate(todo):
        url = s.archive_url if week is not None and s.archive_url else s.url
        parts = urlsplit(url)
        by_host.setdefault(f"{parts.hostname}:{parts.port}", []).append(i)
    per = {host: [deque[int]() for _ in range(min(per_host, len(ids)))] for host, ids in by_host.items()}
    for host, ids in by_host.items():
        for n, i in enumerate(ids):
            per[host][n % len(per[host])].append(i)
    out: list[deque[int]] = []
    for rank in range(per_host):
        out.extend(queues[rank] for queues in per.values() if rank < len(queues))
    return out


class _Call:
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(*self.args)
        except BaseException as e:
            self.error = e
        finally:
            self.done.set()


class _Desk:
    """Runs store calls from worker threads on the thread that owns the store, one at a time.

    SQLite connections belong to the thread that made them (an in-memory database is even a different
    database per thread), and one writer at a time avoids lock contention: so workers post their store
    calls here and the calling thread serves them while it waits for results. It is a ``StoryStore``.
    """

    def __init__(self, store: StoryStore) -> None:
        self._store = store
        self._inbox: queue.Queue[tuple[str, int, Any]] = queue.Queue()
        self._closed = False

    def post(self, message: tuple[str, int, Any]) -> None:
        self._inbox.put(message)

    def next(self) -> tuple[str, int, Any]:
        """The next finished source, serving store calls until one comes."""
        while True:
            kind, i, payload = self._inbox.get()
            if kind == "call":
                payload.run()
                continue
            return kind, i, payload

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop serving: calls waiting now or made later fail instead of blocking."""
        self._closed = True

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        call = _Call(fn, args)
        self._inbox.put(("call", 0, call))
        while not call.done.wait(timeout=0.1):
            if self._closed:
                raise RuntimeError("the fetch run ended before this store call was served")
        if call.error is not None:
            raise call.error
        result: T = call.result
        return result

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        return self._call(self._store.existing_ids, ids)

    def add_stories(self, items: Iterable[tuple[Story, str, str]]) -> list[str]:
        return self._call(self._store.add_stories, list(items))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self._call(self._store.validators, url)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, when: datetime) -> None:
        self._call(self._store.save_validators, url, etag, last_modified, when)
