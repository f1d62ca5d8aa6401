"""Where an event's themes come from, measured on the real development weeks: for every cluster of two
stories or more (``dedup`` as the CLI runs it), the item's primary theme as select gives it
(``select.cluster_themes``) against the representative's own (the rule before), each compared with two golds:
the labelled primary of the representative, and the labelled primary most of the cluster's stories carry
(ties to the story the representative ranking prefers). Per ISO week: right and wrong under each, and every
cluster whose item primary changes. ``--variants`` also measures the rules rejected (docs/evaluation.md):
``plurality``, the primary most stories carry however few; ``outlets``, a majority of outlets, not of
stories; ``override``, the members' agreement over a representative's own theme (the primary most stories
carry, when more stories carry it than the representative's).

The representative ranking ends, on a tie, with the story id; ``--salt S`` gives every story another id
(a hash of S and its id), as another build gives them (the ids of a build depend on its URLs), to see the
rules on other draws of the tied representatives.

usage: python benchmarks/cluster_themes.py [--variants] [--salt S] [WEEKDIR ...]   (default: every development week)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.real import DEV_DIRS, RealStory, load_real
from briefing.classify import classify
from briefing.dedup import dedup, ranked
from briefing.records import Classification, Cluster, Story
from briefing.select import cluster_themes

Rule = Callable[[Cluster, Mapping[str, Story], Mapping[str, Classification]], str | None]


def before(cluster: Cluster, stories: Mapping[str, Story], classified: Mapping[str, Classification]) -> str | None:
    """The rule before: the representative's own primary."""
    return classified[cluster.id].primary


def after(cluster: Cluster, stories: Mapping[str, Story], classified: Mapping[str, Classification]) -> str | None:
    themes = cluster_themes(cluster, stories, classified, {}).themes
    return themes[0].id if themes else None


def _top(cluster: Cluster, stories: Mapping[str, Story], primary: Mapping[str, str | None]) -> tuple[str, int] | None:
    order = ranked([stories[m] for m in cluster.members], {})
    primaries = [p for s in order if (p := primary[s.id])]
    return Counter(primaries).most_common(1)[0] if primaries else None


def plurality(cluster: Cluster, stories: Mapping[str, Story], classified: Mapping[str, Classification]) -> str | None:
    """Rejected: a theme-less representative takes the primary most stories carry, however few."""
    if classified[cluster.id].primary:
        return classified[cluster.id].primary
    top = _top(cluster, stories, {m: classified[m].primary for m in cluster.members})
    return top[0] if top else None


def outlets(cluster: Cluster, stories: Mapping[str, Story], classified: Mapping[str, Classification]) -> str | None:
    """Rejected: as ``after``, but more than half of the event's outlets (an outlet's primary: its best-ranked
    story's) must carry the primary."""
    if classified[cluster.id].primary:
        return classified[cluster.id].primary
    first: dict[str, str | None] = {}
    for s in ranked([stories[m] for m in cluster.members], {}):
        first.setdefault(s.source, classified[s.id].primary)
    counts = Counter(p for p in first.values() if p)
    if not counts:
        return None
    top, most = counts.most_common(1)[0]
    return top if 2 * most > len(first) else None


def override(cluster: Cluster, stories: Mapping[str, Story], classified: Mapping[str, Classification]) -> str | None:
    """The members' agreement over the representative's own theme: the primary most stories carry (ties to
    the ranking), when more stories carry it than the representative's primary."""
    mine = after(cluster, stories, classified)
    order = ranked([stories[m] for m in cluster.members], {})
    primaries = [p for s in order if (p := classified[s.id].primary)]
    if not primaries:
        return mine
    counts = Counter(primaries)
    most = max(counts.values())
    top = next(p for p in primaries if counts[p] == most)
    return top if most > counts.get(mine or "", 0) else mine


def majority_gold(cluster: Cluster, stories: Mapping[str, Story], gold: Mapping[str, tuple[str, ...]]) -> str | None:
    order = ranked([stories[m] for m in cluster.members], {})
    primaries = [g[0] for s in order if (g := gold[s.id])]
    if not primaries:
        return None
    counts = Counter(primaries)
    most = max(counts.values())
    return next(p for p in primaries if counts[p] == most)


def _salted(real: list[RealStory], salt: str) -> list[RealStory]:
    if not salt:
        return real
    return [
        replace(r, story=replace(r.story, id=hashlib.sha1((salt + r.story.id).encode()).hexdigest()[:12])) for r in real
    ]


def measure(dirs: Sequence[Path], rules: Mapping[str, Rule], salt: str = "") -> None:
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    changes: list[str] = []
    for directory in dirs:
        real = _salted(load_real(directory), salt)
        stories = {r.story.id: r.story for r in real}
        gold = {r.story.id: r.gold for r in real}
        week = {r.story.id: r.week for r in real}
        classified = {c.story_id: c for c in classify([r.story for r in real])}
        for cluster in dedup([r.story for r in real]):
            if len(cluster.members) < 2:
                continue
            g1 = gold[cluster.id][0] if gold[cluster.id] else None
            g2 = majority_gold(cluster, stories, gold)
            got = {name: rule(cluster, stories, classified) for name, rule in rules.items()}
            for name, primary in got.items():
                row = tally[week[cluster.id]][name]
                row[0 if primary == g1 else 1] += 1
                row[2 if primary == g2 else 3] += 1
            if len(set(got.values())) > 1:
                shown = " ".join(f"{name}={primary}" for name, primary in got.items())
                changes.append(
                    f"{week[cluster.id]} {cluster.id} ({len(cluster.members)} stories) {shown}"
                    f" | gold rep={g1} members={g2} | {stories[cluster.id].title[:90]}"
                )
    names = list(rules)
    print("week      " + "  ".join(f"{n + ' rep r/w':>16} {n + ' maj r/w':>16}" for n in names))
    total = {n: [0, 0, 0, 0] for n in names}
    for wk in sorted(tally):
        cells = []
        for n in names:
            r = tally[wk][n]
            total[n] = [a + b for a, b in zip(total[n], r, strict=True)]
            cells.append(f"{r[0]:>12}/{r[1]:<3} {r[2]:>12}/{r[3]:<3}")
        print(f"{wk}  " + "  ".join(cells))
    print("total     " + "  ".join(f"{t[0]:>12}/{t[1]:<3} {t[2]:>12}/{t[3]:<3}" for t in total.values()))
    print(f"\n{len(changes)} clusters whose primary differs between the rules:")
    for line in changes:
        print(" ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", action="store_true", help="also measure the rejected rules")
    parser.add_argument("--salt", default="", help="give the stories other ids: another draw of the ties")
    parser.add_argument("dirs", nargs="*", type=Path)
    args = parser.parse_args()
    rules: dict[str, Rule] = {"before": before, "after": after}
    if args.variants:
        rules |= {"plurality": plurality, "outlets": outlets, "override": override}
    measure(args.dirs or list(DEV_DIRS), rules, args.salt)


if __name__ == "__main__":
    main()
