"""The gold same-event pairs the shipped dedup leaves apart, week by week: a reading aid, nothing that ships.

``score_real.py`` prints a week's figures and a few false merges, not its misses. This lists them, for each
development week (``real.DEV_DIRS``, by ISO week as ``fit_events.py`` has it): every gold event whose stories
dedup splits, its stories (cluster, source, language, weekday and time, kind, headline, the start of the
text) and, for each pair left apart, whether the candidate search proposed it, the shipped model's
probability and the vetoes that hold (``dedup_ceiling.VETOES``). Then one table of the misses' kinds: the
languages of the two stories, one outlet, an event of ``BIG_EVENT`` stories or more, never compared, vetoed,
and the shipped probability's band (a pair at ``SAME_EVENT`` or above is left apart by the linkage).

    python benchmarks/dedup_misses.py                      # every development week, then the table
    python benchmarks/dedup_misses.py --week 2024-W03      # one week (repeatable)
    python benchmarks/dedup_misses.py --table              # the table only
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_ceiling import BIG_EVENT, VETOES, Week, clusters, load_weeks, scored

from briefing.dedup import SAME_EVENT

#: the columns of the table, in order
COLUMNS = ("missed", "en-en", "zh-zh", "en-zh", "one outlet", "big event", "not candidate", "vetoed")
BANDS = ((0.1, "p<0.1"), (0.3, "0.1-0.3"), (SAME_EVENT, f"0.3-{SAME_EVENT}"), (1.01, "linkage"))


def _band(p: float) -> str:
    return next(name for top, name in BANDS if p < top)


def misses(week: Week, show: bool) -> Counter[str]:
    """The week's missed gold pairs counted by kind; with ``show``, each split event printed."""
    cluster = clusters(week)
    proposed = {pair: k for k, pair in enumerate(week.candidates)}
    size = Counter(r.event for r in week.stories)
    counts: Counter[str] = Counter()
    for i, j in week.gold:
        if cluster[i] == cluster[j]:
            continue
        a, b = week.stories[i], week.stories[j]
        counts["missed"] += 1
        counts["-".join(sorted((a.story.lang, b.story.lang)))] += 1
        counts["one outlet"] += a.story.source == b.story.source
        counts["big event"] += size[a.event] >= BIG_EVENT
        k = proposed.get((min(i, j), max(i, j)))
        if k is None:
            counts["not candidate"] += 1
        elif any(week.reasons[k]):
            counts["vetoed"] += 1
        else:
            counts[_band(week.shipped[k])] += 1
    if show:
        hit, made, gold = scored(week, cluster)
        print(f"\n## {week.name}: {hit} of {gold} gold pairs joined, {made} joined in all\n")
        by_event: dict[str, list[int]] = defaultdict(list)
        for k, r in enumerate(week.stories):
            by_event[r.event].append(k)
        for event, members in sorted(by_event.items(), key=lambda item: -len(item[1])):
            apart = [(i, j) for i, j in itertools.combinations(members, 2) if cluster[i] != cluster[j]]
            if not apart:
                continue
            print(f"{event} ({len(members)} stories, {len(apart)} pairs apart)")
            for k in members:
                r = week.stories[k]
                s = r.story
                when = f"{s.published:%a %H:%M}" if s.published else "-"
                print(f"  [{k}] cluster {cluster[k]} {s.source} {s.lang} {when} {r.kind}: {s.title[:100]!r}")
                print(f"        {s.body[:120]!r}")
            for i, j in apart:
                k = proposed.get((min(i, j), max(i, j)))
                if k is None:
                    print(f"    {i}-{j}: not a candidate")
                else:
                    vetoes = [VETOES[n] for n, held in enumerate(week.reasons[k]) if held]
                    print(
                        f"    {i}-{j}: p {week.shipped[k]:.3f}" + (f", vetoed: {', '.join(vetoes)}" if vetoes else "")
                    )
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", action="append", help="an ISO week to list (default: all)")
    parser.add_argument("--table", action="store_true", help="the table only")
    args = parser.parse_args()
    columns = COLUMNS + tuple(name for _, name in BANDS)
    rows = []
    total: Counter[str] = Counter()
    gold = 0
    for week in load_weeks():
        if args.week and week.name not in args.week:
            continue
        counts = misses(week, not args.table)
        rows.append((week.name, len(week.gold), counts))
        total.update(counts)
        gold += len(week.gold)
    print("\n| week | gold pairs | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    for name, n, counts in [*rows, ("all", gold, total)]:
        print(f"| {name} | {n} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
