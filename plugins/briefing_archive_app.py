"""The briefing archive inside the Airflow API server: a read-only FastAPI app at ``/briefing``.

``/briefing/`` lists every week and links the archive's designed front page; ``/briefing/weeks/<file>``
serves a published PDF or HTML, the index and the feed; ``/briefing/drafts/<file>`` serves a rendered
draft awaiting approval, its HTML under a DRAFT banner. Only file names of
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


_PAGE_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Helvetica Neue',Arial,sans-serif;color:#1b1f24;background:#fbfaf7;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "header{border-top:6px solid #b3261e;padding-top:1rem}h1{margin:.2rem 0 1rem;font-size:1.6rem}"
    ".kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.75rem;color:#b3261e;font-weight:700;margin:0}"
    "h2{font-size:1rem;text-transform:uppercase;letter-spacing:.08em;color:#5b6470;border-bottom:1px solid #d9d6cf;padding-bottom:.3rem;margin-top:2rem}"
    "ul{list-style:none;padding:0}li{padding:.35rem 0;border-bottom:1px solid #eeebe4}a{color:#b3261e}"
    ".week{font-weight:700;display:inline-block;min-width:6rem}.draft{color:#5b6470}"
)

#: shown at the top of a draft, which has not been approved yet
DRAFT_BANNER = (
    '<div role="note" style="position:sticky;top:0;z-index:10;background:#b3261e;color:#fff;text-align:center;'
    'font:700 .9rem/2.2 Arial,sans-serif;letter-spacing:.14em">DRAFT · awaiting an editor\'s approval · not published</div>'
)


@app.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    archive = _archive()
    weeks = _weeks(archive.names())
    drafts = _weeks([n for n in _draft_names(archive)])
    rows = "".join(
        f'<li><span class="week">{w}</span> <a href="weeks/briefing-{w}.html">HTML</a> · <a href="weeks/briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, weeks)
    )
    draft_rows = "".join(f'<li class="draft"><span class="week">{w}</span> <a href="drafts/briefing-{w}.html">draft</a> · <a href="drafts/briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, drafts))
    designed = "<p><a href='weeks/index.html'>The archive's front page</a> · <a href='weeks/feed.xml'>Atom feed</a></p>" if archive.exists("index.html") else "<p><a href='weeks/feed.xml'>Atom feed</a></p>"
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<link rel='icon' href='data:,'><title>Briefing archive</title><style>{_PAGE_STYLE}</style></head>"
        "<body><header><p class='kicker'>China Tech Briefing</p><h1>Briefing archive</h1></header>"
        f"{designed}<h2>Published</h2><ul>{rows or '<li>none yet</li>'}</ul>"
        f"<h2>Drafts awaiting approval</h2><ul>{draft_rows or '<li>none</li>'}</ul></body></html>"
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
    """A draft, with a DRAFT banner on the HTML (the file itself stays what will be published)."""
    response = _serve(".drafts/", name)
    if not name.endswith(".html"):
        return response
    page = bytes(response.body).decode("utf-8")
    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
    marked = page[:at] + DRAFT_BANNER + page[at:]
    return Response(marked.encode("utf-8"), media_type=response.media_type, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
