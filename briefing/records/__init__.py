"""The typed records that flow between the stages of the pipeline.

Every stage takes and returns these frozen dataclasses (and a few NamedTuples), never dicts with invented
keys. Datetimes are timezone-aware UTC; the briefing's timezone appears only at the edges (see ``week``).

The public face of the records; its private modules, by what the records are about:

- ``_stories``: a story as fetched and kept (``Story``, ``Fetched``), and the fingerprints and clusters
  the store's dedup index keeps of it (``Fingerprint``, ``IndexEntry``, ``Indexed``);
- ``_sources``: the outlets of the source config, what fetching one did (``SourceResult``, ``Validators``)
  and its health over the runs (``SourceHealth``, ``HealthRow``);
- ``_themes``: the taxonomy's themes, a story's scores on them, and events counted per theme;
- ``_selection``: events (``Cluster``) and what the select step chose of them (``Pick``, ``Item``,
  ``Section``, ``Selection``, ``Fold``, ``Figure``);
- ``_english``: English beside the Chinese stories (``briefing.enrich``);
- ``_edition``: a week's edition as the renderer needs it, its search entries and its files;
- ``_mail``: the mailing list and the delivery ledger;
- ``_decisions``: editors' decisions about an edition (``briefing.editorial``).
"""

from __future__ import annotations

from ._decisions import Decision
from ._edition import Edition, Revision, SearchEntry
from ._english import English, EnglishBy, EnglishReport, EventEnglish, LlmAnswer
from ._mail import DeliveryStatus, LedgerEntry, MailingHealth, SubscriberEntry, SubscriberStatus
from ._selection import Cluster, Figure, Fold, Item, Pick, Section, Selection
from ._sources import (
    FAILING_RUNS,
    HealthRow,
    Selectors,
    Source,
    SourceConfig,
    SourceHealth,
    SourceKind,
    SourceResult,
    Validators,
)
from ._stories import FINGERPRINT_VERSION, Fetched, Fingerprint, Indexed, IndexEntry, Lang, Story
from ._themes import Classification, Theme, ThemeCount, ThemeScore, WeekCounts

__all__ = [
    "FAILING_RUNS",
    "FINGERPRINT_VERSION",
    "Classification",
    "Cluster",
    "Decision",
    "DeliveryStatus",
    "Edition",
    "English",
    "EnglishBy",
    "EnglishReport",
    "EventEnglish",
    "Fetched",
    "Figure",
    "Fold",
    "Fingerprint",
    "HealthRow",
    "IndexEntry",
    "Indexed",
    "Item",
    "Lang",
    "LedgerEntry",
    "LlmAnswer",
    "MailingHealth",
    "Pick",
    "Revision",
    "SearchEntry",
    "Section",
    "Selection",
    "Selectors",
    "Source",
    "SourceConfig",
    "SourceHealth",
    "SourceKind",
    "SourceResult",
    "Story",
    "SubscriberEntry",
    "SubscriberStatus",
    "Theme",
    "ThemeCount",
    "ThemeScore",
    "Validators",
    "WeekCounts",
]
