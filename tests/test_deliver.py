"""Email delivery against a real SMTP server: once per subscriber and week, resend on purpose, failures isolated."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.cli import main
from briefing.errors import ConfigError
from briefing.pipeline import Pipeline, deliver_week
from briefing.publish.mail import SmtpMailer, parse_subscribers
from briefing.settings import Settings
from briefing.week import parse_week

from .smtp_server import Inbox, smtp_server

SUBSCRIBERS = """\
# readers of the demo briefing
ana@example.org
email,name,themes
bo@example.org,Bo Li,chips;energy
chen@example.org,陈晨,
"""


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as server:
        yield server


@pytest.fixture(scope="module")
def built(demo_config: Path, demo_week: Path) -> Settings:
    """One demo week, built once (the session's ``demo_week``): store and archive shared by the module's
    tests (each copies them)."""
    return Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{demo_week / 'b.sqlite'}", archive=str(demo_week / "archive")
    )


@pytest.fixture
def pipeline(built: Settings, tmp_path: Path) -> Iterator[Pipeline]:
    import shutil

    db = Path(built.db_url.removeprefix("sqlite:///"))
    shutil.copy(db, tmp_path / "b.sqlite")
    shutil.copytree(built.archive, tmp_path / "archive")
    subs = tmp_path / "subscribers.txt"
    subs.write_text(SUBSCRIBERS, encoding="utf-8")
    settings = Settings.load(
        {},
        sources=built.sources,
        db_url=f"sqlite:///{tmp_path / 'b.sqlite'}",
        archive=str(tmp_path / "archive"),
        subscribers=str(subs),
    )
    with Pipeline.open(settings) as p:
        yield p



def _run_argv(sources: str, tmp_path: Path, smtp: str, subscribers: Path) -> list[str]:
    """``briefing run`` for 2026-W47 over a store and an archive in ``tmp_path``, emailing through ``smtp``."""
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    return ["run", "--week", "2026-W47", "--config", sources, "--db", db, "--archive", str(tmp_path / "a"),
            "--smtp", smtp, "--subscribers", str(subscribers)]  # fmt: skip

def test_one_message_per_subscriber_across_two_runs(pipeline: Pipeline, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    week = parse_week("2026-W47")
    with SmtpMailer(url) as mailer:
        first = deliver_week(pipeline, week, mailer=mailer)
        second = deliver_week(pipeline, week, mailer=mailer)
    assert sorted(first.sent) == ["ana@example.org", "bo@example.org", "chen@example.org"]
    assert second.sent == () and len(second.skipped) == 3
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1, "chen@example.org": 1}


def test_message_has_text_html_pdf_and_unsubscribe(pipeline: Pipeline, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    with SmtpMailer(url) as mailer:
        deliver_week(pipeline, parse_week("2026-W47"), mailer=mailer)
    message = next(m for m in inbox.messages if "bo@example.org" in str(m["To"]))
    assert str(message["Subject"]).startswith("China Tech Briefing 2026-W47: ")
    assert message["List-Unsubscribe"] == "<mailto:briefing@localhost?subject=unsubscribe>"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert (
        plain.index("Chips · 芯片 (your theme)") < plain.index("Energy · 能源 (your theme)") < plain.index("Compute ·")
    )
    assert "&#39;" not in plain and "&amp;" not in plain and "China's" in plain  # text, not HTML
    assert "Your themes come first: Chips, Energy" in html.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "briefing-2026-W47.pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    assert "2026-W47" in (reader.pages[0].extract_text() or "")
    chen = next(m for m in inbox.messages if "chen@example.org" in str(m["To"]))
    assert "陈晨" in str(chen["To"])


def test_resend_sends_again_on_purpose(pipeline: Pipeline, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    week = parse_week("2026-W47")
    with SmtpMailer(url) as mailer:
        deliver_week(pipeline, week, mailer=mailer)
        again = deliver_week(pipeline, week, mailer=mailer, resend=True)
    assert len(again.sent) == 3
    assert set(inbox.per_recipient().values()) == {2}


def test_dry_run_lists_recipients_and_sends_nothing(pipeline: Pipeline, smtp: tuple[Inbox, str]) -> None:
    inbox, url = smtp
    with SmtpMailer(url) as mailer:
        result = deliver_week(pipeline, parse_week("2026-W47"), mailer=mailer, dry_run=True)
    assert sorted(result.sent) == ["ana@example.org", "bo@example.org", "chen@example.org"] and result.dry_run
    assert inbox.messages == []
    assert pipeline.store.delivered("2026-W47") == {}


def test_a_failing_recipient_is_retried_reported_and_does_not_stop_the_others(
    pipeline: Pipeline, smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    inbox.refuse.add("ana@example.org")
    inbox.fail_once.add("bo@example.org")
    week = parse_week("2026-W47")
    with SmtpMailer(url) as mailer:
        first = deliver_week(pipeline, week, mailer=mailer)
    assert [r for r, _ in first.failed] == ["ana@example.org"] and "550" in first.failed[0][1]
    assert sorted(first.sent) == ["bo@example.org", "chen@example.org"]  # bo's 451 was retried
    inbox.refuse.clear()
    with SmtpMailer(url) as mailer:
        second = deliver_week(pipeline, week, mailer=mailer)
    assert second.sent == ("ana@example.org",)
    assert inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1, "chen@example.org": 1}


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_cli_run_emails_once_and_reruns_send_nothing(
    built: Settings, tmp_path: Path, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, url = smtp
    subs = tmp_path / "subscribers.txt"
    subs.write_text(SUBSCRIBERS, encoding="utf-8")
    argv = _run_argv(built.sources, tmp_path, url, subs)
    assert main(argv) == 0
    assert main(argv) == 0
    assert "email: 2026-W47: sent 0, skipped 3, failed 0" in capsys.readouterr().out
    assert sum(inbox.per_recipient().values()) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "ana@example.org\nnot-an-address\n", r":2: 'not-an-address' is not a valid email address", id="bad-address"
        ),
        pytest.param("ana@example.org\nAna@Example.org\n", r":2: Ana@Example.org is listed twice", id="duplicate"),
        pytest.param("a@example.org,A,chips;cooking\n", r":1: unknown theme\(s\) cooking", id="unknown-theme"),
        pytest.param("a@example.org,A,chips,extra\n", r":1: expected 'email,name,themes'", id="too-many-fields"),
        pytest.param("ana@example.org>\n", r":1: .* is not a valid email address", id="angle"),
    ],
)
def test_bad_subscriber_lines_are_errors_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_subscribers(text, "subs.txt", ["compute", "energy", "policy", "chips", "ai-models", "science"])


def test_a_malformed_address_never_reaches_the_server(
    built: Settings, tmp_path: Path, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, url = smtp
    subs = tmp_path / "subscribers.txt"
    subs.write_text("ana@example.org\nbad address@example.org\n", encoding="utf-8")
    argv = _run_argv(built.sources, tmp_path, url, subs)
    assert main(argv) == 1
    assert "subscribers.txt:2:" in capsys.readouterr().err
    assert inbox.messages == []
