"""The PDF of an edition's HTML, with WeasyPrint, in a child process bounded in time and memory.

The renderer's URL fetcher refuses everything but ``data:`` URLs, so nothing a story names (``file://``,
internal addresses) is ever loaded. ``python -m briefing.render`` is the child (``__main__``). The same HTML
renders to the same bytes, so the process keeps its last few PDFs: a rerun of an unchanged week in the same
process (``briefing run`` again, a redraft without a decision) does not lay the pages out again.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections import OrderedDict
from typing import Any

from ..errors import RenderError
from ._fonts import check_fonts, check_glyphs

__all__ = ["RENDER_MEMORY_MB", "RENDER_TIMEOUT", "bound_memory", "render_pdf", "write_pdf"]


#: a PDF render may take this long...
RENDER_TIMEOUT = 300.0
#: ...and this much memory (address space, in MB) before it is stopped
RENDER_MEMORY_MB = 4096

#: the PDFs of the last few pages this process rendered in a child, by the page's digest and the render's bounds
_RENDERED: OrderedDict[tuple[str, str, float, int], bytes] = OrderedDict()
_RENDERED_KEPT = 4
_RENDERED_LOCK = threading.Lock()


def render_pdf(
    html: str,
    *,
    week: str = "",
    isolated: bool = True,
    timeout: float = RENDER_TIMEOUT,
    memory_mb: int = RENDER_MEMORY_MB,
) -> bytes:
    """The PDF of an edition's HTML. Fetches nothing from the network or the disk.

    Fails with RenderError when a character has no glyph in any installed font. ``isolated`` renders
    in a child process bounded in time and memory, so a hostile or huge page cannot take the worker
    down with it; the PDF of a page this process rendered so lately is the one it kept (the same bytes).
    """
    check_fonts()
    check_glyphs(html, week=week)
    if not isolated:
        return write_pdf(html, week)
    key = (hashlib.sha256(html.encode("utf-8")).hexdigest(), week, timeout, memory_mb)
    with _RENDERED_LOCK:
        if key in _RENDERED:
            _RENDERED.move_to_end(key)
            return _RENDERED[key]
    pdf = _render_in_child(html, week, timeout, memory_mb)
    with _RENDERED_LOCK:
        _RENDERED[key] = pdf
        while len(_RENDERED) > _RENDERED_KEPT:
            _RENDERED.popitem(last=False)
    return pdf


def _render_in_child(html: str, week: str, timeout: float, memory_mb: int) -> bytes:
    try:
        done = (
            subprocess.run(  # the child bounds its own memory (bound_memory): no preexec_fn, safe in a threaded parent
                [sys.executable, "-m", "briefing.render", week, str(memory_mb)],
                input=html.encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        )
    except subprocess.TimeoutExpired as err:
        raise RenderError(
            f"rendering the PDF of {week or 'the briefing'} took longer than {timeout:.0f} s; stopped"
        ) from err
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        if "MemoryError" in reason[0] or done.returncode < 0:
            reason = [f"it went over {memory_mb} MB of memory or was killed ({reason[0]})"]
        raise RenderError(f"cannot render the PDF of {week or 'the briefing'}: {reason[0]}")
    return done.stdout


def write_pdf(html: str, week: str) -> bytes:
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
        pdf = document.write_pdf(
            pdf_identifier=f"briefing-{week}".encode(), uncompressed_pdf=False, pdf_variant="pdf/ua-1"
        )
    except Exception as err:  # WeasyPrint raises a wide range of errors
        raise RenderError(f"cannot render the PDF of {week or 'the briefing'}: {err}") from err
    if not isinstance(pdf, bytes):
        raise RenderError(f"WeasyPrint returned no PDF for {week}")
    return pdf


def bound_memory(memory_mb: int) -> None:
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
