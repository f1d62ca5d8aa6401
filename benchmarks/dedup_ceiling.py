"""Where dedup's recall on real same-event pairs is lost: a measurement, week-out over the development weeks.

Four tables, each per week (``real.DEV_DIRS``; the week of a story is its ISO week, as ``fit_events.py`` has it):

1. **Candidates**: the gold pairs (two stories the labellers gave one event); how many the candidate search
   proposes (``_event_candidates``, as dedup calls it, and without its fan-out cap); how many a perfect model
   could reach (the gold candidate pairs and the copies passes, joined transitively); how many the shipped
   dedup joins anyway; and, of those no perfect model could reach ("never compared"), their kinds and
   languages.
2. **Learners**: on the same candidate pairs and features (``events.features``, the vetoes of
   ``same_event_probability`` kept), the logistic model of ``fit_events.py``, a logistic model with the
   pairwise interactions of the features, and shallow gradient boosting, each fitted on the other weeks'
   pairs (and the written set's dev split, as ``fit_events.py``), at the thresholds that give pooled week-out
   pair precision 0.95 and 0.90; pair-level precision / recall, then the real ``dedup`` of the held-out week
   with the learner swapped in (cluster-level pairwise precision / recall).
3. **Linkage**: with the shipped weights and with the week-out logistic ones, the gold pairs the model scores
   at ``SAME_EVENT`` or above that end up in different clusters, and the week's precision / recall for ``LINK``
   from 0.30 to 0.60 (0 is single linkage: every pair above ``SAME_EVENT`` joins).
4. **Big events** (6 stories or more): what the pairs of one big event that dedup leaves apart share, against
   the pairs of two events, and how precise a rule "within 24 hours, a rare shared name, and both say
   launch/announce" would be over every pair of a week.

A development tool (scikit-learn: ``pip install scikit-learn``); it changes nothing that ships.

    python benchmarks/dedup_ceiling.py               # all four tables
    python benchmarks/dedup_ceiling.py --only 1 3    # some of them
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real import RealStory, load_dev

import briefing.dedup._deduplicator as deduplicator
import briefing.dedup._events as events
from briefing.dedup import KeywordReader, dedup, load_frequencies
from briefing.dedup import _linkage as linkage
from briefing.dedup._candidates import _event_candidates
from briefing.dedup._events import EventText
from briefing.text import nfkc

Pair = tuple[int, int]
#: the pair precisions the learners' thresholds are chosen for, on the pooled week-out pairs
TARGETS = (0.95, 0.90)
LINKS = (0.0, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60)
BIG_EVENT = 6


@dataclass
class Week:
    name: str
    stories: list[RealStory]
    texts: list[EventText]
    times: list[float | None]
    gold: set[Pair]
    candidates: list[Pair]  # as dedup proposes them (fan-out 20)
    uncapped: set[Pair]  # without the fan-out cap
    x: list[tuple[float, ...]]  # features of ``candidates``
    y: list[int]
    vetoed: list[bool]
    reasons: list[tuple[float, ...]]  # ``veto_reasons`` of ``candidates``
    shipped: list[float]  # the shipped model's probability


def _texts(stories: Sequence[RealStory]) -> list[EventText]:
    reader = KeywordReader()
    words = [events.event_words(nfkc(r.story.title), nfkc(r.story.body), reader) for r in stories]
    weight = events.batch_weight(words)
    return [events.weigh(w, weight) for w in words]


def _hours(times: Sequence[float | None], i: int, j: int) -> float:
    """Hours between two stories; 0 when one has no time, as dedup has it."""
    a, b = times[i], times[j]
    return abs(a - b) / 3600 if a is not None and b is not None else 0.0


def load_week(name: str, stories: list[RealStory]) -> Week:
    """A week's texts, gold pairs, candidate pairs and their features, as dedup computes them for the week."""
    texts = _texts(stories)
    times = [r.story.when.timestamp() if r.story.when else None for r in stories]
    gold = {(i, j) for i, j in itertools.combinations(range(len(stories)), 2) if stories[i].event == stories[j].event}
    candidates = sorted(_event_candidates(texts, times))
    uncapped = set(_event_candidates(texts, times, fanout=None))
    x, y, vetoed, shipped, reasons = [], [], [], [], []
    for i, j in candidates:
        a, b = stories[i].story, stories[j].story
        args = (texts[i], texts[j], _hours(times, i, j), a.source == b.source and bool(a.source), a.lang != b.lang)
        x.append(events.features(*args))
        y.append(int((i, j) in gold))
        vetoed.append(_vetoed(*args))
        reasons.append(veto_reasons(texts[i], texts[j], args[3], args[4]))
        shipped.append(events.same_event_probability(*args))
    return Week(name, stories, texts, times, gold, candidates, uncapped, x, y, vetoed, reasons, shipped)


