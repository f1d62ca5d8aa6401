"""Plain-text helpers shared by the stages: HTML to text, normalisation, sentences, content hashes.

Chinese and English are treated alike: NFKC folds full-width forms, sentences end at . ! ? and at
。！？, and the content hash ignores case, spacing and punctuation so that the same text served twice
hashes the same. What a Chinese character is, is defined here once (``HAN_RANGES``), for every stage.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

__all__ = [
    "HAN",
    "HAN_RANGES",
    "HAN_RE",
    "HAN_RUN_RE",
    "content_hash",
    "headline_tokens",
    "html_to_text",
    "is_chinese",
    "is_han",
    "nfkc",
    "normalise",
    "sentences",
    "squash",
    "strip_controls",
]

#: A Chinese character (a Han ideograph), the one definition every stage uses: the code points of CJK
#: Unified Ideographs (U+4E00-U+9FFF), Extension A (U+3400-U+4DBF), the compatibility ideographs
#: (U+F900-U+FAFF) and Extensions B onwards with the compatibility supplement (U+20000-U+2FFFF).
#: Neither the Yijing hexagrams between Extension A and the unified block (U+4DC0-U+4DFF) nor CJK
#: punctuation (U+3000-U+303F) nor full-width forms are Chinese characters.
HAN_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))
#: ``HAN_RANGES`` as the body of a regular-expression character class, to use inside ``[...]``
HAN = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES)
#: one Chinese character
HAN_RE = re.compile(f"[{HAN}]")
#: a run of Chinese characters
HAN_RUN_RE = re.compile(f"[{HAN}]+")


def is_han(char: str) -> bool:
    """Whether ``char`` (one character) is a Chinese character (``HAN_RANGES``)."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in HAN_RANGES)


def is_chinese(text: str) -> bool:
    """Whether ``text`` holds at least one Chinese character (``HAN_RANGES``)."""
    return HAN_RE.search(text) is not None


_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_RE = re.compile(r"(?i)</?(p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_SENTENCE_END_RE = re.compile(r"[。！？]+[”」』\"']*|[.!?]+[”\"')]*(?=\s+[A-Z0-9“\"'(" + HAN + r"]|$)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "inc", "co", "ltd", "vs", "u.s", "e.g", "i.e", "jan", "feb", "aug", "sept",
    "oct", "nov", "dec", "corp",
}
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


_INITIALS_RE = re.compile(r"(?:[A-Z]\.)*[A-Z]")


def _is_initial(words: list[str]) -> bool:
    """Whether the word before a full stop is a name's initials: two or more ("R.R"), or one after a
    capitalised word ("John F"); "who owns X." ends its sentence."""
    if not words or not _INITIALS_RE.fullmatch(words[-1]):
        return False
    return len(words[-1]) > 1 or (len(words) > 1 and words[-2][:1].isupper() and words[-2].isalpha())


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
                if _is_initial(words):  # "George R.R. Martin", "John F. Kennedy"
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


_HEADLINE_STOP = frozenset([
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "from", "at", "as", "is", "are", "was",
    "were", "be", "its", "it", "new", "after", "over", "into", "than", "more", "says", "said",
])
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+")


def headline_tokens(title: str, *, normalised: bool = False) -> frozenset[str]:
    """A headline's words (English, stop words dropped) and character pairs (Chinese), to compare headlines.

    ``normalised`` says the title is already NFKC and lower case.
    """
    norm = title if normalised else unicodedata.normalize("NFKC", title).lower()
    if norm.isascii():
        return frozenset(w for w in _LATIN_WORD_RE.findall(norm) if w not in _HEADLINE_STOP)
    cjk = "".join(HAN_RE.findall(norm))
    tokens = {cjk[i : i + 2] for i in range(len(cjk) - 1)}
    tokens.update(w for w in _LATIN_WORD_RE.findall(HAN_RE.sub(" ", norm)) if w not in _HEADLINE_STOP)
    return frozenset(tokens)
