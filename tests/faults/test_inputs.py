"""Inputs (issue 12, items 9 to 11): YAML bombs and duplicate keys, weeks and numbers out of range, long
ids and addresses, PostgreSQL lost mid-run, ``ulimit -v``, the subscribers file, future weeks and the
temporary files of a publish killed mid-write."""

from __future__ import annotations

import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.errors import BriefingError, ConfigError, StoreError
from briefing.pipeline import Pipeline, run_week
from briefing.publish import EditionInfo, publish_edition
from briefing.publish.mail import SmtpMailer, Subscriber, build_message, deliver, parse_subscribers
from briefing.settings import Settings
from briefing.sources import load_sources
from briefing.store import Store, metadata

from ..smtp_server import Inbox
from .conftest import WEEK, Built

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SOURCE = "sources:\n  - id: a\n    name: A\n    kind: feed\n    url: http://a.example/feed.xml\n    lang: en\n"


def _fetch_runs(built: Built) -> int:
    with sqlite3.connect(built.db) as conn:
        return int(conn.execute("SELECT count(*) FROM fetch_runs").fetchone()[0])


# -- 9. YAML ---------------------------------------------------------------------------------------------

BOMB = (
    "sources:\n  - id: bomb\n    kind: feed\n    url: http://a.example/\n    lang: en\n    name: ["
    "&a [lol,lol,lol,lol,lol,lol,lol,lol,lol], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], "
    "&d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], "
    "&g [*f,*f,*f,*f,*f,*f,*f,*f,*f], &h [*g,*g,*g,*g,*g,*g,*g,*g,*g], &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]]\n"
)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 600
    # in a child bounded to 1 GB and 60 s: the unfixed CLI runs out of both
    done = subprocess.run(
        [
            "bash",
            "-c",
            'ulimit -v 1000000; exec "$0" "$@"',
            str(BIN / "briefing"),
            "fetch",
            "--config",
            str(bomb),
            "--db",
            f"sqlite:///{tmp_path / 's.sqlite'}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "aliases (*name) are not allowed" in done.stderr and "line 6" in done.stderr
    assert len(done.stderr) < 500


def test_a_key_given_twice_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCE + "    url: http://b.example/feed.xml\n", encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"sources\.yaml: not valid YAML at line 7, column 5: the key 'url' is given twice \(first on line 5\)",
    ):
        load_sources(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("kind", "x" * 1_000_000, r"field 'kind' must be 'feed' or 'html', not 'xxx", id="a-megabyte-kind"),
        pytest.param("weight", "9" * 400, "field 'weight' must be a number above 0", id="400-digit-weight"),
        pytest.param("weight", "9" * 5000, "a value cannot be read", id="5000-digit-weight"),
        pytest.param("rate_limit", "1.0e+999", "field 'rate_limit' must be a positive number", id="infinite-rate"),
        pytest.param(
            "id", "a" * 65, "field 'id' must be lowercase letters, digits and '-', at most 64", id="65-character-id"
        ),
    ],
)
def test_bad_values_are_short_config_errors(tmp_path: Path, field: str, value: str, message: str) -> None:
    fields = {"id": "a", "name": "A", "kind": "feed", "url": "http://a.example/feed.xml", "lang": "en", field: value}
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in fields.items()) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_sources(path)
    assert len(str(info.value)) < 400


# -- 10. tracebacks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "message"),
    [
        pytest.param("0000-W01", "week 0000-W01 is before 1990", id="year-zero"),
        pytest.param("9999-W52", "out of range: the year must be from 2 to 9998", id="year-9999"),
        pytest.param("2999-W10", "week 2999-W10 has not begun yet", id="future"),
    ],
)
def test_weeks_out_of_range_are_clear_errors_before_anything_runs(
    week_copy: Built, capsys: pytest.CaptureFixture[str], week: str, message: str
) -> None:
    runs = _fetch_runs(week_copy)
    argv = week_copy.argv()[:-2]  # no --subscribers: no email
    argv[argv.index(WEEK)] = week
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert _fetch_runs(week_copy) == runs  # nothing fetched


