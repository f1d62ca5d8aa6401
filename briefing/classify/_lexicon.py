"""Find the terms of a bilingual word list in text, in time proportional to the text's length.

The classifier's theme terms and its lead terms are matched here.
English terms match whole words case-insensitively (a trailing ``*`` makes the last word a prefix), also
next to Chinese characters; Chinese terms match as substrings. Both kinds run over every text, so English,
Chinese and mixed text are matched alike. Matching is leftmost-longest and without overlap, across the two
kinds too: a Chinese term that holds Latin letters ("AI芯片", "GPU集群") is the longer match, and the Latin term
inside it ("AI", "GPU") does not count again.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Generic, TypeVar

from ..text import HAN_RE, is_chinese, normalise

__all__ = ["Lexicon"]

P = TypeVar("P", bound=Hashable)

_TOKEN_RE = re.compile(r"[a-z0-9]+|[-,']")
_LATIN_RE = re.compile(r"[a-z0-9]")


def _tokens(text: str, covered: list[tuple[int, int]] | None = None) -> list[str]:
    """Latin tokens of normalised text; Chinese characters are skipped, so "DeepSeek发布" gives deepseek. Tokens
    inside a ``covered`` span (a longer Chinese term that holds them) are left out."""
    text = text.replace("’", "'")
    if not covered:
        return _TOKEN_RE.findall(text)
    return [m.group() for m in _TOKEN_RE.finditer(text) if not any(a <= m.start() and m.end() <= b for a, b in covered)]


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
        self._stems: dict[str, list[str]] = {}  # a prefix key's first 3 letters (or all, if shorter) -> keys
        self._short_keys: set[str] = set()  # prefix keys shorter than 3 letters
        # Chinese: term -> payload indices; the terms by their first two characters; one-character terms
        self._zh: dict[str, list[int]] = {}
        self._zh_pairs: dict[str, list[str]] = {}
        self._zh_chars: list[str] = []

    def add(self, term: str, payload: P) -> None:
        index = len(self.payloads)
        self.payloads.append(payload)
        text = normalise(term)
        if is_chinese(text):
            if text not in self._zh:
                if len(text) == 1:
                    self._zh_chars.append(text)
                else:
                    self._zh_pairs.setdefault(text[:2], []).append(text)
            self._zh.setdefault(text, []).append(index)
            return
        prefix = text.endswith("*")
        tokens = tuple(_tokens(text.rstrip("*")))
        if not tokens:
            return
        table = self._prefix if prefix and len(tokens) == 1 else self._exact
        entries = table.setdefault(tokens[0], [])
        if table is self._prefix and len(entries) == 0:
            if len(tokens[0]) < 3:
                self._short_keys.add(tokens[0])
            else:
                keys = self._stems.setdefault(tokens[0][:3], [])
                keys.append(tokens[0])
                keys.sort(key=len)
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
        covered = self._chinese_hits(text, found) if self._zh and HAN_RE.search(text) else []
        self._latin_hits(_tokens(text, covered), found)
        return found

    def _latin_hits(self, toks: list[str], found: dict[int, int]) -> None:
        """Leftmost-longest matches over the tokens, looked for only at the tokens that can start a term."""
        exact, prefix, stems, short = self._exact, self._prefix, self._stems, self._short_keys
        unique = set(toks)
        starters = unique.intersection(exact)
        if stems or short:
            starters.update(t for t in unique if t[:3] in stems or (short and (t[:1] in short or t[:2] in short)))
        if not starters:
            return
        n = len(toks)
        end = 0
        for i in [i for i, tok in enumerate(toks) if tok in starters]:
            if i < end:
                continue
            tok = toks[i]
            candidates = list(exact.get(tok, ()))
            if short:  # prefix keys, shortest first, as a walk over the token's prefixes finds them
                candidates.extend(e for k in (tok[:1], tok[:2]) if k in short and len(k) <= len(tok) for e in prefix[k])
            for key in stems.get(tok[:3], ()):
                if tok.startswith(key):
                    candidates.extend(prefix[key])
            # (tokens, letters of the last token, payload indices): the longest match wins, and of two prefix
            # terms over the same tokens the longer prefix ("regulator*" over "regulat*")
            best: tuple[int, int, list[int]] | None = None
            for pattern, is_prefix, indices in candidates:
                size = len(pattern)
                if i + size > n or (best and (size, len(pattern[-1])) <= best[:2]):
                    continue
                if all(toks[i + j] == pattern[j] for j in range(size - 1)) and (
                    toks[i + size - 1].startswith(pattern[-1]) if is_prefix else toks[i + size - 1] == pattern[-1]
                ):
                    best = (size, len(pattern[-1]), indices)
            if best:
                for index in best[2]:
                    found[index] = found.get(index, 0) + 1
                end = i + best[0]

    def chinese_matches(self, text: str) -> list[tuple[int, int, list[P]]]:
        """The leftmost-longest matches of the Chinese terms in ``text`` (which ``normalise`` has made), never
        overlapping, as (start, end, the payloads of the term): a term inside a longer one is no match."""
        if not self._zh or not HAN_RE.search(text):
            return []
        return [
            (start, end, [self.payloads[i] for i in self._zh[term]]) for start, end, term in self._chinese_spans(text)
        ]

    def _chinese_hits(self, text: str, found: dict[int, int]) -> list[tuple[int, int]]:
        """Counts the Chinese terms' matches (``_chinese_spans``) in ``found``; returns the spans of the matches
        that hold Latin letters or digits, which Latin terms then leave alone."""
        covered: list[tuple[int, int]] = []
        for start, end, term in self._chinese_spans(text):
            for index in self._zh[term]:
                found[index] = found.get(index, 0) + 1
            if _LATIN_RE.search(term):
                covered.append((start, end))
        return covered

    def _chinese_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest matches of the Chinese terms, without walking the text in Python: the terms
        that can occur are those whose first two characters are a pair of the text; their occurrences
        are found by ``str.find``, then taken from the left, the longest first, never overlapping."""
        pairs = self._zh_pairs
        seen = pairs.keys() & set(map(str.__add__, text, text[1:]))  # the text's character pairs
        occurrences: list[tuple[int, int, str]] = []  # (start, -length, term)
        for pair in seen:
            for term in pairs[pair]:
                at = text.find(term)
                while at >= 0:
                    occurrences.append((at, -len(term), term))
                    at = text.find(term, at + 1)
        for char in self._zh_chars:
            at = text.find(char)
            while at >= 0:
                occurrences.append((at, -1, char))
                at = text.find(char, at + 1)
        occurrences.sort()
        end = 0
        spans: list[tuple[int, int, str]] = []
        for start, negative, term in occurrences:
            if start < end:
                continue
            end = start - negative
            spans.append((start, end, term))
        return spans
