"""The archive's file names and areas, defined once: the library, the plugins and the DAG import them.

A week's edition is ``briefing-<week>.html`` and ``briefing-<week>.pdf`` beside a JSON sidecar
``briefing-<week>.json``; the archive's front page is ``index.html`` and its Atom feed ``feed.xml``.
Drafts awaiting approval live in ``.drafts/``, rejected drafts in ``.rejected/``, and every version a
run rendered or published in ``.revisions/`` under a name of its content (``briefing-2026-W47.<hash>.html``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "DRAFTS",
    "EDITION_FILE",
    "FEED",
    "INDEX",
    "PREFIX",
    "REJECTED",
    "REVISIONS",
    "REVISION_NAME",
    "EditionFiles",
    "file_names",
    "info_name",
]

#: every file of a week's edition starts with this, the week follows
PREFIX = "briefing-"
#: the archive's front page and its Atom feed
INDEX, FEED = "index.html", "feed.xml"
#: the area of the archive that holds rendered drafts awaiting approval
DRAFTS = ".drafts"
#: where a rejected draft is withdrawn to: out of the drafts the archive app lists, kept for the record
REJECTED = ".rejected"
#: every version of a week's files that a run rendered or published, named by its content
REVISIONS = ".revisions"

_WEEK = r"(?P<week>\d{4}-W\d{2})"
#: the name of a week's HTML or PDF (``fullmatch``): its ``week`` and its ``suffix``
EDITION_FILE = re.compile(rf"{re.escape(PREFIX)}{_WEEK}\.(?P<suffix>html|pdf)")
#: the name of a revision: the week's file name with the first 12 hex digits of its SHA-256 (``digest``) before
#: the suffix
REVISION_NAME = re.compile(rf"{re.escape(PREFIX)}{_WEEK}\.(?P<digest>[0-9a-f]{{12}})\.(?P<suffix>html|pdf)")


class EditionFiles(NamedTuple):
    """The names of a week's HTML and PDF in the archive."""

    html: str
    pdf: str


def file_names(week: str) -> EditionFiles:
    """``briefing-<week>.html`` and ``briefing-<week>.pdf``."""
    return EditionFiles(html=f"{PREFIX}{week}.html", pdf=f"{PREFIX}{week}.pdf")


def info_name(week: str) -> str:
    """The name of the week's JSON sidecar (its lead and counts, for the index and the feed)."""
    return f"{PREFIX}{week}.json"
