"""Render an edition to HTML with Jinja2 and to PDF with WeasyPrint.

The templates and the stylesheet live in ``templates/``; the stylesheet is inlined into the page, so the
HTML edition makes no request and the PDF renderer needs none: its URL fetcher refuses everything but
``data:`` URLs, so nothing a story names (``file://``, internal addresses) is ever loaded. Jinja
autoescapes every value, and every link a story or setting gives goes through ``safe_href``: only
http, https and mailto URLs become links, so a ``javascript:`` or ``data:`` URL never does. Chinese needs a CJK font: ``check_fonts`` says plainly when none is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from .charts import share_svg, trend_svg
from .errors import RenderError
from .records import Edition
from .resources import resource

__all__ = ["check_fonts", "counted", "render_email", "render_html", "render_index", "render_pdf", "safe_href"]

CJK_FONT_HINT = "install a CJK font, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu or `dnf install google-noto-sans-cjk-fonts` on Fedora"


@lru_cache(maxsize=1)
def check_fonts() -> str:
    """The family of an installed font that covers Chinese; RenderError if there is none."""
    if shutil.which("fc-list") is None:
        raise RenderError(f"fontconfig's fc-list is not installed, so no Chinese font can be found: {CJK_FONT_HINT}")
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
    if not families:
        raise RenderError(f"no font covering Chinese is installed, so Chinese text would print as empty boxes: {CJK_FONT_HINT}")
    for preferred in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        if preferred in families:
            return preferred
    return families[0]


_IGNORED = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\ufeff]")


@lru_cache(maxsize=1)
def _primary_coverage() -> frozenset[int]:
    """Code points of the fonts the stylesheet names first (Noto CJK, DejaVu), read with fontTools."""
    from fontTools.ttLib import TTCollection, TTFont

    covered: set[int] = set()
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC", "DejaVu Sans"):
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True, check=False).stdout
        path, _, index = out.partition("|")
        if not path or not os.path.exists(path):
            continue
        try:
            if path.lower().endswith((".ttc", ".otc")):
                collection = TTCollection(path, lazy=True)
                try:
                    covered.update(collection.fonts[int(index or 0)].getBestCmap() or {})
                finally:
                    collection.close()
            else:
                with TTFont(path, lazy=True) as font:
                    covered.update(font.getBestCmap() or {})
        except Exception:  # an unreadable font file covers nothing; fontconfig is asked below
            continue
    return frozenset(covered)


@lru_cache(maxsize=4096)
def _any_font_covers(char: str) -> bool:
    out = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw (they would print as empty boxes)."""
    primary = _primary_coverage()
    chars = sorted({c for c in text if ord(c) > 0x7E and not _IGNORED.match(c)})
    return [c for c in chars if ord(c) not in primary and not _any_font_covers(c)]


def check_glyphs(html: str, *, week: str = "") -> None:
    """RenderError naming every character of ``html`` that would print as an empty box."""
    import lxml.html

    text = lxml.html.document_fromstring(html).text_content()
    missing = missing_glyphs(text)
    if missing:
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        raise RenderError(
            f"{week or 'the briefing'}: no installed font has a glyph for {listed}; they would print as empty boxes. "
            "Install a font that covers them (CJK Extension B: fonts-hanazono on Debian)"
        )


_LINKABLE = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # browsers drop these inside a URL: "java\tscript:" is javascript:


def safe_href(url: object) -> str:
    """``url`` if a link may point there (an http, https or mailto URL), else ``#``."""
    text = str(url).strip()
    if _CONTROL.search(text):
        return "#"
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return "#"
    return text if scheme in _LINKABLE else "#"


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))),
        # HTML everywhere; the plain-text email part is text, where &#39; would be shown as such
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt.j2",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    return env