def test_a_future_week_is_refused_before_the_fetch(week_copy: Built) -> None:
    runs = _fetch_runs(week_copy)
    with Pipeline.open(week_copy.settings()) as p, pytest.raises(ConfigError, match="2026-W49 has not begun yet"):
        run_week(p, "2026-W49", now=datetime(2026, 11, 29, 12, tzinfo=UTC))  # Monday 00:00 in Shanghai is 16:00 UTC
    assert _fetch_runs(week_copy) == runs


def test_an_address_too_long_for_the_store_fails_alone(postgres_store: Store, smtp: tuple[Inbox, str]) -> None:
    """On PostgreSQL a 330-character address aborted every later delivery; it now fails by itself."""
    inbox, url = smtp
    long = Subscriber("a" * 60 + "@" + ".".join(["b" * 60] * 5) + ".org")
    assert len(long.email) > 320
    subscribers = [Subscriber("ana@example.org"), long, Subscriber("chen@example.org")]

    def compose(sub: Subscriber):  # type: ignore[no-untyped-def]
        return build_message(
            subject="B",
            sender="B <b@example.org>",
            subscriber=sub,
            text="t",
            html="<p>t</p>",
            pdf=b"%PDF",
            pdf_name="b.pdf",
            unsubscribe="mailto:u@example.org",
        )

    with SmtpMailer(url) as mailer:
        result = deliver(WEEK, subscribers, compose, store=postgres_store, mailer=mailer)
    assert sorted(result.sent) == ["ana@example.org", "chen@example.org"]
    assert [r for r, _ in result.failed] == [long.email] and "delivery ledger" in result.failed[0][1]
    assert inbox.per_recipient() == {"ana@example.org": 1, "chen@example.org": 1}


def test_an_address_too_long_is_refused_in_the_subscribers_file() -> None:
    text = "ana@example.org\n" + "a" * 65 + "@example.org\n"
    with pytest.raises(ConfigError, match=r"subs\.txt:2: the address 'aaa.* is too long"):
        parse_subscribers(text, "subs.txt")
    with pytest.raises(ConfigError, match=r"subs\.txt:1: the address .* is too long"):
        parse_subscribers("a@" + ".".join(["b" * 60] * 5) + ".org\n", "subs.txt")


class Proxy:
    """A TCP proxy on 127.0.0.1 to the machine's PostgreSQL, that can be pulled like a plug."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", 5432))
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while self.running:
                ready, _, _ = select.select([a, b], [], [], 0.2)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return

    def pull(self) -> None:
        self.running = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept: the port is closed from now on
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[str, Proxy]]:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()
    proxy = Proxy()
    try:
        yield postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), proxy
    finally:
        proxy.pull()


def test_postgresql_lost_mid_run_is_a_store_error(
    proxied_postgres: tuple[str, Proxy], demo_config: Path, tmp_path: Path
) -> None:
    url, proxy = proxied_postgres
    settings = Settings.load({}, sources=str(demo_config), db_url=url, archive=str(tmp_path / "archive"))
    with Pipeline.open(settings) as p:
        with pytest.raises(
            StoreError, match=r"the store at postgresql\+psycopg2://postgres@127\.0\.0\.1:\d+/\w+ failed|cannot store"
        ):
            run_week(p, WEEK, progress=lambda result: proxy.pull())


def test_a_store_that_cannot_be_reached_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert (
        main(["fetch", "--config", "config/demo.yaml", "--db", f"postgresql://postgres:s3cret@127.0.0.1:{port}/x"]) == 1
    )
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and "cannot open the store at postgresql+psycopg2://postgres:***@127.0.0.1" in err
        and "s3cret" not in err
    )


def test_a_pdf_renders_under_ulimit_v_below_4_gib() -> None:
    script = textwrap.dedent(
        """
        from briefing.render import render_pdf
        pdf = render_pdf("<!doctype html><html lang='en'><body><p>Hello 你好</p></body></html>", week="2026-W47")
        print(pdf[:8].decode())
        """
    )
    done = subprocess.run(
        ["bash", "-c", f'ulimit -v 3000000; exec "{sys.executable}" -c "$0"', script],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("%PDF-")


# -- 11. late or wrong checks ------------------------------------------------------------------------------


def test_a_missing_subscribers_file_is_reported_before_anything_runs(
    week_copy: Built, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = smtp
    runs = _fetch_runs(week_copy)
    index = (week_copy.archive / "index.html").stat().st_mtime_ns
    week_copy.subscribers.unlink()
    assert main(week_copy.argv("--smtp", url)) == 1
    assert "cannot read the subscribers file" in capsys.readouterr().err
    assert _fetch_runs(week_copy) == runs and (week_copy.archive / "index.html").stat().st_mtime_ns == index


def test_a_spreadsheet_csv_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    from briefing.publish.mail import load_subscribers

    path = tmp_path / "subscribers.csv"
    path.write_bytes("email,name,themes\r\nana@example.org,Ana,chips\r\nbo@example.org,Bo,\r\n".encode("utf-8-sig"))
    assert [(s.email, s.name, s.themes) for s in load_subscribers(path)] == [
        ("ana@example.org", "Ana", ("chips",)),
        ("bo@example.org", "Bo", ()),
    ]


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\x1c"])
def test_a_line_separator_inside_a_line_is_an_error_not_a_second_subscriber(separator: str) -> None:
    with pytest.raises(
        ConfigError,
        match=rf"subs\.txt:2: the line holds a control or line-separator character \(U\+{ord(separator):04X}\)",
    ):
        parse_subscribers(f"ana@example.org\nbo@example.org{separator}chen@example.org\n", "subs.txt")


_KILLED_PUBLISH = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from briefing.publish import EditionInfo, publish_edition

    def stall(src, dst):
        Path(sys.argv[2]).write_text(str(src))
        time.sleep(600)

    os.replace = stall
    publish_edition(sys.argv[1], "2026-W47", "<html></html>", b"%PDF-1.7" * 1000, EditionInfo(week="2026-W47"))
    """
)


