"""The store's tables, and what migrates a store of an older schema to this one (``SCHEMA_VERSION``)."""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "metadata"]

SCHEMA_VERSION = 9
metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("source", sa.String(64), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("published", sa.DateTime, nullable=True),  # naive UTC
    sa.Column("fetched", sa.DateTime, nullable=False),  # naive UTC, first fetch
    sa.Column("placed", sa.DateTime, nullable=False, index=True),  # published, else fetched: the week key
    sa.Column("date_estimated", sa.Boolean, nullable=False, default=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
)

clusters = sa.Table(
    "clusters",
    metadata,
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("cluster_id", sa.String(32), nullable=False, index=True),
    sa.Column("week", sa.String(8), nullable=False, index=True),
)

classifications = sa.Table(
    "classifications",
    metadata,
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("week", sa.String(8), nullable=False, index=True),
    sa.Column("primary_theme", sa.String(32), nullable=True),
    sa.Column("themes", sa.Text, nullable=False),  # JSON: [[id, score, [[term, weight, where], ...]], ...]
)

fetch_runs = sa.Table(
    "fetch_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(128), nullable=False, index=True),
    sa.Column("source", sa.String(64), nullable=False, index=True),
    sa.Column("finished", sa.DateTime, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("http_status", sa.Integer, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("stories", sa.Integer, nullable=False),
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("warnings", sa.Text, nullable=True),  # JSON list of strings (schema 2)
)

selections = sa.Table(
    "selections",
    metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("story_id", sa.String(32), nullable=False),  # a cluster's representative
    sa.Column("section", sa.String(32), nullable=False),  # a theme id
    sa.Column("lead", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("follow_up", sa.Text, nullable=True),  # "week: headline" of the story it follows up (schema 3)
    # schema 9: the pick whole (records.Pick), so that render reads what select chose; NULL in older rows
    sa.Column("source_name", sa.Text, nullable=True),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column("themes", sa.Text, nullable=True),  # JSON, as classifications.themes
    sa.Column("also", sa.Text, nullable=True),  # JSON: [[source name, url], ...]
    sa.Column("outlets_zh", sa.Integer, nullable=True),
    sa.Column("outlets_en", sa.Integer, nullable=True),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("recipient", sa.String(320), primary_key=True),
    sa.Column("edition", sa.String(16), primary_key=True),
    sa.Column("status", sa.String(8), nullable=False),  # claimed | sending | sent | unknown (records.LedgerEntry)
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("message_id", sa.Text, nullable=True),
    sa.Column("owner", sa.String(200), nullable=True),  # the run that wrote the row: host:pid:start:token (schema 5)
)

http_cache = sa.Table(
    "http_cache",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text, nullable=True),
    sa.Column("last_modified", sa.Text, nullable=True),
    sa.Column("updated", sa.DateTime, nullable=False),
)

editions = sa.Table(
    "editions",
    metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("pdf", sa.Text, nullable=False),
    sa.Column("stories", sa.Integer, nullable=False),
    sa.Column("clusters", sa.Integer, nullable=False),
    sa.Column("built", sa.DateTime, nullable=False),
)


dedup_index = sa.Table(  # schema 4: every story's dedup fingerprint and its cluster across the whole store
    "dedup_index",
    metadata,
    sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("placed", sa.DateTime, nullable=False, index=True),  # the story's, so a window is read by index
    sa.Column("version", sa.Integer, nullable=False),  # dedup.FINGERPRINT_VERSION
    sa.Column("content", sa.BigInteger, nullable=False),  # the content key, as a signed 64-bit integer
    sa.Column("signable", sa.Boolean, nullable=False),
    sa.Column("bands", sa.LargeBinary, nullable=False),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Column("cluster", sa.String(32), nullable=False, index=True),  # the id of the cluster's representative
)

# schema 6: the language model's answers, keyed by story content, model and prompt (briefing.enrich)
llm_answers = sa.Table(
    "llm_answers",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("prompt_version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),  # ok | rejected (failed verification twice)
    sa.Column("answer", sa.Text, nullable=False),  # JSON: {"headline", "gist", "why"}, or {"reason"} when rejected
    sa.Column("created", sa.DateTime, nullable=False),
)

week_english = sa.Table(  # schema 6: the English of a week's selected events, as the enrich step made it
    "week_english",
    metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("story_id", sa.String(32), primary_key=True),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("gist", sa.Text, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("by", sa.String(8), nullable=False),  # model | offline | report (records.English)
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("fallback", sa.String(8), nullable=False),  # "", rejected or failed: why the model's answer is not used
)


decisions = sa.Table(  # schema 7: editors' decisions about a week's edition, in the order they were made
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("week", sa.String(8), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # briefing.editorial.KINDS
    sa.Column("target", sa.String(32), nullable=False),  # a story id ("" for the edition's own texts)
    sa.Column("value", sa.Text, nullable=False),  # a story id, a theme id or a text, by kind
    sa.Column("made_by", sa.String(200), nullable=False),
    sa.Column("made_at", sa.DateTime, nullable=False),  # naive UTC
)


subscribers = sa.Table(  # schema 8: the mailing list (records.SubscriberEntry)
    "subscribers",
    metadata,
    sa.Column("email", sa.String(320), primary_key=True),  # lower-cased: one row per address
    sa.Column("address", sa.String(320), nullable=False),  # as given
    sa.Column("name", sa.Text, nullable=False, default=""),
    sa.Column("themes", sa.Text, nullable=False, default=""),  # theme ids, space-separated
    sa.Column("status", sa.String(16), nullable=False),  # active | unsubscribed | bouncing
    sa.Column("token_id", sa.String(64), nullable=False, unique=True),
    sa.Column("bounces", sa.Integer, nullable=False, default=0),
    sa.Column("last_bounce", sa.String(8), nullable=True),
    sa.Column("changed", sa.DateTime, nullable=True),
    sa.Column("why", sa.Text, nullable=False, default=""),
)


#: what turns a store of the previous schema into this one: version -> columns added, as (table, column,
#: SQL type). New tables are made by ``create_all``; a column already there is left alone, so a migration
#: that was interrupted, or raced, is simply finished.
MIGRATIONS: dict[int, tuple[tuple[str, str, str], ...]] = {
    2: (("fetch_runs", "warnings", "TEXT"),),
    3: (("selections", "follow_up", "TEXT"),),
    4: (),  # a new table, dedup_index
    5: (("deliveries", "owner", "VARCHAR(200)"),),
    6: (),  # new tables, llm_answers and week_english (briefing.enrich)
    7: (),  # a new table, decisions (editors' decisions)
    8: (),  # a new table, subscribers
    9: tuple(  # the selection's picks stored whole (records.Pick); older rows keep NULL there and read as not whole
        ("selections", column, kind)
        for column, kind in (
            ("source_name", "TEXT"), ("summary", "TEXT"), ("themes", "TEXT"), ("also", "TEXT"),
            ("outlets_zh", "INTEGER"), ("outlets_en", "INTEGER"),
        )
    ),
}
