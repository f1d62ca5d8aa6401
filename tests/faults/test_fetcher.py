"""The fetcher (issue 12, items 5 to 8): a slow-loris server, the SSRF guard with ``allow_private``,
implausible dates, control characters and ``javascript:`` links.

Every server is a local one on 127.0.0.1. The SSRF tests resolve made-up names to the addresses under
test and dial through an injected connect function that records the address asked for and always
connects to 127.0.0.1: a refused address is one that was never asked for, and nothing ever leaves the
machine.
"""

from __future__ import annotations

import socket
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.errors import ConfigError, FetchError
from briefing.fetch import Client, fetch_source
from briefing.pipeline import Pipeline, build_edition
from briefing.publish import EditionInfo, publish_edition
from briefing.records import Source
from briefing.render import render_email, render_html
from briefing.sources import parse_sources
from briefing.store import Store
from briefing.week import parse_week

from ..local_http import QuietHandler, serving
from .conftest import WEEK, Built

NOW = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)
TEXT = "The operator said the new capacity entered service this week and more is planned. " * 8


# -- 5. slow-loris -----------------------------------------------------------------------------------------


class Trickle(QuietHandler):
    """Headers or a body one byte at a time, 20 a second, until the client hangs up (at most 15 s)."""

    sent: dict[str, int] = {}

    def do_GET(self) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 300\r\n\r\n"
        body = b"<" * 300
        if self.path == "/slow-body":
            self.wfile.write(head)
            self._drip(body)
        else:
            self._drip(head + body)

    def _drip(self, data: bytes) -> None:
        sent = 0
        try:
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                sent += 1
                time.sleep(0.05)
        except OSError:
            pass
        finally:
            Trickle.sent[self.path] = sent
            self.close_connection = True


@pytest.mark.parametrize("path", ["/slow-body", "/slow-headers"])
def test_a_trickling_server_is_cut_off_when_the_budget_ends(path: str) -> None:
    with serving(Trickle) as port:
        client = Client(read_timeout=10, attempts=1, obey_robots=False)
        started = time.monotonic()
        with pytest.raises(FetchError, match="time budget ran out"):
            client.get(f"http://127.0.0.1:{port}{path}", allow_private=True, deadline=time.monotonic() + 1.0)
        took = time.monotonic() - started
    deadline = time.monotonic() + 5
    while path not in Trickle.sent and time.monotonic() < deadline:
        time.sleep(0.05)
    # a 1 s budget, 20 bytes a second: the client hung up after about 20 bytes, not after all of them
    assert Trickle.sent[path] < 60, f"the server sent {Trickle.sent[path]} bytes over {took:.1f} s"


# -- 6. allow_private admits loopback only ---------------------------------------------------------------