def test_temporary_files_of_a_publish_killed_mid_write_are_cleaned(tmp_path: Path) -> None:
    archive, ready = tmp_path / "archive", tmp_path / "ready"
    publish_edition(archive, "2026-W46", "<html>46</html>", b"%PDF-1.7", EditionInfo(week="2026-W46"))
    child = subprocess.Popen([sys.executable, "-c", _KILLED_PUBLISH, str(archive), str(ready)], cwd=ROOT)
    deadline = time.monotonic() + 120
    while not ready.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    left = [p.name for p in archive.iterdir() if p.name.endswith(".tmp")]
    assert left, "the child was to be killed with a temporary file written"
    publish_edition(archive, "2026-W47", "<html>47</html>", b"%PDF-1.7", EditionInfo(week="2026-W47"))
    assert [p.name for p in archive.rglob("*.tmp")] == []
    assert (archive / "briefing-2026-W47.pdf").read_bytes() == b"%PDF-1.7"


def test_an_abandoned_temporary_file_of_a_live_or_unknown_writer_goes_after_an_hour(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    (archive / ".drafts").mkdir(parents=True)
    mine = (
        archive / f".briefing-2026-W47.pdf~{socket.gethostname()}:{os.getpid()}::0123456789ab~x.tmp"
    )  # this process: alive
    other = archive / ".drafts" / ".briefing-2026-W47.html~elsewhere:1:1:0123456789ab~x.tmp"  # another host
    legacy = archive / ".briefing-2026-W46.html.k2j3h4.tmp"  # the old naming
    for p in (mine, other, legacy):
        p.write_bytes(b"partial")
    publish_edition(archive, "2026-W47", "<html></html>", b"%PDF", EditionInfo(week="2026-W47"))
    assert mine.exists() and other.exists() and legacy.exists()  # perhaps still being written
    hour_ago = time.time() - 3700
    for p in (mine, other, legacy):
        os.utime(p, (hour_ago, hour_ago))
    publish_edition(archive, "2026-W47", "<html></html>", b"%PDF", EditionInfo(week="2026-W47"))
    assert not mine.exists() and not other.exists() and not legacy.exists()


def test_errors_reach_the_command_line_as_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Every fault above ends as 'briefing <command>: error: ...' and exit 1, never a traceback."""
    bad = tmp_path / "sources.yaml"
    bad.write_text(SOURCE + "    weight: " + "9" * 400 + "\n", encoding="utf-8")
    assert main(["fetch", "--config", str(bad), "--db", f"sqlite:///{tmp_path / 's.sqlite'}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("briefing fetch: error: ") and err.count("\n") == 1
    assert issubclass(ConfigError, BriefingError)
