"""``briefing doctor``: each set-up step checked on the real thing, each failure with its fix.

A ready deployment (the demo config, a SQLite store, an archive directory, a local SMTP server) passes
and nothing is changed by the check; each broken step fails with a fix that names what to do. Inside
Airflow (a real metadata database and the real ``airflow`` command) the plugin, the DAG file, the
pool, ``smtp_default`` and the Variables are checked as well.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import doctor
from briefing.cli import main
from briefing.doctor import AirflowCommand, Check, SmtpTarget, diagnose, ready, report
from briefing.settings import Settings
from briefing.store import SCHEMA_VERSION, Store

from .smtp_server import Inbox, smtp_server

ROOT = Path(__file__).resolve().parent.parent
AIRFLOW = Path(sys.executable).with_name("airflow")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as served:
        yield served


def _by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def _settings(tmp_path: Path, demo_config: Path, **kw: str) -> Settings:
    values = {
        "sources": str(demo_config),
        "db_url": f"sqlite:///{tmp_path / 'store' / 'briefing.sqlite'}",
        "archive": str(tmp_path / "archive"),
    } | kw
    return Settings.load({}, **values)


def test_a_ready_deployment_passes_and_nothing_is_changed(
    tmp_path: Path, demo_config: Path, smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    (tmp_path / "subscribers.txt").write_text("ana@example.org\n", encoding="utf-8")
    checks = diagnose(
        _delivery_env(tmp_path),
        sources=str(demo_config),
        db_url=f"sqlite:///{tmp_path / 'briefing.sqlite'}",
        archive=str(tmp_path / "archive"),
        subscribers=str(tmp_path / "subscribers.txt"),
        smtp=url,
        airflow=None,
    )
    found = _by_name(checks)
    assert [c.name for c in checks] == [
        "python",
        "packages",
        "articles",
        "fonts",
        "pango",
        "sources",
        "store",
        "archive",
        "subscribers",
        "language model",
        "smtp",
        "delivery",
        "airflow",
    ]
    assert ready(checks), report(checks)
    assert {n for n, c in found.items() if c.status == "skip"} == {
        "airflow",
        "language model",
    }  # no BRIEFING_LLM_URL: offline English lines
    assert "6 sources, 6 enabled" in found["sources"].detail
    assert (
        "no store yet" in found["store"].detail and not (tmp_path / "briefing.sqlite").exists()
    )  # read, never created
    assert list((tmp_path / "archive").iterdir()) == []  # the probe file is gone
    assert "1 subscriber" in found["subscribers"].detail
    assert "no mail sent" in found["smtp"].detail and inbox.messages == []
    assert (
        found["delivery"].detail
        == "from example.org, one-click unsubscribe, DKIM wk1._domainkey.example.org, web edition linked"
    )
    assert report(checks).endswith("13 checks: 11 ok, 2 skipped, 0 failed: ready")


def _delivery_env(tmp_path: Path) -> dict[str, str]:
    """What a deployment sets for email that providers trust: a sender on its domain, one-click unsubscribe, a
    DKIM key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    (tmp_path / "dkim.pem").write_bytes(pem)
    (tmp_path / "unsubscribe.secret").write_text("pP1v2nX9cQ7rT4sW8yZ3aB6dE0fG5hJ\n", encoding="utf-8")
    return {
        "BRIEFING_FROM": "China Tech Briefing <briefing@example.org>",
        "BRIEFING_UNSUBSCRIBE_URL": "https://briefing.example.org/briefing/unsubscribe",
        "BRIEFING_UNSUBSCRIBE_SECRET_FILE": str(tmp_path / "unsubscribe.secret"),
        "BRIEFING_DKIM_KEY_FILE": str(tmp_path / "dkim.pem"),
        "BRIEFING_DKIM_SELECTOR": "wk1",
        "BRIEFING_PUBLIC_URL": "https://briefing.example.org/briefing/weeks/",
    }


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        pytest.param({"BRIEFING_FROM": ""}, "warn", "briefing@localhost>' is on no real domain", id="localhost-sender"),
        pytest.param({"BRIEFING_UNSUBSCRIBE_URL": ""}, "warn", "no one-click unsubscribe", id="no-one-click"),
        pytest.param({"BRIEFING_DKIM_KEY_FILE": ""}, "warn", "unsigned: set BRIEFING_DKIM_KEY_FILE", id="no-dkim"),
        pytest.param({"BRIEFING_PUBLIC_URL": ""}, "warn", "no link to the web edition", id="no-web-edition"),
        pytest.param(
            {"BRIEFING_DKIM_DOMAIN": "other.org"}, "warn", "not the sender's (example.org): DMARC", id="dkim-unaligned"
        ),
        pytest.param(
            {"BRIEFING_UNSUBSCRIBE_URL": "http://briefing.example.org/u"}, "fail", "is not https://", id="http-endpoint"
        ),
        pytest.param(
            {"BRIEFING_UNSUBSCRIBE_SECRET_FILE": "", "BRIEFING_UNSUBSCRIBE_SECRET": "short"},
            "fail",
            "5 characters long",
            id="short-secret",
        ),
        pytest.param(
            {"BRIEFING_DKIM_KEY_FILE": "{tmp}/unsubscribe.secret"}, "fail", "not a PEM RSA private key", id="not-a-key"
        ),
        pytest.param({"BRIEFING_DKIM_SELECTOR": ""}, "fail", "needs a selector", id="no-selector"),
    ],
)
def test_the_doctor_says_what_is_missing_for_good_delivery(
    tmp_path: Path, demo_config: Path, change: dict[str, str], status: str, words: str
) -> None:
    env = _delivery_env(tmp_path) | {k: v.format(tmp=tmp_path) for k, v in change.items()}
    check = doctor.check_delivery(
        Settings.load({k: v for k, v in env.items() if v}, sources=str(demo_config)), needed=True
    )
    assert check.status == status and words in check.detail, check
    assert check.fix
    assert doctor.check_delivery(Settings.load({}), needed=False).status == "skip"


