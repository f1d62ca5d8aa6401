"""Issue 18: email a provider trusts, a mailing list in the store, one-click unsubscribe, bounces.

Everything runs for real on 127.0.0.1: the project's SMTP server (tests/smtp_server.py), the standalone
unsubscribe server, the Airflow plugin's app (FastAPI's TestClient), dkimpy's own verifier with a key
made here and its DNS lookup answered by the test (no real DNS).
"""

from __future__ import annotations

import base64
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from briefing.cli import main
from briefing.errors import ConfigError
from briefing.pipeline import Pipeline, build_edition, deliver_week, run_week
from briefing.publish.mail import SmtpMailer, UnsubscribeServer
from briefing.publish.mail.subscribers import import_file
from briefing.publish.mail.unsubscribe import check, make_token, unsubscribe
from briefing.render import counted, render_html
from briefing.settings import Settings
from briefing.store import Store
from briefing.week import parse_week

from .smtp_server import Inbox, smtp_server

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = """\
# readers of the demo briefing
ana@example.org
email,name,themes
bo@example.org,Bo Li,chips;energy
chen@example.org,陈晨,ai-models
"""
SECRET = "tq9Lw2mV7xR4bN8cK1pZ6sD3fH0jG5aE"
ENDPOINT = "https://briefing.example.org/briefing/unsubscribe"
W46, W47 = parse_week("2026-W46"), parse_week("2026-W47")


