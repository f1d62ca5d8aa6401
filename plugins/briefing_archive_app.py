"""The briefing archive inside the Airflow API server: a read-only FastAPI app at ``/briefing``.

``/briefing/`` lists every published week; ``/briefing/weeks/<file>`` serves a published PDF or HTML,
the index and the feed, to anyone who can reach the API server, as a published briefing is public.
``/briefing/drafts/`` lists the rendered drafts awaiting approval and ``/briefing/drafts/<file>`` serves
one, to signed-in Airflow users only: Airflow does not authenticate a plugin's app, so the app checks
the caller's Airflow token itself (the ``Authorization: Bearer`` header, else the UI's session cookie),
with the API server's own auth manager.

Only file names of the archive's own shape are served (matched whole: a trailing newline is no part of
a name), and only regular files inside the archive directory (``BRIEFING_ARCHIVE``): a path can never
escape it, nor can a symbolic link that leads out of it.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

_WEEK_FILE = re.compile(r"briefing-\d{4}-W\d{2}\.(html|pdf)")
_OTHER_FILES = {"index.html", "feed.xml"}
_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".xml": "application/atom+xml; charset=utf-8"}
_PAGE = "<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>{title}</title></head><body style='font-family:sans-serif;max-width:40rem;margin:2rem auto'>{body}</body></html>"

app = FastAPI(title="Briefing archive", description="The weekly briefings this deployment published, read-only; drafts for signed-in Airflow users.")


async def signed_in(request: Request) -> Any:
    """The Airflow user making the request; 401 or 403 (Airflow's own answer) when there is none."""
    from airflow.api_fastapi.auth.managers.base_auth_manager import COOKIE_NAME_JWT_TOKEN
    from airflow.api_fastapi.core_api.security import resolve_user_from_token

    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    token = credentials.strip() if scheme.lower() == "bearer" else request.cookies.get(COOKIE_NAME_JWT_TOKEN)
    try:
        return await resolve_user_from_token(token)
    except HTTPException:
        raise
    except Exception as e:  # no auth manager to ask (not inside the API server), a token store down: refuse
        raise HTTPException(status_code=403, detail="cannot verify the Airflow token") from e


def _archive():  # type: ignore[no-untyped-def]
    from briefing.archive import Archive

    return Archive(os.environ.get("BRIEFING_ARCHIVE") or "archive")


def _serve(prefix: str, name: str) -> Response:
    if not (_WEEK_FILE.fullmatch(name) or name in _OTHER_FILES):
        raise HTTPException(status_code=404, detail="no such briefing file")
    archive = _archive()
    key = f"{prefix}{name}"
    if not archive.exists(key):  # a regular file inside the archive, links followed no further than it
        raise HTTPException(status_code=404, detail="no such briefing file")
    suffix = name[name.rfind(".") :]
    return Response(archive.read(key), media_type=_TYPES[suffix], headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


def _weeks(names: list[str]) -> list[str]:
    return sorted((n[9:17] for n in names if _WEEK_FILE.fullmatch(n) and n.endswith(".html")), reverse=True)


@app.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    weeks = _weeks(_archive().names())
    rows = "".join(
        f'<li><strong>{w}</strong> <a href="weeks/briefing-{w}.html">HTML</a> · <a href="weeks/briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, weeks)
    )
    body = (
        f"<h1>Briefing archive</h1><h2>Published</h2><ul>{rows or '<li>none yet</li>'}</ul>"
        "<p><a href='weeks/feed.xml'>Atom feed</a> · <a href='drafts/'>Drafts awaiting approval</a> (for signed-in Airflow users)</p>"
    )
    return HTMLResponse(_PAGE.format(title="Briefing archive", body=body))


def _draft_names(archive) -> list[str]:  # type: ignore[no-untyped-def]
    from briefing.archive import DRAFTS, Archive

    return Archive(f"{archive.location.rstrip('/')}/{DRAFTS}").names()


@app.get("/drafts/", response_class=HTMLResponse, dependencies=[Depends(signed_in)])
def drafts() -> HTMLResponse:
    weeks = _weeks(_draft_names(_archive()))
    rows = "".join(f'<li>{w} <a href="briefing-{w}.html">HTML</a> · <a href="briefing-{w}.pdf">PDF</a></li>' for w in map(html.escape, weeks))
    return HTMLResponse(_PAGE.format(title="Briefing drafts", body=f"<h1>Drafts awaiting approval</h1><ul>{rows or '<li>none</li>'}</ul>"))


@app.get("/weeks/{name}")
def published(name: str) -> Response:
    return _serve("", name)


@app.get("/drafts/{name}", dependencies=[Depends(signed_in)])
def draft(name: str) -> Response:
    from briefing.archive import DRAFTS

    return _serve(f"{DRAFTS}/", name)
