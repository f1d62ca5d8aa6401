"""Shared fixtures: the demo web on a free port, a demo config pointing at it, a fresh SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.demo import DemoServer
from briefing.store import Store

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real, empty SQLite store in a temporary file."""
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as s:
        yield s
