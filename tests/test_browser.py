"""The HTML edition in a real browser (Debian's headless Chromium): it renders on a phone-sized
screen, logs no console error and requests nothing but the page itself."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; make installs it when run as root)",
)


@pytest.fixture(scope="module")
def archive(demo_week: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the archive of the session's demo week (2026-W47 built and published)."""
    archive = tmp_path_factory.mktemp("browser") / "archive"
    shutil.copytree(demo_week / "archive", archive)
    return archive


@pytest.fixture
def served(archive: Path) -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(archive), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            requests.append(self.path)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def _chromium(url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            f"--user-data-dir={tmp / 'profile'}",
            "--enable-logging=stderr",
            "--log-level=0",
            *args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_phone_screenshot_without_console_errors_or_other_requests(
    served: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, requests = served
    shot = tmp_path / "phone.png"
    done = _chromium(f"{base}/briefing-2026-W47.html", tmp_path, "--window-size=390,2400", f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    assert requests == ["/briefing-2026-W47.html"], requests  # inline CSS and SVG: nothing else is fetched


def test_the_dom_has_every_section_and_language_marks(served: tuple[str, list[str]], tmp_path: Path) -> None:
    base, _ = served
    dom = _chromium(f"{base}/briefing-2026-W47.html", tmp_path, "--dump-dom").stdout
    for heading in (
        "Compute",
        "Energy",
        "Policy",
        "Chips",
        "AI models",
        "Science",
        "Numbers of the week",
        "Sources and their health",
    ):
        assert heading in dom
    assert dom.count('lang="zh"') > 10
    assert 'role="img"' in dom and "<title" in dom  # the charts say what they show


def test_archive_index_and_feed_need_nothing_else(served: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requests = served
    dom = _chromium(f"{base}/index.html", tmp_path, "--dump-dom").stdout
    assert "briefing-2026-W47.pdf" in dom and "feed.xml" in dom
    assert requests == ["/index.html"]
