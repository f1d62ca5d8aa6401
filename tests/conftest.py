"""Shared fixtures: the demo web on a free port, a demo config pointing at it, a fresh SQLite store, a
database of its own on the machine's PostgreSQL (127.0.0.1:5432, trust auth) for the store's Postgres
mode, and an Airflow metadata database migrated once per session and copied for each test that wants a
fresh Airflow."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.demo import DemoServer
from briefing.store import Store

from .airflow_home import AIRFLOW, airflow_env
from .ci_services import pytest_runtest_makereport  # noqa: F401  (under CI=true a skip for want of a service fails)

ROOT = Path(__file__).resolve().parent.parent

#: the longest test files, longest first (their CPU-seconds measured with a per-test log on 2 December 2026,
#: after the speed pass), so that make test's workers (pytest-xdist, a file per worker at a time) run them beside
#: the quick ones instead of after them; the deployments (make test-integration) lead
LONGEST_FIRST = (
    "test_integration_celery.py",
    "test_integration_celery_runs.py",
    "test_install.py",
    "test_e2e_mail.py",
    "test_editorial_dag.py",
    "test_doctor.py",
    "test_e2e_dag.py",
    "test_dedup_index.py",
    "test_editorial.py",
    "test_store_and_archive.py",
    "test_pipeline.py",
    "test_email.py",
    "test_real_week.py",
    "test_enrich.py",
    "test_subscribers.py",
    "test_dedup_properties.py",
    "test_render_publish.py",
    "test_dedup.py",
    "test_quality.py",
    "test_cli.py",
    "test_deliver.py",
    "test_benchmarks.py",
    "test_airflow_deploy.py",
    "test_kill.py",
    "test_dag.py",
    "test_fetcher.py",
    "test_inputs.py",
    "test_ci.py",
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist (3.5 and later) reorders the files by their number of tests unless told not to, which
    # would run the longest files, few tests each, last, one worker alone at the end: keep LONGEST_FIRST's order
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file is kept


@pytest.fixture(scope="session")
def demo_web() -> Iterator[DemoServer]:
    """The bundled demo web, served on 127.0.0.1 at a free port for the whole session."""
    with DemoServer(0) as server:
        yield server


@pytest.fixture(scope="session")
def demo_config(demo_web: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """config/demo.yaml with its URLs pointed at the session's demo web."""
    text = (ROOT / "config" / "demo.yaml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("config") / "demo.yaml"
    path.write_text(text.replace("http://127.0.0.1:8765", demo_web.base_url), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_week(demo_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo week 2026-W47 built once for the session (fetched, rendered, published; no email): a folder
    with its store ``b.sqlite`` and its ``archive``, which the tests copy, never change. One PDF render for
    every test file that wants the week built, instead of one for each."""
    from briefing.pipeline import Pipeline, run_week
    from briefing.settings import Settings

    tmp = tmp_path_factory.mktemp("demo-week")
    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp / 'b.sqlite'}", archive=str(tmp / "archive")
    )
    with Pipeline.open(settings) as p:
        run_week(p, "2026-W47")
    return tmp


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real, empty SQLite store in a temporary file."""
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as s:
        yield s


POSTGRES = "postgresql+psycopg2://postgres@127.0.0.1:5432"


def _postgres_admin(*statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty database on the machine's PostgreSQL, dropped after the session."""
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", 5432)) != 0:
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (start it: pg_ctlcluster <version> main start)")
    name = f"briefing_test_{uuid.uuid4().hex[:8]}"
    _postgres_admin(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[Store]:
    """A real, empty store in the session's PostgreSQL database (its tables dropped and made again)."""
    import sqlalchemy as sa

    from briefing.store import metadata

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()
    with Store(postgres_url) as s:
        yield s


@pytest.fixture(params=["sqlite", "postgresql"])
def store_on_each_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A real, empty store on SQLite, then on PostgreSQL: a test that takes it runs on both."""
    if request.param == "postgresql":
        yield request.getfixturevalue("postgres_store")
        return
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as s:
        yield s


@pytest.fixture(scope="session")
def migrated_airflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Airflow metadata database (SQLite) after ``airflow db migrate``, made once for the whole run (the
    first pytest-xdist worker to want it migrates it, the others wait for it): copy it, never use it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    tmp = shared / "airflow-template"
    db, done = tmp / "airflow.db", tmp / "migrated"
    with open(shared / "airflow-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            tmp.mkdir(exist_ok=True)
            out = subprocess.run(
                [str(AIRFLOW), "db", "migrate"],
                env=airflow_env(tmp / "home", db),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert out.returncode == 0, out.stderr[-3000:]
            done.touch()
    return db


@pytest.fixture
def fresh_airflow(migrated_airflow_db: Path, tmp_path: Path) -> dict[str, str]:
    """A fresh Airflow of its own: briefing's DAGs and plugins, a migrated SQLite metadata database."""
    db = tmp_path / "airflow" / "airflow.db"
    db.parent.mkdir()
    shutil.copyfile(migrated_airflow_db, db)
    return airflow_env(tmp_path / "airflow", db)
