"""What an edition says beside its stories: each source's health, the mailing list, and the events per
theme of the last weeks (the trend chart), counting on the fly a week the store holds but never built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..health import health_rows as source_health_rows
from ..records import HealthRow, MailingHealth, Source, Theme, ThemeCount, WeekCounts
from ..week import parse_week

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["TREND_WEEKS", "health_rows", "mailing", "theme_counts_on_the_fly", "trend"]

#: the chart of stories per theme covers this many weeks, ending with the edition's
TREND_WEEKS = 8


def health_rows(p: Pipeline, shown: Sequence[Source], per_source: Mapping[str, int]) -> tuple[HealthRow, ...]:
    """Each shown source's latest fetch and what its history says, for the appendix."""
    return source_health_rows(p.store, shown, per_source)


def mailing(p: Pipeline, week: Week) -> MailingHealth | None:
    """The mailing list's counts for the appendix, as the week's first build found them (a rebuild or a
    backfill states the same); None when the store kept no subscribers then."""
    from ..publish.mail.subscribers import counts

    now = counts(p.store)
    kept = p.store.keep_week_mailing(
        str(week), {"active": now.active, "unsubscribed": now.unsubscribed, "bouncing": now.bouncing}
    )
    found = MailingHealth(
        active=kept.get("active", 0), unsubscribed=kept.get("unsubscribed", 0), bouncing=kept.get("bouncing", 0)
    )
    return found if found.total else None


def trend(p: Pipeline, week: Week, themes: Sequence[Theme]) -> tuple[WeekCounts, ...]:
    """Events per primary theme of the ``TREND_WEEKS`` weeks ending with ``week``, from the first week the
    store holds."""
    weeks = [str(week.previous(n)) for n in range(TREND_WEEKS - 1, -1, -1)]
    counts = p.store.theme_counts(weeks)
    for w in weeks:  # a week the store holds but never built is counted on the fly
        if not counts[w]:
            counts[w] = theme_counts_on_the_fly(p, parse_week(w))
    while len(weeks) > 1 and not counts[weeks[0]]:  # the chart starts with the first week the store holds
        weeks.pop(0)
    return tuple(WeekCounts(w, tuple(ThemeCount(t.id, counts[w].get(t.id, 0)) for t in themes)) for w in weeks)


def theme_counts_on_the_fly(p: Pipeline, week: Week) -> dict[str, int]:
    """Events per primary theme of a week never built: its stories deduplicated and classified in memory."""
    from ..classify import Classifier, load_themes
    from ..dedup import Deduplicator

    stories = p.week_stories(week)
    if not stories:
        return {}
    weights = {s.id: s.weight for s in p.config.sources}
    prints = {sid: found.fingerprint for sid, found in p.store.indexed([s.id for s in stories]).items()}
    clusters = Deduplicator(weights).run(stories, fingerprints=prints).clusters
    by_id = {s.id: s for s in stories}
    verdicts = Classifier(load_themes(p.themes_path)).classify_all([by_id[c.id] for c in clusters])
    return dict(Counter(v.primary for v in verdicts if v.primary))
