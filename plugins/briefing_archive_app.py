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

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

_WEEK_FILE = re.compile(r"^briefing-\d{4}-W\d{2}\.(html|pdf)$")
_OTHER_FILES = {"index.html", "feed.xml"}
_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".xml": "application/atom+xml; charset=utf-8"}

app = FastAPI(title="Briefing archive", description="The weekly briefings this deployment published, read-only.")


def _archive():  # type: ignore[no-untyped-def]
    from briefing.archive import Archive

    return Archive(os.environ.get("BRIEFING_ARCHIVE") or "archive")


def _serve(prefix: str, name: str) -> Response:
    if not (_WEEK_FILE.match(name) or name in _OTHER_FILES):
        raise HTTPException(status_code=404, detail="no such briefing file")
    archive = _archive()
    key = f"{prefix}{name}"
    if not archive.exists(key):
        raise HTTPException(status_code=404, detail="no such briefing file")
    suffix = name[name.rfind(".") :]
    return Response(archive.read(key), media_type=_TYPES[suffix], headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


def _weeks(names: list[str]) -> list[str]:
    return sorted((n[9:17] for n in names if _WEEK_FILE.match(n) and n.endswith(".html")), reverse=True)


@app.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    archive = _archive()
    weeks = _weeks(archive.names())
    drafts = _weeks([n for n in _draft_names(archive)])
    rows = "".join(
        f'<li><strong>{w}</strong> <a href="weeks/briefing-{w}.html">HTML</a> · <a href="weeks/briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, weeks)
    )
    draft_rows = "".join(f'<li>{w} <a href="drafts/briefing-{w}.html">draft</a></li>' for w in map(html.escape, drafts))
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>Briefing archive</title></head>"
        "<body style='font-family:sans-serif;max-width:40rem;margin:2rem auto'><h1>Briefing archive</h1>"
        f"<h2>Published</h2><ul>{rows or '<li>none yet</li>'}</ul><h2>Drafts</h2><ul>{draft_rows or '<li>none</li>'}</ul>"
        "<p><a href='weeks/feed.xml'>Atom feed</a></p></body></html>"
    )
    return HTMLResponse(body)


def _draft_names(archive) -> list[str]:  # type: ignore[no-untyped-def]
    from briefing.archive import Archive

    return Archive(f"{archive.location.rstrip('/')}/.drafts").names()


@app.get("/weeks/{name}")
def published(name: str) -> Response:
    return _serve("", name)


@app.get("/drafts/{name}")
def draft(name: str) -> Response:
    return _serve(".drafts/", name)