def _vetoed(a: EventText, b: EventText, hours: float, same_source: bool, cross_language: bool) -> bool:
    """Whether ``same_event_probability``'s vetoes say 0 for the pair, whatever the weights."""
    saved = events.INTERCEPT, events.WEIGHTS
    events.INTERCEPT, events.WEIGHTS = 50.0, tuple(0.0 for _ in events.FEATURES)
    try:
        return bool(events.same_event_probability(a, b, hours, same_source, cross_language) == 0.0)
    finally:
        events.INTERCEPT, events.WEIGHTS = saved


#: the vetoes of ``same_event_probability``, in its order (restated here to tell them apart; the shipped
#: function stays the one that decides)
VETOES = ("milestones", "told apart", "genres apart", "other figures", "roundup elsewhere")


def veto_reasons(a: EventText, b: EventText, same_source: bool, cross_language: bool) -> tuple[float, ...]:
    """Which of ``VETOES`` hold for a pair (1.0 each), as ``same_event_probability`` tests them."""
    fewer = min(len(a.every_figure), len(b.every_figure))
    return (
        float(bool(a.milestones and b.milestones and a.milestones.isdisjoint(b.milestones))),
        float(not cross_language and a.keywords.told_apart(b.keywords)),
        float(a.genre.apart(b.genre, same_source, a.title == b.title)),
        float(fewer >= 3 and len(a.every_figure & b.every_figure) < 0.34 * fewer and not events._headline_figure(a, b)),
        float(events._roundup_elsewhere(a, b, cross_language)),
    )


def load_weeks() -> list[Week]:
    by_week: dict[str, list[RealStory]] = defaultdict(list)
    for r in load_dev():
        by_week[r.week].append(r)
    return [load_week(name, by_week[name]) for name in sorted(by_week)]


def written_week() -> Week:
    """The written set's dev split, which every fold trains on, as in ``fit_events.py`` (its pairs computed
    as one batch, as a week's are)."""
    from quality import load_eval

    written = [RealStory(g.story, g.themes, g.event, g.kind, "written") for g in load_eval() if g.split == "dev"]
    return load_week("written", written)


# --- clusters -------------------------------------------------------------------------------------------


def clusters(week: Week, events_pass: bool = True) -> list[int]:
    """Each story's cluster in the real dedup of the week (with the model and linkage as patched now); without
    ``events_pass``, the copies passes only (the same URL, the same words, near duplicates)."""
    saved = deduplicator._join_events
    if not events_pass:
        deduplicator._join_events = lambda *args, **kw: None
    try:
        found = dedup([r.story for r in week.stories])
    finally:
        deduplicator._join_events = saved
    index = {r.story.id: k for k, r in enumerate(week.stories)}
    out = [0] * len(week.stories)
    for n, c in enumerate(found):
        for m in c.members:
            out[index[m]] = n
    return out


