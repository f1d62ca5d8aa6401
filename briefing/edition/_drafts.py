"""The week's drafts in the archive: rendered into ``.drafts/`` for approval, withdrawn to ``.rejected/``,
and kept as revisions for the links of the run that made them. An edition below the deployment's
minimum (``check_content``) is never rendered.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from ..errors import BriefingError
from ..publish import DRAFTS, REJECTED, Archive, file_names, keep_revision
from ..records import Edition, Revision
from ..render import render_html, render_pdf
from ._assembly import build_edition
from ._contents import carried

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["Drafts", "TooLittleNews", "check_content", "keep_revisions", "render_drafts", "withdraw_draft"]

log = logging.getLogger("briefing.pipeline")  # the name the render step's log lines have always had


class TooLittleNews(BriefingError):
    """The week holds fewer events or sources than a briefing needs (``BRIEFING_MIN_EVENTS``, ``..._SOURCES``)."""


class Drafts(NamedTuple):
    """The week's rendered drafts: where the HTML and the PDF are, and the edition they show."""

    html: str
    pdf: str
    edition: Edition


def check_content(edition: Edition, *, min_events: int, min_sources: int) -> None:
    """Raise TooLittleNews when ``edition`` is below the minimum; an empty week is never published."""
    events = edition.cluster_count
    sources = sum(1 for _, n in edition.sources if n)
    if events < min_events or sources < min_sources:
        raise TooLittleNews(
            f"{edition.week}: too little news to publish: {events} events from {sources} sources, "
            f"below the minimum of {min_events} events from {min_sources} sources (BRIEFING_MIN_EVENTS, "
            f"BRIEFING_MIN_SOURCES); "
            "nothing was rendered, so nothing can be approved, published or emailed"
        )


def render_drafts(p: Pipeline, week: Week) -> Drafts:
    """Render the week's HTML and PDF as drafts in the archive's ``.drafts/``, ready to approve and publish.

    A week below the deployment's minimum (``check_content``) raises TooLittleNews and renders nothing."""
    edition = build_edition(p, week)
    check_content(edition, min_events=p.settings.min_events, min_sources=p.settings.min_sources)
    html = render_html(edition)
    pdf = render_pdf(html, week=str(week))
    html_name, pdf_name = file_names(str(week))
    archive = Archive(p.settings.archive)
    pdf_at = archive.write(f"{DRAFTS}/{pdf_name}", pdf)
    html_at = archive.write(f"{DRAFTS}/{html_name}", html.encode("utf-8"))
    log.info(
        "%s: rendered the drafts %s and %s (PDF %d KB): %d stories in %d events, the briefing carries %d of them",
        week,
        html_at,
        pdf_at,
        len(pdf) // 1024,
        edition.story_count,
        edition.cluster_count,
        carried(edition),
    )
    return Drafts(html_at, pdf_at, edition)


def withdraw_draft(p: Pipeline, week: Week) -> list[str]:
    """Withdraw the week's rejected draft: move its files from ``.drafts/`` to ``.rejected/``; where they are now."""
    archive = Archive(p.settings.archive)
    moved = []
    for name in file_names(str(week)):
        if archive.exists(f"{DRAFTS}/{name}"):
            moved.append(archive.write(f"{REJECTED}/{name}", archive.read(f"{DRAFTS}/{name}")))
            archive.remove(f"{DRAFTS}/{name}")
    log.info("%s: draft withdrawn%s", week, f" to {', '.join(moved)}" if moved else " (there was none)")
    return moved


def keep_revisions(p: Pipeline, week: Week, *, draft: bool) -> Revision:
    """Keep the week's current draft (or published) HTML and PDF as revisions, for the links of the run that made them.

    A later run of the same week renders or publishes over the week's files, never over a revision, so
    the Draft and Published links of an older run still open what that run made."""
    archive = Archive(p.settings.archive)
    area = f"{DRAFTS}/" if draft else ""
    html_name, pdf_name = file_names(str(week))
    revision = Revision(
        week=str(week), html=keep_revision(archive, area + html_name), pdf=keep_revision(archive, area + pdf_name)
    )
    log.info(
        "%s: this run's %s is kept as the revisions %s and %s",
        week,
        "draft" if draft else "edition",
        revision.html,
        revision.pdf,
    )
    return revision
