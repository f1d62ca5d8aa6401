"""The weekly pipeline as a sequence of library calls: the same calls the DAG's tasks make.

Each step takes a ``Pipeline`` (settings, source config, store: ``briefing.context``, re-exported here)
and a week, reads what it needs from the store, writes its results back, and returns a small summary:
ids, counts and paths, never the data itself. ``run_week`` runs every step in order, which is what
``briefing run`` does without Airflow; ``redraft`` and ``record_form`` run select and render again for
an editor's decisions (``briefing.editorial``).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from .classify import Classifier, load_themes
from .context import Pipeline
from .dedup import Deduplicator, update_index
from .edition import (
    Drafts,
    TooLittleNews,
    build_edition,
    carried,
    carried_items,
    check_content,
    composer,
    edition_info,
    keep_revisions,
    render_drafts,
    withdraw_draft,
)
from .editorial import parse_form, record
from .enrich.endpoint import Endpoint
from .errors import BriefingError, ConfigError, PublishError
from .fetch import Client, fetch_sources
from .health import MIN_OK_SHARE, SourcesCheck
from .publish import DRAFTS, Archive, Published, file_names, publish_edition
from .publish.mail import Delivery, DkimKey, Mailer, Subscriber, deliver, load_subscribers, resend_addresses
from .records import Decision, English, EventEnglish, SourceResult, ThemeCount
from .select import choose_week
from .week import Week, latest_complete_week, parse_week

__all__ = [
    "MIN_OK_SHARE",
    "Drafts",
    "Pipeline",
    "SourcesFailed",
    "TooLittleNews",
    "WeekRun",
    "build_edition",
    "carried",
    "check_content",
    "check_sources",
    "check_week",
    "classify_week",
    "dedup_week",
    "deliver_week",
    "enrich_week",
    "fetch",
    "keep_revisions",
    "publish_week",
    "record_form",
    "redraft",
    "render_week",
    "run_week",
    "select_week",
    "week_subscribers",
    "withdraw_draft",
]

log = logging.getLogger(__name__)


class SourcesFailed(BriefingError):
    """Too few sources worked for the briefing to be trusted."""


class WeekRun(NamedTuple):
    """What ``run_week`` did: the published edition, and the emails (None when no mailer was given)."""

    published: Published
    delivery: Delivery | None


def fetch(
    p: Pipeline,
    run_id: str,
    source_ids: Sequence[str] | None = None,
    *,
    client: Client | None = None,
    progress: Callable[[SourceResult], None] | None = None,
    week: Week | None = None,
    now: datetime | None = None,
) -> list[SourceResult]:
    """Fetch the enabled sources (or the ones named) into the store.

    For a ``week`` older than the latest complete one, sources with an ``archive_url`` are read from
    their archive pages for that week, so a backfill finds stories that have left the live feed.
    """
    if source_ids:
        unknown = [i for i in source_ids if i not in {s.id for s in p.config.sources}]
        if unknown:
            raise ConfigError(f"{p.config.path}: no source with id {', '.join(map(repr, unknown))}")
        sources = [p.config.get(i) for i in source_ids]
    else:
        sources = list(p.config.enabled)
    past = week if week is not None and week < latest_complete_week(now or datetime.now(UTC), p.timezone) else None
    return fetch_sources(
        sources, client=client or Client(), store=p.store, tz=p.timezone, run_id=run_id, progress=progress, week=past
    )


def check_sources(results: Sequence[SourceResult], min_share: float = MIN_OK_SHARE) -> SourcesCheck:
    """Raise SourcesFailed when too few sources worked; otherwise the run's account of its sources,
    which says whether it is degraded (some failed) and, in plain words, which and why."""
    check = SourcesCheck.of(results, min_share)
    if not check.trustworthy:
        raise SourcesFailed(f"too few sources worked for a trustworthy briefing: {check.summary()}")
    return check


@dataclass(frozen=True)
class StageSummary:
    week: str
    stories: int
    clusters: int = 0
    per_theme: tuple[ThemeCount, ...] = ()
    earlier: int = 0  # stories that report what stories of earlier weeks reported (the dedup index)


def dedup_week(p: Pipeline, week: Week) -> StageSummary:
    """Add the week's stories to the store's dedup index, then cluster them and store the clusters.

    The week's clusters are the week's alone, so a week rebuilt later gives the same briefing; the index,
    across weeks, says which stories report what earlier weeks' stories did, and keeps every story's
    fingerprint, so that the week's texts are hashed once however often it is rebuilt."""
    stories = p.week_stories(week)
    weights = {s.id: s.weight for s in p.config.sources}
    index = update_index(p.store, stories, weights)
    if index.joined_earlier:
        log.info(
            "%s: %d of the week's stories report events that stories of earlier weeks reported",
            week,
            index.joined_earlier,
        )
    prints = {sid: found.fingerprint for sid, found in index.entries.items()}
    clusters = Deduplicator(weights).run(stories, fingerprints=prints).clusters
    p.store.save_clusters(str(week), clusters)
    log.info(
        "%s: %d stories in %d events (%d copies and rewrites folded)",
        week,
        len(stories),
        len(clusters),
        len(stories) - len(clusters),
    )
    return StageSummary(week=str(week), stories=len(stories), clusters=len(clusters), earlier=index.joined_earlier)


