"""The briefing archive inside the Airflow API server: a read-only FastAPI app at ``/briefing``.

``/briefing/`` lists every published week and links the archive's designed front page;
``/briefing/weeks/<file>`` serves a published PDF or HTML, the index and the feed, to anyone who can
reach the API server, as a published briefing is public.
``/briefing/drafts/`` lists the rendered drafts awaiting approval and ``/briefing/drafts/<file>`` serves
one (its HTML under a DRAFT banner), and ``/briefing/revisions/<file>`` a week's files as one run made
them (what the runs' Draft and Published links open), to signed-in Airflow users only: Airflow does
not authenticate a plugin's app, so the app checks the caller's Airflow token itself (the
``Authorization: Bearer`` header, else the UI's session cookie), with the API server's own auth manager.

``/briefing/unsubscribe?t=<token>`` is the one-click unsubscribe of the emails (RFC 8058), open to
anyone who holds a token, as a subscriber is no Airflow user: its POST (``List-Unsubscribe=One-Click``)
unsubscribes the token's subscriber in the store (``BRIEFING_DB_URL``), its GET shows a page that asks
to confirm; tokens are checked with ``BRIEFING_UNSUBSCRIBE_SECRET`` by ``briefing.publish.mail.unsubscribe``, and a
forged or unknown one changes nothing. ``briefing unsubscribe-server`` answers the same without Airflow.

Only file names of the archive's own shape are served (matched whole: a trailing newline is no part of
a name), and only regular files inside the archive directory (``BRIEFING_ARCHIVE``): a path can never
escape it, nor can a symbolic link that leads out of it.
"""

from __future__ import annotations

import html
import os
import re
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

if TYPE_CHECKING:  # for the annotations only: the plugin imports briefing when a request asks
    from briefing.publish import Archive
    from briefing.publish.mail.unsubscribe import Result
    from briefing.store import Store

_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".xml": "application/atom+xml; charset=utf-8"}

app = FastAPI(
    title="Briefing archive",
    description="The weekly briefings this deployment published, read-only; drafts for signed-in Airflow users.",
)


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


def _archive() -> Archive:
    from briefing.publish import Archive

    return Archive(os.environ.get("BRIEFING_ARCHIVE") or "archive")


def _week_file(name: str) -> re.Match[str] | None:
    """The ``week`` and ``suffix`` of a week's HTML or PDF (``briefing.publish.EDITION_FILE``), or None."""
    from briefing.publish import EDITION_FILE

    return EDITION_FILE.fullmatch(name)


def _serve(prefix: str, name: str) -> Response:
    from briefing.publish import FEED, INDEX

    if not (_week_file(name) or name in {INDEX, FEED}):
        raise HTTPException(status_code=404, detail="no such briefing file")
    archive = _archive()
    key = f"{prefix}{name}"
    if not archive.exists(key):  # a regular file inside the archive, links followed no further than it
        raise HTTPException(status_code=404, detail="no such briefing file")
    suffix = name[name.rfind(".") :]
    return Response(
        archive.read(key),
        media_type=_TYPES[suffix],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


def _weeks(names: list[str]) -> list[str]:
    return sorted((m["week"] for m in map(_week_file, names) if m and m["suffix"] == "html"), reverse=True)


_PAGE_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Helvetica Neue',Arial,sans-serif;color:#1b1f24;background:#fbfaf7;"
    "max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "header{border-top:6px solid #b3261e;padding-top:1rem}h1{margin:.2rem 0 1rem;font-size:1.6rem}"
    ".kicker{text-transform:uppercase;letter-spacing:.12em;font-size:.75rem;color:#b3261e;font-weight:700;margin:0}"
    "h2{font-size:1rem;text-transform:uppercase;letter-spacing:.08em;color:#5b6470;border-bottom:1px solid #d9d6cf;"
    "padding-bottom:.3rem;margin-top:2rem}"
    "ul{list-style:none;padding:0}li{padding:.35rem 0;border-bottom:1px solid #eeebe4}a{color:#b3261e}"
    ".week{font-weight:700;display:inline-block;min-width:6rem}.draft{color:#5b6470}"
)

#: shown at the top of a draft, which has not been approved yet
DRAFT_BANNER = (
    '<div role="note" style="position:sticky;top:0;z-index:10;background:#b3261e;color:#fff;text-align:center;'
    'font:700 .9rem/2.2 Arial,sans-serif;letter-spacing:.14em">'
    "DRAFT · awaiting an editor's approval · not published</div>"
)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<link rel='icon' href='data:,'><title>{html.escape(title)}</title><style>{_PAGE_STYLE}</style></head>"
        f"<body><header><p class='kicker'>China Tech Briefing</p><h1>{html.escape(title)}</h1></header>"
        f"{body}</body></html>"
    )


@app.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    from briefing.publish import file_names

    archive = _archive()
    weeks = _weeks(archive.names())
    rows = "".join(
        f'<li><span class="week">{w}</span> <a href="weeks/{file_names(w).html}">HTML</a> · '
        f'<a href="weeks/{file_names(w).pdf}">PDF</a></li>'
        for w in map(html.escape, weeks)
    )
    front = "<a href='weeks/index.html'>The archive's front page</a> · " if archive.exists("index.html") else ""
    body = (
        f"<p>{front}<a href='weeks/feed.xml'>Atom feed</a></p><h2>Published</h2><ul>{rows or '<li>none yet</li>'}</ul>"
        "<h2>Drafts</h2><p><a href='drafts/'>Drafts awaiting approval</a> (for signed-in Airflow users)</p>"
    )
    return HTMLResponse(_page("Briefing archive", body))


