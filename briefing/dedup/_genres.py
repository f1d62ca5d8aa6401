"""What a headline and its standfirst say about the kind of piece, whatever the news in it: a column's
instalment, a numbered part of a series, an explainer, a standfirst that a source puts under every issue.

Shared words between two such pieces are the column's or the genre's, not the event's:

- ``column``: the label a source puts before a colon or after a bar in every headline of a column
  ("News at a glance: …", "FirstFT: …", "… | 最前线"). Two stories of one source under one label are two
  issues of the column, unless their headlines are the same;
- ``series_part``: a numbered part ("中国经济观察③", "（二）", "Part 2") and the words just before its
  number; two parts with other numbers are two pieces;
- ``is_explainer``: a headline that compares two things ("M2 versus M3") or announces a reading of
  the news ("解读 …", "Explainer: …"). It uses an event as a hook and is not a report of it;
- ``is_standfirst``: a text that shares no word with its own headline ("Get caught up on the day's
  political news"): the source's boilerplate, not the story. Two stories are copies by such a text only
  when their headlines agree too;
- ``is_digest``: a roundup of several items ("早报｜A / B / C", "A; B; C", "A, B, C: 8 things from …", a
  column labelled "News at a glance" or "国内联播快讯"). It reports each of its items in passing and none
  of them best: it never stands for an event another story reports (``_deduplicator.representative``),
  leads a briefing or gives its numbers (``select``). To the same-event model its headline is its first
  item (``first_item``): it joins the reports of that item, as the labels of the real weeks do, and
  never a report of what it lists later, nor, by holding it whole, that report's copy;
- ``is_preview``: a piece written before the event or around it, not the report of what happened: a
  service piece ("How to watch …", "Where to preorder …", "What to expect from …"), a live blog or an
  event's page of all the news, or a schedule announcement or a rumour ("… is set to …", "expected to",
  "may launch", "将于…", "瞄准…发射", "即将…", "发布会前瞻："). It stands for an event only when no story
  of it reports what happened (``_deduplicator.representative``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..text import HAN

__all__ = [
    "STANDFIRST_CHARS",
    "Genre",
    "Headed",
    "SeriesPart",
    "column",
    "first_item",
    "genre",
    "is_digest",
    "is_explainer",
    "is_preview",
    "is_standfirst",
    "lists_items",
    "series_part",
    "standfirst_copies",
    "standfirst_key",
    "without_label",
]

#: how much of a text is read to tell a standfirst: more than any boilerplate line
STANDFIRST_CHARS = 300
#: the label of a column: a short text before the headline's first colon, or after its last bar
_PREFIX_RE = re.compile(r"^\s*([^:：|｜]{2,30}?)\s*[:：]\s*\S")
_SUFFIX_RE = re.compile(r"[|｜]\s*([^|｜]{2,20}?)\s*$")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN_NUMBERS = "一二三四五六七八九十"
#: a part's number: circled, a Chinese or Arabic number in brackets, or "part 2"
_PART_RE = re.compile(
    rf"([{_CIRCLED}])|[(（]\s*([{_CN_NUMBERS}]{{1,3}}|\d{{1,3}})\s*[)）]|\bpart\s+(\d{{1,3}}|[ivx]{{1,4}})\b",
    re.IGNORECASE,
)
#: the last characters of the word just before a part's number, which name the series
_SERIES_CONTEXT = 6
_EXPLAINER_RE = re.compile(
    r"\S\s+(?:versus|vs\.?)\s+\S"  # a comparison: "M2 versus M3", "Kimi vs GLM"
    r"|\bhow\b.{0,60}\bcompare\b"
    r"|^\s*(?:explainer|explained|analysis)\s*[:：]"
    r"|\bexplained\s*$"
    r"|^\s*(?:解读|详解|一文读懂|一文看懂|对比)",
    re.IGNORECASE,
)

#: a piece before the event or around it: a service piece, a live blog, a schedule or an expectation
_PREVIEW_RE = re.compile(
    r"^\s*(?:how|where) to (?:watch|stream|pre-?order|buy|tune in)\b"  # "How to watch Samsung's … event"
    r"|\bwhere (?:to|you can) (?:watch|stream|pre-?order|buy)\b"  # "Here's where you can preorder …"
    r"|\bwhat to expect\b|\bwhat (?:to|you need to) know\b|\beverything we know\b"
    r"|\blive ?(?:blog|updates?|coverage)\b"
    r"|\b(?:event|keynote)\b.*\ball the news\b|\ball the news\b.*\b(?:event|keynote)\b"  # an event's page
    r"|^\s*preview\s*[:：]"
    r"|\b(?:is|are|was|were)\s+(?:set|poised|scheduled|slated|due|expected)\s+to\b"  # "Amazon is set to …"
    r"|\bexpected to\b"
    r"|\b(?:will|may|could|might)\s+(?:launch|unveil|debut|announce|hold|host|kick off)\b"  # "… may launch Monday"
    r"|将于|拟于|定于|即将|预计将"  # "天舟七号货运飞船将于今日发射"
    r"|将在[^，,。；;]{0,12}(?:举行|举办|召开|开幕|发射|上线|发布|亮相)"  # "…将在重庆举办"
    r"|瞄准[^，,。；;\s]{0,12}(?:发射|实施)"  # "天舟七号货运飞船瞄准今天22时27分发射"
    r"|前瞻\s*(?:[:：｜|]|$)|预告\s*(?:[:：｜|]|$)",  # "发布会前瞻：…", "路演预告｜…"
    re.IGNORECASE,
)


def column(title: str) -> frozenset[str]:
    """The column labels of a headline (lower case): the text before its first colon, ``p:``-prefixed,
    and after its last bar, ``s:``-prefixed; none for a headline without them."""
    out = set()
    if m := _PREFIX_RE.match(title):
        out.add("p:" + m.group(1).lower())
    if m := _SUFFIX_RE.search(title):
        out.add("s:" + m.group(1).lower())
    return frozenset(out)


class SeriesPart(NamedTuple):
    """A numbered part of a series: the words just before its number, and the number."""

    series: str
    number: str


#: what separates the items of a roundup's headline: a slash that is not inside a word ("TCP/IP", "24/7"),
#: or a semicolon
_ITEMS_RE = re.compile(r"\s+/\s*|\s*/\s+|(?<![A-Za-z0-9])/|/(?![A-Za-z0-9])|[；;]")
#: a roundup's headline lists this many items...
_DIGEST_ITEMS = 3
#: ...or carries a roundup's label, before a colon or a bar or after the last bar, or as the whole of a
#: short headline ("国内联播快讯": 快讯 there only, since "快讯：" before a headline flags one breaking report)
_LABEL_RE = re.compile(r"^\s*([^:：|｜]{2,30}?)\s*[:：|｜]|[|｜]\s*([^|｜]{2,20}?)\s*$")
_SHORT_HEADLINE = 12
_SHORT_LABEL_RE = re.compile("快讯")
_DIGEST_LABEL_RE = re.compile(
    r"早报|晚报|周报|资讯|一周|要闻|汇总"
    r"|\b(?:at a glance|morning after|recap|round-?up|briefing|newsletter|the download|week in review|digest)\b",
    re.IGNORECASE,
)


def is_digest(title: str) -> bool:
    """Whether a headline (in NFKC) is a roundup's: three items or more, separated by slashes or
    semicolons, or by commas before a closing colon ("A, B, C: 8 things from China's economy"); or a
    roundup's label ("早报", "快讯", "News at a glance", "The Morning After")."""
    if _count_items(_ITEMS_RE.split(title)) >= _DIGEST_ITEMS:
        return True
    head, colon, _ = title.rpartition(":")
    if colon and _count_items(re.split(r",\s+|，", head)) >= _DIGEST_ITEMS:
        return True
    m = _LABEL_RE.search(title)
    labels = [g for g in m.groups() if g] if m else []
    return any(_DIGEST_LABEL_RE.search(label) for label in labels) or _label_alone(title)


