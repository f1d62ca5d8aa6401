"""Many sources at once: hosts in parallel, each host bounded, every store call on the calling thread.

Sources on different hosts run concurrently, at most ``client.per_host`` at a time per host, so one slow
host never stalls the others; all store calls are made on the calling thread (worker threads hand them
over to a ``_Desk``), and each source's health is recorded in the store under the run id.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ..records import Fetched, Source, SourceResult, Validators
from ..store import Store
from ..week import Week
from ._client import Client
from ._source import DEFAULT_BUDGET, Clock, StoryStore, fetch_source, utcnow

__all__ = ["DEFAULT_WORKERS", "fetch_sources"]

#: Sources fetched at once by ``fetch_sources`` (at most ``client.per_host`` of them on one host).
DEFAULT_WORKERS = 16
T = TypeVar("T")


def fetch_sources(
    sources: Iterable[Source],
    *,
    client: Client,
    store: Store,
    tz: str,
    run_id: str,
    clock: Clock = utcnow,
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

    def fetch_one(source: Source, into: StoryStore) -> SourceResult:
        return fetch_source(source, client=client, store=into, tz=tz, clock=clock, week=week, budget=budget)

    if workers <= 1 or len(todo) <= 1:
        for i, source in enumerate(todo):
            finish(i, fetch_one(source, store))
    else:
        try:
            _in_lanes(todo, fetch_one, finish, store=store, lanes=_lanes(todo, week, client.per_host), workers=workers)
        finally:
            client.close()
    return [r for r in results if r is not None]


def _in_lanes(
    todo: list[Source],
    fetch_one: Callable[[Source, StoryStore], SourceResult],
    finish: Callable[[int, SourceResult], None],
    *,
    store: StoryStore,
    lanes: list[deque[int]],
    workers: int,
) -> None:
    """Fetch ``todo`` on worker threads, one per lane, and ``finish`` each result on the calling thread,
    which serves the workers' store calls meanwhile; the first crash of a worker is raised at the end."""
    desk = _Desk(store)
    lock = threading.Lock()

    def lane(indices: deque[int]) -> None:
        while True:
            with lock:
                if not indices or desk.closed:
                    return
                i = indices.popleft()
            try:
                result = fetch_one(todo[i], desk)
            except BaseException as e:
                desk.post(_Finished(i, crash=e))
            else:
                desk.post(_Finished(i, result=result))

    crashes: list[BaseException] = []
    pool = ThreadPoolExecutor(max_workers=min(workers, len(lanes)), thread_name_prefix="fetch")
    try:
        for indices in lanes:
            pool.submit(lane, indices)
        received = 0
        while received < len(todo):
            done = desk.next()
            received += 1
            if done.crash is not None:
                crashes.append(done.crash)
            elif done.result is not None:
                finish(done.index, done.result)
    finally:
        desk.close()  # before waiting for the workers: none may block on a store call nobody serves
        pool.shutdown(wait=True)
    if crashes:
        raise crashes[0]


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


@dataclass(frozen=True)
class _Finished:
    """A source a worker is done with: its result, or what it crashed with (a bug, raised at the end)."""

    index: int
    result: SourceResult | None = None
    crash: BaseException | None = None


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
        self._inbox: queue.Queue[_Call | _Finished] = queue.Queue()
        self._closed = False

    def post(self, finished: _Finished) -> None:
        self._inbox.put(finished)

    def next(self) -> _Finished:
        """The next finished source, serving store calls until one comes."""
        while True:
            message = self._inbox.get()
            if isinstance(message, _Finished):
                return message
            message.run()

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop serving: calls waiting now or made later fail instead of blocking."""
        self._closed = True

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        call = _Call(fn, args)
        self._inbox.put(call)
        while not call.done.wait(timeout=0.1):
            if self._closed:
                raise RuntimeError("the fetch run ended before this store call was served")
        if call.error is not None:
            raise call.error
        result: T = call.result
        return result

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        return self._call(self._store.existing_ids, ids)

    def add_stories(self, items: Iterable[Fetched]) -> list[str]:
        return self._call(self._store.add_stories, list(items))

    def validators(self, url: str) -> Validators:
        return self._call(self._store.validators, url)

    def save_validators(self, url: str, validators: Validators, when: datetime) -> None:
        self._call(self._store.save_validators, url, validators, when)
