"""The publish stage: the archive of editions, its index and Atom feed, and (in ``mail``) the email.

An edition is published into the archive (a local directory, or an object-storage URL through fsspec):
one PDF and one HTML per week, a JSON sidecar with its lead and counts, then the front page and the
feed, rebuilt from the sidecars. Every file is written atomically (a temporary file, then a rename), so
a reader never sees half a file and a failed write leaves the previous version in place. Nothing depends
on the clock: rebuilding the archive gives the same bytes.

The public face of the stage; its private modules:

- ``_names``: the archive's file names and areas, defined once (``file_names``, ``DRAFTS``,
  ``REVISIONS``, ``EDITION_FILE``, ``REVISION_NAME``...): the plugins and the DAG import them from here;
- ``_archive``: ``Archive``, whole-file writes, temporaries a killed writer left, revisions named by
  their content (``keep_revision``);
- ``_sidecar``: what the archive keeps about each week (``EditionInfo``); ``_feed``: the index and the
  feed; ``_edition``: ``publish_edition``, a week's files and then the index and the feed.

``briefing.publish.mail`` is the email: the subscribers file, the SMTP server, the delivery ledger's
deliveries, the messages, the mailing list kept in the store, one-click unsubscribe, and the rules of a
run's email step (``email_week``).
"""

from __future__ import annotations

from ._archive import STALE_TEMP, Archive, atomic_write, keep_revision, revision_name
from ._edition import Published, publish_edition
from ._feed import FEED_TITLE, write_feed, write_index
from ._names import (
    DRAFTS,
    EDITION_FILE,
    FEED,
    INDEX,
    PREFIX,
    REJECTED,
    REVISION_NAME,
    REVISIONS,
    EditionFiles,
    file_names,
    info_name,
)
from ._sidecar import EditionInfo, edition_infos

__all__ = [
    "DRAFTS",
    "EDITION_FILE",
    "FEED",
    "FEED_TITLE",
    "INDEX",
    "PREFIX",
    "REJECTED",
    "REVISIONS",
    "REVISION_NAME",
    "STALE_TEMP",
    "Archive",
    "EditionFiles",
    "EditionInfo",
    "Published",
    "atomic_write",
    "edition_infos",
    "file_names",
    "info_name",
    "keep_revision",
    "publish_edition",
    "revision_name",
    "write_feed",
    "write_index",
]
