"""Editors' decisions about a week's edition (``briefing.editorial``), as the store keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Decision"]


@dataclass(frozen=True)
class Decision:
    """An editor's decision about a week's edition (``briefing.editorial``): who made it and when.

    ``target`` is a story id (an event is named by any of its stories, usually its representative's),
    or "" for the edition's own texts; ``value`` is a story id (merge), a theme id (move) or a text."""

    kind: str
    target: str
    value: str
    by: str
    at: datetime
