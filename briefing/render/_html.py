"""Render an edition to HTML with Jinja2: the page, the email's two parts and the archive's index.

The templates and the stylesheet live in ``templates/``; the stylesheet is inlined into the page, so the
HTML edition makes no request. Jinja autoescapes every value, and every link a story or setting gives
goes through ``safe_href``: only http, https and mailto URLs become links, so a ``javascript:`` or
``data:`` URL never does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..dedup import is_digest, lists_items
from ..errors import RenderError
from ..records import Edition, Figure, Item, ThemeCount
from ..resources import resource
from ..text import is_chinese, nfkc, sentences
from ._charts import share_svg, trend_svg

__all__ = [
    "EmailParts",
    "counted",
    "figure_carrier",
    "figure_english",
    "item_headline",
    "item_summary",
    "render_email",
    "render_html",
    "render_index",
    "safe_href",
    "shown_headline",
]


_LINKABLE = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # browsers drop these inside a URL: "java\tscript:" is javascript:


def safe_href(url: object) -> str:
    """``url`` if a link may point there (an http, https or mailto URL), else ``#``."""
    text = str(url).strip()
    if _CONTROL.search(text):
        return "#"
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return "#"
    return text if scheme in _LINKABLE else "#"


#: an outlet's column named after its headline ("…国内首艘氢能动力船完成首航 | 最前线", "… | 焦点分析", "…｜深网")
_COLUMN_TAG_RE = re.compile(r"\s*[|｜丨]\s*[^|｜丨。！？!?，,]{2,8}$")


#: a roundup's label, which says what the item is ("… | AI一周资讯", "…| 未来周报"): kept
_ROUNDUP_TAG_RE = re.compile(r"周报|资讯|早报|晚报|周刊|日报")


def shown_headline(title: str) -> str:
    """A headline as the briefing shows it: without the outlet's column named after it."""
    tag = _COLUMN_TAG_RE.search(title)
    if not tag or _ROUNDUP_TAG_RE.search(tag.group(0)) or tag.start() < 8:
        return title
    return title[: tag.start()]


def _label_alone_lead(item: Item) -> str:
    """The sentence that says what a roundup holds, when its headline is the column's label alone ("国内联播快讯"
    says nothing of this issue): its summary's first sentence, without its full stop; else ""."""
    title = nfkc(item.story.title).strip()
    if item.headline or not item.summary or not is_digest(title) or lists_items(title):
        return ""
    first = next(iter(sentences(item.summary)), "")
    return first.rstrip("。.")


#: a roundup's item heading: a line of fewer than 40 characters that ends on no stop and no clause's mark
_HEADING_RE = re.compile(r"^[^\n]{4,39}(?<![。！？.!?…”\"，,、；;：:—–-])$")


def _first_heading(item: Item) -> str:
    """The heading of a roundup's first item, when its headline is the column's label alone and its text opens
    with that heading over the news its summary gives ("国内联播快讯" over "南水北调工程2023年超额完成年度调水
    任务\n记者从水利部了解到，…"); else ""."""
    if not _label_alone_lead(item):
        return ""
    lines = [line.strip() for line in item.story.text.split("\n") if line.strip()]
    first = next(iter(sentences(item.summary)), "")
    if len(lines) < 2 or not _HEADING_RE.match(lines[0]) or nfkc(first[:20]) not in nfkc(lines[1]):
        return ""
    return lines[0]


def item_headline(item: Item) -> str:
    """An item's headline as the briefing shows it (``shown_headline``); a roundup's label alone is followed by
    its first item's heading ("国内联播快讯：南水北调工程2023年超额完成年度调水任务") or, without one, what that
    item says ("国内联播快讯：中国物流与采购联合会今天（10月9日）公布，9月份中国大宗商品指数为103.6%，…"), so
    that the cover, the contents and the section say what the story is."""
    title = shown_headline(item.story.title)
    if lead := _first_heading(item) or _label_alone_lead(item):
        return f"{title}：{lead}" if item.story.lang == "zh" else f"{title}: {lead}"
    return title


def item_summary(item: Item) -> str:
    """An item's summary under ``item_headline``: without the sentence the headline already gives."""
    if not _label_alone_lead(item) or _first_heading(item):
        return item.summary
    return (" " if item.story.lang == "en" else "").join(sentences(item.summary)[1:])


_WORDLESS_RE = re.compile(r"[\W_]+")


def figure_carrier(figure: Figure) -> str:
    """The sentence that carries a number of the week, shown above its story's headline; "" when it says no more
    than that headline ("35万亿元" carried by "…同比增长近6%国务院国资委…", the headline again)."""
    said, headline = (_WORDLESS_RE.sub("", nfkc(t)) for t in (figure.sentence, item_headline(figure.story)))
    return "" if not said or said in headline else figure.sentence


