"""What the archive keeps about each week beside its files: a JSON sidecar with its lead headline and counts.

The index and the feed are built from the sidecars (``edition_infos``); a week whose sidecar is missing or
does not read is listed by its name alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..week import parse_week
from ._archive import Archive
from ._names import EDITION_FILE, file_names, info_name

__all__ = ["EditionInfo", "edition_infos"]


@dataclass(frozen=True)
class EditionInfo:
    """What the index and the feed say about a week: its lead headline and counts."""

    week: str
    lead: str = ""
    stories: int = 0
    events: int = 0
    #: what the archive's search finds the week by: each carried event as (headline, section, outlets, anchor)
    entries: tuple[tuple[str, str, str, str], ...] = ()


def edition_infos(archive: Archive) -> list[EditionInfo]:
    """Every published week of the archive (HTML and PDF both present), newest first."""
    names = set(archive.names())
    infos: list[EditionInfo] = []
    for name in names:
        m = EDITION_FILE.fullmatch(name)
        if not m or m["suffix"] != "html" or file_names(m["week"]).pdf not in names:
            continue
        infos.append(_info(archive, m["week"], names))
    return sorted(infos, key=lambda i: parse_week(i.week), reverse=True)


def _info(archive: Archive, week: str, names: set[str]) -> EditionInfo:
    """What the week's sidecar says; a week without one, or with one that does not read, has its name alone."""
    try:
        raw = json.loads(archive.read(info_name(week)).decode("utf-8")) if info_name(week) in names else {}
        entries = tuple(
            (str(e[0]), str(e[1]), str(e[2]), str(e[3]))
            for e in raw.get("entries") or ()
            if isinstance(e, list) and len(e) == 4
        )
        return EditionInfo(
            week=week,
            lead=str(raw.get("lead", "")),
            stories=int(raw.get("stories", 0)),
            events=int(raw.get("events", 0)),
            entries=entries,
        )
    except (OSError, ValueError):
        return EditionInfo(week=week)