def lists_items(title: str) -> bool:
    """Whether a headline (in NFKC) is a roundup's that names its items ("早报｜A / B / C", "A；B；C｜Q资讯"),
    not a roundup's label alone ("国内联播快讯"). Its text goes on to items the headline does not name, each
    in passing: the classifier reads such a roundup by its headline and lead only."""
    return is_digest(title) and not _label_alone(title)


#: a roundup's label as the headline's prefix (before a colon or a bar) or suffix (after its last bar)
_LABEL_ENDS_RE = (re.compile(r"^\s*([^:：|｜]{2,30}?)\s*[:：|｜]"), re.compile(r"[|｜]\s*([^|｜]{2,20}?)\s*$"))


def without_label(title: str) -> str:
    """A headline (in NFKC) without its roundup's label ("A；B；C｜AI一周资讯" gives "A；B；C"): the label names
    the column, issue after issue, not what this issue holds. Other labels and headlines are kept whole."""
    for label_re in _LABEL_ENDS_RE:
        m = label_re.search(title)
        if m and _DIGEST_LABEL_RE.search(m.group(1)):
            title = title[: m.start(1)] + title[m.end(1) :]
    return title


def _label_alone(title: str) -> bool:
    """Whether a headline is a roundup's label and nothing else ("国内联播快讯", "Morning Briefing")."""
    short = title.strip()
    return len(short) <= _SHORT_HEADLINE and bool(_DIGEST_LABEL_RE.search(short) or _SHORT_LABEL_RE.search(short))


