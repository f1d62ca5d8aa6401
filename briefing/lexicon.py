"""Find the terms of a bilingual word list in text, in time proportional to the text's length.

The classifier's theme terms, its lead terms and the name dictionary of ``names`` are all matched here.
English terms match whole words case-insensitively (a trailing ``*`` makes the last word a prefix), also
next to Chinese characters; Chinese terms match as substrings. Both kinds run over every text, so English,
Chinese and mixed text are matched alike. Matching is leftmost-longest and without overlap.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Generic, TypeVar

from .text import normalise

__all__ = ["Lexicon", "is_chinese"]

P = TypeVar("P", bound=Hashable)

_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_TOKEN_RE = re.compile(r"[a-z0-9]+|[-,']")


def is_chinese(term: str) -> bool:
    """Whether a term is matched as a Chinese substring rather than as words."""
    return bool(_CJK_RE.search(term))


def _tokens(text: str) -> list[str]:
    """Latin tokens of normalised text; Chinese characters are skipped, so "DeepSeek发布" gives deepseek."""
    return _TOKEN_RE.findall(text.replace("’", "'"))


class Lexicon(Generic[P]):
    """Terms, each with a payload; ``hits(text)`` counts the payloads of the terms found.

    Latin terms are matched on tokens (a dictionary lookup per token, prefix terms by their prefixes) and
    Chinese terms as substrings (a lookup per character that can start a term), so a text costs time in
    proportion to its length, not to the number of terms. A term added twice counts for both payloads.
    """

    def __init__(self) -> None:
        self.payloads: list[P] = []
        # Latin: first token -> [(pattern tokens, last token is a prefix, payload indices)], longest first
        self._exact: dict[str, list[tuple[tuple[str, ...], bool, list[int]]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], bool, list[int]]]] = {}
        # Chinese: term -> payload indices, and for each first character the term lengths that start with it
        self._zh: dict[str, list[int]] = {}
        self._zh_lengths: dict[str, list[int]] = {}

    def add(self, term: str, payload: P) -> None:
        index = len(self.payloads)
        self.payloads.append(payload)
        text = normalise(term)
        if is_chinese(text):
            lengths = self._zh_lengths.setdefault(text[0], [])
            if len(text) not in lengths:
                lengths.append(len(text))
                lengths.sort(reverse=True)
            self._zh.setdefault(text, []).append(index)
            return
        prefix = text.endswith("*")
        tokens = tuple(_tokens(text.rstrip("*")))
        if not tokens:
            return
        table = self._prefix if prefix and len(tokens) == 1 else self._exact
        entries = table.setdefault(tokens[0], [])
        for pattern, is_prefix, indices in entries:
            if pattern == tokens and is_prefix == prefix:
                indices.append(index)
                return
        entries.append((tokens, prefix, [index]))
        entries.sort(key=lambda entry: -len(entry[0]))

    def hits(self, text: str) -> dict[int, int]:
        """Payload index -> how often one of its terms occurs in ``text`` (which ``normalise`` has made)."""
        found: dict[int, int] = {}
        if not text:
            return found
        toks = _tokens(text)
        i = 0
        while i < len(toks):
            tok = toks[i]
            candidates = list(self._exact.get(tok, ()))
            for k in range(1, len(tok) + 1):
                candidates.extend(self._prefix.get(tok[:k], ()))
            best: tuple[int, list[int]] | None = None  # (length, payload indices)
            for pattern, prefix, indices in candidates:
                n = len(pattern)
                if i + n > len(toks) or (best and n <= best[0]):
                    continue
                if all(toks[i + j] == pattern[j] for j in range(n - 1)) and (
                    toks[i + n - 1].startswith(pattern[-1]) if prefix else toks[i + n - 1] == pattern[-1]
                ):
                    best = (n, indices)
            if best:
                for index in best[1]:
                    found[index] = found.get(index, 0) + 1
                i += best[0]
            else:
                i += 1
        i = 0
        while i < len(text):
            lengths = self._zh_lengths.get(text[i])
            step = 1
            if lengths:
                for n in lengths:
                    found_at = self._zh.get(text[i : i + n])
                    if found_at is not None:
                        for index in found_at:
                            found[index] = found.get(index, 0) + 1
                        step = n
                        break
            i += step
        return found
