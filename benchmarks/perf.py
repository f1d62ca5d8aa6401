"""The performance benchmark of issue 7: dedup and classify at scale, against a naive baseline.

    python benchmarks/perf.py [--sizes 2000,5000,20000,100000] [--runs 3] [--naive-max 5000]

For each size, a fresh child process generates the synthetic corpus (``benchmarks/corpus.py``: English
and Chinese stories over ``ceil(n / 2000)`` weeks, 10% copies, 5% edits, 5% rewrites), then times, with
``time.perf_counter`` and ``--runs`` runs, the library calls behind ``briefing dedup`` and ``briefing
classify``: ``briefing.dedup.dedup`` over all the stories, then ``Classifier(load_themes())`` and
``Classifier.classify`` of every story. Seconds are medians. Peak RSS is the child's high-water mark
(``ru_maxrss``: the interpreter, the corpus in memory and the work), printed beside the RSS it had with
only the corpus loaded.

Up to ``--naive-max`` stories, another child times the naive baseline: every pair of stories compared
with the same rules (the same URL or content hash; Jaccard or containment of the shingle sets, within the
copy window; the same-event model of ``events`` within the event window), and checks that every copy and
edit ends in the same cluster as in ours. "x faster" is the naive dedup's median over ours. The scaling exponent between
successive sizes is ``log(t2 / t1) / log(n2 / n1)`` of the total (1.0 is linear; 10 times the stories in
at most 12 times the time is an exponent of at most 1.08).

Last, it times importing ``dags/weekly_briefing.py`` in a fresh process with Airflow already imported,
and lists the heavy modules the import pulled in. Runs are sequential: on a shared machine other work
shows up in the figures, which is why they are medians.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEAVY = ("weasyprint", "trafilatura", "lxml", "numpy", "datasketch", "feedparser", "jinja2")
DEFAULT_SIZES = "2000,5000,20000,100000"


# ------------------------------------------------------------------------------------ the children


def _rss_mb() -> float:
    """The current resident set size, from /proc (Linux), in MB; NaN elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child_ours(n: int, runs: int, seed: int) -> dict[str, Any]:
    """Time dedup and classify over ``n`` stories (in this process); report medians and peak RSS."""
    import numpy  # noqa: F401  (imported by the first dedup anyway: keep the import out of the timing)

    from benchmarks.corpus import corpus, weights
    from briefing.classify import Classifier, load_themes
    from briefing.dedup import dedup

    stories = [x.story for x in corpus(n, seed=seed)]
    source_weights = weights()
    rss_corpus = _rss_mb()
    dedup_s: list[float] = []
    classify_s: list[float] = []
    clusters = 0
    for _ in range(runs):
        start = time.perf_counter()
        clusters = len(dedup(stories, source_weights))
        middle = time.perf_counter()
        classifier = Classifier(load_themes())
        classifier.classify_all(stories)  # as briefing classify does: on every core from 20,000 stories
        end = time.perf_counter()
        dedup_s.append(middle - start)
        classify_s.append(end - middle)
    return {
        "n": n, "dedup": statistics.median(dedup_s), "classify": statistics.median(classify_s),
        "total": statistics.median(d + c for d, c in zip(dedup_s, classify_s, strict=True)),
        "dedup_runs": dedup_s, "classify_runs": classify_s, "clusters": clusters,
        "rss_corpus_mb": rss_corpus, "peak_rss_mb": _peak_rss_mb(),
        "worker_peak_rss_mb": _peak_rss_mb(resource.RUSAGE_CHILDREN),  # classify's forked workers, if any
    }


def child_naive(n: int, runs: int, seed: int) -> dict[str, Any]:
    """Time the naive all-pairs dedup over ``n`` stories and compare its clusters with ours."""
    from benchmarks.corpus import corpus, weights
    from briefing.dedup import dedup

    items = corpus(n, seed=seed)
    stories = [x.story for x in items]
    seconds = []
    naive: dict[str, str] = {}
    for _ in range(runs):
        start = time.perf_counter()
        naive = naive_dedup(stories)
        seconds.append(time.perf_counter() - start)
    ours = {m: c.id for c in dedup(stories, weights()) for m in c.members}
    members_naive = _members(naive)
    members_ours = _members(ours)
    derived = [x for x in items if x.kind in ("copy", "edit")]
    differ = sum(members_naive[naive[x.story.id]] != members_ours[ours[x.story.id]] for x in derived)
    found_naive = sum(naive[x.story.id] == naive[x.of] for x in derived if x.of)
    found_ours = sum(ours[x.story.id] == ours[x.of] for x in derived if x.of)
    every = sum(members_naive[naive[s.id]] != members_ours[ours[s.id]] for s in stories)
    return {
        "n": n, "naive": statistics.median(seconds), "naive_runs": seconds, "copies_edits": len(derived),
        "found_naive": found_naive, "found_ours": found_ours, "clusters_differ": differ, "stories_differ": every,
    }


