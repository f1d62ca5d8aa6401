"""Email and the delivery ledger, and the SMTP password (issue 12, items 1 to 4), against the real SMTP
test server and a copy of a built demo week."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.pipeline import Pipeline, deliver_week
from briefing.publish.mail import SmtpMailer, Subscriber, build_message, deliver
from briefing.store import Store
from briefing.week import parse_week

from ..smtp_server import Inbox, smtp_server
from .conftest import WEEK, Built


def _stories(built: Built) -> int:
    import sqlite3

    with sqlite3.connect(built.db) as conn:
        return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])


# -- 1. stuck claims -------------------------------------------------------------------------------------


def _compose(sub: Subscriber) -> EmailMessage:
    return build_message(
        subject="Briefing", sender="Briefing <b@example.org>", subscriber=sub, text="hello", html="<p>hello</p>",
        pdf=b"%PDF-1.4", pdf_name="b.pdf", unsubscribe="mailto:u@example.org",
    )


def test_a_message_that_cannot_be_built_leaves_no_claim(tmp_path: Path, smtp: tuple[Inbox, str]) -> None:
    """A name holding an encoded CR LF (as a caller other than the subscribers file may give): that one
    subscriber fails, is named, leaves no claim, and is sent once the name is fixed."""
    inbox, url = smtp
    ana, chen = Subscriber("ana@example.org"), Subscriber("chen@example.org")
    broken = Subscriber("bo@example.org", name="=?utf-8?q?x=0D=0Ay?=")
    with Store(f"sqlite:///{tmp_path / 'ledger.sqlite'}") as store, SmtpMailer(url) as mailer:
        first = deliver(WEEK, [ana, broken, chen], _compose, store=store, mailer=mailer)
        assert [r for r, _ in first.failed] == ["bo@example.org"] and "cannot build the message" in first.failed[0][1]
        assert sorted(first.sent) == ["ana@example.org", "chen@example.org"]
        assert "bo@example.org" not in store.delivered(WEEK)  # no claim left behind
        second = deliver(
            WEEK, [ana, Subscriber("bo@example.org", name="Bo"), chen], _compose, store=store, mailer=mailer
        )
    assert second.sent == ("bo@example.org",)
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1, "chen@example.org": 1}


def test_an_encoded_line_break_in_a_name_is_refused_before_anything_runs(
    week_copy: Built, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, url = smtp
    week_copy.subscribers.write_text("ana@example.org\nbo@example.org,=?utf-8?q?x=0D=0Ay?=,\n", encoding="utf-8")
    stories = _stories(week_copy)
    assert main(week_copy.argv("--smtp", url)) == 1
    err = capsys.readouterr().err
    assert "subscribers.csv:2: the name" in err and "cannot go in an email header" in err
    assert inbox.messages == [] and _stories(week_copy) == stories  # refused before fetching anything


# -- 2. sent three times ---------------------------------------------------------------------------------


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_connection_lost_after_the_body_is_an_unknown_outcome_never_resent(
    week_copy: Built, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, url = smtp
    inbox.at = lambda step, n: (
        "drop" if (step, n) == ("BODY", 2) else None
    )  # bo's message arrives, the reply never does
    week = parse_week(WEEK)
    with Pipeline.open(week_copy.settings()) as p:
        with SmtpMailer(url) as mailer:
            first = deliver_week(p, week, mailer=mailer)
        assert inbox.per_recipient() == {
            "ana@example.org": 1,
            "bo@example.org": 1,
            "chen@example.org": 1,
        }  # once, not three times
        assert sorted(first.sent) == ["ana@example.org", "chen@example.org"]
        assert [r for r, _ in first.unknown] == ["bo@example.org"] and "outcome unknown" in first.unknown[0][1]
        assert p.store.delivered(WEEK)["bo@example.org"] == "unknown"
    inbox.at = None
    # a rerun sends nothing, says why, and does not call it a success
    assert main(week_copy.argv("--smtp", url)) == 1
    out, err = capsys.readouterr()
    assert "sent 0, skipped 2, failed 0, unknown 1" in out
    assert "unknown: bo@example.org: outcome unknown" in err and "resend to this address" in err
    assert "skipped: ana@example.org: already sent" in out
    assert inbox.per_recipient()["bo@example.org"] == 1
    # the operator checked the server's log, and resends to that address only
    assert main(week_copy.argv("--smtp", url, "--resend", "bo@example.org")) == 0
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 2, "chen@example.org": 1}
    with Pipeline.open(week_copy.settings()) as p:
        assert p.store.delivered(WEEK) == {
            "ana@example.org": "sent",
            "bo@example.org": "sent",
            "chen@example.org": "sent",
        }


def test_a_refusal_after_the_body_is_retried_as_nothing_was_sent(week_copy: Built, smtp: tuple[Inbox, str]) -> None:
    """A 4xx reply to the body is a known outcome: the server kept nothing, so the retry is safe."""
    inbox, url = smtp
    inbox.fail_body_once.add("bo@example.org")
    with Pipeline.open(week_copy.settings()) as p, SmtpMailer(url) as mailer:
        result = deliver_week(p, parse_week(WEEK), mailer=mailer)
    assert (
        sorted(result.sent) == ["ana@example.org", "bo@example.org", "chen@example.org"]
        and result.failed == ()
        and result.unknown == ()
    )
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1, "chen@example.org": 1}


# -- 3. --resend -----------------------------------------------------------------------------------------


def test_resend_sends_to_the_named_subscribers_only(week_copy: Built, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    with Pipeline.open(week_copy.settings()) as p, SmtpMailer(url) as mailer:
        assert deliver_week(p, parse_week(WEEK), mailer=mailer).ok
    assert main(week_copy.argv("--smtp", url, "--resend", "Bo@Example.org")) == 0
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 2, "chen@example.org": 1}
    assert main(week_copy.argv("--smtp", url, "--resend", "all")) == 0
    assert inbox.per_recipient() == {"ana@example.org": 2, "bo@example.org": 3, "chen@example.org": 2}


def test_resend_to_an_address_that_is_not_a_subscriber_is_an_error_before_anything_runs(
    week_copy: Built, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, url = smtp
    stories = _stories(week_copy)
    assert main(week_copy.argv("--smtp", url, "--resend", "bob@example.org")) == 1
    assert "cannot resend to bob@example.org: not in the subscribers file" in capsys.readouterr().err
    assert inbox.messages == [] and _stories(week_copy) == stories


# -- 4. the SMTP password ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("smtp://u:S3cr#tPW@127.0.0.1:{port}", id="hash"),
        pytest.param("smtp://u:S3cr/tPW@127.0.0.1:{port}", id="slash"),
        pytest.param("smtp://u:S3cr?tPW@127.0.0.1:{port}", id="question-mark"),
    ],
)
def test_an_smtp_url_with_an_unescaped_password_is_refused_before_anything_runs_and_never_printed(
    week_copy: Built,
    smtp: tuple[Inbox, str],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    url: str,
) -> None:
    inbox, base = smtp
    port = base.rsplit(":", 1)[1]
    stories = _stories(week_copy)
    caplog.set_level(logging.DEBUG)
    assert main(week_copy.argv("--smtp", url.format(port=port))) == 1
    out, err = capsys.readouterr()
    assert "percent-encode" in err and "BRIEFING_SMTP_PASSWORD" in err
    everything = out + err + caplog.text
    assert "S3cr" not in everything and "tPW" not in everything
    assert _stories(week_copy) == stories and inbox.messages == []
    with Pipeline.open(week_copy.settings()) as p:
        assert p.store.delivered(WEEK) == {}  # no claim, stuck or not


PASSWORD = "pa#ss/wo?rd@:%41"


@pytest.fixture
def smtp_with_login() -> object:
    with smtp_server(login=("briefing", PASSWORD)) as server:
        yield server


@pytest.mark.parametrize("source", ["environment", "file"])
@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_the_password_comes_from_the_environment_or_a_file(
    week_copy: Built, smtp_with_login: tuple[Inbox, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    inbox, url = smtp_with_login
    extra: list[str] = []
    if source == "environment":
        monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", PASSWORD)
    else:
        secret = tmp_path / "smtp-password"
        secret.write_text(PASSWORD + "\n", encoding="utf-8")
        extra = ["--smtp-password-file", str(secret)]
    assert main(week_copy.argv("--smtp", url.replace("smtp://", "smtp://briefing@"), *extra)) == 0
    assert inbox.logins[-1] == ("briefing", True)
    assert sum(inbox.per_recipient().values()) == 3


@pytest.mark.parametrize("source", ["file-from-environment", "percent-encoded-in-the-url"])
def test_the_password_from_a_file_named_in_the_environment_or_encoded_in_the_url(
    week_copy: Built, smtp_with_login: tuple[Inbox, str], tmp_path: Path, source: str
) -> None:
    from urllib.parse import quote

    from briefing.settings import Settings

    inbox, url = smtp_with_login
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\r\n", encoding="utf-8")
    env = {"BRIEFING_SMTP_PASSWORD_FILE": str(secret)} if source == "file-from-environment" else {}
    target = url.replace("smtp://", "smtp://briefing@" if env else f"smtp://briefing:{quote(PASSWORD, safe='')}@")
    settings = Settings.load(
        env,
        sources=week_copy.config,
        db_url=week_copy.db_url,
        archive=str(week_copy.archive),
        subscribers=str(week_copy.subscribers),
    )
    assert PASSWORD not in repr(settings)
    with Pipeline.open(settings) as p, SmtpMailer(target, password=settings.smtp_password) as mailer:
        assert PASSWORD not in repr(mailer)
        assert deliver_week(p, parse_week(WEEK), mailer=mailer).ok
    assert inbox.logins[-1] == ("briefing", True)


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_refused_login_names_the_server_never_the_password(
    week_copy: Built,
    smtp_with_login: tuple[Inbox, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox, url = smtp_with_login
    wrong = "Wr0ng-S3cret"
    monkeypatch.setenv("BRIEFING_SMTP_PASSWORD", wrong)
    caplog.set_level(logging.DEBUG)
    assert main(week_copy.argv("--smtp", url.replace("smtp://", "smtp://briefing@"))) == 1
    out, err = capsys.readouterr()
    assert (
        "failed: ana@example.org: MailServerError: cannot connect to the SMTP server smtp://briefing@127.0.0.1" in err
    )
    assert "failed: bo@example.org: not tried, the mail server is out of reach" in err
    assert wrong not in out + err + caplog.text
    assert (
        inbox.messages == [] and inbox.logins == [("briefing", False)] * 2
    )  # AUTH PLAIN, then LOGIN; once: a refused login is not retried
