"""Turn fetched bytes into text, choosing the encoding the way browsers do.

A byte-order mark wins, then the HTTP charset, the XML declaration or ``<meta charset>`` (looked for in the first
64 KiB, not only the first 1,024 bytes), then UTF-8, then detection. GB2312 and GBK are read as
GB18030, their superset: pages that declare GB2312 routinely hold GBK-only characters such as 镕 and 喆.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode", "declared_charset", "normalise_charset"]

_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


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


def decode(content: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode ``content``; returns ``(text, encoding used)``. Undecodable bytes become U+FFFD."""
    charset = declared_charset(content, content_type)
    if charset:
        text = content.decode(charset, errors="replace")
        return text.lstrip("\ufeff"), charset
    try:
        return content.decode("utf-8").lstrip("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(content[:262144]).best()
    charset = normalise_charset(best.encoding) if best is not None else None
    charset = charset or "utf-8"
    return content.decode(charset, errors="replace"), charset