@pytest.fixture(scope="module")
def two_weeks(demo_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Two demo weeks, W46 and W47, built and published once: "this week" and "the next week"."""
    tmp = tmp_path_factory.mktemp("two-weeks")
    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp / 'b.sqlite'}", archive=str(tmp / "archive")
    )
    with Pipeline.open(settings) as p:
        run_week(p, W46)
        run_week(p, W47)
    return settings


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A DKIM key made for the test: the private key's file, and the TXT record DNS would publish."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("dkim") / "dkim.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def _env(**extra: str) -> dict[str, str]:
    return {
        "BRIEFING_FROM": "China Tech Briefing <briefing@example.org>",
        "BRIEFING_UNSUBSCRIBE": "mailto:unsubscribe@example.org?subject=unsubscribe",
        "BRIEFING_UNSUBSCRIBE_URL": ENDPOINT,
        "BRIEFING_UNSUBSCRIBE_SECRET": SECRET,
        "BRIEFING_PUBLIC_URL": "https://briefing.example.org/briefing/weeks/",
        **extra,
    }


@pytest.fixture
def settings(two_weeks: Settings, tmp_path: Path) -> Settings:
    """A copy of the two weeks' store and archive, a subscribers file, and the delivery settings."""
    shutil.copy(Path(two_weeks.db_url.removeprefix("sqlite:///")), tmp_path / "b.sqlite")
    shutil.copytree(two_weeks.archive, tmp_path / "archive")
    (tmp_path / "subscribers.txt").write_text(SUBSCRIBERS, encoding="utf-8")
    return Settings.load(
        _env(),
        sources=two_weeks.sources,
        db_url=f"sqlite:///{tmp_path / 'b.sqlite'}",
        archive=str(tmp_path / "archive"),
        subscribers=str(tmp_path / "subscribers.txt"),
    )


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as server:
        yield server


def _send(settings: Settings, url: str, week: object = W46, **kw: object) -> object:
    with Pipeline.open(settings) as p, SmtpMailer(url) as mailer:
        return deliver_week(p, week, mailer=mailer, **kw)  # type: ignore[arg-type]


def _to(inbox: Inbox, address: str) -> list[EmailMessage]:
    return [m for m in inbox.messages if address in str(m["To"])]


def _one_click(message: EmailMessage) -> str:
    """The HTTPS link of a message's List-Unsubscribe header."""
    links = [part.strip().strip("<>") for part in str(message["List-Unsubscribe"]).split(",")]
    return next(link for link in links if link.startswith("https://"))


def _token(message: EmailMessage) -> str:
    return parse_qs(urlsplit(_one_click(message)).query)["t"][0]


# -- 1. headers a provider trusts, and DKIM ---------------------------------------------------------------


def test_every_header_a_provider_checks(settings: Settings, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    _send(settings, url)
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1, "chen@example.org": 1}
    tokens = set()
    for message in inbox.messages:
        date = parsedate_to_datetime(str(message["Date"]))
        assert date.tzinfo is not None
        assert str(message["Message-ID"]).startswith("<") and str(message["Message-ID"]).endswith("@example.org>")
        assert message["List-Id"] == "China Tech Briefing <briefing.example.org>"
        one_click = _one_click(message)
        assert one_click.startswith(f"{ENDPOINT}?t=")
        assert (
            str(message["List-Unsubscribe"]) == f"<{one_click}>, <mailto:unsubscribe@example.org?subject=unsubscribe>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        tokens.add(_token(message))
        text = message.get_body(preferencelist=("plain",))
        assert (
            text is not None and f"To unsubscribe: {one_click}" in text.get_content()
        )  # the footer's link is the subscriber's own
    assert len(tokens) == 3, "every subscriber has a token of their own"
    assert len({m["Message-ID"] for m in inbox.messages}) == 3


def test_a_dkim_signed_message_verifies_with_dkimpys_own_verifier(
    settings: Settings, smtp: tuple[Inbox, str], dkim_key: tuple[Path, bytes]
) -> None:
    inbox, url = smtp
    key_file, record = dkim_key
    signed = Settings.load(
        _env(BRIEFING_DKIM_KEY_FILE=str(key_file), BRIEFING_DKIM_SELECTOR="wk2026"),
        sources=settings.sources,
        db_url=settings.db_url,
        archive=settings.archive,
        subscribers=settings.subscribers,
    )
    _send(signed, url)
    asked: list[bytes] = []

    def dns(name: bytes, timeout: int = 5) -> bytes:  # what DNS would answer for the selector's TXT record
        asked.append(name)
        return record if name == b"wk2026._domainkey.example.org." else b""

    assert len(inbox.raw) == 3
    for raw, message in zip(inbox.raw, inbox.messages):
        assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;")
        assert dkim.verify(raw, dnsfunc=dns), message["To"]
        header = str(message["DKIM-Signature"]).replace(" ", "").replace("\t", "")
        assert (
            "list-unsubscribe:list-unsubscribe-post" in header.replace("\r\n", "")
            and "h=from:to:subject:date:message-id" in header
        )  # RFC 8058 section 4
        tampered = raw.replace(b"briefing-2026-W46.pdf", b"briefing-2026-W99.pdf", 1)
        assert tampered != raw and not dkim.verify(tampered, dnsfunc=dns)  # the verifier can say no
    assert set(asked) == {b"wk2026._domainkey.example.org."}


# -- 2. subscribers in the store ---------------------------------------------------------------------------


def test_the_subscribers_file_is_imported_idempotently_and_never_revives_an_unsubscribe(settings: Settings) -> None:
    with Store(settings.db_url) as store:
        first = import_file(
            store, str(settings.subscribers), ["compute", "energy", "policy", "chips", "ai-models", "science"]
        )
        assert first.summary() == "added 3, updated 0, unchanged 0"
        assert import_file(store, str(settings.subscribers)).summary() == "added 0, updated 0, unchanged 3"
        bo = store.subscriber("BO@example.org")
        assert (
            bo is not None
            and bo.name == "Bo Li"
            and bo.themes == ("chips", "energy")
            and bo.status == "active"
            and bo.token_id
        )
        assert unsubscribe(store, make_token(bo, SECRET), SECRET).outcome == "unsubscribed"
        Path(str(settings.subscribers)).write_text(
            SUBSCRIBERS.replace("Bo Li,chips;energy", "Bo Li,science"), encoding="utf-8"
        )
        again = import_file(store, str(settings.subscribers))
        assert again.updated == ("bo@example.org",)
        bo_now = store.subscriber("bo@example.org")
        assert (
            bo_now is not None
            and bo_now.status == "unsubscribed"
            and bo_now.themes == ("science",)
            and bo_now.token_id == bo.token_id
        )


def test_the_subscribers_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 's.sqlite'}"]
    (tmp_path / "subs.txt").write_text(SUBSCRIBERS, encoding="utf-8")
    assert main(["subscribers", "import", str(tmp_path / "subs.txt"), *db]) == 0
    assert main(["subscribers", "import", str(tmp_path / "subs.txt"), *db]) == 0
    assert main(["subscribers", "add", "dai@example.org", "--name", "Dai", "--themes", "science,chips", *db]) == 0
    assert main(["subscribers", "remove", "ana@example.org", *db]) == 0
    out = capsys.readouterr().out
    assert (
        "added 3, updated 0, unchanged 0" in out
        and "added 0, updated 0, unchanged 3" in out
        and "dai@example.org: added" in out
    )
    assert main(["subscribers", "list", *db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "bo@example.org\tactive\tBo Li\tchips,energy",
        "chen@example.org\tactive\t陈晨\tai-models",
        "dai@example.org\tactive\tDai\tscience,chips",
    ]
    assert main(["subscribers", "remove", "ana@example.org", *db]) == 1
    assert main(["subscribers", "add", "not an address", *db]) == 1
    assert main(["subscribers", "add", "eve@example.org", "--themes", "cooking", *db]) == 1
    err = capsys.readouterr().err
    assert (
        "ana@example.org is not a subscriber" in err
        and "is not a valid email address" in err
        and "unknown theme(s) cooking" in err
    )


# -- 3. one-click unsubscribe ------------------------------------------------------------------------------


def _post(url: str, body: bytes = b"List-Unsubscribe=One-Click") -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def _statuses(settings: Settings) -> dict[str, str]:
    with Store(settings.db_url) as store:
        return {e.email: e.status for e in store.subscribers()}


def _local(link: str, server: UnsubscribeServer) -> str:
    """The email's public link, sent to the local server (what the site's HTTPS proxy does)."""
    return f"{server.url}?{urlsplit(link).query}"


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_one_click_post_and_the_link_stop_next_weeks_email_to_that_address_only(
    settings: Settings, smtp: tuple[Inbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, url = smtp
    _send(settings, url, W46)
    ana, chen = _to(inbox, "ana@example.org")[0], _to(inbox, "chen@example.org")[0]

    # ana: a mail provider's one-click POST, to the standalone server
    with Store(settings.db_url) as store, UnsubscribeServer(store, SECRET, port=0) as server:
        status, page = _post(_local(_one_click(ana), server))
        assert status == 200 and "You are unsubscribed" in page and "a***@example.org" in page
        assert _post(_local(_one_click(ana), server)) [0] == 200  # presented again: harmless, "already"
        assert _post(_local(_one_click(ana), server), b"")[0] == 400  # not an RFC 8058 body: nothing done
    assert _statuses(settings) == {
        "ana@example.org": "unsubscribed",
        "bo@example.org": "active",
        "chen@example.org": "active",
    }

    # chen: the link in the email, through the Airflow plugin's app: GET asks, the page's button POSTs
    from fastapi.testclient import TestClient

    sys.path.insert(0, str(ROOT / "plugins"))
    monkeypatch.setenv("BRIEFING_DB_URL", settings.db_url)
    monkeypatch.setenv("BRIEFING_UNSUBSCRIBE_SECRET", SECRET)
    from briefing_archive_app import app

    link = urlsplit(_one_click(chen))
    with TestClient(app) as client:
        confirm = client.get(f"/unsubscribe?{link.query}")
        assert (
            confirm.status_code == 200
            and "Unsubscribe from the briefing?" in confirm.text
            and "<form method='post'" in confirm.text
        )
        assert _statuses(settings)["chen@example.org"] == "active", "a GET changes nothing (mail scanners follow links)"
        done = client.post(
            f"/unsubscribe?{link.query}",
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert _statuses(settings) == {
        "ana@example.org": "unsubscribed",
        "bo@example.org": "active",
        "chen@example.org": "unsubscribed",
    }
    with Store(settings.db_url) as store:
        record = store.subscriber("chen@example.org")
        assert (
            record is not None
            and record.why == "one-click unsubscribe (Airflow archive app)"
            and record.changed is not None
        )

    # the next week: bo only, and the run says who was held back and why
    week2 = _send(settings, url, W47)
    assert week2.sent == ("bo@example.org",)  # type: ignore[attr-defined]
    assert sorted(week2.held) == [  # type: ignore[attr-defined]
        ("ana@example.org", "unsubscribed"),
        ("chen@example.org", "unsubscribed"),
    ]
    assert "not sent to 2 unsubscribed" in week2.summary()  # type: ignore[attr-defined]
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 2, "chen@example.org": 1}
    # and the file, imported again by the next run, brings nobody back
    assert _send(settings, url, W47).sent == ()  # type: ignore[attr-defined]


def test_forged_reused_and_unknown_tokens_change_nothing(settings: Settings, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    _send(settings, url, W46)
    ana, bo = _token(_to(inbox, "ana@example.org")[0]), _token(_to(inbox, "bo@example.org")[0])
    ana_id, ana_mac = ana.split(".")
    bo_id, bo_mac = bo.split(".")
    flipped = ana_mac[:-1] + ("A" if ana_mac[-1] != "A" else "B")
    with Store(settings.db_url) as store, UnsubscribeServer(store, SECRET, port=0) as server:
        cases = {
            f"{ana_id}.{flipped}": 403,  # a forged MAC
            f"{bo_id}.{ana_mac}": 403,  # ana's MAC reused for bo's row
            f"{ana_id}.{bo_mac}": 403,  # bo's MAC reused for ana's row
            "x" * 22 + "." + "y" * 43: 404,  # well-formed, no such subscriber: unknown
            "not-a-token": 403,
            "": 403,
        }
        for token, expected in cases.items():
            status, page = _post(f"{server.url}?t={token}")
            assert status == expected, token
            assert "Nothing changed" in page
            assert _get(f"{server.url}?t={token}")[0] == expected
        forged_secret = make_token(
            store.subscriber("ana@example.org"), "another deployment's secret"  # type: ignore[arg-type]
        )
        assert _post(f"{server.url}?t={forged_secret}")[0] == 403
        assert _get(f"{server.url}/../index.html")[0] == 404
    assert set(_statuses(settings).values()) == {"active"}

    # removed and added again: the old emails' tokens are unknown, the new one works
    with Store(settings.db_url) as store:
        assert main(["subscribers", "remove", "ana@example.org", "--db", settings.db_url]) == 0
        assert main(["subscribers", "add", "ana@example.org", "--db", settings.db_url]) == 0
        assert check(store, ana, SECRET)[0].outcome == "unknown"
        assert (
            unsubscribe(store, ana, SECRET).outcome == "unknown"
            and store.subscriber("ana@example.org").status == "active"  # type: ignore[union-attr]
        )
        fresh = make_token(store.subscriber("ana@example.org"), SECRET)  # type: ignore[arg-type]
        assert fresh != ana and unsubscribe(store, fresh, SECRET).outcome == "unsubscribed"
        assert unsubscribe(store, bo, None).outcome == "refused"  # no secret configured: nothing is trusted


# -- 4. bounces ---------------------------------------------------------------------------------------------


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_bouncing_address_stops_after_the_threshold_and_the_appendix_says_so(
    settings: Settings, smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    two = Settings.load(
        _env(BRIEFING_BOUNCE_THRESHOLD="2"),
        sources=settings.sources,
        db_url=settings.db_url,
        archive=settings.archive,
        subscribers=settings.subscribers,
    )
    inbox.refuse.add("ana@example.org")
    first = _send(two, url, W46)
    assert (
        [r for r, _ in first.bounced] == ["ana@example.org"]  # type: ignore[attr-defined]
        and "550 5.1.1" in first.bounced[0][1]  # type: ignore[attr-defined]
    )
    retry = _send(two, url, W46)  # the same week retried (the DAG's task retries): one bounce, not two
    assert retry.bounced and not retry.now_bouncing  # type: ignore[attr-defined]
    with Store(two.db_url) as store:
        assert store.subscriber("ana@example.org").bounces == 1  # type: ignore[union-attr]
    second = _send(two, url, W47)
    assert second.now_bouncing == ("ana@example.org",)  # type: ignore[attr-defined]
    assert "bounced 1 (1 now marked bouncing)" in second.summary()  # type: ignore[attr-defined]
    assert any(
        line.startswith("now bouncing: ana@example.org") for line in second.details()  # type: ignore[attr-defined]
    )
    assert _statuses(two)["ana@example.org"] == "bouncing"

    inbox.refuse.clear()  # even a server that would accept it now: no more email to a bouncing address
    third = _send(two, url, W47, resend=True)
    assert sorted(third.sent) == ["bo@example.org", "chen@example.org"]  # type: ignore[attr-defined]
    assert third.held == (("ana@example.org", "bouncing"),) and not third.failed  # type: ignore[attr-defined]
    assert "not sent to 1 bouncing" in third.summary()  # type: ignore[attr-defined]
    assert _to(inbox, "ana@example.org") == []

    with Pipeline.open(
        two
    ) as p:  # the operators' appendix of the next edition; W47's own states the list as W47 found it
        html = render_html(build_edition(p, W47.next()))
        rebuilt = render_html(build_edition(p, W47))
    assert "Mailing list when this edition was built: 2 active subscribers, 0 unsubscribed, 1 bouncing" in html
    assert "1 bouncing" not in rebuilt

    assert main(["subscribers", "add", "ana@example.org", "--db", two.db_url]) == 0  # an operator's word brings it back
    assert _statuses(two)["ana@example.org"] == "active"


def test_an_accepted_message_clears_the_bounces_in_a_row(settings: Settings, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    inbox.refuse.add("bo@example.org")
    _send(settings, url, W46)
    inbox.refuse.clear()
    _send(settings, url, W47)
    with Store(settings.db_url) as store:
        bo = store.subscriber("bo@example.org")
        assert bo is not None and bo.bounces == 0 and bo.status == "active"


# -- 5. the email reads like the PDF ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "singular", "plural", "text"),
    [
        pytest.param(1, "distinct event", None, "1 distinct event", id="one-event"),
        pytest.param(2, "distinct event", None, "2 distinct events", id="two-events"),
        pytest.param(1, "story", "stories", "1 story", id="one-story"),
        pytest.param(0, "story", "stories", "0 stories", id="no-stories"),
        pytest.param(1200, "outlet", None, "1,200 outlets", id="thousands"),
    ],
)
def test_counts_in_good_english(n: int, singular: str, plural: str | None, text: str) -> None:
    assert counted(n, singular, plural) == text


def test_the_email_names_sections_as_the_pdf_does_themes_first_with_the_web_edition(
    settings: Settings, smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    _send(settings, url, W46)
    chen = _to(inbox, "chen@example.org")[0]
    text_part, html_part = chen.get_body(preferencelist=("plain",)), chen.get_body(preferencelist=("html",))
    assert text_part is not None and html_part is not None
    text, html = text_part.get_content(), html_part.get_content()
    assert "ai models" not in text and "ai models" not in html
    lines = text.splitlines()
    headings = [line for line, under in zip(lines, lines[1:]) if under == "-" * 40]
    assert headings == [
        "AI models · 大模型 (your theme)",
        "Compute · 算力",
        "Energy · 能源",
        "Policy · 政策",
        "Chips · 芯片",
        "Science · 科学",
    ]  # as the PDF names them
    assert "Your themes come first: AI models." in text and "Your themes come first: AI models." in html
    assert "Read it on the web: https://briefing.example.org/briefing/weeks/briefing-2026-W46.html" in text
    assert 'href="https://briefing.example.org/briefing/weeks/briefing-2026-W46.html"' in html
    assert " 1 distinct events" not in text and " 1 stories" not in text and " 1 outlets" not in text


def test_the_dags_dkim_key_comes_from_the_briefing_dkim_connection(
    monkeypatch: pytest.MonkeyPatch, dkim_key: tuple[Path, bytes], tmp_path: Path
) -> None:
    import json

    sys.path.insert(0, str(ROOT / "plugins"))
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    from briefing_mail import dkim_key as from_connection

    key_file, record = dkim_key
    assert (
        from_connection("briefing@example.org") is None
    )  # no connection: the DAG falls back to BRIEFING_DKIM_KEY_FILE
    conn = {"conn_type": "generic", "login": "wk2026", "password": key_file.read_text(encoding="ascii")}
    monkeypatch.setenv("AIRFLOW_CONN_BRIEFING_DKIM", json.dumps(conn))
    key = from_connection("China Tech Briefing <briefing@example.org>")
    assert (key.selector, key.domain) == ("wk2026", "example.org")  # the domain: the sender's
    from briefing.publish.mail import Subscriber, build_message

    message = build_message(
        subject="W47",
        sender="China Tech Briefing <briefing@example.org>",
        subscriber=Subscriber("bo@example.org"),
        text="t",
        html="<p>h</p>",
        pdf=b"%PDF",
        pdf_name="b.pdf",
        unsubscribe="mailto:u@example.org",
        dkim=key,
    )
    assert dkim.verify(message.wire, dnsfunc=lambda name, timeout=5: record)  # type: ignore[attr-defined]
    monkeypatch.setenv("AIRFLOW_CONN_BRIEFING_DKIM", json.dumps(conn | {"password": "not a key"}))
    with pytest.raises(ConfigError, match="the connection briefing_dkim: not a PEM RSA private key"):
        from_connection("briefing@example.org")


def test_briefing_unsubscribe_server_answers_the_link_and_the_one_click_post(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command a deployment without Airflow's UI runs: GET asks to confirm, the page's form POSTs."""
    import os
    import re
    import subprocess
    from urllib.parse import urlencode, urljoin

    with Store(settings.db_url) as store:
        import_file(store, str(settings.subscribers))
        token = make_token(store.subscriber("bo@example.org"), SECRET)  # type: ignore[arg-type]
    env = dict(os.environ, BRIEFING_UNSUBSCRIBE_SECRET=SECRET, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "briefing.cli", "unsubscribe-server", "--port", "0", "--db", settings.db_url]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as server:
        try:
            assert server.stdout is not None
            found = re.search(r"on (http://127\.0\.0\.1:\d+/unsubscribe)", server.stdout.readline())
            assert found, "the server says where it listens"
            endpoint = found.group(1)
            status, confirm = _get(f"{endpoint}?t={token}")
            assert status == 200 and "Unsubscribe from the briefing?" in confirm and "b***@example.org" in confirm
            assert _statuses(settings)["bo@example.org"] == "active"
            action = re.search(r"<form method='post' action='([^']+)'>", confirm)
            fields = dict(re.findall(r"<input type='hidden' name='([^']+)' value='([^']+)'>", confirm))
            assert action and fields == {"List-Unsubscribe": "One-Click"}
            status, done = _post(
                urljoin(f"{endpoint}?t={token}", action.group(1)), urlencode(fields).encode()
            )  # what the button does
            assert status == 200 and "You are unsubscribed" in done
            assert _statuses(settings) == {
                "ana@example.org": "active",
                "bo@example.org": "unsubscribed",
                "chen@example.org": "active",
            }
        finally:
            server.terminate()
    monkeypatch.delenv("BRIEFING_UNSUBSCRIBE_SECRET", raising=False)
    monkeypatch.delenv("BRIEFING_UNSUBSCRIBE_SECRET_FILE", raising=False)
    assert main(["unsubscribe-server", "--db", settings.db_url]) == 1
    assert "no unsubscribe secret" in capsys.readouterr().err


def test_the_mailing_list_rows_on_sqlite_and_postgresql(store_on_each_backend: Store) -> None:
    """The store's part (one row per address, compare-and-set bounces once a week) on both backends."""
    from datetime import UTC, datetime

    from briefing.publish.mail import Subscriber
    from briefing.publish.mail.subscribers import counts, import_subscribers, recipients

    store = store_on_each_backend
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    subs = [Subscriber("Ana@Example.org", "Ana", ("chips",)), Subscriber("bo@example.org")]
    assert import_subscribers(store, subs).summary() == "added 2, updated 0, unchanged 0"
    assert import_subscribers(store, subs).summary() == "added 0, updated 0, unchanged 2"
    ana = store.subscriber("ana@example.org")
    assert (
        ana is not None and ana.email == "Ana@Example.org" and ana.themes == ("chips",)
    )  # kept as given, found without case
    assert store.subscriber_by_token(ana.token_id) == ana and store.subscriber_by_token("nope") is None
    for week in ("2026-W46", "2026-W46", "2026-W47"):
        store.record_bounce("bo@example.org", week, threshold=2, why="550 no such mailbox", when=now)
    bo = store.subscriber("bo@example.org")
    assert bo is not None and (bo.bounces, bo.status, bo.last_bounce, bo.why) == (
        2,
        "bouncing",
        "2026-W47",
        "550 no such mailbox",
    )
    assert unsubscribe(store, make_token(ana, SECRET), SECRET, clock=lambda: now).outcome == "unsubscribed"
    assert counts(store).active == 0 and (counts(store).unsubscribed, counts(store).bouncing) == (1, 1)
    assert recipients(store) == ([], [("Ana@Example.org", "unsubscribed"), ("bo@example.org", "bouncing")])
    assert store.set_subscriber_status("bo@example.org", "active", why="back", when=now)
    bo = store.subscriber("bo@example.org")
    assert bo is not None and bo.bounces == 0 and bo.last_bounce is None
    assert store.remove_subscriber("ANA@example.org") and not store.remove_subscriber("ana@example.org")