def _members(cluster_of: dict[str, str]) -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for story, cluster in cluster_of.items():
        groups.setdefault(cluster, set()).add(story)
    return {cluster: frozenset(m) for cluster, m in groups.items()}


def naive_dedup(stories: Sequence[Any]) -> dict[str, str]:
    """The naive baseline: the rules of ``briefing.dedup``, every pair of stories compared.

    Returns each story's cluster as the index of its first member (the representative does not matter
    for comparing clusters).
    """
    from briefing.dedup import (
        CONTAINMENT,
        COPY_WINDOW_DAYS,
        EVENT_WINDOW_HOURS,
        JACCARD,
        SAME_EVENT,
        KeywordReader,
        batch_weight,
        event_words,
        same_event_probability,
        shingles,
        weigh,
    )
    from briefing.text import content_hash, nfkc
    from briefing.urls import canonical_url

    n = len(stories)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    urls = [canonical_url(s.url) if s.url else None for s in stories]
    hashes = [content_hash(s.title, s.body) for s in stories]
    sets = [shingles(f"{s.title}\n{s.body}") for s in stories]
    times = [s.when.timestamp() if s.when else None for s in stories]
    reader = KeywordReader()
    words = [event_words(nfkc(s.title), nfkc(s.body), reader) for s in stories]
    weight = batch_weight(words)
    texts = [weigh(w, weight) for w in words]
    copy_window, event_window = COPY_WINDOW_DAYS * 86400, EVENT_WINDOW_HOURS * 3600
    for i in range(n):
        a, ti = sets[i], times[i]
        for j in range(i + 1, n):
            tj = times[j]
            gap = abs(ti - tj) if ti is not None and tj is not None else None
            same = (urls[i] is not None and urls[i] == urls[j]) or hashes[i] == hashes[j]
            if not same and len(a) >= 3 and len(sets[j]) >= 3 and (gap is None or gap <= copy_window):
                b = sets[j]
                inter = len(a & b)
                same = inter > 0 and (inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT)
            if not same and gap is not None and gap <= event_window:
                s, t = stories[i], stories[j]
                same = (
                    same_event_probability(texts[i], texts[j], gap / 3600, s.source == t.source, s.lang != t.lang)
                    >= SAME_EVENT
                )
            if same:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    return {s.id: str(find(i)) for i, s in enumerate(stories)}


_DAG_PROBE = r"""
import importlib.util, json, sys, time
import airflow, airflow.sdk  # Airflow already loaded, as in the DAG processor
before = set(sys.modules)
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("weekly_briefing", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "new": sorted({m.split(".")[0] for m in set(sys.modules) - before})}))
"""


def dag_import(runs: int) -> dict[str, Any]:
    """Median seconds to import the DAG file with Airflow loaded, each in a fresh process."""
    seconds: list[float] = []
    new: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            AIRFLOW_HOME=str(Path(tmp) / "airflow"),
            AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
            AIRFLOW__CORE__PLUGINS_FOLDER=str(ROOT / "plugins"),
            AIRFLOW__CORE__LOAD_EXAMPLES="False",
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp}/airflow.db",
        )
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", _DAG_PROBE, str(ROOT / "dags" / "weekly_briefing.py")],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if out.returncode != 0:
                return {
                    "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
                }
            report = json.loads(out.stdout.strip().splitlines()[-1])
            seconds.append(report["seconds"])
            new.update(report["new"])
    return {"seconds": statistics.median(seconds), "runs": seconds, "heavy": sorted(m for m in new if m in HEAVY)}


# ------------------------------------------------------------------------------------- the parent


