"""The story store (briefing.store.Store) on real SQLite and real PostgreSQL: idempotent inserts, the
stories of a week, stage results replaced per week, fetch health, editions, the query plans of its
lookups, and the errors it raises."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from briefing.dedup import FINGERPRINT_VERSION
from briefing.errors import StoreError
from briefing.records import Classification, Cluster, Fetched, SourceResult, Story, ThemeScore
from briefing.store import Store
from briefing.text import content_hash
from briefing.urls import canonical_url, story_id
from briefing.week import Week

UTC = UTC
CST = timezone(timedelta(hours=8))
W47 = Week(2026, 47)
START, END = W47.bounds("Asia/Shanghai")  # 2026-11-15 16:00 UTC to 2026-11-22 16:00 UTC


@pytest.fixture
def store(store_on_each_backend: Store) -> Store:
    """Every test that takes a store runs on both back ends."""
    return store_on_each_backend


def story(
    slug: str,
    published: datetime | None,
    *,
    source: str = "harbour-tech-wire",
    fetched: datetime | None = None,
    **kw: object,
) -> Story:
    url = f"https://news.example.com/{source}/{slug}.html"
    return Story(
        id=story_id(url),
        source=source,
        url=url,
        title=kw.pop("title", f"Headline {slug}"),  # type: ignore[arg-type]
        summary=f"Summary of {slug}.",
        text=f"Text of {slug}.\n\nSecond paragraph.",
        lang=kw.pop("lang", "en"),  # type: ignore[arg-type]
        published=published,
        fetched=fetched or datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
        date_estimated=published is None,
    )


def rows(stories: Iterable[Story]) -> list[Fetched]:
    return [Fetched(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories]


A = story("a", datetime(2026, 11, 16, 9, 0, tzinfo=CST))  # Monday 01:00 UTC
B = story(
    "b", datetime(2026, 11, 18, 12, 0, tzinfo=UTC), source="zhongguancun-daily", lang="zh", title="国家算力网正式上线"
)
C = story("c", datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
EARLY = story("early", START - timedelta(seconds=1))  # the last second of W46
FIRST = story("first", START)  # the first instant of W47
LAST = story("last", END - timedelta(microseconds=1))
NEXT = story("next", END)  # the first instant of W48
UNDATED = story("undated", None, fetched=datetime(2026, 11, 19, tzinfo=UTC))
WEEK = [A, B, C, FIRST, LAST, UNDATED]
ALL = [*WEEK, EARLY, NEXT]


# -- stories -------------------------------------------------------------------------------------------------


def test_add_stories_returns_the_new_ids_and_is_idempotent(store: Store) -> None:
    assert store.add_stories(rows(ALL)) == [s.id for s in ALL]
    assert store.count_stories() == len(ALL)
    assert store.add_stories(rows(ALL)) == []
    assert store.count_stories() == len(ALL)


def test_add_stories_reports_only_the_new_ones_in_a_mixed_batch(store: Store) -> None:
    store.add_stories(rows([A, B]))
    assert store.add_stories(rows([B, C, A])) == [C.id]
    assert store.count_stories() == 3
    assert store.existing_ids([A.id, C.id, "0000000000000000"]) == {A.id, C.id}
    assert store.existing_ids([]) == set()


def test_existing_rows_are_never_changed(store: Store) -> None:
    store.add_stories(rows([A]))
    changed = replace(A, title="A different title", text="Different text.", fetched=datetime(2026, 12, 1, tzinfo=UTC))
    assert store.add_stories(rows([changed])) == []
    [got] = store.stories_between(START, END)
    assert got == A


def test_add_nothing(store: Store) -> None:
    assert store.add_stories([]) == []
    assert store.count_stories() == 0


def test_stories_round_trip_as_aware_utc(store: Store) -> None:
    store.add_stories(rows(WEEK))
    got = {s.id: s for s in store.stories_between(START, END)}
    assert got == {s.id: s for s in WEEK}  # aware datetimes compare by instant
    for s in got.values():
        assert s.published is None or s.published.utcoffset() == timedelta(0)
        assert s.fetched is not None and s.fetched.tzinfo == UTC
    assert got[B.id].title == "国家算力网正式上线" and got[B.id].lang == "zh"
    assert got[UNDATED.id].published is None and got[UNDATED.id].date_estimated


def test_stories_between_returns_the_weeks_stories_oldest_first(store: Store) -> None:
    store.add_stories(rows(reversed(ALL)))
    got = store.stories_between(START, END)
    assert [s.id for s in got] == [s.id for s in sorted(WEEK, key=lambda s: (s.when, s.id))]
    assert EARLY.id not in {s.id for s in got} and NEXT.id not in {s.id for s in got}
    assert [s.id for s in store.stories_between(*W47.next().bounds("Asia/Shanghai"))] == [NEXT.id]
    assert [s.id for s in store.stories_between(*W47.previous().bounds("Asia/Shanghai"))] == [EARLY.id]


def test_undated_story_is_placed_by_its_fetch_time(store: Store) -> None:
    late = story("fetched-late", None, fetched=END + timedelta(hours=1))
    store.add_stories(rows([late, UNDATED]))
    assert [s.id for s in store.stories_between(START, END)] == [UNDATED.id]


def test_ties_are_ordered_by_id(store: Store) -> None:
    same = datetime(2026, 11, 18, tzinfo=UTC)
    twins = [story(f"twin-{n}", same) for n in range(5)]
    store.add_stories(rows(twins))
    assert [s.id for s in store.stories_between(START, END)] == sorted(s.id for s in twins)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param(None, {s.id for s in WEEK}, id="all"),
        pytest.param(["zhongguancun-daily"], {B.id}, id="one-source"),
        pytest.param(["zhongguancun-daily", "harbour-tech-wire"], {s.id for s in WEEK}, id="both"),
        pytest.param(["no-such-source"], set(), id="unknown-source"),
        pytest.param([], set(), id="empty-list-means-none"),
    ],
)
def test_stories_between_sources_filter(store: Store, sources: list[str] | None, expected: set[str]) -> None:
    store.add_stories(rows(ALL))
    assert {s.id for s in store.stories_between(START, END, sources=sources)} == expected


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: replace(A, published=datetime(2026, 11, 16, 9)), id="naive-published"),
        pytest.param(lambda: replace(UNDATED, fetched=datetime(2026, 11, 19)), id="naive-fetched"),
    ],
)
def test_naive_datetimes_are_rejected(store: Store, bad: object) -> None:
    s = bad()  # type: ignore[operator]
    with pytest.raises((ValueError, StoreError)):
        store.add_stories(rows([C, s]))
    assert store.count_stories() == 0, "nothing of a rejected batch is stored"


def test_naive_bounds_are_rejected(store: Store) -> None:
    with pytest.raises((ValueError, StoreError)):
        store.stories_between(datetime(2026, 11, 16), datetime(2026, 11, 23))


def test_story_without_fetched_time_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match=A.url):
        store.add_stories(rows([replace(A, fetched=None)]))


# -- stage results ---------------------------------------------------------------------------------------------

CLUSTERS = [Cluster(id=A.id, members=tuple([A.id] + sorted([C.id, FIRST.id]))), Cluster(id=B.id, members=(B.id,))]
CLASSIFICATIONS = [
    Classification(
        story_id=A.id,
        themes=(
            ThemeScore(id="compute", score=0.812, evidence=(("data centre", 3, "title"), ("PFLOPS", 2, "text"))),
            ThemeScore(id="energy", score=0.4, evidence=(("UHV", 3, "text"),)),
        ),
    ),
    Classification(
        story_id=B.id, themes=(ThemeScore(id="compute", score=0.9, evidence=(("国家算力网", 3, "title"),)),)
    ),
    Classification(story_id=C.id, themes=()),
]


def by_id(clusters: list[Cluster]) -> list[Cluster]:
    return sorted(clusters, key=lambda c: c.id)


def test_clusters_load_back_equal_and_rerun_replaces(store: Store) -> None:
    store.add_stories(rows(ALL))
    store.save_clusters(str(W47), CLUSTERS)
    assert by_id(store.load_clusters(str(W47))) == by_id(CLUSTERS)
    store.save_clusters(str(W47), CLUSTERS)  # a rerun gives the same rows, not twice as many
    assert by_id(store.load_clusters(str(W47))) == by_id(CLUSTERS)
    regrouped = [Cluster(id=C.id, members=(C.id,)), Cluster(id=A.id, members=(A.id, FIRST.id))]
    store.save_clusters(str(W47), regrouped)
    assert by_id(store.load_clusters(str(W47))) == by_id(regrouped)
    store.save_clusters(str(W47), [])
    assert store.load_clusters(str(W47)) == []


def test_representative_comes_first_whatever_the_order_saved(store: Store) -> None:
    store.add_stories(rows(ALL))
    rep = max(A.id, C.id, FIRST.id)  # the representative sorts last by id
    others = sorted({A.id, C.id, FIRST.id} - {rep})
    store.save_clusters(str(W47), [Cluster(id=rep, members=tuple(others) + (rep,))])
    assert store.load_clusters(str(W47)) == [Cluster(id=rep, members=(rep, *others))]


def test_saving_one_week_leaves_other_weeks_alone(store: Store) -> None:
    store.add_stories(rows(ALL))
    store.save_clusters(str(W47), CLUSTERS)
    store.save_classifications(str(W47), CLASSIFICATIONS)
    store.save_clusters("2026-W48", [Cluster(id=NEXT.id, members=(NEXT.id,))])
    store.save_classifications("2026-W48", [Classification(story_id=NEXT.id, themes=())])
    store.save_clusters("2026-W48", [])
    store.save_classifications("2026-W48", [])
    assert by_id(store.load_clusters(str(W47))) == by_id(CLUSTERS)
    assert store.load_classifications(str(W47)) == {c.story_id: c for c in CLASSIFICATIONS}
    assert store.load_clusters("2026-W48") == [] and store.load_classifications("2026-W48") == {}


def test_classifications_load_back_equal_and_rerun_replaces(store: Store) -> None:
    store.add_stories(rows(ALL))
    store.save_classifications(str(W47), CLASSIFICATIONS)
    store.save_classifications(str(W47), CLASSIFICATIONS)
    got = store.load_classifications(str(W47))
    assert got == {c.story_id: c for c in CLASSIFICATIONS}
    assert got[A.id].primary == "compute" and got[C.id].primary is None
    store.save_classifications(str(W47), CLASSIFICATIONS[1:])
    assert set(store.load_classifications(str(W47))) == {B.id, C.id}


def test_theme_counts_count_representatives_by_primary_theme(store: Store) -> None:
    store.add_stories(rows(ALL))
    store.save_clusters(str(W47), CLUSTERS)
    extra = Classification(story_id=C.id, themes=(ThemeScore(id="energy", score=0.7),))  # C is not a representative
    store.save_classifications(str(W47), [*CLASSIFICATIONS[:2], extra])
    assert store.theme_counts([str(W47), "2026-W48"]) == {str(W47): {"compute": 2}, "2026-W48": {}}


# -- fetch health and editions ----------------------------------------------------------------------------------

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def result(source: str, status: str = "ok", **kw: object) -> SourceResult:
    return SourceResult(source=source, status=status, **kw)  # type: ignore[arg-type]


def test_record_fetch_for_the_same_run_and_source_replaces(store: Store) -> None:
    store.record_fetch("run-1", result("harbour-tech-wire", "error", error="HTTP 503", http_status=503), T0)
    store.record_fetch("run-1", result("harbour-tech-wire", stories=15, new=15, seconds=1.5), T0 + timedelta(minutes=5))
    store.record_fetch("run-1", result("east-compute-review", stories=14, new=3), T0)
    assert store.fetch_results("run-1") == [
        result("east-compute-review", stories=14, new=3),
        result("harbour-tech-wire", stories=15, new=15, seconds=1.5),
    ]
    assert store.fetch_results("no-such-run") == []


def test_latest_health_is_the_most_recent_result_per_source(store: Store) -> None:
    store.record_fetch("run-1", result("a-source", stories=10, new=10), T0)
    store.record_fetch("run-1", result("b-source", "error", error="timed out"), T0)
    store.record_fetch("run-2", result("a-source", "error", error="HTTP 404", http_status=404), T0 + timedelta(days=7))
    assert store.latest_health() == [
        result("a-source", "error", error="HTTP 404", http_status=404),
        result("b-source", "error", error="timed out"),
    ]


def test_latest_health_of_an_empty_store(store: Store) -> None:
    assert store.latest_health() == []


def test_record_fetch_rejects_a_naive_time(store: Store) -> None:
    with pytest.raises((ValueError, StoreError)):
        store.record_fetch("run-1", result("a-source"), datetime(2026, 11, 23))


def editions(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT week, html, pdf, stories, clusters FROM editions ORDER BY week").fetchall()


def test_record_edition_upserts(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(f"sqlite:///{path}") as s:
        s.record_edition("2026-W47", "a/2026-W47.html", "a/2026-W47.pdf", 80, 60, T0)
        s.record_edition("2026-W47", "b/2026-W47.html", "b/2026-W47.pdf", 82, 61, T0 + timedelta(hours=1))
        s.record_edition("2026-W46", "a/2026-W46.html", "a/2026-W46.pdf", 70, 50, T0)
    assert editions(path) == [
        ("2026-W46", "a/2026-W46.html", "a/2026-W46.pdf", 70, 50),
        ("2026-W47", "b/2026-W47.html", "b/2026-W47.pdf", 82, 61),
    ]


# -- opening the store ---------------------------------------------------------------------------------------------


def test_reopening_a_file_store_keeps_its_stories(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url) as s:
        s.add_stories(rows(WEEK))
    with Store(url) as s:
        assert s.count_stories() == len(WEEK)
        assert s.add_stories(rows(WEEK)) == []


def test_in_memory_store() -> None:
    with Store("sqlite://") as s:
        assert s.add_stories(rows([A])) == [A.id]


def test_a_new_sqlite_store_gets_its_directory(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'new' / 'dir' / 'store.sqlite'}") as store:
        assert store.count_stories() == 0


@pytest.mark.parametrize(
    ("url", "hidden"),
    [
        pytest.param("not a url", None, id="unparseable"),
        pytest.param("nosuchdialect://host/db", None, id="unknown-dialect"),
        pytest.param("sqlite:////dev/null/sub/store.sqlite", None, id="sqlite-dir-impossible"),
        pytest.param("mysql://briefing:s3cret-pw@127.0.0.1:1/briefing", "s3cret-pw", id="password-is-hidden"),
    ],
)
def test_bad_url_is_a_store_error(url: str, hidden: str | None) -> None:
    with pytest.raises(StoreError, match="cannot open the store") as info:
        Store(url)
    if hidden:
        assert hidden not in str(info.value)


def test_store_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema 99"):
        Store(f"sqlite:///{path}")


def test_plain_postgresql_url_uses_the_installed_driver() -> None:
    pytest.importorskip("psycopg2")
    with pytest.raises(StoreError) as info:  # nothing listens on port 1: the connection itself must fail
        Store("postgresql://briefing:pw@127.0.0.1:1/briefing?connect_timeout=2")
    assert "No module named" not in str(info.value), str(info.value)


_LOOKUPS = [  # (where, SQLite's index, PostgreSQL's)
    pytest.param(
        "placed >= '2026-11-15 16:00:00' AND placed < '2026-11-22 16:00:00'",
        "ix_stories_placed",
        "ix_stories_placed",
        id="week-by-published-time",
    ),
    pytest.param("source = 'source-7'", "ix_stories_source", "ix_stories_source", id="source"),
    pytest.param(
        "canonical_url = 'https://example.org/a'", "canonical_url", "stories_canonical_url_key", id="canonical-url"
    ),
    pytest.param("content_hash = 'abc'", "ix_stories_content_hash", "ix_stories_content_hash", id="content-hash"),
]


@pytest.mark.parametrize(("where", "index", "pg_index"), _LOOKUPS)
def test_week_queries_use_indexes_on_sqlite(tmp_path: Path, where: str, index: str, pg_index: str) -> None:
    """The query plans of the store's lookups: an index search, never a scan of every story."""
    import sqlalchemy as sa

    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as s, s.engine.connect() as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.execute(sa.text(f"EXPLAIN QUERY PLAN SELECT id FROM stories WHERE {where}"))
        )
    assert "SEARCH stories USING" in plan and index in plan, plan


