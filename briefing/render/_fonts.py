"""Fonts and glyphs: a font that covers Chinese (``check_fonts``), and the characters no installed font
can draw (``missing_glyphs``, ``check_glyphs``), which would print as empty boxes in the PDF."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import lru_cache

from ..errors import RenderError

__all__ = ["CJK_FONT_HINT", "check_fonts", "check_glyphs", "missing_glyphs"]

CJK_FONT_HINT = (
    "install a CJK font, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu or `dnf install "
    "google-noto-sans-cjk-fonts` on Fedora"
)


@lru_cache(maxsize=1)
def check_fonts() -> str:
    """The family of an installed font that covers Chinese; RenderError if there is none."""
    if shutil.which("fc-list") is None:
        raise RenderError(f"fontconfig's fc-list is not installed, so no Chinese font can be found: {CJK_FONT_HINT}")
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
    if not families:
        raise RenderError(
            f"no font covering Chinese is installed, so Chinese text would print as empty boxes: {CJK_FONT_HINT}"
        )
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
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, text=True, check=False
        ).stdout
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
    out = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=False
    ).stdout
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
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:20]) + (
            f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        )
        raise RenderError(
            f"{week or 'the briefing'}: no installed font has a glyph for {listed}; they would print as empty boxes. "
            "Install a font that covers them (CJK Extension B: fonts-hanazono on Debian)"
        )