def _formatters(tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)

    def day(moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = moment.astimezone(zone)
        return f"{local.day} {local:%b %Y}"

    def stamp(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(zone).isoformat()

    return {"day": day, "stamp": stamp}


def render_html(edition: Edition, *, title: str = "China Tech Briefing") -> str:
    """The edition as one self-contained HTML page (stylesheet inlined)."""
    import jinja2

    env = _environment()
    css = resource("templates/briefing.css").read_text(encoding="utf-8")
    theme_names = {s.theme.id: s.theme.name for s in edition.sections}
    this_week = edition.trend[-1][1] if edition.trend else tuple((s.theme.id, len(s.items)) for s in edition.sections)
    try:
        return str(
            env.get_template("briefing.html.j2").render(
                e=edition,
                title=title,
                css=css,
                theme_names=theme_names,
                trend_chart=Markup(trend_svg(edition.trend, theme_names)) if edition.trend else "",
                share_chart=Markup(share_svg(this_week, theme_names)),
                **_formatters(edition.timezone),
            )
        )
    except jinja2.TemplateError as err:
        raise RenderError(f"template error while rendering {edition.week}: {err}") from err


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun, in good English: "1 distinct event", "3 distinct events", "1 story", "2 stories"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def render_email(
    edition: Edition,
    themes: Sequence[str] = (),
    *,
    unsubscribe: str,
    title: str = "China Tech Briefing",
    web_edition: str = "",
) -> tuple[str, str, str]:
    """``(subject, text, html)`` of one subscriber's email; the subscriber's ``themes`` come first.

    ``unsubscribe`` is the subscriber's own link (one-click, or the deployment's mailto:); ``web_edition``
    the URL of the week's HTML edition. Each Chinese item carries its English line (``Item.english``,
    ``briefing.enrich``), printed under its headline in both parts.
    """
    chosen = [t for t in themes if any(s.theme.id == t for s in edition.sections)]
    ordered = sorted(edition.sections, key=lambda s: (chosen.index(s.theme.id) if s.theme.id in chosen else len(chosen)))
    context = {
        "e": edition,
        "title": title,
        "chosen": chosen,
        "chosen_names": [s.theme.name for s in ordered if s.theme.id in chosen],
        "ordered_sections": ordered,
        "unsubscribe": unsubscribe,
        "web_edition": web_edition,
        "counted": counted,
        **_formatters(edition.timezone),
    }
    env = _environment()
    headline = (edition.lead.headline or edition.lead.story.title) if edition.lead else f"{edition.story_count} stories"
    subject = f"{title} {edition.week}: {headline}"
    return subject, str(env.get_template("email.txt.j2").render(**context)), str(env.get_template("email.html.j2").render(**context))


def render_index(weeks: Sequence[Mapping[str, object]], *, title: str = "China Tech Briefing") -> str:
    """The archive's index page: every week, newest first."""
    css = resource("templates/briefing.css").read_text(encoding="utf-8")
    return str(_environment().get_template("index.html.j2").render(weeks=weeks, title=title, css=css))


#: a PDF render may take this long...
RENDER_TIMEOUT = 300.0
#: ...and this much memory (address space, in MB) before it is stopped
RENDER_MEMORY_MB = 4096


def render_pdf(html: str, *, week: str = "", isolated: bool = True, timeout: float = RENDER_TIMEOUT, memory_mb: int = RENDER_MEMORY_MB) -> bytes:
    """The PDF of an edition's HTML. Fetches nothing from the network or the disk.

    Fails with RenderError when a character has no glyph in any installed font. ``isolated`` renders
    in a child process bounded in time and memory, so a hostile or huge page cannot take the worker
    down with it.
    """
    check_fonts()
    check_glyphs(html, week=week)
    if not isolated:
        return _write_pdf(html, week)
    try:
        done = subprocess.run(  # the child bounds its own memory (_bound_memory): no preexec_fn, safe in a threaded parent
            [sys.executable, "-m", "briefing.render", week, str(memory_mb)],
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise RenderError(f"rendering the PDF of {week or 'the briefing'} took longer than {timeout:.0f} s; stopped") from err
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        if "MemoryError" in reason[0] or done.returncode < 0:
            reason = [f"it went over {memory_mb} MB of memory or was killed ({reason[0]})"]
        raise RenderError(f"cannot render the PDF of {week or 'the briefing'}: {reason[0]}")
    return done.stdout


def _write_pdf(html: str, week: str) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetchingError

    class _NoFetch(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise URLFetchingError(f"briefing's renderer fetches nothing: refused {url[:120]}")

    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_NoFetch())
        # PDF/UA-1: a tagged PDF (structure tree, reading order, language) that screen readers can follow
        pdf = document.write_pdf(pdf_identifier=f"briefing-{week}".encode(), uncompressed_pdf=False, pdf_variant="pdf/ua-1")
    except Exception as err:  # WeasyPrint raises a wide range of errors
        raise RenderError(f"cannot render the PDF of {week or 'the briefing'}: {err}") from err
    if not isinstance(pdf, bytes):
        raise RenderError(f"WeasyPrint returned no PDF for {week}")
    return pdf


def _bound_memory(memory_mb: int) -> None:
    """Lower this process's address space to ``memory_mb``, never above a limit already set (``ulimit -v``)."""
    if os.name != "posix":
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_mb * 1024 * 1024
    for limit in (soft, hard):
        if limit != resource.RLIM_INFINITY:
            cap = min(cap, limit)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


if __name__ == "__main__":  # the isolated renderer: HTML on stdin, PDF on stdout; argv: week, memory cap in MB
    if len(sys.argv) > 2:
        _bound_memory(int(sys.argv[2]))
    sys.stdout.buffer.write(_write_pdf(sys.stdin.buffer.read().decode("utf-8"), sys.argv[1] if len(sys.argv) > 1 else ""))