@pytest.fixture(scope="module")
def postgres_with_a_year(postgres_url: str) -> Iterator[Store]:
    """A PostgreSQL store holding a year of stories (26,280: one every 20 minutes, 50 sources), analysed,
    so that the planner chooses as it would in production."""
    import sqlalchemy as sa

    from briefing.store import metadata

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()
    with Store(postgres_url) as s:
        with s.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO stories (id, source, url, canonical_url, title, summary, text, lang, published, "
                    "fetched, placed, date_estimated, content_hash) "
                    "SELECT substr(md5(i::text), 1, 32), 'source-' || (i % 50), 'https://example.org/' || i, "
                    "'https://example.org/' || i, "
                    "'Headline ' || i, '', 'Text ' || i, 'en', t, t, t, false, md5('text' || i) "
                    "FROM generate_series(1, 26280) AS i, "
                    "LATERAL (SELECT timestamp '2026-01-01' + i * interval '20 minutes' AS t) AS moment"
                )
            )
            conn.execute(sa.text("ANALYZE stories"))
        yield s


@pytest.mark.parametrize(("where", "index", "pg_index"), _LOOKUPS)
def test_week_queries_use_indexes_on_postgres(
    postgres_with_a_year: Store, where: str, index: str, pg_index: str
) -> None:
    """The same lookups on PostgreSQL with a year of stories: an index scan (plain or bitmap), no
    sequential scan of the stories."""
    import sqlalchemy as sa

    with postgres_with_a_year.engine.connect() as conn:
        plan = "\n".join(str(row[0]) for row in conn.execute(sa.text(f"EXPLAIN SELECT id FROM stories WHERE {where}")))
    assert "Seq Scan" not in plan and "Index" in plan and pg_index in plan, plan


def test_the_dedup_index_is_read_through_indexes(postgres_with_a_year: Store) -> None:
    """The queries ``indexed_between`` (the stories around a new week, with their fingerprints) and
    ``cluster_members`` run, explained on a year of indexed stories."""
    import sqlalchemy as sa

    store = postgres_with_a_year

    def explain(query: sa.Select[Any]) -> str:
        with store.engine.connect() as conn:
            compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
            return "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))

    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO dedup_index (story_id, placed, version, content, signable, bands, minhash, cluster) "
                f"SELECT id, placed, {FINGERPRINT_VERSION}, 0, true, decode(repeat('ab', 296), 'hex'), "
                "decode(repeat('cd', 444), 'hex'), id FROM stories"
            )
        )
        conn.execute(sa.text("ANALYZE dedup_index"))
    try:
        week = explain(store._window_query(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 22, tzinfo=UTC)))
        members = explain(store._members_query(["a", "b"]))
    finally:
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM dedup_index"))
    assert "ix_dedup_index_placed" in week and "ix_stories_placed" in week and "Seq Scan" not in week, week
    assert "ix_dedup_index_cluster" in members and "Seq Scan" not in members, members