#: a label before a colon or a bar that opens a headline ("早报|", "News at a glance:")
_PREFIX_LABEL_RE = re.compile(r"^\s*[^:：|｜]{2,30}?\s*[:：|｜]\s*")
#: the end of a text's first sentence, for a roundup whose headline is its label alone
_SENTENCE_END_RE = re.compile(r"[。！？!?]|\.(?:\s|$)")
_FIRST_SENTENCE_CHARS = 120


def first_item(title: str, body: str) -> str:
    """What a roundup's headline (``is_digest``) says first: its first listed item, without a label
    ("早报|A / B / C" gives A; "News at a glance: A, B, and C" gives A); for a headline that is a label
    alone ("国内联播快讯"), the first sentence of ``body``. ``title`` and ``body`` in NFKC."""
    head, colon, _ = title.rpartition(":")
    listed = re.split(r",\s+|，", head) if colon else []
    if _count_items(listed) >= _DIGEST_ITEMS:
        return listed[0].strip()
    rest = title
    if m := _PREFIX_LABEL_RE.match(rest):
        rest = rest[m.end() :]
    if m := _SUFFIX_RE.search(rest):
        rest = rest[: m.start()]
    rest = next((p for p in _ITEMS_RE.split(rest) if len(p.strip()) >= 3), "")
    rest = re.split(r",\s+|、", rest)[0].strip()
    if len(rest) >= 3 and not _label_alone(title):
        return rest
    end = _SENTENCE_END_RE.search(body[:_FIRST_SENTENCE_CHARS])
    return body[: end.start() if end else _FIRST_SENTENCE_CHARS].strip() or title


#: a break between two entries of a Chinese contents list: white space between two Chinese characters (or the
#: brackets around them), where a Chinese sentence has none ("…承认外星生物存在的国家 华为和小米达成…")
_ENTRY_BREAK_RE = re.compile(rf"(?<=[{HAN}」》）”])\s+(?=[{HAN}「《“])")


def first_entry(text: str) -> str:
    """A roundup's text up to the first break between two entries of the contents list it opens with (a daily
    brief lists every item before it tells them, "墨西哥或成为…的国家 华为和小米达成… 富士康…"): its first item.
    A text that opens with no such list is given whole up to its first break, if any."""
    m = _ENTRY_BREAK_RE.search(text)
    return text[: m.start()] if m else text


def _count_items(pieces: list[str]) -> int:
    """How many of a headline's pieces are items: three characters or more."""
    return sum(len(p.strip()) >= 3 for p in pieces)


class Headed(NamedTuple):
    """A story as the copy rule reads it: its headline, and the start of its text (both in NFKC)."""

    title: str
    body: str


