"""The store and the archive app (issue 12, items 12 and 13): processes opening a new store at once, on
SQLite and PostgreSQL; the archive app's drafts behind Airflow's login, links out of the archive and
file names with a trailing newline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import POSTGRES, _postgres_admin

ROOT = Path(__file__).resolve().parents[2]

# -- 12. the first-run race -------------------------------------------------------------------------------

_OPEN_AT = textwrap.dedent(
    """
    import sys, time
    from briefing.store import SCHEMA_VERSION, Store
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all at once
    try:
        with Store(sys.argv[1]) as store:
            store.count_stories()
        print("ok")
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
    """
)


def _open_at_once(urls: list[str], processes: int = 3) -> list[list[str]]:
    """Open each store from ``processes`` processes at the same moment; each process's outcome, per store."""
    start = time.time() + 4  # the children import briefing first
    children = [
        [
            subprocess.Popen(
                [sys.executable, "-c", _OPEN_AT, url, str(start)], stdout=subprocess.PIPE, text=True, cwd=ROOT
            )
            for _ in range(processes)
        ]
        for url in urls
    ]
    return [[c.communicate(timeout=120)[0].strip() for c in group] for group in children]


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_processes_opening_a_new_sqlite_store_at_once_all_succeed(tmp_path: Path) -> None:
    outcomes = _open_at_once([f"sqlite:///{tmp_path / f'new-{n}.sqlite'}" for n in range(4)])
    assert outcomes == [["ok"] * 3] * 4, outcomes


@pytest.fixture
def new_databases(postgres_url: str) -> Iterator[list[str]]:
    """Three fresh PostgreSQL databases, dropped afterwards."""
    names = [f"briefing_race_{uuid.uuid4().hex[:8]}" for _ in range(3)]
    _postgres_admin(*(f"CREATE DATABASE {name}" for name in names))
    yield names
    _postgres_admin(*(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in names))


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_processes_opening_a_new_postgresql_store_at_once_all_succeed(new_databases: list[str]) -> None:
    outcomes = _open_at_once([f"{POSTGRES}/{name}" for name in new_databases])
    assert outcomes == [["ok"] * 3] * 3, outcomes


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_store_of_schema_4_is_migrated_once_by_racing_openers(tmp_path: Path) -> None:
    """Three processes of the new code open a store the previous schema made: one migrates, none fails."""
    import sqlite3

    from briefing.store import SCHEMA_VERSION, Store

    path = tmp_path / "old.sqlite"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:  # back to schema 4: the ledger had no owner column
        conn.execute("ALTER TABLE deliveries DROP COLUMN owner")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    assert _open_at_once([f"sqlite:///{path}"]) == [["ok"] * 3]
    with sqlite3.connect(path) as conn:
        assert "owner" in {row[1] for row in conn.execute("PRAGMA table_info(deliveries)")}
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert conn.execute("SELECT count(*) FROM subscribers").fetchone()[0] == 0  # schema 8's table, made on the way


# -- 13. the archive app ---------------------------------------------------------------------------------


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / ".drafts").mkdir(parents=True)
    (root / "briefing-2026-W47.html").write_text("<p>W47</p>", encoding="utf-8")
    (root / "briefing-2026-W47.pdf").write_bytes(b"%PDF-1.7")
    (root / ".drafts" / "briefing-2026-W48.html").write_text("<p>draft, not yet approved</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("root:x:0:0:secret", encoding="utf-8")
    return root


@pytest.fixture
def app_client(archive: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from fastapi.testclient import TestClient

    sys.path.insert(0, str(ROOT / "plugins"))
    monkeypatch.setenv("BRIEFING_ARCHIVE", str(archive))
    from briefing_archive_app import app

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_drafts_are_not_served_to_anonymous_callers(app_client: object) -> None:
    get = app_client.get  # type: ignore[attr-defined]
    assert get("/drafts/briefing-2026-W48.html").status_code == 401
    assert get("/drafts/").status_code == 401
    assert get("/drafts/briefing-2026-W48.html", headers={"Authorization": "Bearer not-a-token"}).status_code in (
        401,
        403,
    )
    assert "2026-W48" not in get("/").text
    assert get("/weeks/briefing-2026-W47.html").text == "<p>W47</p>"  # published: public


_SIGNED_IN = textwrap.dedent(
    """
    import json, sys
    import sqlalchemy as sa
    from fastapi.testclient import TestClient
    from airflow.api_fastapi.app import create_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
    from airflow.models.revoked_token import RevokedToken
    from airflow.settings import engine

    RevokedToken.__table__.create(engine, checkfirst=True)  # the one table token checks read
    token = create_auth_manager().generate_jwt(SimpleAuthManagerUser(username="editor", role="viewer"))
    sys.path.insert(0, sys.argv[1])
    from briefing_archive_app import app

    client = TestClient(app)
    print(json.dumps({
        "bearer": client.get("/drafts/briefing-2026-W48.html", headers={"Authorization": f"Bearer {token}"}).text,
        "cookie": client.get("/drafts/", cookies={"_token": token}).text,
        "anonymous": client.get("/drafts/briefing-2026-W48.html").status_code,
    }))
    """
)


def test_drafts_are_served_to_signed_in_airflow_users(archive: Path, tmp_path: Path) -> None:
    """A real token of Airflow's auth manager, checked by Airflow's own code, in a process of its own."""
    env = dict(os.environ)
    env.update(
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path / 'airflow.db'}",
        AIRFLOW__API_AUTH__JWT_SECRET=f"briefing-test-{uuid.uuid4().hex}",
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        BRIEFING_ARCHIVE=str(archive),
    )
    done = subprocess.run(
        [sys.executable, "-c", _SIGNED_IN, str(ROOT / "plugins")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert (
        seen["bearer"].endswith("<p>draft, not yet approved</p>") and "DRAFT" in seen["bearer"]
    )  # under its DRAFT banner
    assert "2026-W48" in seen["cookie"]
    assert seen["anonymous"] == 401


def test_a_link_out_of_the_archive_is_not_followed(app_client: object, archive: Path) -> None:
    (archive / "briefing-2026-W46.html").symlink_to(archive.parent / "secret.txt")
    (archive / "briefing-2026-W46.pdf").symlink_to("/etc/passwd")
    (archive / ".drafts" / "briefing-2026-W45.html").symlink_to(archive.parent / "secret.txt")
    (archive / "briefing-2026-W44.html").symlink_to(archive / "briefing-2026-W47.html")  # inside: fine
    get = app_client.get  # type: ignore[attr-defined]
    for path in ("/weeks/briefing-2026-W46.html", "/weeks/briefing-2026-W46.pdf"):
        response = get(path)
        assert response.status_code == 404 and "secret" not in response.text and "root:" not in response.text
    assert get("/weeks/briefing-2026-W44.html").text == "<p>W47</p>"


def test_a_file_name_with_a_trailing_newline_is_not_a_briefing(app_client: object, archive: Path) -> None:
    (archive / "briefing-2026-W47.html\n").write_text("<p>odd</p>", encoding="utf-8")
    get = app_client.get  # type: ignore[attr-defined]
    for path in ("/weeks/briefing-2026-W47.html%0A", "/weeks/briefing-2026-W47.html%0a", "/weeks/index.html%0A"):
        assert get(path).status_code == 404, path
