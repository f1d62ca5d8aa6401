"""Serve the demo web: fictional outlets whose sample stories live in ``web/*.yaml``.

Each outlet is served the way a real one might be, so the demo exercises every path of the fetcher:
full-text RSS, Atom, a teaser-only RSS whose text is on article pages, an HTML listing page, a Chinese
RSS in UTF-8, and a Chinese RSS and article pages served as GB18030 while declaring GB2312 (its text
holds GBK-only characters such as 镕 and 喆). Pages carry navigation and footers, so extraction has
boilerplate to remove. Everything is built once at start-up; the server binds 127.0.0.1 only.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

from ..serving import BackgroundServer

__all__ = ["DEFAULT_PORT", "OUTLETS", "DemoServer", "Outlet", "Page", "build_site", "load_outlets"]

DEFAULT_PORT = 8765
WEB = Path(__file__).with_name("web")

#: how each outlet is served: (format, charset)
OUTLETS: dict[str, tuple[str, str]] = {
    "harbour-tech-wire": ("rss-full", "utf-8"),
    "east-compute-review": ("atom-full", "utf-8"),
    "grid-and-power-weekly": ("rss-teaser", "utf-8"),
    "silicon-strait-journal": ("html-listing", "utf-8"),
    "zhongguancun-daily": ("rss-full", "utf-8"),
    "huabei-energy-news": ("rss-teaser", "gb2312"),
}


@dataclass(frozen=True)
class DemoStory:
    slug: str
    published: datetime
    title: str
    teaser: str
    body: str
    themes: tuple[str, ...]
    event: str
    kind: str


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    lang: str
    stories: tuple[DemoStory, ...]

    def article_path(self, story: DemoStory) -> str:
        d = story.published
        return f"/{self.id}/{d:%Y/%m/%d}/{story.slug}.html"


def load_outlets(web: Path = WEB) -> list[Outlet]:
    outlets = []
    for oid in OUTLETS:
        data: Any = yaml.safe_load((web / f"{oid}.yaml").read_text(encoding="utf-8"))
        o = data["outlet"]
        stories = tuple(
            sorted(
                (
                    DemoStory(
                        slug=s["slug"],
                        published=datetime.fromisoformat(s["published"]),
                        title=s["title"].strip(),
                        teaser=s["teaser"].strip(),
                        body=s["body"].strip(),
                        themes=tuple(s["themes"]),
                        event=s["event"],
                        kind=s["kind"],
                    )
                    for s in data["stories"]
                ),
                key=lambda s: s.published,
                reverse=True,
            )
        )
        outlets.append(Outlet(id=o["id"], name=o["name"], lang=o["lang"], stories=stories))
    return outlets


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())


def _rss(outlet: Outlet, base: str, full: bool, charset: str) -> str:
    items = []
    for s in outlet.stories:
        link = base + outlet.article_path(s)
        content = f"<content:encoded><![CDATA[{_paragraphs(s.body)}]]></content:encoded>" if full else ""
        items.append(
            f'<item><title>{escape(s.title)}</title><link>{escape(link)}</link><guid isPermaLink="true">'
            f'{escape(link)}</guid>'
            f"<pubDate>{format_datetime(s.published)}</pubDate><description>{escape(s.teaser)}</description>"
            f"{content}</item>"
        )
    return (
        f'<?xml version="1.0" encoding="{charset}"?>\n'
        "<!-- Sample feed of the briefing demo web: fictional outlet, sample text written for the project. -->\n"
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{base}/{outlet.id}/</link><description>Demo outlet (sample "
        "text)</description>"
        f"<language>{'zh-cn' if outlet.lang == 'zh' else 'en'}</language>" + "".join(items) + "</channel></rss>\n"
    )


def _atom(outlet: Outlet, base: str) -> str:
    entries = []
    for s in outlet.stories:
        link = base + outlet.article_path(s)
        entries.append(
            f'<entry><title>{escape(s.title)}</title><link rel="alternate" href="{escape(link)}"/><id>'
            f'{escape(link)}</id>'
            f"<published>{s.published.isoformat()}</published><updated>{s.published.isoformat()}</updated>"
            f'<summary>{escape(s.teaser)}</summary><content type="html">{escape(_paragraphs(s.body))}</content></entry>'
        )
    updated = max(s.published for s in outlet.stories).isoformat()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!-- Sample feed of the briefing demo web: fictional outlet, sample text written for the project. -->\n"
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(outlet.name)}</title><id>{base}/{outlet.id}/</id>'
        f'<updated>{updated}</updated><link rel="self" href="{base}/{outlet.id}/atom.xml"/>'
        + "".join(entries)
        + "</feed>\n"
    )


def _page(outlet: Outlet, title: str, main: str, charset: str, extra_head: str = "") -> str:
    lang = "zh-CN" if outlet.lang == "zh" else "en"
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="{charset}"><title>{html.escape(title)} - '
        f'{html.escape(outlet.name)}</title>{extra_head}</head>'
        f'<body><header class="site"><a href="/{outlet.id}/">{html.escape(outlet.name)}</a>'
        '<nav><a href="/">Home</a> | <a href="#">Technology</a> | <a href="#">Energy</a> | <a href="#">Subscribe</a>'
        '</nav></header>'
        f"{main}"
        "<footer><p>Demo outlet of the briefing project. All text on this site is sample text written for the "
        "project, not real news.</p>"
        "<p>© 2026 Demo Media · Privacy · Terms · Contact</p></footer></body></html>\n"
    )


def _article(outlet: Outlet, s: DemoStory, charset: str) -> str:
    head = (
        f'<meta property="article:published_time" content="{s.published.isoformat()}"><meta name="description" '
        f'content="{html.escape(s.teaser)}">'
    )
    main = (
        f'<main><article><h1>{html.escape(s.title)}</h1><p class="byline">{html.escape(outlet.name)} · <time '
        f'datetime="{s.published.isoformat()}">{s.published:%Y-%m-%d %H:%M}</time></p>'
        f"{_paragraphs(s.body)}</article>"
        '<aside class="related"><h2>Related</h2><ul><li><a href="#">More from this section</a></li><li><a href="#">'
        'Most read this week</a></li></ul></aside></main>'
    )
    return _page(outlet, s.title, main, charset, head)


def _listing(outlet: Outlet) -> str:
    rows = "".join(
        f'<li><a class="headline" href="{outlet.article_path(s)}">{html.escape(s.title)}</a> <span class="date">'
        f'{s.published:%Y-%m-%d}</span></li>'
        for s in outlet.stories
    )
    main = (
        f'<main><h1>{html.escape(outlet.name)}: latest news</h1><ul class="news-list">{rows}</ul><p><a href="#">'
        'Older stories</a></p></main>'
    )
    return _page(outlet, "Latest news", main, "utf-8")


@dataclass(frozen=True)
class Page:
    """One page of the demo web: the bytes it serves, and their Content-Type."""

    body: bytes
    content_type: str


def build_site(base: str, web: Path = WEB) -> dict[str, Page]:
    """Every path of the demo web mapped to its page."""
    site: dict[str, Page] = {"/robots.txt": Page(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")}
    links = []
    for outlet in load_outlets(web):
        fmt, charset = OUTLETS[outlet.id]
        codec = "gb18030" if charset == "gb2312" else charset  # declares GB2312, holds GBK-only characters

        def put(path: str, text: str, ctype: str, codec: str = codec, charset: str = charset) -> None:
            site[path] = Page(text.encode(codec), f"{ctype}; charset={charset}")

        if fmt == "atom-full":
            put(f"/{outlet.id}/atom.xml", _atom(outlet, base), "application/atom+xml")
            links.append(f"/{outlet.id}/atom.xml")
        elif fmt == "html-listing":
            put(f"/{outlet.id}/", _listing(outlet), "text/html")
            links.append(f"/{outlet.id}/")
        else:
            put(f"/{outlet.id}/feed.xml", _rss(outlet, base, fmt == "rss-full", charset), "application/rss+xml")
            links.append(f"/{outlet.id}/feed.xml")
        for s in outlet.stories:
            put(outlet.article_path(s), _article(outlet, s, charset), "text/html")
    index = "".join(f'<li><a href="{p}">{p}</a></li>' for p in links)
    root = (
        '<!doctype html><html><head><meta charset="utf-8"><title>briefing demo web</title></head><body>'
        f"<h1>briefing demo web</h1><p>Fictional outlets with sample text.</p><ul>{index}</ul></body></html>"
    )
    site["/"] = Page(root.encode(), "text/html; charset=utf-8")
    return site


class _Handler(BaseHTTPRequestHandler):
    site: dict[str, Page] = {}
    server_version = "briefing-demo/1"

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        found = self.site.get(path)
        if found is None:
            self.send_error(404, "not in the demo web")
            return
        self.send_response(200)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(len(found.body)))
        self.end_headers()
        self.wfile.write(found.body)

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class DemoServer(BackgroundServer):
    """The demo web on 127.0.0.1; ``port=0`` picks a free port. Use as a context manager."""

    thread_name = "demo-web"

    def __init__(self, port: int = DEFAULT_PORT, *, verbose: bool = False) -> None:
        handler: type[_Handler] = type("Handler", (_Handler,), {})
        super().__init__(handler, "127.0.0.1", port)
        self.httpd.verbose = verbose  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.port}"
        handler.site = build_site(self.base_url)
