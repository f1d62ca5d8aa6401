"""Fetching many sources at once (briefing.fetch.fetch_sources): hosts in parallel, each host bounded and
paced, one slow host stalling nobody, every store call made on the calling thread, a time budget per
source, and the host gate (briefing.politeness) on its own.

The sources live on a local "latency web": one server on 127.0.0.1 that answers for any number of made-up
public host names (``s0.latency.test`` ...), each with its own delay, feed and counters.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from briefing.fetch import Client, HostGate, extract_article, fetch_source, fetch_sources
from briefing.records import Source, SourceResult, Validators
from briefing.store import Store
from tests.local_http import QuietHandler, serving

PUBLIC_IP = "93.184.215.14"
TEXT = "The hub added capacity this week, its operator said, and more is planned for next year. " * 6


@dataclass
class LatencyWeb:
    port: int = 0
    delay: dict[str, float] = field(default_factory=dict)  # per host name; default 0
    teasers: set[str] = field(default_factory=set)  # hosts whose feed has teasers only
    items: int = 3
    hits: Counter[str] = field(default_factory=Counter)  # "host path"
    starts: dict[str, list[float]] = field(default_factory=dict)  # per host
    in_flight: Counter[str] = field(default_factory=Counter)
    max_in_flight: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, host: str, path: str = "/feed.xml") -> str:
        return f"http://{host}.latency.test:{self.port}{path}"

    def resolve(self, host: str) -> list[str]:
        if host.endswith(".latency.test"):
            return [PUBLIC_IP]
        raise socket.gaierror(socket.EAI_NONAME, host)

    def connect(self, address: tuple[str, int], timeout: float | None) -> socket.socket:
        assert address == (PUBLIC_IP, self.port), address
        return socket.create_connection(("127.0.0.1", self.port), timeout)

    def source(self, host: str, **kw: Any) -> Source:
        return Source(id=host, name=host, kind="feed", url=self.url(host), lang="en", **kw)

    def feed(self, host: str) -> bytes:
        teaser = host in self.teasers
        items = "".join(
            f"<item><title>Story {n} of {host}</title><link>{self.url(host, f'/a/{n}.html')}</link>"
            "<pubDate>Tue, 17 Nov 2026 09:30:00 +0800</pubDate>"
            f"<description>{'Teaser.' if teaser else TEXT}</description></item>"
            for n in range(self.items)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{host}</title>'
            f'<link>{self.url(host, "/")}</link><description>d</description>{items}</channel></rss>'
        ).encode()


def _handler(web: LatencyWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").split(".")[0]
            path = self.path.split("?")[0]
            with web.lock:
                web.hits[f"{host} {path}"] += 1
                web.starts.setdefault(host, []).append(time.monotonic())
                web.in_flight[host] += 1
                web.max_in_flight[host] = max(web.max_in_flight[host], web.in_flight[host])
            try:
                time.sleep(web.delay.get(host, 0.0))
                if path == "/feed.xml":
                    status, body, ctype = 200, web.feed(host), "application/rss+xml"
                elif path.startswith("/a/"):
                    status, ctype = 200, "text/html; charset=utf-8"
                    body = (
                        "<html><head><title>A</title></head><body><article><h1>A</h1>"
                        f"<p>{TEXT}</p></article></body></html>"
                    ).encode()
                else:
                    status, body, ctype = 404, b"none", "text/plain"
                self.reply(status, body, {"Content-Type": ctype})
            except OSError:
                pass
            finally:
                with web.lock:
                    web.in_flight[host] -= 1

    return Handler


@pytest.fixture
def web() -> Iterator[LatencyWeb]:
    state = LatencyWeb()
    with serving(_handler(state)) as state.port:
        yield state


def client_for(web: LatencyWeb, **kw: Any) -> Client:
    return Client(resolve=web.resolve, connect=web.connect, connect_timeout=2, read_timeout=5, **kw)


def test_hosts_are_fetched_concurrently(web: LatencyWeb, store: Store) -> None:
    hosts = [f"s{i}" for i in range(8)]
    web.delay = {h: 0.4 for h in hosts}
    started = time.monotonic()
    results = fetch_sources(
        [web.source(h, rate_limit=100) for h in hosts], client=client_for(web), store=store, tz="UTC", run_id="r"
    )
    elapsed = time.monotonic() - started
    assert [r.status for r in results] == ["ok"] * 8
    assert store.count_stories() == 8 * web.items
    # each source is robots.txt + feed = 0.8 s of waiting on the server: one after another 6.4 s.
    # Well under that, with room for a loaded machine (the timings themselves are benchmarks/fetch_concurrency.py's)
    sequential = len(hosts) * 2 * 0.4
    assert elapsed < 0.7 * sequential, elapsed


def test_one_slow_host_stalls_no_other(web: LatencyWeb, store: Store) -> None:
    web.delay = {"slow": 1.2}
    sources = [web.source("slow", rate_limit=100)] + [web.source(f"fast{i}", rate_limit=100) for i in range(5)]
    finished: list[tuple[str, float]] = []
    started = time.monotonic()
    fetch_sources(
        sources,
        client=client_for(web),
        store=store,
        tz="UTC",
        run_id="r",
        progress=lambda r: finished.append((r.source, time.monotonic() - started)),
    )
    order = [name for name, _ in finished]
    # every fast host is done before the slow one: none waited for it
    # (no wall-clock bound, which a loaded machine breaks)
    assert order[-1] == "slow" and sorted(order[:-1]) == [f"fast{i}" for i in range(5)], finished


def test_requests_per_host_are_bounded_and_paced(web: LatencyWeb, store: Store) -> None:
    # six sources on one host: at most per_host requests in flight there, and a turn at most every 1/rate s
    web.delay = {"shared": 0.2}
    sources = [
        Source(
            id=f"src{i}",
            name=f"src{i}",
            kind="feed",
            url=web.url("shared", f"/feed.xml?part={i}"),
            lang="en",
            rate_limit=20,
        )
        for i in range(6)
    ]
    results = fetch_sources(sources, client=client_for(web, per_host=2), store=store, tz="UTC", run_id="r")
    assert all(r.status == "ok" for r in results)
    assert web.max_in_flight["shared"] == 2, "the bound was reached but never passed"
    starts = sorted(web.starts["shared"])
    # turns come at most rate_limit (20) a second. Measured where the server sees them, a loaded machine
    # can delay one arrival and not the next, so the pace is checked over the whole run, not gap by gap
    assert starts[-1] - starts[0] >= 0.8 * (len(starts) - 1) / 20, (
        "requests to one host start at most rate_limit a second"
    )
    assert web.hits["shared /robots.txt"] == 1, "robots.txt is read once per host per run"


def test_default_rate_is_about_one_request_a_second_per_host(web: LatencyWeb, store: Store) -> None:
    web.teasers = {"paced"}
    web.items = 2
    result = fetch_source(web.source("paced"), client=client_for(web), store=store, tz="UTC")
    assert result.status == "ok" and result.new == 2
    starts = web.starts["paced"]
    assert len(starts) == 4  # robots.txt, the feed, two article pages
    assert starts[-1] - starts[0] >= 0.95 * (len(starts) - 1), (
        starts
    )  # over the run: one arrival can be delayed, not the pace


def test_store_calls_run_on_the_calling_thread(web: LatencyWeb) -> None:
    # an in-memory SQLite store is a different, empty database on every other thread
    with Store("sqlite://") as memory:
        results = fetch_sources(
            [web.source(f"m{i}", rate_limit=100) for i in range(4)],
            client=client_for(web),
            store=memory,
            tz="UTC",
            run_id="r",
        )
        assert [r.new for r in results] == [web.items] * 4
        assert memory.count_stories() == 4 * web.items
        assert {r.source for r in memory.fetch_results("r")} == {f"m{i}" for i in range(4)}


def test_results_come_back_in_the_order_of_the_sources(web: LatencyWeb, store: Store) -> None:
    web.delay = {"b": 0.3}
    names = ["a", "b", "c", "d"]
    results = fetch_sources(
        [web.source(n, rate_limit=100) for n in names], client=client_for(web), store=store, tz="UTC", run_id="r"
    )
    assert [r.source for r in results] == names


def test_a_bug_in_one_source_propagates_after_the_others_finish(web: LatencyWeb, store: Store) -> None:
    class Broken(Store):
        def existing_ids(self, ids: Any) -> set[str]:
            if any(True for _ in ids) and threading.current_thread() is threading.main_thread() and self.calls == 1:
                self.calls += 1
                raise RuntimeError("a bug in the store")
            self.calls += 1
            return super().existing_ids(ids)

    broken = Broken(store.url)
    broken.calls = 0  # type: ignore[attr-defined]
    seen: list[SourceResult] = []
    with pytest.raises(RuntimeError, match="a bug in the store"):
        fetch_sources(
            [web.source(f"x{i}", rate_limit=100) for i in range(3)],
            client=client_for(web),
            store=broken,
            tz="UTC",
            run_id="r",
            progress=seen.append,
        )
    assert len(seen) == 2, "the other sources still finished and were recorded"
    broken.close()


def test_time_budget_leaves_unread_stories_for_the_next_run(web: LatencyWeb, store: Store) -> None:
    web.teasers = {"late"}
    web.items = 4
    web.delay = {"late": 0.3}
    source = web.source("late", rate_limit=100)
    extract_article(
        f"<html><body><article><p>{TEXT}</p></article></body></html>", "https://example.org/warm-up"
    )  # imports take no budget
    first = fetch_source(source, client=client_for(web), store=store, tz="UTC", budget=1.5)
    assert first.status == "ok" and 0 < first.new < 4
    assert "time budget ran out" in "; ".join(first.warnings) and "left for the next run" in "; ".join(first.warnings)
    assert store.validators(source.url) == Validators()
    second = fetch_source(source, client=client_for(web), store=store, tz="UTC", budget=10)
    assert first.new + second.new == 4 and second.error is None and second.warnings == ()
    assert all(s.text.startswith("The hub added capacity") for s in store.stories_between(*_all_time()))


def _all_time() -> tuple[Any, Any]:
    from datetime import datetime

    return datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


# -- the host gate on its own ---------------------------------------------------------------------------------


def test_gate_bounds_concurrency_per_host_and_not_across_hosts() -> None:
    gate = HostGate(per_host=2)
    assert gate.acquire("a") and gate.acquire("a")
    assert not gate.acquire("a", deadline=time.monotonic() + 0.05), "a third request at one host waits"
    assert gate.acquire("b"), "another host does not"
    gate.release("a")
    assert gate.acquire("a", deadline=time.monotonic() + 0.05)


def test_gate_paces_turns_and_gives_up_at_the_deadline() -> None:
    gate = HostGate(per_host=5)
    assert gate.acquire("h", interval=0.2)
    gate.release("h")
    started = time.monotonic()
    assert gate.acquire("h", interval=0.2)
    assert time.monotonic() - started >= 0.18
    gate.release("h")
    assert not gate.acquire("h", interval=0.2, deadline=time.monotonic() + 0.05)


def test_gate_wakes_a_waiter_when_a_slot_frees() -> None:
    gate = HostGate(per_host=1)
    assert gate.acquire("h")
    threading.Timer(0.1, gate.release, args=("h",)).start()
    started = time.monotonic()
    assert gate.acquire("h", deadline=time.monotonic() + 2)
    assert 0.05 < time.monotonic() - started < 1.9  # woken by the release, not at the deadline