def classify_week(p: Pipeline, week: Week) -> StageSummary:
    """Classify the week's stories and store the themes."""
    stories = p.week_stories(week)
    classifier = Classifier(load_themes(p.themes_path))
    verdicts = classifier.classify_all(stories)
    p.store.save_classifications(str(week), verdicts)
    counts = Counter(v.primary or "none" for v in verdicts)
    log.info(
        "%s: classified %d stories: %s", week, len(stories), ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    return StageSummary(
        week=str(week), stories=len(stories), per_theme=tuple(ThemeCount(k, v) for k, v in sorted(counts.items()))
    )


def select_week(p: Pipeline, week: Week) -> StageSummary:
    """Rank the week's clusters, pick the lead and each section's stories, and store the selection whole."""
    chosen = choose_week(p, week)
    p.store.save_selection(str(week), chosen.picks)
    return StageSummary(week=str(week), stories=chosen.stories, clusters=chosen.clusters, per_theme=chosen.per_theme)


def render_week(p: Pipeline, week: Week) -> Drafts:
    """Render the week's HTML and PDF as drafts in the archive's ``.drafts/``, ready to approve and publish.

    A week below the deployment's minimum (``check_content``) raises TooLittleNews and renders nothing."""
    return render_drafts(p, week)


def redraft(p: Pipeline, week: Week) -> Drafts:
    """Select and render the week's drafts again from the store, with its decisions: no fetch."""
    select_week(p, week)
    return render_week(p, week)


def record_form(
    p: Pipeline, week: Week, answers: Mapping[str, Any], *, by: str, now: datetime | None = None
) -> list[Decision]:
    """Store the decisions an approval form's ``answers`` hold (``briefing.editorial``) and, when there are
    any, render the drafts again with them, so that what is published is what the editor decided.
    Bad input: EditError, nothing stored."""
    made = record(p, week, parse_form(answers), by=by, now=now)
    if made:
        redraft(p, week)
    return made


def publish_week(p: Pipeline, week: Week, *, now: datetime | None = None) -> Published:
    """Move the week's rendered drafts into the archive and refresh its index and feed."""
    html_name, pdf_name = file_names(str(week))
    archive = Archive(p.settings.archive)
    try:
        html = archive.read(f"{DRAFTS}/{html_name}").decode("utf-8")
        pdf = archive.read(f"{DRAFTS}/{pdf_name}")
    except PublishError as e:
        raise BriefingError(f"{week}: no rendered draft ({e}): run the render step first") from e
    info = edition_info(p, week)
    published = publish_edition(archive, str(week), html, pdf, info, public_url=p.settings.public_url)
    p.store.record_edition(
        str(week), published.html, published.pdf, info.stories, info.events, now or datetime.now(UTC)
    )
    log.info("%s: published %s and %s; the index is %s", week, published.html, published.pdf, published.index)
    return published


_NO_SUBSCRIBERS = (
    "no subscribers file (give --subscribers or set BRIEFING_SUBSCRIBERS)"
    " and no subscribers in the store (briefing subscribers add)"
)


def week_subscribers(p: Pipeline, subscribers_path: str | None = None) -> list[Subscriber]:
    """The subscribers file of the settings (or ``subscribers_path``), read and checked; without a file,
    the active subscribers of the store (``briefing subscribers``)."""
    path = subscribers_path or p.settings.subscribers
    if not path:
        from .publish.mail.subscribers import recipients

        if p.store.subscribers():
            return recipients(p.store)[0]
        raise ConfigError(_NO_SUBSCRIBERS)
    return load_subscribers(path, [t.id for t in load_themes(p.themes_path)])


def deliver_week(
    p: Pipeline,
    week: Week,
    *,
    mailer: Mailer | None,
    subscribers_path: str | None = None,
    subscribers: Sequence[Subscriber] | None = None,
    resend: bool | Collection[str] = False,
    dry_run: bool = False,
    dkim: DkimKey | None = None,
) -> Delivery:
    """Email the published week to every active subscriber who has not had it (see ``briefing.publish.mail``).

    The subscribers file (when there is one, or ``subscribers``) is imported into the store first
    (``briefing.publish.mail.subscribers``); the store's active subscribers are sent to, and those who unsubscribed
    or bounce are not. Each message carries the subscriber's one-click unsubscribe link when
    ``BRIEFING_UNSUBSCRIBE_URL`` and the secret are set, and is signed with ``dkim`` (else the key of
    the settings, if any). Afterwards permanent refusals are counted as bounces (``settle``).
    ``resend``: addresses to email again, or True (``"all"``) for everyone.
    """
    from .publish.mail.subscribers import import_subscribers, recipients, settle

    path = subscribers_path or p.settings.subscribers
    if subscribers is None and path:
        subscribers = week_subscribers(p, path)
    if subscribers is not None:
        imported = import_subscribers(p.store, subscribers)
        if imported.added or imported.updated:
            log.info("%s: subscribers imported into the store: %s", week, imported.summary())
    elif not p.store.subscribers():
        raise ConfigError(_NO_SUBSCRIBERS)
    send_to, held = recipients(p.store)
    compose = composer(p, week, dkim)
    delivery = deliver(str(week), send_to, compose, store=p.store, mailer=mailer, resend=resend, dry_run=dry_run)
    delivery = replace(settle(p.store, delivery, threshold=p.settings.bounce_threshold), held=tuple(held))
    if delivery.bounced or held:
        log.info("%s", delivery.summary())
    return delivery


def check_week(week: Week, tz: str, now: datetime) -> None:
    """ConfigError for a week that has not begun; a warning for one that has not ended."""
    start, end = week.bounds(tz)
    if start > now:
        raise ConfigError(
            f"week {week} has not begun yet (it starts on {week.monday:%A %d %B %Y}): there is nothing to build"
        )
    if end > now:
        log.warning(
            "%s is not over yet (it ends on %s): the edition covers its days so far", week, f"{week.sunday:%A %d %B %Y}"
        )


def run_week(
    p: Pipeline,
    week: Week | str,
    *,
    run_id: str | None = None,
    client: Client | None = None,
    progress: Callable[[SourceResult], None] | None = None,
    mailer: Mailer | None = None,
    subscribers_path: str | None = None,
    resend: bool | Collection[str] = False,
    now: datetime | None = None,
) -> WeekRun:
    """The whole pipeline for one week, without Airflow; emails only when a mailer is given.

    Everything that can be checked before the work starts is: the week has begun, the subscribers
    file reads and the addresses to resend to are subscribers.
    """
    w = parse_week(week) if isinstance(week, str) else week
    check_week(w, p.timezone, now or datetime.now(UTC))
    subscribers = week_subscribers(p, subscribers_path) if mailer else None
    if subscribers is not None:
        resend_addresses(resend, subscribers)
    results = fetch(p, run_id or f"cli:{w}:{datetime.now(UTC):%Y%m%dT%H%M%S}", client=client, progress=progress, week=w)
    checked = check_sources(results)
    (log.warning if checked.degraded else log.info)("%s: %s", w, checked.summary())
    dedup_week(p, w)
    classify_week(p, w)
    select_week(p, w)
    enrich_week(p, w, Endpoint.from_env(os.environ))
    render_week(p, w)
    published = publish_week(p, w)
    delivery = deliver_week(p, w, mailer=mailer, subscribers=subscribers, resend=resend) if mailer else None
    return WeekRun(published, delivery)


# -- the enrich step (briefing.enrich): English for the Chinese stories, why the top events matter -------


@dataclass(frozen=True)
class EnrichSummary:
    week: str
    model: str  # "" when there is no endpoint: the week is built offline
    events: int  # events the model was asked about (from the store or the endpoint)
    calls: int = 0
    cached: int = 0
    rejected: int = 0
    failed: int = 0


def enrich_week(p: Pipeline, week: Week, endpoint: Endpoint | None, *, client: object = None) -> EnrichSummary:
    """Ask the language model for the English of the week's selected events, and store it for render.

    Without an ``endpoint`` the week's English is the offline line alone: nothing is asked, and what an
    earlier run stored for the week is cleared, so that the edition says what this run made."""
    from .enrich import enrich, name_book, targets, top_ids

    p.store.save_week_english(str(week), [])
    if endpoint is None:
        log.info(
            "%s: no language model endpoint (BRIEFING_LLM_URL): the Chinese stories carry the offline English line",
            week,
        )
        return EnrichSummary(week=str(week), model="", events=0)
    edition = build_edition(p, week)
    stories = {s.id: s for s in p.week_stories(week)}
    clusters = {c.id: c for c in p.store.load_clusters(str(week))}
    items = list(carried_items(edition))
    themes = load_themes(p.themes_path)
    asked = targets(
        items, top_ids(edition.lead, edition.sections), stories=stories, clusters=clusters,
        sources={s.id: s for s in p.config.sources}, theme_names={t.id: t.name for t in themes}, book=name_book(),
    )  # fmt: skip
    result = enrich(asked, endpoint=endpoint, store=p.store, book=name_book(), client=client)
    rows = [
        EventEnglish(o.story_id, o.english or English(headline="", by="offline", author=endpoint.model), o.fallback)
        for o in result.outcomes
    ]
    p.store.save_week_english(str(week), rows)
    log.info(
        "%s: language model %s: %d events, %d requests (%d tokens), %d from the store, %d rejected and %d failed"
        " (they carry the offline line)",
        week, endpoint.model, len(asked), result.calls, result.tokens, result.cached, result.rejected, result.failed,
    )  # fmt: skip
    return EnrichSummary(
        week=str(week), model=endpoint.model, events=len(asked), calls=result.calls, cached=result.cached,
        rejected=result.rejected, failed=result.failed,
    )  # fmt: skip
