"""The story store: every story ever fetched, and what each stage decided about it.

SQLAlchemy Core over a SQLite file (the default) or PostgreSQL (``BRIEFING_DB_URL``). Stories are keyed
by the id of their canonical URL, so refetching never duplicates a row: inserts skip rows that exist
(``ON CONFLICT DO NOTHING``). Each stage's results for a week (clusters, classifications) are replaced
in one transaction, so rerunning a stage gives the same rows. SQLAlchemy stays inside this package; the
rest of the library talks to ``Store``, and every database failure reaches it as a ``StoreError`` that
names the store (its URL without the password), never as a driver's exception.

The schema is made and migrated under a lock (SQLite: an immediate transaction; PostgreSQL: an
advisory lock), in one transaction, so processes that open a new store at once (a deployment's first
run, its fetch tasks side by side) wait for each other instead of racing to create the same tables.

Behind this face: ``_schema`` (the tables, ``MIGRATIONS``), ``_engine`` (the URL, the connection, the
schema lock, error translation) and one module per area ``Store`` keeps: ``_stories``, ``_runs``
(fetch runs, the HTTP cache), ``_index`` (the dedup index), ``_stages`` (clusters, themes),
``_editions`` (selections, editions), ``_ledger`` (deliveries), ``_subscribers``, ``_decisions`` and
``_english`` (the language model's answers, each week's English).
"""

from ._engine import describe_url, schema_version
from ._schema import SCHEMA_VERSION, metadata
from ._store import Store

__all__ = ["SCHEMA_VERSION", "Store", "describe_url", "metadata", "schema_version"]
