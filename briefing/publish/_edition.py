"""A week's edition into the archive: its PDF, its JSON sidecar and its HTML, then the index and the feed.

Rewriting a week replaces its files; it never adds a second copy.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from ._archive import Archive
from ._feed import write_feed, write_index
from ._names import DRAFTS, file_names, info_name
from ._sidecar import EditionInfo

__all__ = ["Published", "publish_edition"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """Where a week was published: local paths, or the objects' URLs."""

    week: str
    html: str
    pdf: str
    index: str
    feed: str | None = None


def publish_edition(
    archive: str | Path | Archive,
    week: str,
    html: str,
    pdf: bytes,
    info: EditionInfo | None = None,
    *,
    public_url: str = "",
) -> Published:
    """Write a week's HTML and PDF into ``archive`` (a directory or an object-storage URL), refresh the index
    and the feed."""
    store = archive if isinstance(archive, Archive) else Archive(archive)
    for area in ("", DRAFTS):
        for left in store.clean_temporaries(area):
            log.warning("removed %s, a temporary file a killed writer left in the archive", left)
    names = file_names(week)
    store.write(names.pdf, pdf)  # the PDF first: the HTML is what the index lists
    sidecar = json.dumps(asdict(info or EditionInfo(week=week)), ensure_ascii=False, sort_keys=True)
    store.write(info_name(week), sidecar.encode("utf-8"))
    html_at = store.write(names.html, html.encode("utf-8"))
    index = write_index(store)
    feed = write_feed(store, public_url=public_url)
    return Published(week=week, html=html_at, pdf=store.locate(names.pdf), index=index, feed=feed)