def _draft_names(archive: Archive) -> list[str]:
    from briefing.publish import DRAFTS, Archive

    return Archive(f"{archive.location.rstrip('/')}/{DRAFTS}").names()


@app.get("/drafts/", response_class=HTMLResponse, dependencies=[Depends(signed_in)])
def drafts() -> HTMLResponse:
    from briefing.publish import file_names

    weeks = _weeks(_draft_names(_archive()))
    rows = "".join(
        f'<li class="draft"><span class="week">{w}</span> <a href="{file_names(w).html}">draft</a> · '
        f'<a href="{file_names(w).pdf}">PDF</a></li>'
        for w in map(html.escape, weeks)
    )
    return HTMLResponse(
        _page("Drafts awaiting approval", f"<ul>{rows or '<li>none</li>'}</ul><p><a href='../'>The archive</a></p>")
    )


@app.get("/weeks/{name}")
def published(name: str) -> Response:
    return _serve("", name)


#: shown at the top of a revision: the edition as one run made it, which may since have been rebuilt
REVISION_BANNER = (
    '<div role="note" style="position:sticky;top:0;z-index:10;background:#1b1f24;color:#fff;text-align:center;'
    'font:700 .9rem/2.2 Arial,sans-serif;letter-spacing:.08em">As this run made it · revision {revision} · '
    '<a style="color:#fff" href="../weeks/{published}">the week as published now</a></div>'
)


def _marked(response: Response, banner: str) -> Response:
    """The HTML of ``response`` with ``banner`` at the top of its body."""
    page = bytes(response.body).decode("utf-8")
    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
    marked = page[:at] + banner + page[at:]
    return Response(
        marked.encode("utf-8"),
        media_type=response.media_type,
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@app.get("/revisions/{name}", dependencies=[Depends(signed_in)])
def revision(name: str) -> Response:
    """A week's HTML or PDF as one run rendered or published it (the runs' links open these), for signed-in users:
    a revision may be a draft that was never approved."""
    from briefing.publish import REVISION_NAME, REVISIONS, file_names

    found = REVISION_NAME.fullmatch(name)
    if not found:
        raise HTTPException(status_code=404, detail="no such revision")
    archive = _archive()
    if not archive.exists(f"{REVISIONS}/{name}"):
        raise HTTPException(status_code=404, detail="no such revision")
    suffix = name[name.rfind(".") :]
    response = Response(
        archive.read(f"{REVISIONS}/{name}"),
        media_type=_TYPES[suffix],
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )
    if suffix != ".html":
        return response
    banner = REVISION_BANNER.format(
        revision=html.escape(found["digest"]), published=html.escape(file_names(found["week"]).html)
    )
    return _marked(response, banner)


@app.get("/drafts/{name}", dependencies=[Depends(signed_in)])
def draft(name: str) -> Response:
    """A draft, with a DRAFT banner on the HTML (the file itself stays what will be published)."""
    from briefing.publish import DRAFTS

    response = _serve(f"{DRAFTS}/", name)
    return _marked(response, DRAFT_BANNER) if name.endswith(".html") else response


# -- one-click unsubscribe (RFC 8058) ----------------------------------------------------------------------

_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _unsubscribe_deps() -> tuple[Store, str | None]:
    """The store and the token secret of the deployment's settings (read per request: the environment may change)."""
    from briefing.settings import Settings
    from briefing.store import Store

    settings = Settings.load()
    return Store(settings.db_url), settings.unsubscribe_secret


@app.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(t: str = "") -> HTMLResponse:
    """The link in an email: a page that asks to confirm (mail scanners fetch links; a GET changes nothing)."""
    from briefing.publish.mail.unsubscribe import check, page

    store, secret = _unsubscribe_deps()
    try:
        result, _ = check(store, t, secret)
    finally:
        store.close()
    return HTMLResponse(page(result, t), status_code=result.http_status, headers=_NO_STORE)


@app.post("/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_one_click(request: Request, t: str = "") -> HTMLResponse:
    """The one-click POST of a mail provider (or the confirm page's button): unsubscribes at once."""
    from starlette.concurrency import run_in_threadpool

    from briefing.publish.mail.unsubscribe import MAX_BODY, is_one_click, page, unsubscribe

    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return HTMLResponse("the body is too large", status_code=413, headers=_NO_STORE)
    if not is_one_click(body):
        return HTMLResponse(
            "a one-click unsubscribe POST holds List-Unsubscribe=One-Click (RFC 8058)",
            status_code=400,
            headers=_NO_STORE,
        )

    def act() -> Result:
        store, secret = _unsubscribe_deps()
        try:
            return unsubscribe(store, t, secret, how="one-click unsubscribe (Airflow archive app)")
        finally:
            store.close()

    result = await run_in_threadpool(act)
    return HTMLResponse(page(result, t), status_code=result.http_status, headers=_NO_STORE)
