"""The render stage: an edition as HTML with Jinja2, as PDF with WeasyPrint, and as an email's two parts.

The templates and the stylesheet live in ``templates/``; the stylesheet is inlined into the page, so the
HTML edition makes no request and the PDF renderer needs none: its URL fetcher refuses everything but
``data:`` URLs, so nothing a story names (``file://``, internal addresses) is ever loaded. Jinja
autoescapes every value, and every link a story or setting gives goes through ``safe_href``: only
http, https and mailto URLs become links, so a ``javascript:`` or ``data:`` URL never does. Chinese
needs a CJK font: ``check_fonts`` says plainly when none is installed.

The public face of the stage; its private modules:

- ``_html``: ``render_html``, ``render_email``, ``render_index``, ``safe_href``, ``shown_headline`` and an item's
  ``item_headline`` and ``item_summary`` as shown, and a number of the week's ``figure_carrier`` and
  ``figure_english``;
- ``_pdf``: ``render_pdf``, in a child process (``__main__``) bounded in time and memory;
- ``_fonts``: ``check_fonts``, ``missing_glyphs``, ``check_glyphs``;
- ``_charts``: the inline SVG charts, ``trend_svg`` and ``share_svg``.
"""

from __future__ import annotations

from ._charts import THEME_COLOURS, share_svg, trend_svg
from ._fonts import CJK_FONT_HINT, check_fonts, check_glyphs, missing_glyphs
from ._html import (
    EmailParts,
    counted,
    figure_carrier,
    figure_english,
    item_headline,
    item_summary,
    render_email,
    render_html,
    render_index,
    safe_href,
    shown_headline,
)
from ._pdf import RENDER_MEMORY_MB, RENDER_TIMEOUT, render_pdf

__all__ = [
    "CJK_FONT_HINT",
    "RENDER_MEMORY_MB",
    "RENDER_TIMEOUT",
    "THEME_COLOURS",
    "EmailParts",
    "check_fonts",
    "check_glyphs",
    "counted",
    "figure_carrier",
    "figure_english",
    "item_headline",
    "item_summary",
    "missing_glyphs",
    "render_email",
    "render_html",
    "render_index",
    "render_pdf",
    "safe_href",
    "share_svg",
    "shown_headline",
    "trend_svg",
]
