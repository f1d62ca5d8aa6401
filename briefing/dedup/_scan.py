"""A text read once for what the dedup looks up in it: its words and its Chinese character pairs.

A story's headline and the beginning of its text are read for names (``_keywords``), for concepts
(``_concepts``) and for the same-event model's words (``_events``), over spans that overlap: the
headline and a 300-character lead for names, the headline and a 200-character lead apart for the rest.
``scan`` reads a text once (lower-cased, its Latin words, its runs of Chinese characters), and
``joined`` makes the reading of two texts put together from theirs, exactly as ``scan`` would read the
whole, so that no span is read twice. ``tokens`` are the same-event model's words of a text (English
words but ``STOP_WORDS``, Chinese character pairs); ``scan_words`` the same of a text read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import HAN_RUN_RE, is_han

__all__ = ["NAME_TOKEN_RE", "STOP_WORDS", "Scan", "joined", "scan", "scan_words", "tokens"]

#: the words of a name, and of a text where names are looked for: runs of Latin letters and digits
NAME_TOKEN_RE = re.compile(r"[a-z0-9]+")
#: the same-event model's English words (``tokens``)
_WORD_RE = re.compile(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z0-9]*\d[a-z0-9.-]*")
STOP_WORDS = frozenset(  # one string, so that the list reads as prose; split once at import
    """
    about above across after again against also among and another any are around because been before being
    between both but can could did does doing down during each either few for from further had has have
    having here how however into its itself just last least less made make makes many may more most much must
    near next not now off once only other others our out over own per same says said say should since some
    still such than that the their them then there these they this those through under until upon very was
    were what when where which while who whom whose why will with within without would year years yet you
    your week weeks month months day days today yesterday monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december china chinese
    company companies group firm firms told according percent cent first new one two three
    """.split()  # noqa: SIM905
)
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True, slots=True)
class Scan:
    """A text (``raw``) read: lower-cased with straight apostrophes (``text``), its Latin part (``latin``:
    each run of Chinese characters a space, when it has one), the words of that part in order and as a set,
    its runs of Chinese characters in order, and their character pairs."""

    raw: str
    text: str
    latin: str
    words: list[str]
    runs: list[str]
    tokens: set[str]
    pairs: set[str]


def scan(raw: str) -> Scan:
    """Read a text (in NFKC)."""
    text = raw.lower().replace("’", "'")
    runs = HAN_RUN_RE.findall(text)
    latin = HAN_RUN_RE.sub(" ", text) if runs else text
    words = NAME_TOKEN_RE.findall(latin)
    pairs: set[str] = set()
    for run in runs:
        pairs.update(map(str.__add__, run, run[1:]))
    return Scan(raw, text, latin, words, runs, set(words), pairs)


def joined(first: Scan, second: Scan, sep: str = "") -> Scan:
    """``scan(first.raw + sep + second.raw)``, made from the two readings; ``sep`` is "" or a line break.

    Where the texts meet, a word or a run of Chinese characters may go on from one into the other: the
    two halves are one word, one run, and the characters either side a pair. Lower-casing is the same
    for the parts as for the whole but for a Greek capital sigma, whose small form depends on the letters
    around it: a text with a small sigma where the parts meet is read whole."""
    if sep not in ("", "\n"):
        raise ValueError(f"texts are joined with nothing or a line break, not {sep!r}")
    raw = first.raw + sep + second.raw
    if "ς" in first.text or "σ" in second.text:
        return scan(raw)
    if not sep and not (first.raw and second.raw):
        return second if not first.raw else first
    words, runs, pairs = first.words + second.words, first.runs + second.runs, first.pairs | second.pairs
    latin = first.latin + sep + second.latin
    if not sep:
        a, b = first.text[-1], second.text[0]
        if a in _ALNUM and b in _ALNUM:  # one word across the join
            words = [*first.words[:-1], first.words[-1] + second.words[0], *second.words[1:]]
        elif is_han(a) and is_han(b):  # one run: one space for it, and a pair across the join
            runs = [*first.runs[:-1], first.runs[-1] + second.runs[0], *second.runs[1:]]
            latin = first.latin + second.latin[1:]
            pairs.add(a + b)
    return Scan(raw, first.text + sep + second.text, latin, words, runs, set(words), pairs)


def tokens(text: str) -> list[str]:
    """The words of a text: Chinese character pairs and English words (lower case, stop words dropped,
    a possessive and a plural's ``s`` cut). ``text`` in NFKC."""
    text = text.lower().replace("’", "'")
    runs = HAN_RUN_RE.findall(text)
    return _words(runs, HAN_RUN_RE.sub(" ", text) if runs else text)


def scan_words(scanned: Scan) -> list[str]:
    """``tokens`` of a text as ``scan`` read it."""
    return _words(scanned.runs, scanned.latin)


def _words(runs: list[str], latin: str) -> list[str]:
    out: list[str] = []
    for run in runs:
        out.extend(map(str.__add__, run, run[1:]))
    for word in _WORD_RE.findall(latin):
        word = word.strip("'-.")
        if len(word) < 2 or word in STOP_WORDS:
            continue
        if word.endswith("'s"):
            word = word[:-2]
        out.append(_singular(word))
    return out


#: plural endings after which English adds "es" ("launches", "businesses", "taxes"), and "ies" for "y"
_ES_AFTER = ("ches", "shes", "sses", "xes", "zes")


def _singular(word: str) -> str:
    """A plural's singular, by its ending: "launches" and "launch", "businesses" and "business", "batteries"
    and "battery", "chips" and "chip" are one word (a word of three letters or fewer as it is)."""
    if len(word) <= 3 or word[-1] != "s" or word[-2] == "s" and not word.endswith("sses"):
        return word
    if word.endswith(_ES_AFTER):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1]