class Ok(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/to-metadata":
            self.reply(302, headers={"Location": f"http://metadata.test:{self.server.server_address[1]}/ok"})
        elif self.path == "/to-ten":
            self.reply(302, headers={"Location": f"http://10.0.0.7:{self.server.server_address[1]}/ok"})
        elif self.path == "/feed.xml":
            port = self.server.server_address[1]
            items = "".join(
                f"<item><title>Story on {host}</title><link>http://{host}:{port}/a/{n}</link>"
                f"<description>{TEXT}</description>"
                "<pubDate>Wed, 18 Nov 2026 09:00:00 +0800</pubDate></item>"
                for n, host in enumerate(["local.test", "metadata.test", "ten.test", "ula.test", "cgnat.test"])
            )
            self.reply(
                200,
                f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode(),
                {"Content-Type": "application/rss+xml"},
            )
        else:
            self.reply(200, b"<html><body><p>ok</p></body></html>", {"Content-Type": "text/html"})


ADDRESSES = {
    "metadata.test": ["169.254.169.254"],
    "alibaba-metadata.test": ["100.100.100.200"],
    "mapped-metadata.test": ["::ffff:169.254.169.254"],
    "link-local6.test": ["fe80::1"],
    "ten.test": ["10.0.0.7"],
    "ula.test": ["fd00::1"],
    "cgnat.test": ["100.64.0.1"],
    "local.test": ["127.0.0.1"],
}


@pytest.fixture
def dialled() -> list[str]:
    return []


@pytest.fixture
def client(dialled: list[str]) -> Client:
    def resolve(host: str) -> list[str]:
        return ADDRESSES.get(host, [host])

    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        dialled.append(address[0])
        return socket.create_connection(("127.0.0.1", address[1]), timeout)  # never beyond loopback, whatever was asked

    return Client(resolve=resolve, connect=connect, attempts=1, obey_robots=False)


@pytest.fixture
def ok_port() -> Iterator[int]:
    with serving(Ok) as port:
        yield port


@pytest.mark.parametrize("host", [h for h in ADDRESSES if h != "local.test"])
def test_allow_private_admits_loopback_and_nothing_else(
    client: Client, dialled: list[str], ok_port: int, host: str
) -> None:
    with pytest.raises(FetchError, match=rf"refused: {host} resolves to non-public address"):
        client.get(f"http://{host}:{ok_port}/ok", allow_private=True)
    assert dialled == []  # refused before any connection
    assert client.get(f"http://local.test:{ok_port}/ok", allow_private=True).status == 200
    assert dialled == ["127.0.0.1"]


@pytest.mark.parametrize("path", ["/to-metadata", "/to-ten"])
def test_a_redirect_from_loopback_to_a_private_address_is_refused(
    client: Client, dialled: list[str], ok_port: int, path: str
) -> None:
    with pytest.raises(FetchError, match="refused"):
        client.get(f"http://local.test:{ok_port}{path}", allow_private=True)
    assert dialled == ["127.0.0.1"]


def test_listed_networks_are_admitted_but_never_link_local_or_metadata(
    client: Client, dialled: list[str], ok_port: int
) -> None:
    assert client.get(f"http://ten.test:{ok_port}/ok", allow_private=("10.0.0.0/8",)).status == 200
    assert dialled == ["10.0.0.7"]  # a made-up address, connected to 127.0.0.1 by the test's connect
    with pytest.raises(FetchError, match="never fetched"):
        client.get(f"http://metadata.test:{ok_port}/ok", allow_private=("10.0.0.0/8",))
    assert dialled == ["10.0.0.7"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(["169.254.0.0/16"], "overlaps 169.254.0.0/16", id="link-local"),
        pytest.param(["0.0.0.0/0"], "overlaps", id="everything"),
        pytest.param(["fd00:ec2::/32"], "overlaps fd00:ec2::254", id="aws-metadata-v6"),
        pytest.param(["10.0.0.0/33"], "not a network", id="bad"),
        pytest.param("yes", "must be true, false or a list of networks", id="string"),
    ],
)
def test_allow_private_in_the_config_never_admits_metadata(value: object, message: str) -> None:
    config = {
        "sources": [
            {
                "id": "a",
                "name": "A",
                "kind": "feed",
                "url": "http://10.0.0.7/feed.xml",
                "lang": "en",
                "allow_private": value,
            }
        ]
    }
    with pytest.raises(ConfigError, match=message):
        parse_sources(config, "sources.yaml")


def test_article_links_to_private_addresses_are_dropped_for_an_allow_private_source(
    client: Client, dialled: list[str], ok_port: int, store: Store
) -> None:
    source = Source(
        id="local",
        name="Local",
        kind="feed",
        url=f"http://local.test:{ok_port}/feed.xml",
        lang="en",
        allow_private=True,
        fetch_articles=True,
    )
    result = fetch_source(source, client=client, store=store, tz="Asia/Shanghai", clock=lambda: NOW)
    assert result.status == "ok" and result.stories == 1
    assert any("4 item link(s) refused" in w for w in result.warnings)
    assert set(dialled) == {"127.0.0.1"}


# -- 7. implausible dates ---------------------------------------------------------------------------------


def _feed(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{n}</link><description>{TEXT}</description>"
        f"<pubDate>{d}</pubDate></item>"
        for n, (t, d) in enumerate(items)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'>"
        f"<channel><title>t</title>{body}</channel></rss>"
    ).encode()


