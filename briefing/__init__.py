"""briefing: a weekly briefing on China's AI, computing, energy and science landscape.

The library behind the ``weekly_briefing`` Airflow DAG and the ``briefing`` command line. It knows
nothing of Airflow: every stage (sources, fetch, store, dedup, classify, select, edition, render, publish) is a plain
function over the typed records of ``briefing.records``.

A story's way from feed to email, stage by stage: ``fetch_sources`` reads each source into the ``Store``;
``update_index`` and the ``Deduplicator`` group copies and rewrites into one ``Cluster`` per event; the
``Classifier`` gives each story its themes; ``briefing.select`` ranks the events into the lead and the sections
(stored as ``Pick`` records); ``build_edition`` assembles the ``Edition`` that ``render_html`` and
``render_pdf`` render; ``publish_edition`` puts it in the ``Archive``; ``email_week`` mails it. ``Pipeline``
and ``run_week`` run them in order, as the DAG's tasks do one by one.

The names below are loaded when first used, so ``import briefing`` stays light (the DAG processor parses
the DAG file, and the plugins import ``briefing`` at run time only). Each stage's package (``briefing.fetch``,
``briefing.dedup``, ``briefing.select``...) has the rest of its public face in its own ``__all__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .classify import Classifier, load_themes
    from .context import Pipeline
    from .dedup import Deduplicator, update_index
    from .edition import build_edition
    from .errors import BriefingError, ConfigError, FetchError, ParseError, PublishError, RenderError, StoreError
    from .fetch import Client, fetch_sources
    from .pipeline import run_week
    from .publish import Archive, file_names, publish_edition
    from .publish.mail import deliver, email_week
    from .records import (
        Classification,
        Cluster,
        Edition,
        Item,
        Pick,
        Section,
        Source,
        SourceConfig,
        SourceResult,
        Story,
        Theme,
    )
    from .render import render_email, render_html, render_pdf
    from .settings import Settings
    from .sources import load_sources
    from .store import Store
    from .week import Week, parse_week

#: each public name and the module that defines it
_HOMES = {
    "Archive": "publish",
    "BriefingError": "errors",
    "Classification": "records",
    "Classifier": "classify",
    "Client": "fetch",
    "Cluster": "records",
    "ConfigError": "errors",
    "Deduplicator": "dedup",
    "Edition": "records",
    "FetchError": "errors",
    "Item": "records",
    "ParseError": "errors",
    "Pick": "records",
    "Pipeline": "context",
    "PublishError": "errors",
    "RenderError": "errors",
    "Section": "records",
    "Settings": "settings",
    "Source": "records",
    "SourceConfig": "records",
    "SourceResult": "records",
    "Store": "store",
    "StoreError": "errors",
    "Story": "records",
    "Theme": "records",
    "Week": "week",
    "build_edition": "edition",
    "deliver": "publish.mail",
    "email_week": "publish.mail",
    "fetch_sources": "fetch",
    "file_names": "publish",
    "load_sources": "sources",
    "load_themes": "classify",
    "parse_week": "week",
    "publish_edition": "publish",
    "render_email": "render",
    "render_html": "render",
    "render_pdf": "render",
    "run_week": "pipeline",
    "update_index": "dedup",
}

__all__ = [
    "Archive",
    "BriefingError",
    "Classification",
    "Classifier",
    "Client",
    "Cluster",
    "ConfigError",
    "Deduplicator",
    "Edition",
    "FetchError",
    "Item",
    "ParseError",
    "Pick",
    "Pipeline",
    "PublishError",
    "RenderError",
    "Section",
    "Settings",
    "Source",
    "SourceConfig",
    "SourceResult",
    "Store",
    "StoreError",
    "Story",
    "Theme",
    "Week",
    "__version__",
    "build_edition",
    "deliver",
    "email_week",
    "fetch_sources",
    "file_names",
    "load_sources",
    "load_themes",
    "parse_week",
    "publish_edition",
    "render_email",
    "render_html",
    "render_pdf",
    "run_week",
    "update_index",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its stage's module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
