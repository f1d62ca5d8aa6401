"""Fonts and Pango: a font that covers Chinese and one for CJK Extension B, and WeasyPrint rendering a
small PDF with Chinese, its fonts subset by HarfBuzz."""

from __future__ import annotations

import logging

from ..errors import BriefingError
from ._check import Check, fail, ok


def check_fonts() -> Check:
    from ..render import check_fonts as chinese_font
    from ..render import missing_glyphs

    try:
        family = chinese_font()
    except BriefingError as e:
        return fail(
            "fonts",
            str(e),
            "Debian/Ubuntu: apt-get install fontconfig fonts-noto-cjk fonts-hanazono; Fedora: dnf install "
            "google-noto-sans-cjk-fonts hanamin-fonts",
        )
    if missing_glyphs("\U00020bb7"):  # 𠮷, CJK Extension B, found in names
        return fail(
            "fonts",
            f"Chinese: {family}; but no font covers CJK Extension B (rare characters of names)",
            "Debian/Ubuntu: apt-get install fonts-hanazono; Fedora: dnf install hanamin-fonts",
        )
    return ok("fonts", f"Chinese: {family}; CJK Extension B covered")


def check_pango() -> Check:
    """WeasyPrint loads Pango and renders a small PDF with Chinese in it, subsetting fonts with HarfBuzz."""
    from ..render import render_pdf

    pango_fix = (
        "Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; "
        "Fedora: dnf install pango harfbuzz; macOS: brew install pango harfbuzz"
    )
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        return fail("pango", f"WeasyPrint cannot load Pango: {_first(e)}", pango_fix)
    slow = _Heard("instead of HarfBuzz-Subset")
    logger = logging.getLogger("weasyprint")
    logger.addHandler(slow)
    try:
        pdf = render_pdf('<html lang="zh"><body><p>Doctor 医生 检查</p></body></html>', week="doctor", isolated=False)
    except BriefingError as e:
        return fail(
            "pango",
            f"a test PDF does not render: {e}",
            "install Pango 1.44 or newer and a CJK font, then run briefing doctor again",
        )
    finally:
        logger.removeHandler(slow)
    versions = f"Pango {_pango_version()}, WeasyPrint {weasyprint.__version__}"
    if slow.heard:
        return fail(
            "pango",
            f"{versions}: no HarfBuzz subsetter (4.1 or newer), so fonts are subset by fontTools: a week's PDF takes "
            "some 30 s instead of 2",
            "Debian/Ubuntu: apt-get install libharfbuzz-subset0; Fedora: dnf install harfbuzz; macOS: brew install "
            "harfbuzz",
        )
    return ok("pango", f"{versions}: a PDF with Chinese renders, fonts subset by HarfBuzz ({len(pdf) // 1024} KB)")


class _Heard(logging.Handler):
    """Notes whether a log record saying ``words`` went by."""

    def __init__(self, words: str) -> None:
        super().__init__(logging.WARNING)
        self.words, self.heard = words, False

    def emit(self, record: logging.LogRecord) -> None:
        if self.words in record.getMessage():
            self.heard = True


def _pango_version() -> str:
    try:
        from weasyprint.text.ffi import pango

        v = int(pango.pango_version())
        return f"{v // 10000}.{v // 100 % 100}.{v % 100}"
    except Exception:  # WeasyPrint's bindings are not public API; the version is only informative
        return "(version unknown)"


def _first(e: BaseException) -> str:
    return (str(e).splitlines() or [type(e).__name__])[0][:300]
