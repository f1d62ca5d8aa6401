"""The story store: every story ever fetched, and what each stage decided about it.

SQLAlchemy Core over a SQLite file (the default) or PostgreSQL (``BRIEFING_DB_URL``). Stories are keyed
by the id of their canonical URL, so refetching never duplicates a row: inserts skip rows that exist
(``ON CONFLICT DO NOTHING``). Each stage's results for a week (clusters, classifications) are replaced
in one transaction, so rerunning a stage gives the same rows. SQLAlchemy stays inside this module; the
rest of the library talks to ``Store``, and every database failure reaches it as a ``StoreError`` that
names the store (its URL without the password), never as a driver's exception.

The schema is made and migrated under a lock (SQLite: an immediate transaction; PostgreSQL: an
advisory lock), in one transaction, so processes that open a new store at once (a deployment's first
run, its fetch tasks side by side) wait for each other instead of racing to create the same tables.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError

from .dedup import FINGERPRINT_VERSION, Fingerprint
from .errors import StoreError
from .records import Classification, Cluster, Decision, English, LedgerEntry, SourceResult, Story, SubscriberEntry, ThemeScore

__all__ = ["SCHEMA_VERSION", "Store", "describe_url", "schema_version"]

SCHEMA_VERSION = 8
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

llm_answers = sa.Table(  # schema 6: the language model's answers, keyed by story content, model and prompt (briefing.enrich)
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
}

#: seconds a connection to PostgreSQL may take before the store gives up on the server
CONNECT_TIMEOUT = 10

#: the key of the PostgreSQL advisory lock held while the schema is made or migrated
_SCHEMA_LOCK = 0x62726965666E67  # "briefng"


def _naive_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("store needs aware datetimes")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _driver_url(url: str) -> str:
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the project installs psycopg2
        return "postgresql+psycopg2://" + url.split("://", 1)[1]
    return url


def _connect_args(parsed: sa.engine.URL) -> dict[str, Any]:
    """A server that stops answering must not hang a run: connections give up after CONNECT_TIMEOUT."""
    return {"connect_timeout": CONNECT_TIMEOUT} if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query else {}


def describe_url(url: str) -> str:
    """The store's URL with its password hidden, for messages."""
    return _safe_url(_driver_url(url))


def schema_version(url: str) -> int | None:
    """The schema version of the store at ``url``, read without changing anything; None where no store
    has been made there yet. StoreError when the database cannot be reached."""
    url = _driver_url(url)
    try:
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" and not Path(parsed.database).exists():
            home = Path(parsed.database).resolve().parent
            while not home.exists():
                home = home.parent
            if not home.is_dir() or not os.access(home, os.W_OK | os.X_OK):
                raise StoreError(f"cannot make the store at {_safe_url(url)}: {home} is not a directory this user can write")
            return None
        engine = sa.create_engine(url, connect_args=_connect_args(parsed))
        try:
            with engine.connect() as conn:
                if not sa.inspect(conn).has_table("meta"):
                    return None
                version = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        finally:
            engine.dispose()
    except StoreError:
        raise
    except SQLAlchemyError as e:
        raise StoreError(f"cannot reach the store at {_safe_url(url)}: {_short(e)}") from e
    except Exception as e:  # bad URL or missing driver
        raise StoreError(f"cannot reach the store at {_safe_url(url)}: {e}") from e
    return None if version is None else int(version)


