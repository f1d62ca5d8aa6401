"""Fetch many slow sources concurrently and one after another, and print both times side by side.

A local server on 127.0.0.1 stands for ``--sources`` hosts (``s00.bench.test`` ...); every response it
gives (robots.txt, the feed) waits ``--latency`` seconds first. The client reaches those names through
its injectable ``resolve`` and ``connect``, so its SSRF guard stays on and nothing leaves the machine.
Both runs go through ``briefing.fetch.fetch_sources`` into a fresh SQLite store, with the real client
(robots.txt, the host gate, retries): once with ``--workers`` sources at a time, once with one. Each
source declares ``rate_limit: --rate`` so pacing stays below the latency being measured::

    python benchmarks/fetch_concurrency.py                       # 40 sources, 300 ms each
    python benchmarks/fetch_concurrency.py --sources 80 --latency 0.5 --workers 32
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from briefing.fetch import DEFAULT_WORKERS, Client, fetch_sources
from briefing.records import Source, SourceResult
from briefing.store import Store

PUBLIC_IP = "93.184.215.14"  # what every *.bench.test name resolves to; dialled as 127.0.0.1


def serve(latency: float, items: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            host = (self.headers.get("Host") or "x").split(":")[0]
            if self.path == "/feed.xml":
                entries = "".join(
                    f"<item><title>Story {n} from {host}</title><link>http://{host}/news/{n}.html</link>"
                    "<pubDate>Tue, 17 Nov 2026 09:30:00 +0800</pubDate>"
                    f"<description>{'Full text of the story. ' * 30}</description></item>"
                    for n in range(items)
                )
                body = (
                    f'<?xml version="1.0"?><rss version="2.0"><channel><title>{host}</title>'
                    f"<link>http://{host}/</link><description>d</description>{entries}</channel></rss>"
                ).encode()
                status, ctype = 200, "application/rss+xml"
            else:
                body, status, ctype = b"User-agent: *\nAllow: /\n", 200, "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(sources: list[Source], port: int, workers: int, db: Path) -> tuple[float, list[SourceResult]]:
    def resolve(host: str) -> list[str]:
        return [PUBLIC_IP]

    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        return socket.create_connection(("127.0.0.1", port), timeout)

    client = Client(resolve=resolve, connect=connect)
    with Store(f"sqlite:///{db}") as store:
        started = time.perf_counter()
        results = fetch_sources(
            sources, client=client, store=store, tz="UTC", run_id=f"bench-{workers}", workers=workers
        )
        return time.perf_counter() - started, results


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", type=int, default=40, help="sources, each on its own host (default 40)")
    p.add_argument("--latency", type=float, default=0.3, help="seconds every response waits (default 0.3)")
    p.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"sources fetched at once in the concurrent run (default {DEFAULT_WORKERS})",
    )
    p.add_argument("--items", type=int, default=5, help="items per feed (default 5)")
    p.add_argument("--rate", type=float, default=10.0, help="each source's rate_limit, requests a second (default 10)")
    args = p.parse_args()

    server = serve(args.latency, args.items)
    port = server.server_address[1]
    sources = [
        Source(
            id=f"s{i:02d}",
            name=f"Source {i}",
            kind="feed",
            url=f"http://s{i:02d}.bench.test:{port}/feed.xml",
            lang="en",
            rate_limit=args.rate,
        )
        for i in range(args.sources)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        concurrent, c_results = run(sources, port, args.workers, Path(tmp) / "concurrent.sqlite")
        sequential, s_results = run(sources, port, 1, Path(tmp) / "sequential.sqlite")
    server.shutdown()
    server.server_close()

    for label, results in (("concurrent", c_results), ("sequential", s_results)):
        failed = [r for r in results if r.status != "ok"]
        if failed:
            raise SystemExit(f"{label}: {len(failed)} sources failed, e.g. {failed[0].source}: {failed[0].error}")
    stories = sum(r.new for r in c_results)
    print(
        f"{args.sources} sources, {args.latency * 1000:.0f} ms per response (robots.txt + feed = 2 responses a "
        f"source), {stories} stories each run"
    )
    print(f"{'':12}{'workers':>8}{'seconds':>10}{'per source':>12}")
    print(f"{'concurrent':12}{args.workers:>8}{concurrent:>10.2f}{concurrent / args.sources:>12.3f}")
    print(f"{'sequential':12}{1:>8}{sequential:>10.2f}{sequential / args.sources:>12.3f}")
    print(f"speed-up: {sequential / concurrent:.1f}x")


if __name__ == "__main__":
    main()
