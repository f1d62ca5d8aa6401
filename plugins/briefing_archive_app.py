"""The briefing archive inside the Airflow API server: a read-only FastAPI app at ``/briefing``.

``/briefing/`` lists every week; ``/briefing/weeks/<file>`` serves a published PDF or HTML, the index
and the feed; ``/briefing/drafts/<file>`` serves a rendered draft awaiting approval. Only file names of
the archive's own shape are served, resolved inside the archive directory (``BRIEFING_ARCHIVE``), so a
path can never escape it.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

_WEEK_FILE = re.compile(r"^briefing-\d{4}-W\d{2}\.(html|pdf)$")
_OTHER_FILES = {"index.html", "feed.xml"}
_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".xml": "application/atom+xml; charset=utf-8"}

app = FastAPI(title="Briefing archive", description="The weekly briefings this deployment published, read-only.")


def archive_root() -> Path:
    return Path(os.environ.get("BRIEFING_ARCHIVE") or "archive").resolve()


def _serve(directory: Path, name: str) -> FileResponse:
    if not (_WEEK_FILE.match(name) or name in _OTHER_FILES):
        raise HTTPException(status_code=404, detail="no such briefing file")
    path = (directory / name).resolve()
    if path.parent != directory.resolve() or not path.is_file():
        raise HTTPException(status_code=404, detail="no such briefing file")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@app.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    root = archive_root()
    weeks = sorted((p.name[9:17] for p in root.glob("briefing-*.html") if _WEEK_FILE.match(p.name)), reverse=True)
    drafts = sorted((p.name[9:17] for p in (root / ".drafts").glob("briefing-*.html") if _WEEK_FILE.match(p.name)), reverse=True)
    rows = "".join(
        f'<li><strong>{w}</strong> <a href="weeks/briefing-{w}.html">HTML</a> · <a href="weeks/briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, weeks)
    )
    draft_rows = "".join(f'<li>{w} <a href="drafts/briefing-{w}.html">draft</a></li>' for w in map(html.escape, drafts))
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Briefing archive</title></head>"
        "<body style='font-family:sans-serif;max-width:40rem;margin:2rem auto'><h1>Briefing archive</h1>"
        f"<h2>Published</h2><ul>{rows or '<li>none yet</li>'}</ul><h2>Drafts</h2><ul>{draft_rows or '<li>none</li>'}</ul></body></html>"
    )
    return HTMLResponse(body)


@app.get("/weeks/{name}")
def published(name: str) -> FileResponse:
    return _serve(archive_root(), name)


@app.get("/drafts/{name}")
def draft(name: str) -> FileResponse:
    return _serve(archive_root() / ".drafts", name)
