"""The store's engine: its URL and connection, the schema made or migrated under a lock, and database
failures translated into ``StoreError``.

The schema is made and migrated under a lock (SQLite: an immediate transaction; PostgreSQL: an
advisory lock), in one transaction, so processes that open a new store at once (a deployment's first
run, its fetch tasks side by side) wait for each other instead of racing to create the same tables.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._schema import MIGRATIONS, SCHEMA_VERSION, meta, metadata

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
    return (
        {"connect_timeout": CONNECT_TIMEOUT}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query
        else {}
    )


def describe_url(url: str) -> str:
    """The store's URL with its password hidden, for messages."""
    return _safe_url(_driver_url(url))


def schema_version(url: str) -> int | None:
    """The schema version of the store at ``url``, read without changing anything; None where no store
    has been made there yet. StoreError when the database cannot be reached."""
    url = _driver_url(url)
    try:
        parsed = sa.engine.make_url(url)
        if (
            parsed.get_backend_name() == "sqlite"
            and parsed.database
            and parsed.database != ":memory:"
            and not Path(parsed.database).exists()
        ):
            home = Path(parsed.database).resolve().parent
            while not home.exists():
                home = home.parent
            if not home.is_dir() or not os.access(home, os.W_OK | os.X_OK):
                raise StoreError(
                    f"cannot make the store at {_safe_url(url)}: {home} is not a directory this user can write"
                )
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



class StoreBase:
    """A handle on the store's engine: opened (the schema made or migrated under its lock), translating
    every database failure into a ``StoreError`` that names the store, and closed. The areas of ``Store``
    build on it."""

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
            version = (
                conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
                if existing
                else None
            )
            if version is not None and int(version) > SCHEMA_VERSION:
                raise StoreError(f"the store has schema {version}, newer than this code's {SCHEMA_VERSION}")
            if version is not None:
                inspector = sa.inspect(conn)
                for step in range(int(version) + 1, SCHEMA_VERSION + 1):
                    for table, column, sql_type in MIGRATIONS[step]:
                        if inspector.has_table(table) and (
                            column not in {c["name"] for c in inspector.get_columns(table)}
                        ):
                            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
                    conn.execute(sa.update(meta).where(meta.c.key == "schema_version").values(value=str(step)))
            metadata.create_all(conn, checkfirst=True)
            if version is None:
                conn.execute(
                    self._insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)).on_conflict_do_nothing()
                )
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _boundary(self) -> Iterator[None]:
        """The store's boundary: whatever goes wrong inside, a database failure or a row the store cannot
        read (a date SQLite's dialect cannot parse, JSON that does not decode), reaches the caller as a
        StoreError naming the store."""
        try:
            yield
        except StoreError:
            raise
        except (SQLAlchemyError, ValueError, TypeError, KeyError) as e:
            raise _Failed(_safe_url(self.url), _short(e)) from e

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        """A connection to read with, inside the store's boundary (``_boundary``)."""
        with self._boundary(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """A transaction, committed when the block ends and rolled back when it raises, inside the store's
        boundary. What the caller gives (a datetime to make naive, JSON to dump) is prepared before the
        block, so that a caller's mistake stays the caller's ValueError."""
        with self._boundary(), self.engine.begin() as conn:
            yield conn

    def _insert(self, table: sa.Table) -> Any:
        if self.engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)


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