def _serve_feed(content: bytes) -> type[QuietHandler]:
    class Feed(QuietHandler):
        def do_GET(self) -> None:
            self.reply(200, content, {"Content-Type": "application/rss+xml; charset=utf-8"})

    return Feed


def test_implausible_dates_give_way_to_the_fetch_time_with_a_warning(store: Store) -> None:
    feed = _feed(
        ("Dated 1970", "Thu, 01 Jan 1970 00:00:00 GMT"),
        ("Dated 2099", "Thu, 01 Jan 2099 00:00:00 GMT"),
        ("Dated year one", "0001-01-01T00:00:00Z"),
        ("Dated well", "Wed, 18 Nov 2026 09:00:00 +0800"),
    )
    with serving(_serve_feed(feed)) as port:
        source = Source(
            id="dates",
            name="Dates",
            kind="feed",
            url=f"http://127.0.0.1:{port}/feed.xml",
            lang="en",
            allow_private=True,
        )
        result = fetch_source(source, client=Client(attempts=1), store=store, tz="Asia/Shanghai", clock=lambda: NOW)
    assert result.status == "ok" and result.new == 4
    stories = {
        s.title: s for s in store.stories_between(datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))
    }
    for title in ("Dated 1970", "Dated 2099", "Dated year one"):
        assert stories[title].published is None and stories[title].date_estimated and stories[title].fetched == NOW, (
            title
        )
    assert stories["Dated well"].published == datetime(2026, 11, 18, 1, 0, tzinfo=UTC)
    assert any("3 item date(s) unreadable or implausible" in w for w in result.warnings), result.warnings


# -- 8. control characters and javascript: links ---------------------------------------------------------


def test_control_characters_are_stripped_at_ingestion(store: Store) -> None:
    feed = _feed(("Lead&#1; story of the&#127; week", "Wed, 18 Nov 2026 09:00:00 +0800")).replace(
        b"<description>", b"<description>Text&#11; with a vertical tab. "
    )
    with serving(_serve_feed(feed)) as port:
        source = Source(
            id="ctl", name="Ctl", kind="feed", url=f"http://127.0.0.1:{port}/feed.xml", lang="en", allow_private=True
        )
        fetch_source(source, client=Client(attempts=1), store=store, tz="Asia/Shanghai", clock=lambda: NOW)
    [story] = store.stories_between(datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    assert story.title == "Lead story of the week"
    assert not any(
        ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in story.title + story.summary + story.text
    )


def test_the_archive_feed_stays_well_formed_when_a_lead_holds_a_control_character(tmp_path: Path) -> None:
    """A store filled before ingestion stripped them may still hold one."""
    publish_edition(
        tmp_path,
        WEEK,
        "<html></html>",
        b"%PDF-1.7",
        EditionInfo(week=WEEK, lead="Lead\x01 story\x1b[0m", stories=3, events=2),
    )
    root = ET.parse(tmp_path / "feed.xml").getroot()
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert f"China Tech Briefing {WEEK}: Lead story[0m" in titles


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_no_javascript_or_data_link_in_the_briefing_or_the_email(week_copy: Built, url: str) -> None:
    with Pipeline.open(week_copy.settings()) as p:
        lead = next(pick.story_id for pick in p.store.load_selection(WEEK) if pick.lead)
    with sqlite3.connect(week_copy.db) as conn:
        conn.execute("UPDATE stories SET url = ? WHERE id = ?", (url, lead))
    with Pipeline.open(week_copy.settings()) as p:
        edition = build_edition(p, parse_week(WEEK))
    assert edition.lead is not None and edition.lead.story.url == url
    _, _, email_html = render_email(edition, unsubscribe="javascript:alert(2)")
    for page in (render_html(edition), email_html):
        hrefs = [h.split('"', 1)[0] for h in page.split('href="')[1:]]
        assert hrefs and all(h.startswith(("http://", "https://", "mailto:", "#", "data:,")) for h in hrefs), [
            h for h in hrefs if ":" in h[:12]
        ][:5]
        assert 'href="#"' in page  # where the link would have been