def scored(week: Week, cluster: Sequence[int]) -> tuple[int, int, int]:
    """(joined pairs that are gold, joined pairs, gold pairs)."""
    members: dict[int, list[int]] = defaultdict(list)
    for k, c in enumerate(cluster):
        members[c].append(k)
    made = sum(len(m) * (len(m) - 1) // 2 for m in members.values())
    hit = sum(1 for i, j in week.gold if cluster[i] == cluster[j])
    return hit, made, len(week.gold)


def _pr(hit: int, made: int, gold: int) -> str:
    p = f"{hit / made:.3f}" if made else "  -  "
    return f"{p} / {hit / gold if gold else 0:.3f}"


# --- 1. candidates ----------------------------------------------------------------------------------------


def _mix(week: Week, i: int, j: int) -> tuple[str, str]:
    a, b = week.stories[i], week.stories[j]
    kinds = "/".join(sorted((a.kind, b.kind)))
    langs = "/".join(sorted((a.story.lang, b.story.lang)))
    return kinds, langs


def table_candidates(weeks: Sequence[Week]) -> None:
    print("\n## 1. The candidate ceiling (gold pairs within a week)\n")
    print("| week | gold | candidates | uncapped | reachable | joined | joined, not candidates | never compared |")
    print("|---|---|---|---|---|---|---|---|")
    totals: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    for week in weeks:
        cand = set(week.candidates)
        copies = clusters(week, events_pass=False)
        shipped = clusters(week)
        reach = linkage._UnionFind(len(week.stories))
        by_copy: dict[int, int] = {}
        for k, c in enumerate(copies):
            reach.union(by_copy.setdefault(c, k), k)
        for i, j in week.gold & cand:
            reach.union(i, j)
        reachable = {p for p in week.gold if reach.find(p[0]) == reach.find(p[1])}
        joined = {p for p in week.gold if shipped[p[0]] == shipped[p[1]]}
        never = week.gold - reachable
        row = {
            "gold": len(week.gold),
            "candidates": len(week.gold & cand),
            "uncapped": len(week.gold & week.uncapped),
            "reachable": len(reachable),
            "joined": len(joined),
            "joined, not candidates": len(joined - cand),
            "never": len(never),
        }
        totals.update(row)
        for i, j in never:
            kind, lang = _mix(week, i, j)
            kinds[kind] += 1
            langs[lang] += 1
        print(f"| {week.name} | " + " | ".join(str(v) for v in row.values()) + " |")
    print("| all | " + " | ".join(str(v) for v in totals.values()) + " |")
    print(f"\nnever compared, by kinds: {dict(kinds.most_common())}")
    print(f"never compared, by languages: {dict(langs.most_common())}")


# --- 2. learners ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    name: str
    make: Callable[[], Any]
    #: the vetoes as inputs (``veto_reasons``), the learner deciding, instead of a probability of 0
    lifted: bool = False


def _learners() -> list[Learner]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    def boosting() -> Any:
        return HistGradientBoostingClassifier(
            max_depth=3,
            max_iter=150,
            learning_rate=0.05,
            min_samples_leaf=20,
            l2_regularization=1.0,
            early_stopping=False,
        )

    return [
        Learner("logistic", lambda: LogisticRegression(C=1.0, max_iter=5000)),
        Learner(
            "logistic+interactions",
            lambda: make_pipeline(
                StandardScaler(),
                PolynomialFeatures(2, interaction_only=True, include_bias=False),
                StandardScaler(),
                LogisticRegression(C=0.3, max_iter=5000),
            ),
        ),
        Learner("boosting (depth 3)", boosting),
        Learner("boosting, vetoes as inputs", boosting, lifted=True),
    ]


def _inputs(week: Week, lifted: bool) -> list[tuple[float, ...]]:
    return [x + r for x, r in zip(week.x, week.reasons, strict=True)] if lifted else week.x


def week_out(weeks: Sequence[Week], learner: Learner, extra: Week) -> list[Any]:
    """Each week's model fitted on the other weeks' pairs and ``extra``'s."""
    import numpy as np

    models = []
    for held in weeks:
        train = [w for w in weeks if w is not held] + [extra]
        x = [row for w in train for row in _inputs(w, learner.lifted)]
        y = [v for w in train for v in w.y]
        models.append(learner.make().fit(np.array(x), np.array(y)))
    return models


def _predict(model: Any, week: Week, lifted: bool = False) -> list[float]:
    import numpy as np

    p = model.predict_proba(np.array(_inputs(week, lifted)))[:, 1] if week.x else []
    return [0.0 if v and not lifted else float(q) for q, v in zip(p, week.vetoed, strict=True)]


def threshold_for(scores: Sequence[float], y: Sequence[int], target: float) -> float:
    """The lowest threshold whose pairs at or above it are at least ``target`` precise (the most recall)."""
    best = 1.0
    hit = made = 0
    order = sorted(zip(scores, y, strict=True), reverse=True)
    for k, (s, v) in enumerate(order):
        hit, made = hit + v, made + 1
        if (k + 1 == len(order) or order[k + 1][0] < s) and s > 0 and hit >= target * made:
            best = s
    return best


def _pair_pr(scores: Sequence[float], y: Sequence[int], t: float) -> tuple[int, int, int]:
    hit = sum(1 for s, v in zip(scores, y, strict=True) if s >= t and v)
    made = sum(1 for s in scores if s >= t)
    return hit, made, sum(y)


class _Swapped:
    """``same_event_probability`` with a learner in place of the shipped weights (vetoes kept, unless
    ``lifted``: then they are inputs)."""

    def __init__(self, model: Any, week: Week, scores: Sequence[float], lifted: bool = False) -> None:
        self.model, self.lifted = model, lifted
        self.known = {tuple(x): s for x, s in zip(_inputs(week, lifted), scores, strict=True)}

    def __call__(self, a: EventText, b: EventText, hours: float, same_source: bool, cross_language: bool) -> float:
        if not self.lifted and _vetoed(a, b, hours, same_source, cross_language):
            return 0.0
        x = events.features(a, b, hours, same_source, cross_language)
        if self.lifted:
            x += veto_reasons(a, b, same_source, cross_language)
        found = self.known.get(x)
        if found is None:
            import numpy as np

            found = float(self.model.predict_proba(np.array([x]))[0, 1])
        return found


def run_swapped(week: Week, probability: Callable[..., float], same_event: float, link: float) -> tuple[int, int, int]:
    saved = linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK
    linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK = probability, same_event, link
    try:
        return scored(week, clusters(week))
    finally:
        linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK = saved


def table_vetoes(weeks: Sequence[Week]) -> None:
    print("Candidate pairs the vetoes set to 0, gold (one event) / false, by veto (a pair may have several):\n")
    print("| week | gold candidates | gold vetoed | false vetoed | " + " | ".join(VETOES) + " |")
    print("|---|---|---|---|" + "---|" * len(VETOES))
    tot = [0, 0, 0] + [[0, 0] for _ in VETOES]
    for w in weeks:
        row: list[Any] = [sum(w.y), sum(1 for v, y in zip(w.vetoed, w.y, strict=True) if v and y)]
        row.append(sum(1 for v, y in zip(w.vetoed, w.y, strict=True) if v and not y))
        for k in range(len(VETOES)):
            row.append([sum(1 for r, y in zip(w.reasons, w.y, strict=True) if r[k] and y == g) for g in (1, 0)])
        tot = [a + b if isinstance(a, int) else [a[0] + b[0], a[1] + b[1]] for a, b in zip(tot, row, strict=True)]
        print(f"| {w.name} | " + " | ".join(str(c) if isinstance(c, int) else f"{c[0]} / {c[1]}" for c in row) + " |")
    print("| all | " + " | ".join(str(c) if isinstance(c, int) else f"{c[0]} / {c[1]}" for c in tot) + " |\n")


def table_learners(weeks: Sequence[Week], extra: Week) -> dict[str, list[Any]]:
    print("\n## 2. Learners on the same candidates and features, week-out\n")
    table_vetoes(weeks)
    print("Pair level: candidate pairs of the held-out week (recall of the gold candidate pairs);")
    print("cluster level: the real dedup of the held-out week with the learner swapped in (LINK as shipped, 0.35),")
    print("recall of all the week's gold pairs.\n")
    fitted: dict[str, list[Any]] = {}
    y_all = [v for w in weeks for v in w.y]
    header = " | ".join(w.name[-3:] for w in weeks)
    print(f"| learner | threshold | level | {header} | pooled |")
    print("|---|---|---|" + "---|" * len(weeks) + "---|")
    for learner in _learners():
        name = learner.name
        models = week_out(weeks, learner, extra)
        fitted[name] = models
        scores = [_predict(m, w, learner.lifted) for m, w in zip(models, weeks, strict=True)]
        pooled = [s for ss in scores for s in ss]
        rows: list[tuple[str, float]] = [(f"P≥{t:.2f}", threshold_for(pooled, y_all, t)) for t in TARGETS]
        if name == "logistic":
            rows.insert(0, ("shipped 0.45", events.SAME_EVENT))
        for label, t in rows:
            cells, tot = [], [0, 0, 0]
            for ss, w in zip(scores, weeks, strict=True):
                r = _pair_pr(ss, w.y, t)
                tot = [a + b for a, b in zip(tot, r, strict=True)]
                cells.append(_pr(*r))
            print(f"| {name} | {label} ({t:.3f}) | pairs | " + " | ".join(cells) + f" | {_pr(*tot)} |")
            cells, tot = [], [0, 0, 0]
            for m, ss, w in zip(models, scores, weeks, strict=True):
                r = run_swapped(w, _Swapped(m, w, ss, learner.lifted), t, linkage.LINK)
                tot = [a + b for a, b in zip(tot, r, strict=True)]
                cells.append(_pr(*r))
            print(f"| {name} | {label} ({t:.3f}) | clusters | " + " | ".join(cells) + f" | {_pr(*tot)} |")
    return fitted


# --- 3. linkage -------------------------------------------------------------------------------------------


def table_linkage(weeks: Sequence[Week], logistic: Sequence[Any] | None) -> None:
    print("\n## 3. The linkage rule\n")
    models: list[tuple[str, Callable[[Week, int], Callable[..., float]]]] = [
        ("shipped weights", lambda w, k: events.same_event_probability)
    ]
    if logistic is not None:
        models.append(("week-out logistic", lambda w, k: _Swapped(logistic[k], w, _predict(logistic[k], w))))
    for label, probability in models:
        print(f"\n### {label}\n")
        print("Gold candidate pairs scored at SAME_EVENT or above, and how many of them dedup leaves apart;")
        print("pairs of two events scored there, and how many the linkage keeps apart.\n")
        print("| week | gold ≥ 0.45 | of them apart | false ≥ 0.45 | of them apart |")
        print("|---|---|---|---|---|")
        tot: Counter[str] = Counter()
        for k, w in enumerate(weeks):
            prob = probability(w, k)
            cluster = run_and_cluster(w, prob, events.SAME_EVENT, linkage.LINK)
            above = [
                (p, w.y[n])
                for n, p in enumerate(w.candidates)
                if prob(
                    w.texts[p[0]],
                    w.texts[p[1]],
                    _hours(w.times, *p),
                    w.stories[p[0]].story.source == w.stories[p[1]].story.source,
                    w.stories[p[0]].story.lang != w.stories[p[1]].story.lang,
                )
                >= events.SAME_EVENT
            ]
            row = Counter(
                {
                    "gold": sum(1 for _, v in above if v),
                    "gold apart": sum(1 for p, v in above if v and cluster[p[0]] != cluster[p[1]]),
                    "false": sum(1 for _, v in above if not v),
                    "false apart": sum(1 for p, v in above if not v and cluster[p[0]] != cluster[p[1]]),
                }
            )
            tot.update(row)
            print(f"| {w.name} | {row['gold']} | {row['gold apart']} | {row['false']} | {row['false apart']} |")
        print(f"| all | {tot['gold']} | {tot['gold apart']} | {tot['false']} | {tot['false apart']} |")
        print("\nLINK per week (cluster-level pairwise precision / recall; 0 = single linkage):\n")
        print("| LINK | " + " | ".join(w.name[-3:] for w in weeks) + " | pooled |")
        print("|---|" + "---|" * len(weeks) + "---|")
        for link in LINKS:
            cells, total = [], [0, 0, 0]
            for k, w in enumerate(weeks):
                r = run_swapped(w, probability(w, k), events.SAME_EVENT, link)
                total = [a + b for a, b in zip(total, r, strict=True)]
                cells.append(_pr(*r))
            print(f"| {link:.2f} | " + " | ".join(cells) + f" | {_pr(*total)} |")


def run_and_cluster(week: Week, probability: Callable[..., float], same_event: float, link: float) -> list[int]:
    saved = linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK
    linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK = probability, same_event, link
    try:
        return clusters(week)
    finally:
        linkage.same_event_probability, linkage.SAME_EVENT, linkage.LINK = saved


# --- 4. big events ----------------------------------------------------------------------------------------

LAUNCH = "~launch"


def _shared_names(a: EventText, b: EventText, rare: float) -> list[str]:
    freq = load_frequencies()
    return [n for n in a.names.keys() & b.names.keys() if freq.weight(n) >= rare]


def _product(a: EventText, b: EventText) -> bool:
    """A shared product code ("iphone15", "m3"): a name that is not of the dictionary."""
    return any(not n.startswith("@") for n in a.names.keys() & b.names.keys())


def _launch(t: EventText) -> bool:
    return LAUNCH in t.concepts


def _properties(week: Week, i: int, j: int) -> dict[str, bool]:
    a, b = week.texts[i], week.texts[j]
    hours = _hours(week.times, i, j)
    return {
        "≤24h": hours <= 24,
        "≤48h": hours <= 48,
        "a name": bool(a.names.keys() & b.names.keys()),
        "a rare name (w≥4.5)": bool(_shared_names(a, b, 4.5)),
        "a rarer name (w≥5.5)": bool(_shared_names(a, b, 5.5)),
        "a product code": _product(a, b),
        "both launch": _launch(a) and _launch(b),
        "same language": week.stories[i].story.lang == week.stories[j].story.lang,
    }


RULES: dict[str, Callable[[dict[str, bool]], bool]] = {
    "≤24h & rare name & both launch": lambda p: p["≤24h"] and p["a rare name (w≥4.5)"] and p["both launch"],
    "≤24h & rarer name & both launch": lambda p: p["≤24h"] and p["a rarer name (w≥5.5)"] and p["both launch"],
    "≤24h & product code": lambda p: p["≤24h"] and p["a product code"],
    "≤24h & product code & both launch": lambda p: p["≤24h"] and p["a product code"] and p["both launch"],
    "≤48h & rare name & both launch": lambda p: p["≤48h"] and p["a rare name (w≥4.5)"] and p["both launch"],
}


def table_big_events(weeks: Sequence[Week]) -> None:
    print(f"\n## 4. Big events ({BIG_EVENT} stories or more)\n")
    share_missed: Counter[str] = Counter()
    share_false: Counter[str] = Counter()
    n_missed = n_false = 0
    buckets: Counter[str] = Counter()
    print("| week | big events (stories) | their gold pairs | joined | missed |")
    print("|---|---|---|---|---|")
    rule_rows: dict[str, list[str]] = {r: [] for r in RULES}
    rule_tot: dict[str, Counter[str]] = {r: Counter() for r in RULES}
    for w in weeks:
        cluster = clusters(w)
        sizes = Counter(r.event for r in w.stories)
        big = {e for e, n in sizes.items() if n >= BIG_EVENT}
        big_pairs = [(i, j) for i, j in w.gold if w.stories[i].event in big]
        missed = [(i, j) for i, j in big_pairs if cluster[i] != cluster[j]]
        print(
            f"| {w.name} | {', '.join(str(sizes[e]) for e in sorted(big, key=lambda e: -sizes[e])) or '-'} | "
            f"{len(big_pairs)} | {len(big_pairs) - len(missed)} | {len(missed)} |"
        )
        scores = dict(zip(w.candidates, w.shipped, strict=True))
        for i, j in missed:
            n_missed += 1
            p = scores.get((i, j))
            buckets[
                "not a candidate" if p is None else "vetoed (0)" if p == 0 else f"{min(int(p * 10), 4) / 10:.1f}–"
            ] += 1
            share_missed.update(k for k, v in _properties(w, i, j).items() if v)
        counts: dict[str, Counter[str]] = {r: Counter() for r in RULES}
        for i, j in itertools.combinations(range(len(w.stories)), 2):
            gold = (i, j) in w.gold
            joined = cluster[i] == cluster[j]
            if joined and gold:
                continue  # already right; the rule matters only where dedup is wrong or apart
            props = _properties(w, i, j)
            if not gold and not joined:
                n_false += 1
                share_false.update(k for k, v in props.items() if v)
            for r, rule in RULES.items():
                if rule(props) and not joined:
                    counts[r]["new right" if gold else "new wrong"] += 1
        for r in RULES:
            rule_tot[r].update(counts[r])
            rule_rows[r].append(f"+{counts[r]['new right']} −{counts[r]['new wrong']}")
    print(f"\nthe missed pairs by the shipped model's probability: {dict(sorted(buckets.items()))}")
    print("\nWhat pairs share: the missed pairs of big events, against pairs of two events dedup keeps apart:\n")
    print("| property | missed big-event pairs | pairs of two events |")
    print("|---|---|---|")
    for k in _properties(weeks[0], 0, 1):
        print(
            f"| {k} | {share_missed[k]} of {n_missed} ({share_missed[k] / max(n_missed, 1):.0%}) | "
            f"{share_false[k]} of {n_false} ({share_false[k] / max(n_false, 1):.2%}) |"
        )
    print("\nA rule over every pair of a week that dedup leaves apart: gold pairs it would join (+) and pairs of")
    print("two events it would join (−); joining also joins their clusters, so the cluster cost is larger still:\n")
    print("| rule | " + " | ".join(w.name[-3:] for w in weeks) + " | all | precision |")
    print("|---|" + "---|" * len(weeks) + "---|---|")
    for r in RULES:
        t = rule_tot[r]
        made = t["new right"] + t["new wrong"]
        prec = f"{t['new right'] / made:.2f}" if made else "-"
        print(f"| {r} | " + " | ".join(rule_rows[r]) + f" | +{t['new right']} −{t['new wrong']} | {prec} |")


def main(argv: Iterable[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, nargs="*", default=[1, 2, 3, 4], help="which tables (1-4)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    weeks = load_weeks()
    print(f"{len(weeks)} weeks: " + ", ".join(f"{w.name} ({len(w.stories)} stories)" for w in weeks))
    if 1 in args.only:
        table_candidates(weeks)
    fitted = None
    if 2 in args.only or 3 in args.only:
        extra = written_week()
        if 2 in args.only:
            fitted = table_learners(weeks, extra)
        else:
            fitted = {"logistic": week_out(weeks, _learners()[0], extra)}
    if 3 in args.only:
        table_linkage(weeks, fitted["logistic"] if fitted else None)
    if 4 in args.only:
        table_big_events(weeks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