class Store:
    """A handle on the story store at a SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        url = _driver_url(url)
        self.url = url
        try:
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)  # a new store in a new directory
            self.engine = sa.create_engine(url, future=True, pool_pre_ping=True, connect_args=_connect_args(parsed))
            event.listen(self.engine, "handle_error", self._translate)
            self._create()
        except _Failed as e:
            raise StoreError(f"cannot open the store at {_safe_url(url)}: {e.detail}") from e
        except StoreError:
            raise
        except SQLAlchemyError as e:
            raise StoreError(f"cannot open the store at {_safe_url(url)}: {_short(e)}") from e
        except Exception as e:  # bad URL or missing driver
            raise StoreError(f"cannot open the store at {_safe_url(url)}: {e}") from e

    def _translate(self, context: ExceptionContext) -> None:
        """Every database failure (a lost server, a refused connection, a bad value) becomes a StoreError."""
        raise _Failed(_safe_url(self.url), _short(context.sqlalchemy_exception or context.original_exception))

    def _create(self) -> None:
        """Make or migrate the schema in one transaction, under a lock that concurrent openers wait for."""
        sqlite_store = self.engine.dialect.name == "sqlite"
        if sqlite_store:
            self._wal()
        with self.engine.connect() as conn:
            if sqlite_store:
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, taken now: one opener at a time
            elif self.engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            existing = sa.inspect(conn).has_table("meta")
            version = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar() if existing else None
            if version is not None and int(version) > SCHEMA_VERSION:
                raise StoreError(f"the store has schema {version}, newer than this code's {SCHEMA_VERSION}")
            if version is not None:
                inspector = sa.inspect(conn)
                for step in range(int(version) + 1, SCHEMA_VERSION + 1):
                    for table, column, sql_type in MIGRATIONS[step]:
                        if inspector.has_table(table) and column not in {c["name"] for c in inspector.get_columns(table)}:
                            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
                    conn.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value=str(step)))
            metadata.create_all(conn, checkfirst=True)
            if version is None:
                conn.execute(self._insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)).on_conflict_do_nothing())
            conn.commit()

    def _wal(self, tries: int = 100) -> None:
        """Put a SQLite store in WAL mode. The switch fails at once, busy timeout or not, while another
        opener holds the schema lock: it is tried again until that one is done."""
        for attempt in range(tries):
            try:
                with self.engine.connect() as conn:
                    if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
                        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
                return
            except _Failed as e:
                if "locked" not in e.detail or attempt + 1 == tries:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _insert(self, table: sa.Table) -> Any:
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    # -- stories -----------------------------------------------------------------------------------

    def add_stories(self, items: Iterable[tuple[Story, str, str]]) -> list[str]:
        """Insert ``(story, canonical_url, content_hash)`` rows that are not stored yet.

        Returns the ids of the stories that were new. Existing rows are never changed.
        """
        rows = []
        for story, canonical, content_hash in items:
            placed = story.published or story.fetched
            if placed is None or story.fetched is None:
                raise StoreError(f"story {story.id} ({story.url}) has no fetched time")
            rows.append(
                {
                    "id": story.id,
                    "source": story.source,
                    "url": story.url,
                    "canonical_url": canonical,
                    "title": story.title,
                    "summary": story.summary,
                    "text": story.text,
                    "lang": story.lang,
                    "published": _naive_utc(story.published),
                    "fetched": _naive_utc(story.fetched),
                    "placed": _naive_utc(placed),
                    "date_estimated": story.date_estimated,
                    "content_hash": content_hash,
                }
            )
        if not rows:
            return []
        new: list[str] = []
        try:
            with self.engine.begin() as conn:
                for row in rows:  # one statement per row keeps RETURNING portable; a source has ~100
                    stmt = self._insert(stories).values(**row).on_conflict_do_nothing().returning(stories.c.id)
                    got = conn.execute(stmt).first()
                    if got is not None:
                        new.append(got[0])
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store stories: {_why(e)}") from e
        return new

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(list(ids))))}

    def stories_between(self, start: datetime, end: datetime, *, sources: Sequence[str] | None = None) -> list[Story]:
        """Stories placed in [start, end), oldest first (ties by id): the stories of a week."""
        q = sa.select(stories).where(stories.c.placed >= _naive_utc(start), stories.c.placed < _naive_utc(end))
        if sources is not None:
            q = q.where(stories.c.source.in_(list(sources)))
        q = q.order_by(stories.c.placed, stories.c.id)
        with self.engine.connect() as conn:
            return [_story(r) for r in conn.execute(q).mappings()]

    def count_stories(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar_one())

    # -- the dedup index ----------------------------------------------------------------------------

    def indexed(self, ids: Sequence[str]) -> dict[str, tuple[Fingerprint, str]]:
        """The fingerprints (of this code's version) and store-wide clusters of those of ``ids`` indexed."""
        out: dict[str, tuple[Fingerprint, str]] = {}
        q = sa.select(dedup_index).where(dedup_index.c.version == FINGERPRINT_VERSION)
        with self.engine.connect() as conn:
            for part in _batches(list(ids)):
                for r in conn.execute(q.where(dedup_index.c.story_id.in_(part))).mappings():
                    out[r["story_id"]] = (_fingerprint(r), r["cluster"])
        return out

    def indexed_between(self, start: datetime, end: datetime) -> list[tuple[Story, Fingerprint, str]]:
        """The indexed stories placed in [start, end), oldest first, with their fingerprints and clusters."""
        with self.engine.connect() as conn:
            return [(_story(r), _fingerprint(r), r["cluster"]) for r in conn.execute(self._window_query(start, end)).mappings()]

    def cluster_members(self, clusters: Sequence[str]) -> list[tuple[Story, Fingerprint, str]]:
        """Every indexed story of the given store-wide clusters."""
        out: list[tuple[Story, Fingerprint, str]] = []
        with self.engine.connect() as conn:
            for part in _batches(list(clusters)):
                out.extend((_story(r), _fingerprint(r), r["cluster"]) for r in conn.execute(self._members_query(part)).mappings())
        return out

    def _indexed_stories(self) -> sa.Select[Any]:
        return (
            sa.select(stories, dedup_index.c.content, dedup_index.c.signable, dedup_index.c.bands, dedup_index.c.minhash, dedup_index.c.cluster)
            .join(dedup_index, dedup_index.c.story_id == stories.c.id)
            .where(dedup_index.c.version == FINGERPRINT_VERSION)
            .order_by(dedup_index.c.placed, dedup_index.c.story_id)
        )

    def _window_query(self, start: datetime, end: datetime) -> sa.Select[Any]:
        # both sides by their own index: the rows of a window, never a scan of the store
        lo, hi = _naive_utc(start), _naive_utc(end)
        return self._indexed_stories().where(dedup_index.c.placed >= lo, dedup_index.c.placed < hi, stories.c.placed >= lo, stories.c.placed < hi)

    def _members_query(self, clusters: Sequence[str]) -> sa.Select[Any]:
        return self._indexed_stories().where(dedup_index.c.cluster.in_(list(clusters)))

    def save_index(self, rows: Sequence[tuple[Story, Fingerprint, str]]) -> None:
        """Insert or replace the index rows ``(story, fingerprint, cluster)``, in one transaction."""
        values = [
            {
                "story_id": story.id,
                "placed": _naive_utc(story.published or story.fetched),
                "version": FINGERPRINT_VERSION,
                "content": _signed64(f.content),
                "signable": f.signable,
                "bands": f.bands,
                "minhash": f.minhash,
                "cluster": cluster,
            }
            for story, f, cluster in rows
        ]
        if not values:
            return
        try:
            with self.engine.begin() as conn:
                stmt = self._insert(dedup_index)
                updated = {c: stmt.excluded[c] for c in ("placed", "version", "content", "signable", "bands", "minhash", "cluster")}
                for part in _batches(values, 500):
                    conn.execute(stmt.on_conflict_do_update(index_elements=[dedup_index.c.story_id], set_=updated), part)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the dedup index: {_why(e)}") from e

    def count_indexed(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(dedup_index)).scalar_one())

    # -- stage results -----------------------------------------------------------------------------

    def save_clusters(self, week: str, found: Sequence[Cluster]) -> None:
        rows = [{"story_id": m, "cluster_id": c.id, "week": week} for c in found for m in c.members]
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.delete(clusters).where(clusters.c.week == week))
                if rows:
                    conn.execute(sa.insert(clusters), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the clusters of {week}: {_why(e)}") from e

    def load_clusters(self, week: str) -> list[Cluster]:
        q = sa.select(clusters.c.cluster_id, clusters.c.story_id).where(clusters.c.week == week).order_by(clusters.c.cluster_id, clusters.c.story_id)
        grouped: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for cid, sid in conn.execute(q):
                grouped.setdefault(cid, []).append(sid)
        return [Cluster(id=cid, members=tuple(sorted(members, key=lambda m: (m != cid, m)))) for cid, members in grouped.items()]

    def save_classifications(self, week: str, found: Sequence[Classification]) -> None:
        rows = [
            {
                "story_id": c.story_id,
                "week": week,
                "primary_theme": c.primary,
                "themes": json.dumps([[t.id, t.score, [list(e) for e in t.evidence]] for t in c.themes], ensure_ascii=False),
            }
            for c in found
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.delete(classifications).where(classifications.c.week == week))
                if rows:
                    conn.execute(sa.insert(classifications), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the themes of {week}: {_why(e)}") from e

    def load_classifications(self, week: str) -> dict[str, Classification]:
        q = sa.select(classifications.c.story_id, classifications.c.themes).where(classifications.c.week == week)
        out: dict[str, Classification] = {}
        with self.engine.connect() as conn:
            for sid, blob in conn.execute(q):
                themes = tuple(
                    ThemeScore(id=t[0], score=float(t[1]), evidence=tuple((e[0], int(e[1]), e[2]) for e in t[2]))
                    for t in json.loads(blob)
                )
                out[sid] = Classification(story_id=sid, themes=themes)
        return out

    def theme_counts(self, weeks: Sequence[str]) -> dict[str, dict[str, int]]:
        """Clusters per primary theme for each of ``weeks`` (representatives only)."""
        q = (
            sa.select(classifications.c.week, classifications.c.primary_theme, sa.func.count())
            .join(clusters, clusters.c.story_id == classifications.c.story_id)
            .where(clusters.c.cluster_id == clusters.c.story_id, classifications.c.week.in_(list(weeks)))
            .group_by(classifications.c.week, classifications.c.primary_theme)
        )
        out: dict[str, dict[str, int]] = {w: {} for w in weeks}
        with self.engine.connect() as conn:
            for week, theme, n in conn.execute(q):
                if theme:
                    out[week][theme] = int(n)
        return out

    def save_selection(self, week: str, rows: Sequence[tuple[str, str, bool, float, str | None]]) -> None:
        """Replace the week's selection: ``(story id, section, lead, score, follow-up)`` in reading order."""
        values = [
            {"week": week, "position": n, "story_id": sid, "section": sec, "lead": lead, "score": score, "follow_up": follow_up}
            for n, (sid, sec, lead, score, follow_up) in enumerate(rows)
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.delete(selections).where(selections.c.week == week))
                if values:
                    conn.execute(sa.insert(selections), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the selection of {week}: {_why(e)}") from e

    def load_selection(self, week: str) -> list[tuple[str, str, bool, float, str | None]]:
        q = (
            sa.select(selections.c.story_id, selections.c.section, selections.c.lead, selections.c.score, selections.c.follow_up)
            .where(selections.c.week == week)
            .order_by(selections.c.position)
        )
        with self.engine.connect() as conn:
            return [(r[0], r[1], bool(r[2]), float(r[3]), r[4]) for r in conn.execute(q)]

    # -- the delivery ledger: each (week, recipient, edition) is emailed once ----------------------------
    # The policy (who may send, what a stale claim means) is briefing.deliver's; here are its rows.

    def ledger(self, week: str, edition: str) -> dict[str, LedgerEntry]:
        """Recipient -> ledger entry, for every delivery of ``week``'s ``edition``."""
        q = sa.select(deliveries).where(deliveries.c.week == week, deliveries.c.edition == edition)
        with self.engine.connect() as conn:
            return {r["recipient"]: _entry(r) for r in conn.execute(q).mappings()}

    def ledger_entry(self, week: str, recipient: str, edition: str) -> LedgerEntry | None:
        q = sa.select(deliveries).where(deliveries.c.week == week, deliveries.c.recipient == recipient, deliveries.c.edition == edition)
        with self.engine.connect() as conn:
            row = conn.execute(q).mappings().first()
        return _entry(row) if row is not None else None

    def swap_delivery(self, week: str, edition: str, expected: LedgerEntry | None, new: LedgerEntry | None) -> bool:
        """Compare and set one ledger row: replace ``expected`` (None: no row yet) by ``new`` (None: delete it).

        False, changing nothing, when the row is not ``expected`` any more (another run changed it first):
        rows are matched on their status and owner, and every claim has an owner of its own.
        """
        either = new or expected
        if either is None:
            return True
        recipient = either.recipient
        key = (deliveries.c.week == week, deliveries.c.recipient == recipient, deliveries.c.edition == edition)
        values = (
            {"status": new.status, "updated": _naive_utc(new.updated), "owner": new.owner, "message_id": new.message_id}
            if new is not None
            else None
        )
        with self.engine.begin() as conn:
            if expected is None:
                assert values is not None
                stmt = self._insert(deliveries).values(week=week, recipient=recipient, edition=edition, **values).on_conflict_do_nothing()
                return conn.execute(stmt.returning(deliveries.c.week)).first() is not None
            match = (*key, deliveries.c.status == expected.status, deliveries.c.owner.is_not_distinct_from(expected.owner))
            if values is None:
                return conn.execute(sa.delete(deliveries).where(*match)).rowcount == 1
            return conn.execute(sa.update(deliveries).where(*match).values(**values)).rowcount == 1

    def delivered(self, week: str) -> dict[str, str]:
        """Recipient -> status of every delivery of ``week``."""
        q = sa.select(deliveries.c.recipient, deliveries.c.status).where(deliveries.c.week == week)
        with self.engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(q)}

    # -- fetch health and editions -------------------------------------------------------------------

    def record_fetch(self, run_id: str, result: SourceResult, finished: datetime) -> None:
        """Record one source's fetch in ``run_id``; recording the same run and source again replaces it."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(fetch_runs).where(fetch_runs.c.run_id == run_id, fetch_runs.c.source == result.source))
            conn.execute(
                sa.insert(fetch_runs).values(
                    run_id=run_id,
                    source=result.source,
                    finished=_naive_utc(finished),
                    status=result.status,
                    http_status=result.http_status,
                    error=result.error,
                    stories=result.stories,
                    new=result.new,
                    seconds=result.seconds,
                    warnings=json.dumps(list(result.warnings), ensure_ascii=False) if result.warnings else None,
                )
            )

    def fetch_results(self, run_id: str) -> list[SourceResult]:
        q = sa.select(fetch_runs).where(fetch_runs.c.run_id == run_id).order_by(fetch_runs.c.source)
        with self.engine.connect() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]

    def latest_health(self) -> list[SourceResult]:
        """The most recent fetch result of every source."""
        latest = sa.select(fetch_runs.c.source, sa.func.max(fetch_runs.c.id).label("id")).group_by(fetch_runs.c.source).subquery()
        q = sa.select(fetch_runs).join(latest, latest.c.id == fetch_runs.c.id).order_by(fetch_runs.c.source)
        with self.engine.connect() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for ``url`` (for a conditional GET), or Nones."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == url)).first()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None, when: datetime) -> None:
        """Remember ``url``'s ETag and Last-Modified; a URL with neither is forgotten."""
        try:
            with self.engine.begin() as conn:
                if etag is None and last_modified is None:
                    conn.execute(sa.delete(http_cache).where(http_cache.c.url == url))
                    return
                stmt = self._insert(http_cache).values(url=url, etag=etag, last_modified=last_modified, updated=_naive_utc(when))
                conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_={"etag": etag, "last_modified": last_modified, "updated": _naive_utc(when)}))
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot remember the validators of {url}: {_why(e)}") from e

    def source_history(self, source: str, limit: int = 10) -> list[SourceResult]:
        """The last ``limit`` fetch results of ``source``, newest first."""
        q = sa.select(fetch_runs).where(fetch_runs.c.source == source).order_by(fetch_runs.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]

    def record_edition(self, week: str, html: str, pdf: str, story_count: int, cluster_count: int, built: datetime) -> None:
        stmt = self._insert(editions).values(week=week, html=html, pdf=pdf, stories=story_count, clusters=cluster_count, built=_naive_utc(built))
        stmt = stmt.on_conflict_do_update(index_elements=["week"], set_={"html": html, "pdf": pdf, "stories": story_count, "clusters": cluster_count, "built": _naive_utc(built)})
        with self.engine.begin() as conn:
            conn.execute(stmt)

    # -- the mailing list: subscribers and their status (records.SubscriberEntry) ------------------------
    # The policy (who is sent to, what a token proves, when a bounce counts) is briefing.subscribers' and
    # briefing.unsubscribe's; here are its rows, one per address (compared without case).

    def subscriber(self, email: str) -> SubscriberEntry | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email == email.strip().lower())).mappings().first()
        return _subscriber(row) if row is not None else None

    def subscriber_by_token(self, token_id: str) -> SubscriberEntry | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.token_id == token_id)).mappings().first()
        return _subscriber(row) if row is not None else None

    def subscribers(self, status: str | None = None) -> list[SubscriberEntry]:
        """Every subscriber (or those of one ``status``), by address."""
        q = sa.select(subscribers).order_by(subscribers.c.email)
        if status is not None:
            q = q.where(subscribers.c.status == status)
        with self.engine.connect() as conn:
            return [_subscriber(r) for r in conn.execute(q).mappings()]

    def keep_week_mailing(self, week: str, counts: dict[str, int]) -> dict[str, int]:
        """The mailing list's counts the week's edition states: the first ones kept for the week, else
        ``counts``, kept now; so a rebuild of the week states what its first build did."""
        key = f"mailing:{week}"
        try:
            with self.engine.begin() as conn:
                conn.execute(self._insert(meta).values(key=key, value=json.dumps(counts, sort_keys=True)).on_conflict_do_nothing())
                kept = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot keep the mailing list's counts of {week}: {_why(e)}") from e
        return {str(k): int(v) for k, v in json.loads(str(kept)).items()}

    def subscriber_counts(self) -> dict[str, int]:
        """Subscribers per status (every status present, 0 where none)."""
        out = {"active": 0, "unsubscribed": 0, "bouncing": 0}
        with self.engine.connect() as conn:
            for status, n in conn.execute(sa.select(subscribers.c.status, sa.func.count()).group_by(subscribers.c.status)):
                out[str(status)] = int(n)
        return out

    def add_subscriber(self, entry: SubscriberEntry, *, update: bool = True) -> str:
        """Add ``entry`` (its status and token as given); for an address already there, with ``update``,
        take its name and themes and leave its status alone. ``"added"``, ``"updated"`` or ``"unchanged"``."""
        key = entry.email.strip().lower()
        themes = " ".join(entry.themes)
        try:
            with self.engine.begin() as conn:
                stmt = self._insert(subscribers).values(
                    email=key, address=entry.email.strip(), name=entry.name, themes=themes, status=entry.status, token_id=entry.token_id,
                    bounces=entry.bounces, last_bounce=entry.last_bounce, changed=_naive_utc(entry.changed), why=entry.why,
                ).on_conflict_do_nothing(index_elements=[subscribers.c.email])
                if conn.execute(stmt.returning(subscribers.c.email)).first() is not None:
                    return "added"
                if not update:
                    return "unchanged"
                done = conn.execute(
                    sa.update(subscribers)
                    .where(subscribers.c.email == key, sa.or_(subscribers.c.name != entry.name, subscribers.c.themes != themes))
                    .values(name=entry.name, themes=themes)
                )
                return "updated" if done.rowcount else "unchanged"
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot add the subscriber {entry.email}: {_why(e)}") from e

    def remove_subscriber(self, email: str) -> bool:
        """Forget ``email`` (its old unsubscribe tokens become unknown); False when it was not there."""
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(subscribers).where(subscribers.c.email == email.strip().lower())).rowcount == 1

    def set_subscriber_status(self, email: str, status: str, *, why: str, when: datetime, only_from: Sequence[str] | None = None) -> bool:
        """Set ``email``'s status (from one of ``only_from``, when given); False when nothing changed."""
        match = [subscribers.c.email == email.strip().lower(), subscribers.c.status != status]
        if only_from is not None:
            match.append(subscribers.c.status.in_(list(only_from)))
        values: dict[str, Any] = {"status": status, "why": why, "changed": _naive_utc(when)}
        if status == "active":
            values.update(bounces=0, last_bounce=None)
        with self.engine.begin() as conn:
            return conn.execute(sa.update(subscribers).where(*match).values(**values)).rowcount == 1

    def record_bounce(self, email: str, week: str, *, threshold: int, why: str, when: datetime) -> SubscriberEntry | None:
        """Count a permanent refusal of ``email`` in ``week`` (once per week, however often it is retried);
        at ``threshold`` weeks an active subscriber becomes ``bouncing``. The row as it is now, or None."""
        key = email.strip().lower()
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email == key)).mappings().first()
            if row is None:
                return None
            if row["last_bounce"] != week:
                bounces = int(row["bounces"]) + 1
                values: dict[str, Any] = {"bounces": bounces, "last_bounce": week}
                if bounces >= threshold and row["status"] == "active":
                    values.update(status="bouncing", why=why, changed=_naive_utc(when))
                conn.execute(sa.update(subscribers).where(subscribers.c.email == key, subscribers.c.bounces == row["bounces"]).values(**values))
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email == key)).mappings().first()
        return _subscriber(row) if row is not None else None

    def clear_bounces(self, emails: Iterable[str]) -> None:
        """A message accepted: the addresses' refusals in a row start again from none."""
        keys = [e.strip().lower() for e in emails]
        with self.engine.begin() as conn:
            for part in _batches(keys):
                conn.execute(sa.update(subscribers).where(subscribers.c.email.in_(part), subscribers.c.bounces > 0).values(bounces=0, last_bounce=None))


    # -- editors' decisions (briefing.editorial): appended, never rewritten --------------------------

    def add_decisions(self, week: str, made: Sequence[Decision]) -> None:
        """Append ``made`` to the week's decisions, all or none."""
        rows = [{"week": week, "kind": d.kind, "target": d.target, "value": d.value, "made_by": d.by, "made_at": _naive_utc(d.at)} for d in made]
        try:
            with self.engine.begin() as conn:
                if rows:
                    conn.execute(sa.insert(decisions), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the decisions about {week}: {_why(e)}") from e

    def load_decisions(self, week: str) -> list[Decision]:
        """The week's decisions, oldest first."""
        q = sa.select(decisions).where(decisions.c.week == week).order_by(decisions.c.id)
        with self.engine.connect() as conn:
            return [
                Decision(kind=r["kind"], target=r["target"], value=r["value"], by=r["made_by"], at=_aware(r["made_at"]) or datetime.min.replace(tzinfo=UTC))
                for r in conn.execute(q).mappings()
            ]

    def published(self, week: str) -> bool:
        """Whether the week's edition has been published (``record_edition``)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(editions.c.week).where(editions.c.week == week)).first() is not None

    # -- the enrich step: the language model's answers and each week's English (briefing.enrich) ----------

    def llm_answers(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Key -> (status, answer JSON) of the stored answers among ``keys``."""
        out: dict[str, tuple[str, str]] = {}
        with self.engine.connect() as conn:
            for part in _batches(list(keys)):
                for r in conn.execute(sa.select(llm_answers.c.key, llm_answers.c.status, llm_answers.c.answer).where(llm_answers.c.key.in_(part))):
                    out[r[0]] = (r[1], r[2])
        return out

    def save_llm_answer(self, key: str, *, model: str, prompt_version: int, status: str, answer: str, when: datetime) -> None:
        """Store one answer; an answer stored under the same key is kept (the first answer stands)."""
        try:
            with self.engine.begin() as conn:
                stmt = self._insert(llm_answers).values(key=key, model=model, prompt_version=prompt_version, status=status, answer=answer, created=_naive_utc(when))
                conn.execute(stmt.on_conflict_do_nothing())
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store a language model's answer: {_why(e)}") from e

    def save_week_english(self, week: str, rows: Sequence[tuple[str, English, str]]) -> None:
        """Replace the English of ``week``'s events: ``(story id, english, fallback)`` rows."""
        values = [
            {"week": week, "story_id": sid, "headline": e.headline, "gist": e.gist, "why": e.why, "by": e.by, "author": e.author, "fallback": fallback}
            for sid, e, fallback in rows
        ]
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.delete(week_english).where(week_english.c.week == week))
                if values:
                    conn.execute(sa.insert(week_english), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the English of {week}: {_why(e)}") from e

    def load_week_english(self, week: str) -> dict[str, tuple[English, str]]:
        """Story id -> (english, fallback) of ``week``'s events, as ``save_week_english`` stored them."""
        q = sa.select(week_english).where(week_english.c.week == week)
        with self.engine.connect() as conn:
            return {
                r["story_id"]: (English(headline=r["headline"], gist=r["gist"], why=r["why"], by=r["by"], author=r["author"]), r["fallback"])
                for r in conn.execute(q).mappings()
            }


def _result(r: Any) -> SourceResult:
    return SourceResult(
        source=r["source"],
        status=r["status"],
        stories=r["stories"],
        new=r["new"],
        error=r["error"],
        http_status=r["http_status"],
        seconds=r["seconds"],
        warnings=tuple(json.loads(r["warnings"])) if r["warnings"] else (),
    )


def _story(r: Any) -> Story:
    return Story(
        id=r["id"],
        source=r["source"],
        url=r["url"],
        title=r["title"],
        summary=r["summary"],
        text=r["text"],
        lang=r["lang"],
        published=_aware(r["published"]),
        fetched=_aware(r["fetched"]),
        date_estimated=bool(r["date_estimated"]),
    )


def _entry(r: Any) -> LedgerEntry:
    updated = _aware(r["updated"])
    assert updated is not None  # the column is NOT NULL
    return LedgerEntry(recipient=r["recipient"], status=r["status"], updated=updated, owner=r["owner"], message_id=r["message_id"])


def _subscriber(r: Any) -> SubscriberEntry:
    return SubscriberEntry(
        email=r["address"],
        name=r["name"],
        themes=tuple(r["themes"].split()),
        status=r["status"],
        token_id=r["token_id"],
        bounces=int(r["bounces"]),
        last_bounce=r["last_bounce"],
        changed=_aware(r["changed"]),
        why=r["why"],
    )


def _fingerprint(r: Any) -> Fingerprint:
    return Fingerprint(content=int(r["content"]) % 2**64, signable=bool(r["signable"]), bands=bytes(r["bands"]), minhash=bytes(r["minhash"]))


def _signed64(value: int) -> int:
    """A 64-bit key as the signed integer SQL stores (``_fingerprint`` turns it back)."""
    return value - 2**64 if value >= 2**63 else value


def _batches(items: list[Any], size: int = 900) -> Iterable[list[Any]]:
    """Slices of at most ``size``: SQLite allows 999 parameters in a statement before 3.32."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _safe_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


class _Failed(StoreError):
    """A database failure, translated where it happened (``Store._translate``); ``detail`` says what failed."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"the store at {where} failed: {detail}")
        self.detail = detail


def _why(e: Exception) -> str:
    return e.detail if isinstance(e, _Failed) else _short(e)


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:300]
