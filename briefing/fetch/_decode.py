"""Turn fetched bytes into text, choosing the encoding the way browsers do.

A byte-order mark wins, then the HTTP charset, the XML declaration or ``<meta charset>`` (looked for in the first
64 KiB, not only the first 1,024 bytes), then UTF-8, then detection. GB2312 and GBK are read as
GB18030, their superset: pages that declare GB2312 routinely hold GBK-only characters such as 镕 and 喆.

Undecodable bytes become U+FFFD, never silently: ``garbled`` measures them, and a text that is mostly
replacement characters is reported by the fetcher as an error naming the source. When a declared charset
leaves a text garbled and the bytes decode cleanly another way (UTF-8, the document's own declaration,
detection), that way is used instead: a wrong HTTP header is common on Chinese sites.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

__all__ = ["Decoded", "Garbled", "declared_charset", "decode", "garbled", "normalise_charset"]

_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}


def normalise_charset(name: str) -> str | None:
    """The codec to use for a declared charset, or None if Python does not know it."""
    key = name.strip().lower()
    key = _SUPERSETS.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def declared_charset(content: bytes, content_type: str = "") -> str | None:
    """The charset the response declares, in order: BOM, HTTP header, XML declaration, meta tag."""
    if content.startswith(codecs.BOM_UTF8):  # a byte-order mark wins, as in browsers
        return "utf-8"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    m = _HEADER_RE.search(content_type or "")
    if m and normalise_charset(m.group(1)):
        return normalise_charset(m.group(1))
    head = content[:65536]
    for pattern in (_XML_DECL_RE, _META_RE):
        m2 = pattern.search(head)
        if m2:
            found = normalise_charset(m2.group(1).decode("ascii", "replace"))
            if found:
                return found
    return None


@dataclass(frozen=True)
class Garbled:
    """How much of a decoded text is U+FFFD: ``replaced`` of its ``non_ascii`` characters."""

    replaced: int
    non_ascii: int

    @property
    def share(self) -> float:
        return self.replaced / self.non_ascii if self.non_ascii else 0.0

    @property
    def mostly(self) -> bool:
        """Most of the text's non-ASCII characters are lost: the text is not worth keeping."""
        return self.replaced >= MIN_GARBLED and self.share > 0.5

    @property
    def noticeably(self) -> bool:
        """Enough is lost to say so, though the text may still be worth keeping."""
        return self.replaced >= MIN_GARBLED and self.share > 0.05


#: Fewer replacement characters than this are a stray byte or two, not a wrong encoding.
MIN_GARBLED = 16


def garbled(text: str) -> Garbled:
    """Count the replacement characters of ``text`` against its non-ASCII characters."""
    replaced = text.count("\ufffd")
    non_ascii = sum(1 for c in text if ord(c) > 127) if replaced else 0
    return Garbled(replaced=replaced, non_ascii=non_ascii)


@dataclass(frozen=True)
class Decoded:
    """Bytes read as text (``decode``), and the encoding they were read with."""

    text: str
    encoding: str


def decode(content: bytes, content_type: str = "") -> Decoded:
    """Decode ``content`` into text, with the encoding used. Undecodable bytes become U+FFFD."""
    charset = declared_charset(content, content_type)
    if charset and charset not in _UTF8 and not content.startswith(_BOMS) and _is_utf8(content):
        # bytes beyond ASCII that are all valid UTF-8 are UTF-8: text in GBK or a Latin charset almost
        # never is, and a UTF-8 feed declared as GBK or ISO-8859-1 reads as mojibake with few or no
        # undecodable bytes to show it
        return Decoded(content.decode("utf-8"), "utf-8")
    if charset:
        text = content.decode(charset, errors="replace").lstrip("\ufeff")
        if garbled(text).mostly:  # the declaration is wrong; a clean reading another way wins
            for other in _alternatives(content, content_type, charset):
                candidate = content.decode(other, errors="replace").lstrip("\ufeff")
                if not garbled(candidate).noticeably:
                    return Decoded(candidate, other)
        return Decoded(text, charset)
    try:
        return Decoded(content.decode("utf-8").lstrip("\ufeff"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(content[:262144]).best()
    charset = normalise_charset(best.encoding) if best is not None else None
    charset = charset or "utf-8"
    return Decoded(content.decode(charset, errors="replace"), charset)


_UTF8 = frozenset({"utf-8", "utf_8", "utf8"})
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _is_utf8(content: bytes) -> bool:
    """Whether ``content`` holds bytes beyond ASCII and all of it is valid UTF-8."""
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _alternatives(content: bytes, content_type: str, tried: str) -> list[str]:
    """Other encodings to try when the declared one garbles the text: the document's own declaration,
    UTF-8, detection."""
    found: list[str] = []
    inner = declared_charset(content, "")
    if inner:
        found.append(inner)
    found.append("utf-8")
    best = from_bytes(content[:262144]).best()
    detected = normalise_charset(best.encoding) if best is not None else None
    if detected:
        found.append(detected)
    return [c for i, c in enumerate(found) if c != tried and c not in found[:i]]
