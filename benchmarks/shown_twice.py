"""How often one real event is shown more than once in an edition: a measurement over the development
weeks (``DEV_DIRS``; never the blind weeks), nothing that ships.

Each ISO week is built on its own, in memory, by the calls ``briefing run`` makes after the fetch: the
week's stories deduplicated (``Deduplicator``, as ``briefing dedup``), classified, and ranked into the
lead and the sections (``select.select``), each outlet a source of weight 1 (as tests/test_real_week.py
serves them); then the cover's "This week in five" and "Only in the Chinese press" as the edition makes
them. Every shown item's cluster is mapped to its stories' gold events (``labels.jsonl``); an event is
shown twice when two items (two clusters: the lead heading its own section is one item) carry a story of
it. Where: the same section, the lead and another section's item, two sections. With ``--no-fold`` the
selection's fold of one event's picks (``select._folds``) is off: the figures before it.

Folds are counted right (the two items share a gold event) or wrong (they do not).

    python benchmarks/shown_twice.py [--no-fold] [--weeks 2023-W42,2023-W43]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real import DEV_DIRS, RealStory, load_real

from briefing.classify import DEFAULT_THEMES, Classifier, load_themes
from briefing.dedup import Deduplicator
from briefing.edition._assembly import _in_five
from briefing.records import Cluster, Fold, Item, Source
from briefing.select import select
from briefing.select._folds import FOLD_SAME_EVENT


def weeks() -> dict[str, list[RealStory]]:
    """Every development week's labelled stories, by ISO week (Asia/Shanghai), the blind weeks left out."""
    out: dict[str, list[RealStory]] = defaultdict(list)
    seen: set[str] = set()
    for directory in DEV_DIRS:
        for r in load_real(directory):
            if r.story.id not in seen:
                seen.add(r.story.id)
                out[r.week].append(r)
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Built:
    """A week's edition as shown: (where, item) for the lead and then each section's other items; the
    folds the selection made; the week's clusters by id."""

    lead: Item | None
    shown: list[tuple[str, Item]]
    folds: list[Fold]
    clusters: dict[str, Cluster]


def build(rows: list[RealStory], fold: float | None) -> Built:
    """The week's stories deduplicated, classified and selected, each outlet a source of weight 1."""
    stories = {r.story.id: r.story for r in rows}
    langs: dict[str, str] = {}
    for r in rows:
        langs.setdefault(r.story.source, r.story.lang)
    sources = {
        sid: Source(id=sid, name=sid, kind="feed", url=f"http://127.0.0.1/{sid}.xml", lang=lang)  # type: ignore[arg-type]
        for sid, lang in langs.items()
    }
    clusters = Deduplicator({sid: 1.0 for sid in sources}).run(list(stories.values())).clusters
    themes = load_themes(DEFAULT_THEMES)
    classified = {c.story_id: c for c in Classifier(themes).classify_all(list(stories.values()))}
    chosen = select(stories, clusters, classified, themes, sources, fold=fold)
    shown: list[tuple[str, Item]] = [("lead", chosen.lead)] if chosen.lead else []
    for sec in chosen.sections:
        shown += [(sec.theme.id, it) for it in sec.items if not chosen.lead or it.story.id != chosen.lead.story.id]
    return Built(chosen.lead, shown, list(chosen.folds), {c.id: c for c in clusters})


class Gold:
    """The gold events of a week's items (an item: its cluster's stories' events)."""

    def __init__(self, rows: list[RealStory], clusters: dict[str, Cluster]) -> None:
        self.event = {r.story.id: r.event for r in rows}
        self.clusters = clusters

    def of(self, item_id: str) -> set[str]:
        return {self.event[m] for m in self.clusters[item_id].members}

    def repeated(self, group: Sequence[Item]) -> int:
        """The events that two or more of ``group`` show."""
        seen: Counter[str] = Counter(ev for it in group for ev in self.of(it.story.id))
        return sum(1 for n in seen.values() if n > 1)


def measure(rows: list[RealStory], fold: float | None) -> tuple[dict[str, int], list[str]]:
    """One week's row of the table, and a line for each event shown twice and each fold."""
    built = build(rows, fold)
    gold = Gold(rows, built.clusters)
    places: dict[str, list[str]] = defaultdict(list)  # gold event -> where each item showing it stands
    for where, it in built.shown:
        for ev in gold.of(it.story.id):
            places[ev].append(where)
    twice = {ev: ws for ev, ws in places.items() if len(ws) > 1}
    items = [it for _, it in built.shown]
    right = [f for f in built.folds if gold.of(f.kept) & gold.of(f.folded)]
    lines = []
    for ev, ws in sorted(twice.items()):
        titles = [it.story.title[:60] for _, it in built.shown if ev in gold.of(it.story.id)]
        lines.append(f"    twice {ev} {ws}: " + " | ".join(titles))
    for f in built.folds:
        lines.append(f"    fold {'right' if f in right else 'WRONG'} p={f.probability}: {f.why}")
    row = {
        "items": len(items),
        "events": len(places),
        "twice": len(twice),
        "same": sum(1 for ws in twice.values() if "lead" not in ws and len(set(ws)) < len(ws)),
        "lead+": sum(1 for ws in twice.values() if "lead" in ws),
        "two": sum(1 for ws in twice.values() if "lead" not in ws and len(set(ws)) == len(ws)),
        "five": gold.repeated(_in_five(built.lead, items)),
        "zh": gold.repeated([it for it in items if it.outlets_zh and not it.outlets_en]),
        "folds": len(built.folds),
        "right": len(right),
        "wrong": len(built.folds) - len(right),
    }
    return row, lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--no-fold", action="store_true", help="the selection without the fold (before)")
    ap.add_argument("--threshold", type=float, default=FOLD_SAME_EVENT, help="the fold's same-event bar")
    ap.add_argument("--weeks", default="", help="comma-separated ISO weeks (default: every development week)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each event shown twice and each fold")
    args = ap.parse_args()
    wanted = set(filter(None, args.weeks.split(",")))
    total: Counter[str] = Counter()
    for n, (week, rows) in enumerate(weeks().items()):
        if wanted and week not in wanted:
            continue
        row, lines = measure(rows, None if args.no_fold else args.threshold)
        if not n or (wanted and not total):
            print(f"{'week':9} " + " ".join(f"{k:>{max(len(k), 3)}}" for k in row))
        total.update(row)
        print(f"{week:9} " + " ".join(f"{v:>{max(len(k), 3)}}" for k, v in row.items()))
        if args.verbose:
            for line in lines:
                print(line)
    print(f"{'all':9} " + " ".join(f"{v:>{max(len(k), 3)}}" for k, v in total.items()))


if __name__ == "__main__":
    main()