def test_the_store_check_reads_the_schema_version(tmp_path: Path, demo_config: Path) -> None:
    settings = _settings(tmp_path, demo_config)
    with Store(settings.db_url):
        pass
    assert doctor.check_store(settings) == Check(
        "store", "ok", f"sqlite:///{tmp_path / 'store' / 'briefing.sqlite'}: reachable, schema {SCHEMA_VERSION}"
    )
    with Store(settings.db_url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    check = doctor.check_store(settings)
    assert (
        check.failed
        and f"newer than this briefing's {SCHEMA_VERSION}" in check.detail
        and "upgrade briefing" in check.fix
    )


def test_the_store_check_on_postgresql(postgres_url: str, tmp_path: Path, demo_config: Path) -> None:
    with Store(postgres_url):
        pass
    check = doctor.check_store(_settings(tmp_path, demo_config, db_url=postgres_url))
    assert (
        check.status == "ok"
        and f"schema {SCHEMA_VERSION}" in check.detail
        and "postgres@127.0.0.1:5432" in check.detail
    )


@pytest.mark.parametrize(
    ("step", "broken", "detail", "fix"),
    [
        pytest.param(
            "sources",
            {"sources": "{tmp}/nowhere.yaml"},
            "cannot read the source config",
            "BRIEFING_SOURCES",
            id="no-source-config",
        ),
        pytest.param(
            "sources", {"sources": "{tmp}/bad.yaml"}, "frequency", "fix the file", id="unknown-key-in-source-config"
        ),
        pytest.param(
            "sources",
            {"timezone": "Mars/Olympus"},
            "unknown timezone 'Mars/Olympus'",
            "BRIEFING_TIMEZONE",
            id="unknown-timezone",
        ),
        pytest.param(
            "store",
            {"db_url": "postgresql+psycopg2://postgres@127.0.0.1:1/briefing"},
            "cannot reach the store",
            "createdb briefing",
            id="store-unreachable",
        ),
        pytest.param(
            "store",
            {"db_url": "mysql://nobody@127.0.0.1/briefing"},
            "cannot reach the store",
            "BRIEFING_DB_URL",
            id="store-driver-missing",
        ),
        pytest.param(
            "store",
            {"db_url": "sqlite:///{tmp}/a-file/briefing.sqlite"},
            "a-file is not a directory",
            "BRIEFING_DB_URL",
            id="sqlite-store-cannot-be-made",
        ),
        pytest.param(
            "archive",
            {"archive": "{tmp}/a-file/archive"},
            "cannot write",
            "BRIEFING_ARCHIVE",
            id="archive-not-writable",
        ),
        pytest.param(
            "subscribers",
            {"subscribers": "{tmp}/subscribers.txt"},
            "subscribers.txt:2: 'not-an-address' is not a valid email address",
            "fix that line",
            id="bad-subscriber",
        ),
    ],
)
def test_a_broken_step_fails_with_its_fix(
    step: str, broken: dict[str, str], detail: str, fix: str, tmp_path: Path, demo_config: Path
) -> None:
    (tmp_path / "bad.yaml").write_text(
        "sources:\n  - {id: a, name: A, kind: feed, url: 'https://example.org/f', lang: en, frequency: daily}\n",
        encoding="utf-8",
    )
    (tmp_path / "a-file").write_text("a file where the archive's directory should be", encoding="utf-8")
    (tmp_path / "subscribers.txt").write_text("ana@example.org\nnot-an-address\n", encoding="utf-8")
    settings = _settings(tmp_path, demo_config, **{k: v.format(tmp=tmp_path) for k, v in broken.items()})
    check = {
        "sources": doctor.check_sources,
        "store": doctor.check_store,
        "archive": doctor.check_archive,
        "subscribers": doctor.check_subscribers,
    }[step](settings)
    assert check.failed, check
    assert detail in check.detail
    assert fix in check.fix


def test_smtp_is_greeted_not_mailed(smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    check = doctor.check_smtp(SmtpTarget.from_url(url), needed=True)
    assert check.status == "ok" and check.detail.startswith(f"{url} (--smtp): answers") and inbox.messages == []


def test_smtp_that_does_not_answer_fails(unused_port: int) -> None:
    check = doctor.check_smtp(SmtpTarget.from_url(f"smtp://127.0.0.1:{unused_port}"), needed=True)
    assert check.failed and "ConnectionRefusedError" in check.detail and "check the host, port" in check.fix


def test_subscribers_without_an_smtp_server_fail_and_no_email_is_a_skip() -> None:
    needed = doctor.check_smtp(None, needed=True)
    assert needed.failed and "airflow connections add smtp_default" in needed.fix
    assert doctor.check_smtp(None, needed=False).status == "skip"


def test_airflow_connection_is_read_as_the_smtp_hook_reads_it() -> None:
    uri = (
        "smtp://user:secret@mail.example.org:2525/"
        "?__extra__=%7B%22disable_ssl%22%3A+true%2C+%22disable_tls%22%3A+false%7D"
    )
    target = SmtpTarget.from_airflow_uri(uri)
    assert (target.host, target.port, target.tls, target.starttls, target.user, target.password) == (
        "mail.example.org",
        2525,
        False,
        True,
        "user",
        "secret",
    )
    assert "secret" not in repr(target) and str(target) == "smtp://mail.example.org:2525"
    default = SmtpTarget.from_airflow_uri("smtp://mail.example.org")
    assert default.tls and default.port == 465  # the hook's default: SSL unless disable_ssl


def test_without_harfbuzz_subset_the_pdf_check_fails_with_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint.pdf.fonts

    monkeypatch.setattr(
        weasyprint.pdf.fonts, "harfbuzz_subset", None
    )  # WeasyPrint falls back to fontTools, as without the library
    check = doctor.check_pango()
    assert check.failed and "no HarfBuzz subsetter" in check.detail and "libharfbuzz-subset0" in check.fix


def test_a_missing_requirement_fails_the_packages_check(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor.metadata.version

    def version(name: str) -> str:
        if name.replace("_", "-") == "lxml-html-clean":
            raise doctor.metadata.PackageNotFoundError(name)
        return "0.1" if name == "numpy" else real(name)

    monkeypatch.setattr(doctor.metadata, "version", version)  # as in a venv where pip left it out
    check = doctor.check_packages()
    assert check.failed
    assert "lxml-html-clean is missing" in check.detail and "numpy 0.1 is installed, >=1.26 is needed" in check.detail
    assert check.fix == "pip install 'lxml-html-clean>=0.4' 'numpy>=1.26'"


def test_the_command_prints_each_check_and_exits_1_when_one_fails(
    tmp_path: Path, demo_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "doctor",
        "--no-airflow",
        "--config",
        str(demo_config),
        "--db",
        f"sqlite:///{tmp_path / 'b.sqlite'}",
        "--archive",
        str(tmp_path / "archive"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "ok    sources" in out and out.rstrip().endswith("0 failed: ready")
    assert main([*args, "--config", str(tmp_path / "missing.yaml")]) == 1
    out = capsys.readouterr().out
    assert (
        "FAIL  sources" in out
        and "fix: fix the file, or set BRIEFING_SOURCES" in out
        and out.rstrip().endswith("1 failed: not ready")
    )


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- inside Airflow: a real metadata database and the real airflow command ---------------------
@pytest.mark.slow
def test_inside_airflow_the_pool_connection_plugin_dag_and_variables_are_checked(
    fresh_airflow: dict[str, str], tmp_path: Path, demo_config: Path, smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    host, port = url.removeprefix("smtp://").split(":")
    subscribers = tmp_path / "subscribers.txt"
    subscribers.write_text("ana@example.org\n", encoding="utf-8")
    env = dict(fresh_airflow)
    env.update(
        BRIEFING_SOURCES=str(demo_config),
        BRIEFING_DB_URL=f"sqlite:///{tmp_path / 'b.sqlite'}",
        BRIEFING_ARCHIVE=str(tmp_path / "not-this-archive"),
        BRIEFING_SUBSCRIBERS=str(subscribers),
        BRIEFING_FETCH_POOL="briefing_fetch",
        AIRFLOW_CONN_SMTP_DEFAULT=json.dumps(
            {"conn_type": "smtp", "host": host, "port": int(port), "extra": {"disable_ssl": True, "disable_tls": True}}
        ),
    )
    airflow = AirflowCommand(str(AIRFLOW), env)
    assert (
        airflow.run("variables", "set", "briefing_archive", str(tmp_path / "archive")).returncode == 0
    )  # the DAG reads this one

    found = _by_name(diagnose(env, airflow=airflow))
    assert found["pool"].failed and "briefing_fetch" in found["pool"].detail
    assert found["pool"].fix.startswith('airflow pools set briefing_fetch 4 "')
    assert [n for n, c in found.items() if c.failed] == ["pool"], report(list(found.values()))
    assert found["archive"].detail == f"{tmp_path / 'archive'}: writable"  # the Variable overrides BRIEFING_ARCHIVE
    assert found["smtp"].detail.startswith(f"{url} (the connection smtp_default): answers") and inbox.messages == []
    assert "'briefing' registered" in found["plugins"].detail and found["dag"].detail == str(
        ROOT / "dags" / "weekly_briefing.py"
    )
    assert found["airflow"].detail.startswith("Airflow 3.")

    assert airflow.run("pools", "set", "briefing_fetch", "4", "concurrent source fetches").returncode == 0
    pool = doctor.check_pool("briefing_fetch", airflow.json("pools", "get", "briefing_fetch", "-o", "json"), "4")
    assert pool == Check("pool", "ok", "briefing_fetch: 4 slots")
    # a whole run that passes inside Airflow, and the default pool's line: tests/test_integration_celery.py


@pytest.mark.slow
def test_an_airflow_without_briefing_says_what_to_install(
    fresh_airflow: dict[str, str], tmp_path: Path, demo_config: Path
) -> None:
    env = dict(fresh_airflow)
    (tmp_path / "empty").mkdir()
    env.update(
        AIRFLOW__CORE__DAGS_FOLDER=str(tmp_path / "empty"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(tmp_path / "empty"),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path}/unmigrated.db",
        BRIEFING_SOURCES=str(demo_config),
        BRIEFING_DB_URL=f"sqlite:///{tmp_path / 'b.sqlite'}",
        BRIEFING_ARCHIVE=str(tmp_path / "archive"),
        BRIEFING_SUBSCRIBERS=str(tmp_path / "subscribers.txt"),
    )
    (tmp_path / "subscribers.txt").write_text("ana@example.org\n", encoding="utf-8")
    found = _by_name(diagnose(env, airflow=AirflowCommand(str(AIRFLOW), env)))
    assert found["airflow"].failed and found["airflow"].fix == "airflow db migrate"
    assert found["plugins"].failed and f"into {tmp_path / 'empty'}" in found["plugins"].fix
    assert (
        found["dag"].failed
        and f"copy dags/weekly_briefing.py of briefing's source into {tmp_path / 'empty'}" in found["dag"].fix
    )
    assert found["smtp"].failed and "airflow connections add smtp_default" in found["smtp"].fix


def test_a_dkim_key_in_the_briefing_dkim_connection_counts_as_signed(tmp_path: Path) -> None:
    env = {k: v for k, v in _delivery_env(tmp_path).items() if k != "BRIEFING_DKIM_KEY_FILE"}
    assert "unsigned" in doctor.check_delivery(Settings.load(env), needed=True).detail
    inside = doctor.check_delivery(Settings.load(env), needed=True, dkim_connection=True)
    assert inside.status == "ok" and "DKIM from the connection briefing_dkim" in inside.detail
