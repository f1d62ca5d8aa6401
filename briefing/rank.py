"""Select the week's stories: rank clusters, pick the lead, fill each theme's section, summarise.

A cluster's importance grows with the number of outlets that reported it, the weight of its sources
and how clearly it belongs to its theme. The lead story is the most important cluster of the week; each
theme's section holds its clusters (by primary theme) in order of importance, up to a cap. Summaries are
extractive: the first two or three sentences of the representative's text, with datelines and editor
lines removed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from .dedup import quantities
from .records import Classification, Cluster, Figure, Item, Section, Source, Story, Theme
from .text import headline_tokens, sentences

__all__ = ["FOLLOW_UP_SIMILARITY", "SECTION_CAP", "earlier_reports", "importance", "numbers_of_the_week", "select", "summarise"]

SECTION_CAP = 8
_DATELINE_RE = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s+\([^)]{2,60}\))?\s*(?:--|—|–)\s*")
_ZH_SOURCE_RE = re.compile(r"^\s*(?:来源[:：][^\s，。]{1,20}\s*|（[^（）\n]{0,12}(?:记者|电)[^（）\n]{0,20}）\s*|新华社[^\n，。]{0,12}电\s*)")
_EDITOR_RE = re.compile(r"^\s*(?:\(?Editing by|\(?Reporting by|Writing by|（?责任编辑|（?编辑[:：]|来源[:：]|本文来源|原标题)", re.IGNORECASE)
#: paragraphs that are not the story's news: credits and bylines ("文｜…", "编辑｜…", "By …"), editor's
#: notes, image captions and credits, keyword lines, and an outlet's promotions and reprint notices
_BOILERPLATE_RE = re.compile(
    r"^\s*[【\[(（]?\s*(?:文|作者|编辑|撰文|采访|整理|来源|出品|题图|图片来源|图源|头图|配图|责编|校对|排版|监制|运营|策划|视觉|设计|翻译|译者|编译|审校|记者|嘉宾|主持|口述)\s*[】\])）]?\s*[｜|:：/]"
    r"|^\s*[【\[(（]?\s*编者(?:按|注)"
    r"|图源[:：]|图片来源|图注[:：]|关键词[:：]|关键字[:：]"
    r"|本文来自|经授权发布|转载请|旗下编译团队|欢迎关注|关注我们|点击关注|扫码|原文链接"
    r"|^\s*(?:Photo|Image|Illustration|Credit|Photograph)s?\s*[:|]|^\s*By [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*$"
    r"|^\s*(?:Subscribe|Sign up)\b|^\s*Also in this newsletter\b"
    r"|\|\s*(?:Image|Illustration|Photo|Photograph|Screenshot|Video|Graphic)s?\s*(?:by\s*)?:",  # a caption line (The Verge: "… | Image: Apple")
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[。！？.!?…”\"]\s*$")


def _is_news(paragraph: str, chinese: bool) -> bool:
    """Whether a paragraph can open a summary: not boilerplate, not a heading (a short Chinese line
    with no sentence end)."""
    if _EDITOR_RE.match(paragraph) or _BOILERPLATE_RE.search(paragraph):
        return False
    return not (chinese and len(paragraph.strip()) < 25 and not _SENTENCE_END_RE.search(paragraph))


def importance(story: Story, outlets: int, theme_score: float, weights: Mapping[str, float]) -> float:
    """The score that orders clusters: how many outlets reported the event (not how many stories: one
    outlet's three reports are one voice), the representative's source weight, theme fit."""
    weight = weights.get(story.source, 1.0)
    return round(theme_score * 0.5 + math.log2(1 + outlets) * 0.6 + weight * 0.3, 4)


def summarise(story: Story, max_sentences: int = 3) -> str:
    """Two or three sentences from the start of the story: its own news, never a byline, a credit, an
    editor's note, a caption, a keyword line or a promotion."""
    source = story.text or story.summary
    chinese = story.lang == "zh"
    paragraphs = [p for p in source.split("\n") if p.strip() and _is_news(p, chinese)]
    if not paragraphs:
        return "" if _BOILERPLATE_RE.search(story.summary) else story.summary.strip()
    text = "\n".join(paragraphs)
    text = _DATELINE_RE.sub("", text, count=1)
    text = _ZH_SOURCE_RE.sub("", text, count=1)
    picked: list[str] = []
    length = 0
    limit = 160 if story.lang == "zh" else 420  # characters: ~3 Chinese sentences, ~60 English words
    for s in sentences(text):
        if _EDITOR_RE.match(s) or _BOILERPLATE_RE.search(s):
            continue
        if picked and (len(picked) >= max_sentences or length + len(s) > limit):
            break
        picked.append(s)
        length += len(s)
        if len(picked) >= 2 and length > limit * 0.6:
            break
    return (" " if story.lang == "en" else "").join(picked)


def select(
    stories: Mapping[str, Story],
    clusters: Sequence[Cluster],
    classified: Mapping[str, Classification],
    themes: Sequence[Theme],
    sources: Mapping[str, Source],
    cap: int = SECTION_CAP,
) -> tuple[Item | None, tuple[Section, ...]]:
    """The lead item and one section per theme (the lead also heads its own theme's section)."""
    weights = {sid: s.weight for sid, s in sources.items()}
    items: list[Item] = []
    for cluster in clusters:
        rep = stories[cluster.id]
        verdict = classified.get(cluster.id)
        themes_of = verdict.themes if verdict else ()
        outlets = len({stories[m].source for m in cluster.members if m in stories})
        langs = _outlet_langs(sources, [stories[m] for m in cluster.members if m in stories])
        score = importance(rep, outlets, themes_of[0].score if themes_of else 0.0, weights)
        also = []
        seen_sources = {rep.source}
        for mid in cluster.members[1:]:
            other = stories[mid]
            if other.source in seen_sources:
                continue
            seen_sources.add(other.source)
            also.append((_name(sources, other.source), other.url))
        items.append(
            Item(
                story=rep,
                source_name=_name(sources, rep.source),
                summary=summarise(rep),
                themes=themes_of,
                also=tuple(also),
                score=score,
                outlets_zh=langs.count("zh"),
                outlets_en=langs.count("en"),
            )
        )
    ordered = sorted(items, key=lambda it: (-it.score, -(it.story.when.timestamp() if it.story.when else 0), it.story.id))
    lead = next((it for it in ordered if it.primary), None)
    sections = []
    for theme in themes:
        chosen = [it for it in ordered if it.primary == theme.id][:cap]
        sections.append(Section(theme=theme, items=tuple(chosen)))
    return lead, tuple(sections)


def _outlet_langs(sources: Mapping[str, Source], members: Sequence[Story]) -> list[str]:
    """The language of each outlet that reported an event, once per outlet: the outlet's, else its story's."""
    first: dict[str, Story] = {}
    for story in members:
        first.setdefault(story.source, story)
    return [sources[sid].lang if sid in sources else story.lang for sid, story in first.items()]


def _name(sources: Mapping[str, Source], source_id: str) -> str:
    s = sources.get(source_id)
    return s.name if s else source_id


def numbers_of_the_week(items: Sequence[Item], limit: int = 8) -> tuple[Figure, ...]:
    """The week's figures with units, one per story, from the most important stories first, each with
    the sentence that carries it.

    A figure in the headline wins; otherwise the first figure with a unit in the summary: the story's
    own news, never a figure from deep in the text, which may be another company's. Bare percentages
    and counts without a unit are passed over, and no figure appears twice.
    """
    out: list[Figure] = []
    seen: set[tuple[str, float]] = set()
    for item in sorted(items, key=lambda it: (-it.score, it.story.id)):
        for text in (item.story.title, *sentences(item.summary)):
            figures = [q for q in quantities(text) if q.unit and q.unit != "%" and q.key not in seen]
            if figures:
                seen.add(figures[0].key)
                out.append(Figure(text=figures[0].text, story=item, sentence=text.strip()))
                break
        if len(out) >= limit:
            break
    return tuple(out)


#: a story whose headline shares this much with one an earlier briefing carried is its follow-up
FOLLOW_UP_SIMILARITY = 0.25


def earlier_reports(
    current: Sequence[Story], earlier: Sequence[tuple[str, Story]], weights: Mapping[str, float] | None = None
) -> tuple[set[str], dict[str, str]]:
    """Which of this week's stories an earlier briefing already carried, and which follow one up.

    ``earlier`` holds ``(week, story)`` for the stories earlier briefings published. A current story in
    the same event cluster as one of them (a copy, an edit or a rewrite that came out days later) was
    published already: its id is returned in the first set, to leave out. A current story of another
    event whose headline is close to an earlier one's (the same reactor's commercial operation after
    its grid connection) is a follow-up: the second value maps its id to ``"week: earlier headline"``.
    """
    from .dedup import SAME_EVENT, EventText, KeywordReader, dedup, event_text, same_event_probability
    from .text import nfkc

    if not earlier or not current:
        return set(), {}
    earlier_ids = {s.id: week for week, s in earlier}
    by_id = {s.id: s for _, s in earlier} | {s.id: s for s in current}
    clusters = dedup([s for _, s in earlier] + list(current), weights)
    reader = KeywordReader()
    texts: dict[str, EventText] = {}

    def text(s: Story) -> EventText:
        if s.id not in texts:
            texts[s.id] = event_text(nfkc(s.title), nfkc(s.body), reader)
        return texts[s.id]

    def same(a: Story, b: Story) -> bool:
        if (a.url and a.url == b.url) or (a.title, a.body) == (b.title, b.body):
            return True
        hours = abs(a.when.timestamp() - b.when.timestamp()) / 3600 if a.when and b.when else 0.0
        return same_event_probability(text(a), text(b), hours, a.source == b.source, a.lang != b.lang) >= SAME_EVENT

    repeated: set[str] = set()
    for c in clusters:
        before = [by_id[x] for x in c.members if x in earlier_ids]
        for m in c.members:
            if m not in earlier_ids and before and any(same(by_id[m], b) for b in before):
                repeated.add(m)
    follow_ups: dict[str, str] = {}
    heads = [(week, s, headline_tokens(s.title)) for week, s in earlier]
    for story in current:
        if story.id in repeated:
            continue
        mine = headline_tokens(story.title)
        best: tuple[float, str, str] | None = None
        for week, s, theirs in heads:
            if not mine or not theirs:
                continue
            similarity = len(mine & theirs) / len(mine | theirs)
            if similarity >= FOLLOW_UP_SIMILARITY and (best is None or similarity > best[0]):
                best = (similarity, week, s.title)
        if best:
            follow_ups[story.id] = f"{best[1]}: {best[2]}"
    return repeated, follow_ups
