"""The incremental target of issue 7: adding a week of stories to a store that holds 100,000 costs about
what deduplicating the week alone costs.

    python benchmarks/incremental.py [--stories 100000] [--week 3000] [--runs 3] [--postgres]

Builds a store (SQLite in a temporary directory, or with ``--postgres`` a database of its own on the
PostgreSQL of 127.0.0.1) with ``--stories`` synthetic stories (``benchmarks/corpus.py``, ``--week`` stories
a week), indexes them week by week as the DAG does (``briefing.dedup.update_index``), then adds one
more week and times, with ``time.perf_counter`` over ``--runs`` runs (medians), side by side:

- **the week alone**: ``dedup.Deduplicator().run`` over the new week's stories, nothing else;
- **incremental**: ``update_index`` of the new week into the store (each run starts from a copy of the
  store as it was before the week: a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` for
  PostgreSQL). It reads the indexed stories within the copy window of the new ones with their stored
  fingerprints, compares the pairs with a new story, and writes the new rows and relabelled clusters;
- **from scratch**: ``dedup`` over every story of the store and the new week, what the index saves.

It also checks that the index, after the new week, clusters every copy and edit with its original.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import corpus, weights  # noqa: E402
from briefing.dedup import Deduplicator, update_index  # noqa: E402
from briefing.records import Fetched, Story  # noqa: E402
from briefing.store import Store  # noqa: E402
from briefing.text import content_hash  # noqa: E402
from briefing.urls import canonical_url  # noqa: E402
from briefing.week import week_of  # noqa: E402

POSTGRES = "postgresql+psycopg2://postgres@127.0.0.1:5432"


def _admin(*statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    conn.close()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


class _Stores:
    """A store with the base stories indexed, and fresh copies of it for each run."""

    def __init__(self, postgres: bool, work: Path) -> None:
        self.postgres = postgres
        self.work = work
        self.tag = uuid.uuid4().hex[:8]
        self.made: list[str] = []
        if postgres:
            self.base_db = f"bench_base_{self.tag}"
            _admin(f"CREATE DATABASE {self.base_db}")
            self.made.append(self.base_db)
            self.base_url = f"{POSTGRES}/{self.base_db}"
        else:
            self.base_url = f"sqlite:///{work / 'base.sqlite'}"

    def copy(self, n: int) -> Store:
        if self.postgres:
            name = f"bench_run_{self.tag}_{n}"
            _admin(f"CREATE DATABASE {name} TEMPLATE {self.base_db}")
            self.made.append(name)
            return Store(f"{POSTGRES}/{name}")
        target = self.work / f"run{n}.sqlite"
        shutil.copyfile(self.work / "base.sqlite", target)
        return Store(f"sqlite:///{target}")

    def close(self) -> None:
        if self.postgres:
            _admin(*(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in reversed(self.made)))


def _store_rows(stories: Sequence[Story]) -> list[Fetched]:
    return [Fetched(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories", type=int, default=100_000, help="stories in the store before the new week (default 100000)"
    )
    parser.add_argument("--week", type=int, default=3000, help="stories a week (default 3000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing; medians are shown (default 3)")
    parser.add_argument(
        "--postgres", action="store_true", help="a store on the PostgreSQL of 127.0.0.1 instead of SQLite"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    source_weights = weights()
    # the corpus's last week ends three days early: generate one week more and leave that week out
    generated = [
        replace(x, story=replace(x.story, fetched=x.story.published))
        for x in corpus(args.stories + 2 * args.week, seed=args.seed, per_week=args.week)
    ]
    week_of_story = {
        x.story.id: str(week_of(x.story.published, "Asia/Shanghai")) for x in generated if x.story.published
    }
    last = max(week_of_story.values())
    everything = [x for x in generated if week_of_story[x.story.id] != last]
    by_week: dict[str, list[Story]] = defaultdict(list)
    for x in everything:
        by_week[week_of_story[x.story.id]].append(x.story)
    weeks = sorted(by_week)
    new = by_week[weeks[-1]]
    base_weeks = weeks[:-1]
    print(
        f"corpus: {len(everything)} stories over {len(weeks)} weeks; the store holds {len(weeks) - 1} weeks, the new "
        f"week {weeks[-1]} has {len(new)} stories",
        flush=True,
    )

    with tempfile.TemporaryDirectory(prefix="briefing-incremental-") as tmp:
        stores = _Stores(args.postgres, Path(tmp))
        try:
            with Store(stores.base_url) as base:
                seconds, stored = _timed(
                    lambda: set(base.add_stories(_store_rows([s for w in base_weeks for s in by_week[w]])))
                )
                print(
                    f"stored {len(stored)} stories in {seconds:.1f} s (a page fetched again under a tracking URL is "
                    f"stored once)",
                    flush=True,
                )
                per_week = []
                for w in base_weeks:
                    week_stories = [s for s in by_week[w] if s.id in stored]  # as the DAG reads them from the store
                    index_week = lambda week_stories=week_stories: update_index(  # noqa: E731
                        base, week_stories, source_weights
                    )
                    seconds, _ = _timed(index_week)
                    per_week.append(seconds)
                indexed = base.count_indexed()
                print(
                    f"indexed {indexed} stories week by week in {sum(per_week):.1f} s (median "
                    f"{statistics.median(per_week):.2f} s a week)",
                    flush=True,
                )

            incremental: list[float] = []
            alone: list[float] = []
            context = joined = 0
            for n in range(args.runs):
                with stores.copy(n) as store:
                    kept = set(store.add_stories(_store_rows(new)))
                    week = [s for s in new if s.id in kept]
                    dedup_alone = lambda week=week: Deduplicator(source_weights).run(week)  # noqa: E731
                    alone.append(_timed(dedup_alone)[0])
                    by_index = lambda store=store, week=week: update_index(  # noqa: E731
                        store, week, source_weights
                    )
                    seconds, update = _timed(by_index)
                    incremental.append(seconds)
                    context, joined = update.context, update.joined_earlier
                    if n == 0:
                        cluster = {
                            sid: label for sid, (_, label) in store.indexed([x.story.id for x in everything]).items()
                        }
                        derived = [
                            x
                            for x in everything
                            if x.kind in ("copy", "edit") and x.of in cluster and x.story.id in cluster
                        ]
                        together = sum(cluster[x.story.id] == cluster[x.of] for x in derived)
            all_stories = [x.story for x in everything]
            scratch, _ = _timed(lambda: Deduplicator(source_weights).run(all_stories))
        finally:
            stores.close()

    a, i = statistics.median(alone), statistics.median(incremental)
    print()
    print(
        f"{'store':>8} {'week':>6} {'week alone s':>13} {'incremental s':>14} {'ratio':>6} {'from scratch s':>15} "
        f"{'context read':>13} {'joined earlier':>15}"
    )
    print("-" * 96)
    print(
        f"{indexed:>8} {len(week):>6} {a:>13.2f} {i:>14.2f} {i / a:>5.2f}x {scratch:>15.2f} {context:>13} {joined:>15}"
    )
    print()
    print(
        f"medians of {args.runs} run(s); back end: {'PostgreSQL' if args.postgres else 'SQLite'}; from scratch: one "
        f"run over {len(all_stories)} stories"
    )
    print(f"copies and edits in their original's cluster after the new week: {together} of {len(derived)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
