"""Refit the same-event model of ``briefing.dedup`` on the real development set, and measure it honestly.

For every pair of stories that dedup's candidate search proposes (``dedup._candidates._event_candidates``), in the
real set and in the written set's dev split (which holds the translations the real set lacks), the
model's features (``events.features``) and whether the labellers gave both stories one event; a logistic
regression (scikit-learn, a development tool only: ``pip install scikit-learn``) fitted on all the pairs
gives the weights to paste into ``briefing/dedup/_events.py``. Then the figures that matter, cross-validated by
week: for each ISO week, the weights fitted on the other weeks' pairs run the real ``dedup`` over that
week's stories, and the pairwise precision and recall of its clusters are counted against the gold events
(and the recall of the gold pairs of a Chinese and an English story apart).

    python benchmarks/fit_events.py            # weights, and the cross-validated figures
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real import RealStory, load_dev

import briefing.dedup._events as events  # the model's weights are refitted and set here, where it reads them
from briefing.dedup import KeywordReader, dedup
from briefing.dedup import _linkage as linkage  # where dedup reads SAME_EVENT and LINK
from briefing.dedup._candidates import _event_candidates
from briefing.text import nfkc


def pairs(stories: list[RealStory]) -> tuple[list[tuple[float, ...]], list[int], list[str]]:
    reader = KeywordReader()
    words = [events.event_words(nfkc(r.story.title), nfkc(r.story.body), reader) for r in stories]
    weight = events.batch_weight(words)
    texts = [events.weigh(w, weight) for w in words]
    times = [r.story.published.timestamp() if r.story.published else None for r in stories]
    x, y, week = [], [], []
    for i, j in _event_candidates(texts, times):
        a, b = stories[i].story, stories[j].story
        hours = abs((times[i] or 0) - (times[j] or 0)) / 3600
        x.append(events.features(texts[i], texts[j], hours, a.source == b.source, a.lang != b.lang))
        y.append(int(stories[i].event == stories[j].event))
        week.append(min(stories[i].week, stories[j].week))
    return x, y, week


def pairwise(stories: list[RealStory]) -> tuple[int, int, int, int, int]:
    """(pairs clustered together that share a gold event, pairs clustered together, gold pairs, and of
    the gold pairs of two languages, those clustered together and all)."""
    found = dedup([r.story for r in stories])
    cluster = {m: c.id for c in found for m in c.members}
    by_event = defaultdict(list)
    for r in stories:
        by_event[r.event].append(r.story.id)
    gold = {frozenset(p) for ids in by_event.values() for p in itertools.combinations(ids, 2)}
    made = {
        frozenset((a, b))
        for a, b in itertools.combinations([r.story.id for r in stories], 2)
        if cluster[a] == cluster[b]
    }
    lang = {r.story.id: r.story.lang for r in stories}
    cross = {p for p in gold if len({lang[s] for s in p}) == 2}
    return len(made & gold), len(made), len(gold), len(made & cross), len(cross)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threshold",
        type=float,
        default=events.SAME_EVENT,
        help="the pair probability that joins (default: %(default)s)",
    )
    parser.add_argument(
        "--link",
        type=float,
        default=linkage.LINK,
        help="the average probability two clusters need (default: %(default)s)",
    )
    args = parser.parse_args()
    linkage.SAME_EVENT, linkage.LINK = args.threshold, args.link
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("fit_events.py needs scikit-learn: pip install scikit-learn") from None
    stories = load_dev()
    x, y, week = pairs(stories)
    # the written set's dev split too: the real set has almost no translation among its candidate pairs,
    # the written one has 27 (its other split, "tuned", stays out)
    from quality import load_eval

    written = [RealStory(g.story, g.themes, g.event, g.kind, "written") for g in load_eval() if g.split == "dev"]
    wx, wy, wweek = pairs(written)
    x, y, week = x + wx, y + wy, week + wweek
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    print(f"{len(y)} candidate pairs, {sum(y)} of them one event")
    print(f"INTERCEPT = {model.intercept_[0]:.2f}")
    print("WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in model.coef_[0]) + ")")
    for name, w in zip(events.FEATURES, model.coef_[0], strict=True):
        print(f"  {name:16} {w:+.2f}")
    saved = events.INTERCEPT, events.WEIGHTS
    totals = [0, 0, 0, 0, 0]
    for held in sorted({r.week for r in stories}):  # the real weeks; the written pairs always train
        train = [k for k, w in enumerate(week) if w != held]
        fold = LogisticRegression(C=1.0, max_iter=5000).fit([x[k] for k in train], [y[k] for k in train])
        events.INTERCEPT, events.WEIGHTS = float(fold.intercept_[0]), tuple(float(w) for w in fold.coef_[0])
        counts = pairwise([r for r in stories if r.week == held])
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        hit, made, gold, cross_hit, cross = counts
        print(
            f"{held} held out: pairwise precision {hit / max(made, 1):.3f}, recall {hit / max(gold, 1):.3f} ({gold} "
            f"gold pairs); two languages: recall {cross_hit / max(cross, 1):.3f} ({cross} gold pairs)"
        )
    events.INTERCEPT, events.WEIGHTS = saved
    print(
        f"cross-validated by week, all weeks: precision {totals[0] / max(totals[1], 1):.3f}, recall "
        f"{totals[0] / max(totals[2], 1):.3f} (pairs within a week); two languages: recall "
        f"{totals[3] / max(totals[4], 1):.3f} ({totals[4]} gold pairs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