def _run_child(kind: str, n: int, runs: int, seed: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            f"--child-{kind}",
            str(n),
            "--runs",
            str(runs),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise SystemExit(f"perf.py: the {kind} run on {n} stories failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def table(rows: Sequence[dict[str, Any]], naive: dict[int, dict[str, Any]]) -> list[str]:
    """The benchmark table, one line per size, as printed."""
    head = (
        f"{'stories':>8} {'dedup s':>8} {'classify s':>10} {'total s':>8} {'stories/s':>9} {'RSS MB':>7} "
        f"{'peak RSS MB':>11} {'exponent':>8} {'naive s':>8} {'x faster':>8}  copies+edits vs naive"
    )
    lines = [head, "-" * len(head)]
    previous: dict[str, Any] | None = None
    for row in rows:
        n = row["n"]
        exponent = (
            ""
            if previous is None
            else f"{math.log(row['total'] / previous['total']) / math.log(n / previous['n']):.2f}"
        )
        base = naive.get(n)
        if base:
            versus = f"{base['naive']:8.2f} {base['naive'] / row['dedup']:7.0f}x"
            agree = "same clusters" if base["clusters_differ"] == 0 else f"{base['clusters_differ']} differ"
            agree += f" (found {base['found_ours']}/{base['copies_edits']}, naive {base['found_naive']})"
        else:
            versus, agree = f"{'':8} {'':8}", ""
        lines.append(
            f"{n:>8} {row['dedup']:8.2f} {row['classify']:10.2f} {row['total']:8.2f} {n / row['total']:9.0f} "
            f"{row['rss_corpus_mb']:7.0f} {row['peak_rss_mb']:11.0f} {exponent:>8} {versus}  {agree}".rstrip()
        )
        previous = row
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Benchmark dedup + classify on a synthetic corpus against a naive all-pairs baseline."
    )
    p.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated story counts (default {DEFAULT_SIZES})")
    p.add_argument("--runs", type=int, default=3, help="runs per size; the table shows medians (default 3)")
    p.add_argument("--naive-max", type=int, default=5000, help="largest size the naive baseline runs at (default 5000)")
    p.add_argument("--naive-runs", type=int, default=None, help="runs of the naive baseline (default: --runs)")
    p.add_argument(
        "--dag-runs", type=int, default=5, help="fresh processes that import the DAG file (default 5; 0 skips it)"
    )
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--json", help="also write the raw results to this file")
    p.add_argument("--child-ours", type=int, help=argparse.SUPPRESS)
    p.add_argument("--child-naive", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child_ours is not None:
        print(json.dumps(child_ours(args.child_ours, args.runs, args.seed)))
        return 0
    if args.child_naive is not None:
        print(json.dumps(child_naive(args.child_naive, args.runs, args.seed)))
        return 0

    try:
        sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    except ValueError:
        p.error(f"--sizes must be comma-separated numbers, not {args.sizes!r}")
    if not sizes or sizes[0] < 10 or args.runs < 1:
        p.error("sizes must be at least 10 stories and --runs at least 1")
    naive_runs = args.naive_runs if args.naive_runs is not None else args.runs
    say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    rows: list[dict[str, Any]] = []
    naive: dict[int, dict[str, Any]] = {}
    for n in sizes:
        say(f"{n} stories: dedup + classify, {args.runs} run(s)...")
        rows.append(_run_child("ours", n, args.runs, args.seed))
        if n <= args.naive_max:
            say(f"{n} stories: naive all-pairs dedup, {naive_runs} run(s)...")
            naive[n] = _run_child("naive", n, naive_runs, args.seed)
    dag = dag_import(args.dag_runs) if args.dag_runs > 0 else None

    print(
        f"dedup + classify on the synthetic corpus (seed {args.seed}); medians of {args.runs} run(s), naive of "
        f"{naive_runs}; {os.cpu_count()} CPUs"
    )
    print()
    for line in table(rows, naive):
        print(line)
    print()
    by_n = {row["n"]: row for row in rows}
    for n in sizes:
        if n * 10 in by_n:
            ratio = by_n[n * 10]["total"] / by_n[n]["total"]
            print(
                f"10x stories ({n} -> {n * 10}): {ratio:.1f}x the time (dedup "
                f"{by_n[n * 10]['dedup'] / by_n[n]['dedup']:.1f}x, classify "
                f"{by_n[n * 10]['classify'] / by_n[n]['classify']:.1f}x)"
            )
    for n, base in sorted(naive.items()):
        if base["stories_differ"]:
            print(
                f"{n} stories: {base['stories_differ']} stories end in a different cluster than with the naive baseline"
            )
    print(
        "RSS MB: the child process with the corpus loaded; peak RSS MB: its high-water mark (ru_maxrss) over the runs"
    )
    workers = {row["n"]: row.get("worker_peak_rss_mb", 0.0) for row in rows}
    if any(workers.values()):
        print(
            "classify's forked workers, largest peak RSS MB (pages shared with the parent counted in both): "
            + ", ".join(f"{n}: {mb:.0f}" for n, mb in sorted(workers.items()) if mb)
        )
    if dag is not None:
        if "error" in dag:
            print(f"DAG import: failed: {dag['error']}")
        else:
            heavy = ", ".join(dag["heavy"]) or "none"
            print(
                f"DAG import with Airflow loaded: {dag['seconds'] * 1000:.1f} ms (median of {len(dag['runs'])}); heavy "
                f"modules imported: {heavy}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps({"ours": rows, "naive": naive, "dag": dag}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