def series_part(title: str) -> SeriesPart | None:
    """The series a numbered part belongs to (the words before its number) and its number, or None."""
    m = _PART_RE.search(title)
    if m is None:
        return None
    number = next(g for g in m.groups() if g is not None).lower()
    pieces = [p for p in re.split(r"[\W_]+", title[: m.start()].lower()) if p]
    context = pieces[-1][-_SERIES_CONTEXT:] if pieces else ""
    return SeriesPart(context, number)


def is_explainer(title: str) -> bool:
    """Whether a headline compares two things or announces an explanation of the news."""
    return _EXPLAINER_RE.search(title) is not None


def is_preview(title: str) -> bool:
    """Whether a headline (in NFKC) is a preview's, a service piece's or a schedule's: written before or
    around the event ("How to watch …", "… is set to …", "将于…", "瞄准…发射"), not a report of it."""
    return _PREVIEW_RE.search(title) is not None


def is_standfirst(title: str, body: str, words: Callable[[str], list[str]]) -> bool:
    """Whether ``body`` shares no word (``words`` of it) with its headline: a source's boilerplate. An
    empty body, or a headline without words, is not one."""
    head = _content_words(title, words)
    return bool(body.strip()) and bool(head) and head.isdisjoint(_content_words(body[:STANDFIRST_CHARS], words))


def _content_words(text: str, words: Callable[[str], list[str]]) -> set[str]:
    """The words of ``text`` that say something: Chinese character pairs, and English words of three
    letters or more ("in", "up" and "of" join nothing)."""
    return {w for w in words(text) if len(w) > 2 or not w.isascii()}


def standfirst_key(title: str, body: str, words: Callable[[str], list[str]]) -> frozenset[str] | None:
    """What two stories with one text must share more to be copies: nothing (None), unless the text is a
    standfirst, and then the words of the headline."""
    return frozenset(_content_words(title, words)) if is_standfirst(title, body, words) else None


def standfirst_copies(a: Headed, b: Headed, words: Callable[[str], list[str]]) -> bool:
    """Whether two stories (title, body) that share their text are copies: yes, unless that text is a
    standfirst of both and their headlines share fewer than half of their words."""
    (ta, ba), (tb, bb) = a, b
    if not (is_standfirst(ta, ba, words) and is_standfirst(tb, bb, words)):
        return True
    wa, wb = _content_words(ta, words), _content_words(tb, words)
    return len(wa & wb) >= 0.5 * len(wa | wb)


@dataclass(frozen=True, slots=True)
class Genre:
    """What a story's headline says of the kind of piece: its column labels, its part of a series, whether
    it is an explainer, whether a roundup."""

    columns: frozenset[str] = frozenset()
    part: SeriesPart | None = None
    explainer: bool = False
    digest: bool = False

    def apart(self, other: Genre, same_source: bool, same_headline: bool) -> bool:
        """Whether two pieces are never one event, whatever words they share: an explainer and a report;
        two issues of one column of one source under other headlines; two numbered parts of one series."""
        if self is other and not self.columns:
            return False
        if self.explainer != other.explainer:
            return True
        if same_source and not same_headline and not self.columns.isdisjoint(other.columns):
            return True
        if self.part is None or other.part is None:
            return False
        return self.part[0] == other.part[0] and self.part[1] != other.part[1]


#: the genre of most headlines: no column, no part, no explainer (one object, shared)
_PLAIN = Genre()
#: what a headline needs to hold for each cue to be looked for (most hold none): quicker than the patterns
_COLUMN_MARKS = frozenset(":：|｜")
_PART_MARKS = frozenset(_CIRCLED + "(（")
_EXPLAINER_WORDS = ("vs", "versus", "compare", "explain", "analysis", "解读", "详解", "一文", "对比")


def genre(title: str) -> Genre:
    """A headline's ``Genre``; ``title`` in NFKC."""
    low = title.lower()
    columns = column(title) if not _COLUMN_MARKS.isdisjoint(title) else frozenset()
    part = series_part(title) if not _PART_MARKS.isdisjoint(title) or "part" in low else None
    explainer = any(w in low for w in _EXPLAINER_WORDS) and is_explainer(title)
    digest = is_digest(title)
    if not columns and part is None and not explainer and not digest:
        return _PLAIN
    return Genre(columns, part, explainer, digest)
