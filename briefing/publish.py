"""Publish editions into the archive: one PDF and one HTML per week, and an index of every week.

Every file is written atomically (a temporary file in the same directory, then a rename), so a reader
never sees half a file and a failed write leaves the previous version in place. Rewriting a week
replaces its files; it never adds a second copy.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import PublishError
from .render import render_index
from .week import Week, parse_week

__all__ = ["Published", "atomic_write", "file_names", "publish_edition", "write_index"]

_NAME_RE = re.compile(r"^briefing-(\d{4}-W\d{2})\.html$")


@dataclass(frozen=True)
class Published:
    week: str
    html: Path
    pdf: Path
    index: Path


def file_names(week: str) -> tuple[str, str]:
    return f"briefing-{week}.html", f"briefing-{week}.pdf"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise PublishError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise PublishError(f"cannot write {path}: {e.strerror or e}") from e


def publish_edition(archive: str | Path, week: str, html: str, pdf: bytes) -> Published:
    """Write a week's HTML and PDF into ``archive`` and refresh the index."""
    root = Path(archive)
    html_name, pdf_name = file_names(week)
    atomic_write(root / pdf_name, pdf)  # the PDF first: the HTML is what the index lists
    atomic_write(root / html_name, html.encode("utf-8"))
    index = write_index(root)
    return Published(week=week, html=(root / html_name).resolve(), pdf=(root / pdf_name).resolve(), index=index.resolve())


def write_index(archive: str | Path) -> Path:
    """Write ``index.html`` listing every week in ``archive``, newest first."""
    root = Path(archive)
    weeks: list[Week] = []
    if root.is_dir():
        for entry in root.iterdir():
            m = _NAME_RE.match(entry.name)
            if m and (root / file_names(m.group(1))[1]).exists():
                weeks.append(parse_week(m.group(1)))
    rows = []
    for w in sorted(weeks, reverse=True):
        html_name, pdf_name = file_names(str(w))
        rows.append({"week": str(w), "dates": f"{w.monday:%d %b} – {w.sunday:%d %b %Y}", "html": html_name, "pdf": pdf_name})
    path = root / "index.html"
    atomic_write(path, render_index(rows).encode("utf-8"))
    return path
