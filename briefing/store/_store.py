"""``Store``: one handle on the store, composed of the areas it keeps, each in a module of its own."""

from __future__ import annotations

from ._decisions import Decisions
from ._editions import Editions
from ._english import Enrichment
from ._index import DedupIndex
from ._ledger import Ledger
from ._runs import Runs
from ._stages import StageResults
from ._stories import Stories
from ._subscribers import Subscribers

__all__ = ["Store"]


class Store(Stories, Runs, DedupIndex, StageResults, Editions, Ledger, Subscribers, Decisions, Enrichment):
    """A handle on the story store at a SQLAlchemy URL.

    Opening it (``Store(url)``) makes or migrates the schema (``StoreBase``); its methods are those of
    the areas it keeps: stories, fetch runs and the HTTP cache, the dedup index, each stage's results,
    selections and editions, the delivery ledger, subscribers, editors' decisions, and the language
    model's answers with each week's English. All share one engine.
    """
