"""Enrich many events through a language model endpoint that takes ``--latency`` seconds an answer:
concurrently (the stage's bounded pool) and one at a time, in the same process, printed side by side.

The endpoint is the project's own OpenAI-protocol test server (tests/llm_server.py) on 127.0.0.1; each
run gets a fresh SQLite store, so every event is asked (no answer comes from the cache), and then a
rerun over the first store shows the cache: no call::

    python benchmarks/enrich.py                        # 60 events, 1 s each, 12 at a time
    python benchmarks/enrich.py --events 60 --latency 1 --concurrency 12
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.enrich import Endpoint, Target, enrich, name_book  # noqa: E402
from briefing.records import Story  # noqa: E402
from briefing.store import Store  # noqa: E402
from tests.llm_server import LLMServer  # noqa: E402

T0 = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)
NAMES = ["华为", "中芯国际", "国家能源局", "腾讯", "百度", "阿里云"]


def events(n: int) -> list[Target]:
    out = []
    for i in range(n):
        name = NAMES[i % len(NAMES)]
        story = Story(
            id=f"e{i:03d}",
            source="zh",
            url=f"https://example.cn/{i}",
            title=f"{name}发布第{i + 1}个智算中心，算力{i + 1}万PFLOPS",
            lang="zh",
            published=T0,
            fetched=T0,
        )
        out.append(Target(story=story, outlet="Zh News", theme="Compute", want_english=True, want_why=i % 10 == 0))
    return out


def run(url: str, targets: list[Target], concurrency: int, store: Store) -> tuple[float, int, int]:
    endpoint = replace(Endpoint(url=url, model="bench-model"), concurrency=concurrency)
    start = time.perf_counter()
    result = enrich(targets, endpoint=endpoint, store=store, book=name_book())
    return time.perf_counter() - start, result.calls, sum(o.fallback == "" for o in result.outcomes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=60)
    ap.add_argument("--latency", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=Endpoint.concurrency)
    args = ap.parse_args()
    targets = events(args.events)
    with LLMServer(delay=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        rows = []
        with Store(f"sqlite:///{Path(tmp) / 'a.sqlite'}") as store:
            rows.append(
                (f"concurrent ({args.concurrency} at once)", *run(server.url, targets, args.concurrency, store))
            )
            rows.append(("rerun (answers from the store)", *run(server.url, targets, args.concurrency, store)))
        with Store(f"sqlite:///{Path(tmp) / 'b.sqlite'}") as store:
            rows.append(("sequential (baseline)", *run(server.url, targets, 1, store)))
    print(f"{args.events} events, endpoint answering in {args.latency:g} s each")
    print(f"{'run':<34}{'seconds':>9}{'calls':>7}{'verified':>10}")
    for name, seconds, calls, ok in rows:
        print(f"{name:<34}{seconds:>9.2f}{calls:>7}{ok:>10}")
    print(f"concurrent is {rows[2][1] / rows[0][1]:.1f}x faster than sequential")


if __name__ == "__main__":
    main()
