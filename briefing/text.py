"""Plain-text helpers shared by the stages: HTML to text, normalisation, sentences, content hashes.

Chinese and English are treated alike: NFKC folds full-width forms, sentences end at . ! ? and at
。！？, and the content hash ignores case, spacing and punctuation so that the same text served twice
hashes the same.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

__all__ = ["content_hash", "headline_tokens", "html_to_text", "nfkc", "normalise", "sentences", "squash", "strip_controls"]

_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_RE = re.compile(r"(?i)</?(p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SENTENCE_END_RE = re.compile(r"[。！？]+[”」』\"']*|[.!?]+[”\"')]*(?=\s+[A-Z0-9“\"'(" + _CJK + r"]|$)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "inc", "co", "ltd", "vs", "u.s", "e.g", "i.e", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "corp"}
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)


#: what no stored text may hold: C0 controls but tab and newline, DEL, C1 controls, lone surrogates and the
#: non-characters U+FFFE and U+FFFF; none of them may appear in XML (the archive's feed), none is text
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (a carriage return becomes a newline, a tab stays)."""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def squash(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks (one blank line)."""
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line:
            out.append(line)
        elif out and out[-1] != "":
            out.append("")
    return "\n".join(out).strip()


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed summary or content), paragraphs kept as blank lines."""
    if "<" not in fragment and "&" not in fragment:
        return squash(fragment)
    text = _BLOCK_RE.sub("\n\n", fragment)
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = _TAG_RE.sub("", text)  # inline tags (<a>, <strong>) join their words, as a browser shows them
    return squash(html.unescape(text))


_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULL_WIDTH = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, quicker for text that is already (nearly) normal.

    Chinese text is seldom NFKC only for its full-width punctuation; replacing those first (with what
    NFKC makes of them) leaves the same result and usually text that needs nothing more.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    for char in set(_FULL_WIDTH_RE.findall(text)):
        text = text.replace(char, _FULL_WIDTH[char])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise(text: str) -> str:
    """NFKC, lower case, single spaces: the form that comparisons use."""
    return _SPACE_RE.sub(" ", nfkc(text).lower()).strip()


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, for English and Chinese (。！？ and . ! ? before a capital)."""
    out: list[str] = []
    for para in squash(text).split("\n"):
        start = 0
        for m in _SENTENCE_END_RE.finditer(para):
            end = m.end()
            if m.group(0)[0] in ".!?" and end < len(para):
                words = para[start:m.start()].split()
                last = words[-1].lower().rstrip(".") if words else ""
                if last in _ABBREVIATIONS or (last in ("no", "nos") and para[end:].lstrip()[:1].isdigit()):
                    continue
            piece = para[start:end].strip()
            if piece:
                out.append(piece)
            start = end
        rest = para[start:].strip()
        if rest:
            out.append(rest)
    return out


def content_hash(title: str, body: str) -> str:
    """A hash of the words of a story, blind to case, spacing, punctuation and width."""
    key = _PUNCT_RE.sub("", normalise(body or title))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


_HEADLINE_STOP = frozenset(["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "from", "at", "as", "is", "are", "was", "were", "be", "its", "it", "new", "after", "over", "into", "than", "more", "says", "said"])
_CJK_CHAR_RE = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+")


def headline_tokens(title: str, *, normalised: bool = False) -> frozenset[str]:
    """A headline's words (English, stop words dropped) and character pairs (Chinese), to compare headlines.

    ``normalised`` says the title is already NFKC and lower case.
    """
    norm = title if normalised else unicodedata.normalize("NFKC", title).lower()
    if norm.isascii():
        return frozenset(w for w in _LATIN_WORD_RE.findall(norm) if w not in _HEADLINE_STOP)
    cjk = "".join(_CJK_CHAR_RE.findall(norm))
    tokens = {cjk[i : i + 2] for i in range(len(cjk) - 1)}
    tokens.update(w for w in _LATIN_WORD_RE.findall(_CJK_CHAR_RE.sub(" ", norm)) if w not in _HEADLINE_STOP)
    return frozenset(tokens)