def figure_english(figure: Figure) -> str:
    """A number of the week written in Chinese, as English writes it ("1100亿美元" is "$110 billion", "35万亿元"
    "35 trillion yuan"), for the reader who reads no Chinese; "" for a figure already in English."""
    from ..dedup import quantities
    from ..enrich import figure_in_english  # here: the enrichment stage's imports are no part of rendering

    if not is_chinese(figure.text):
        return ""
    english = next((figure_in_english(q) for q in quantities(figure.text) if q.unit), "")
    return "" if english == figure.text else english


#: an offline note that has nothing in English but its theme ("Policy · a Chinese report (no names or figures …)")
_NOTHING_IN_ENGLISH = "a Chinese report ("


def list_english(item: Item, theme: str = "") -> str:
    """The English line under a Chinese headline in a list (the cover's five, "Only in the Chinese press"): an
    English outlet's headline, or the offline note without the ``theme`` the list already gives beside it;
    "" for an English story, one with an English headline of its own, or a note with nothing in English."""
    english = item.english
    if item.headline or item.story.lang != "zh" or not english or not english.headline or english.by == "model":
        return ""
    if english.by == "report":
        return english.headline
    parts = english.headline.split(" · ")
    if theme and parts[0] == theme:
        parts = parts[1:]
    return "" if not parts or parts[-1].startswith(_NOTHING_IN_ENGLISH) else " · ".join(parts)


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))),
        # HTML everywhere; the plain-text email part is text, where &#39; would be shown as such
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt.j2",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["headline"] = shown_headline
    env.filters["item_headline"] = item_headline
    env.filters["item_summary"] = item_summary
    env.filters["figure_carrier"] = figure_carrier
    env.filters["figure_english"] = figure_english
    env.filters["list_english"] = list_english
    return env


def _formatters(tz: str) -> dict[str, Any]:
    zone = ZoneInfo(tz)

    def day(moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = moment.astimezone(zone)
        return f"{local.day} {local:%b %Y}"

    def stamp(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(zone).isoformat()

    return {"day": day, "stamp": stamp}


def render_html(edition: Edition, *, title: str = "China Tech Briefing") -> str:
    """The edition as one self-contained HTML page (stylesheet inlined)."""
    import jinja2

    env = _environment()
    css = resource("templates/briefing.css").read_text(encoding="utf-8")
    theme_names = {s.theme.id: s.theme.name for s in edition.sections}
    this_week = (
        edition.trend[-1].counts
        if edition.trend
        else tuple(ThemeCount(s.theme.id, len(s.items)) for s in edition.sections)
    )
    try:
        return str(
            env.get_template("briefing.html.j2").render(
                e=edition,
                title=title,
                css=css,
                theme_names=theme_names,
                # one week's column is the share bar again ("last 1 weeks"): a trend needs two
                trend_chart=Markup(trend_svg(edition.trend, theme_names)) if len(edition.trend) > 1 else "",
                share_chart=Markup(share_svg(this_week, theme_names)),
                **_formatters(edition.timezone),
            )
        )
    except jinja2.TemplateError as err:
        raise RenderError(f"template error while rendering {edition.week}: {err}") from err


class EmailParts(NamedTuple):
    """One subscriber's email: its subject, its plain-text part and its HTML part."""

    subject: str
    text: str
    html: str


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun, in good English: "1 distinct event", "3 distinct events", "1 story", "2 stories"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def render_email(
    edition: Edition,
    themes: Sequence[str] = (),
    *,
    unsubscribe: str,
    title: str = "China Tech Briefing",
    web_edition: str = "",
) -> EmailParts:
    """The subject and the two parts of one subscriber's email; the subscriber's ``themes`` come first.

    ``unsubscribe`` is the subscriber's own link (one-click, or the deployment's mailto:); ``web_edition``
    the URL of the week's HTML edition. Each Chinese item carries its English line (``Item.english``,
    ``briefing.enrich``), printed under its headline in both parts.
    """
    chosen = [t for t in themes if any(s.theme.id == t for s in edition.sections)]
    ordered = sorted(edition.sections, key=lambda s: chosen.index(s.theme.id) if s.theme.id in chosen else len(chosen))
    context = {
        "e": edition,
        "title": title,
        "chosen": chosen,
        "chosen_names": [s.theme.name for s in ordered if s.theme.id in chosen],
        "ordered_sections": ordered,
        "unsubscribe": unsubscribe,
        "web_edition": web_edition,
        "counted": counted,
        **_formatters(edition.timezone),
    }
    env = _environment()
    lead = edition.lead
    headline = (lead.headline or item_headline(lead)) if lead else f"{edition.story_count} stories"
    subject = f"{title} {edition.week}: {headline}"
    text, html = env.get_template("email.txt.j2").render(**context), env.get_template("email.html.j2").render(**context)
    return EmailParts(subject=subject, text=str(text), html=str(html))


def render_index(weeks: Sequence[Mapping[str, object]], *, title: str = "China Tech Briefing") -> str:
    """The archive's index page: every week, newest first."""
    css = resource("templates/briefing.css").read_text(encoding="utf-8")
    return str(_environment().get_template("index.html.j2").render(weeks=weeks, title=title, css=css))
