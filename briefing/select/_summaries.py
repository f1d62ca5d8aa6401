"""Summaries: the first two or three sentences of a story's own news, extractive.

Datelines, source lines, editor lines, bylines, credits, captions, keyword lines and an outlet's
promotions are passed over, so a summary opens with what happened.
"""

from __future__ import annotations

import re

from ..dedup import is_digest
from ..records import Story
from ..text import nfkc, normalise, sentences

__all__ = ["opening", "summarise"]

#: an English dateline: "BEIJING (AP) —", "SHANGHAI, Sept 5 --", "BEIJING, Sept 5 (Reuters) -" (a wire's plain
#: hyphen only after the wire's name)
_DATELINE_RE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{1,30}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:(?:\s+\([^)]{2,60}\))?\s*(?:--|—|–)|\s+\([^)]{2,60}\)\s+-)\s*"
)
#: a Chinese outlet's dateline: "财联社9月18日电，", "IT之家 9 月 27 日消息，", "腾讯科技讯 9月20日消息，",
#: "新京报讯 ", "中新网北京8月28日电 ", "据新华社北京9月25日电 ", "【环球网报道 记者 索炎琦】", "（观察者网讯）",
#: "芯东西8月30日凌晨报道，", "财联社9月28日讯（编辑 黄君芝）"; never an attribution ("据路透社9月8日报道，",
#: "据人社部官网9月6日消息，" stay: they say whose news it is)
_ZH_OUTLET = r"[^\s，。、；：:“”「」《》【】（）()\[\]\d]{2,12}?"
_ZH_PAPER = r"(?:《[^《》\n]{2,12}》|" + _ZH_OUTLET + r")"  # "《科创板日报》" too
_ZH_DAY = r"(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:凌晨|早间|上午|中午|下午|晚间|傍晚|晚)?\s*"
_ZH_DATELINE_RE = re.compile(
    r"^\s*(?:[【\[（(][^【】\[\]（）()\n，。]{0,24}?(?:记者|报道|讯|电)[^【】\[\]（）()\n，。]{0,20}[】\]）)]"
    r"|(?:据\s*)?" + _ZH_PAPER + r"\s*(?:[^\s，。\d]{2,4}\s*)?" + _ZH_DAY + r"电(?=[\s，,：:（(])"
    r"|" + _ZH_OUTLET + r"(?<![通资快喜简死音视短])讯(?=[\s，,：:（(\d])\s*(?:" + _ZH_DAY + r"(?:消息|电))?"
    r"|" + _ZH_PAPER + r"?\s*" + _ZH_DAY + r"(?:讯|消息)(?=[\s，,：:（(])"
    r"|(?!据)" + _ZH_OUTLET + r"(?<![社报台])报道(?=[\s。])"  # "集微网报道 ", "新智元报道。"
    r"|" + _ZH_OUTLET + r"(?<![社报台])\s*" + _ZH_DAY + r"报道(?=[\s，,：:])"  # not a wire's or paper's report
    r"|(?<!据)" + _ZH_OUTLET + r"(?:网站|官网|客户端)消息(?=[，,])"  # "国家能源局网站消息，"
    # and the names after it: "（编辑 黄君芝）", "(梁晓辉 谢雁冰)"
    r")\s*(?:[（(][^（）()\n，。]{1,16}[）)])?\s*[，,：:。]?\s*"
)
#: a headline or a label in brackets before the news: "【iPhone 15系列开售10分钟内官网崩溃】财联社9月15日电，…",
#: "【导读】", "【新智元导读】", and a key-points label ("划重点：", "核心要点：")
_ZH_LABEL_RE = re.compile(
    r"^\s*(?:【[^【】\n]{2,40}】|(?:划重点|核心要点|要点|导读|导语)[:：]\s*(?:1\s+(?!\d))?)\s*(?=\S)"
)
#: a sentence that is a byline ("本报记者 尹丽梅 童海华 北京报道。", "腾讯新闻《一线》 作者 刘鹏。", "每经编辑：杜宇。",
#: "界面新闻记者｜林腾 陆柯言。") or a column's note on itself ("“芯事重重”是腾讯科技半导体产业研究策划，本期聚焦…")
_BYLINE_SENTENCE_RE = re.compile(
    r"^[^，。,]{0,20}(?:记者|作者|编辑|撰文)\s*[｜|:：\s]\s*[^，。,]{1,24}[。.]?$"
    r"|^“[^”]{1,12}”是[^，。]{2,30}(?:策划|栏目|专栏)"
)
_ZH_SOURCE_RE = re.compile(
    r"^\s*(?:来源[:：][^\s，。]{1,20}\s*|（[^（）\n]{0,12}(?:记者|电)[^（）\n]{0,20}）\s*|新华社[^\n，。]{0,12}电\s*"
    r"|(?:[^\s，。]{2,8}\s*)?文\s*[/｜|]\s*[^\s，。/｜|]{2,8}[。\s]\s*)"  # "腾讯科技 文/吴彬。": an outlet's byline
)
#: credits that open a paragraph before its news ("本文来源：时代财经 作者：徐晓倩。两天前，…"): cut, and the
#: paragraph judged by what follows
_LEADING_CREDITS_RE = re.compile(
    # a credit line to its stop: "文 / 腾讯科技 苏扬。", "文 |《财经》… 发自华盛顿。", "编辑：腾讯科技 /郝博阳 翻译：
    # 金鹿。" (a run of credits, "编辑｜陈弗也 出品｜…", is cut credit by credit below)
    r"^\s*(?:(?:文|作者|撰文|编辑|编译|翻译)\s*[:：｜|/]\s*[^，。｜|\n]{1,40}。\s*"
    r"|(?:本文来源|来源|作者|编辑|责编|撰文|特约作者|文)\s*[:：｜|/]\s*[^\s，。：:｜|]{1,20}[\s。，;；]*"
    r"|【文\s*/\s*[^【】\n]{1,20}】\s*"  # "【文/观察者网 熊超然】"
    r"|感谢[^！!。\n]{1,60}?的线索投递[！!。]\s*){1,4}"  # IT之家 thanks a reader for the tip
)
#: a source or a reporter credited in brackets anywhere in the text ("（来源：证券时报，节选）", "（记者 高梦阳）")
_SOURCE_NOTE_RE = re.compile(
    r"[（(]\s*(?:(?:来源|来自|转自)[:：][^（）()\n]{0,40}|(?:实习)?(?:记者|编辑|通讯员|实习生)\s*[^（）()\n，。]{1,20})[）)]"
)
_EDITOR_RE = re.compile(
    r"^\s*(?:\(?Editing by|\(?Reporting by|Writing by|（?责任编辑|（?编辑[:：]|来源[:：]|本文来源|原标题)",
    re.IGNORECASE,
)
#: the agencies a picture's credit names before the news runs on ("… | Photo by Eddie Costas / The Verge The $999 …")
_AGENCIES = r"(?:The Verge|Getty Images|WireImage|Shutterstock|Reuters|AFP|Bloomberg|AP)"
#: paragraphs that are not the story's news: credits and bylines ("文｜…", "编辑｜…", "By …"), editor's
#: notes, image captions and credits, keyword lines, and an outlet's promotions and reprint notices
_BOILERPLATE_RE = re.compile(
    r"^\s*[【\[(（]?\s*(?:特约|实习|首席|文字|图片|视频)?(?:文|作者|编辑|撰文|采访|整理|来源|出品|题图|图片来源|图源|头图|配图|责编|校对|排版|监制|"
    r"运营|策划|视觉|设计|翻译|译者|编译|审校|记者|嘉宾|主持|口述)\s*[】\])）]?\s*[｜|:：/]"
    r"|^\s*[【\[(（]?\s*编者(?:按|注)"
    r"|图源[:：]|图片来源|图注[:：]|关键词[:：]|关键字[:：]"
    r"|本文来自|经授权发布|转载请|旗下编译团队|欢迎关注|关注我们|点击关注|扫码|原文链接|的线索投递[！!。]"
    r"|^\s*(?:Photo|Image|Illustration|Credit|Photograph)s?\s*[:|]|^\s*By [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*$"
    r"|^\s*(?:Subscribe|Sign up)\b|^\s*Also in this newsletter\b"
    # a caption line (The Verge: "… | Image: Apple")
    r"|\|\s*(?:Image|Illustration|Photo|Photograph|Screenshot|Video|Graphic)s?\s*(?:by\s*)?:"
    # or credited to a name alone at its end ("The earliest … is 2025. | The Verge")
    r"|(?-i:\|\s*[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}\s*$)"
    # or to a photographer and an agency of any name, closing the line ("Samples of the new solid electrolyte …
    # | Photo by Dan DeLong for Microsoft.", "… | Photo by Ying Tang / NurPhoto via Getty Image")
    # (not one that names a known agency with the news run on after it: that credit alone is cut, below)
    r"|\|\s*(?:Photo illustration|Photo|Illustration|Image|Screenshot|Photograph|Graphic|Video)s?\s+(?:by|from|via)\s"
    r"(?![^|\n]*?\b" + _AGENCIES + r"\b\.?\s+\S)[^|\n]{2,90}$",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[。！？.!?…”\"]\s*$")
#: an image's credit run into the text, with the caption before it if any: "Illustration by Alex Castro /
#: The Verge President Biden signed …", "The Pixel 8 Pro takes good photos. | Photo by Eddie Costas / The
#: Verge The $999 …", "Photo by Arturo Holmes/WireImage Scarlett Johansson …" (a feed's text keeps what the
#: page set under the picture); everything up to the credit's agency goes
_IMAGE_CREDIT_RE = re.compile(
    r"(?:^|\|\s*)(?:Photo [Ii]llustration|Photo|Illustration|Image|Screenshot|Photograph|Graphic)s?\s+(?:by|from)\s+"
    r"[^|\n]{2,90}?\b" + _AGENCIES + r"\b\.?\s*"
)
#: a sentence that is a picture's caption ("Screenshot from Vincent Zhong's iPhone 15 Pro review.")
_CAPTION_SENTENCE_RE = re.compile(r"^\s*(?:Screenshot|Photo|Image|Illustration|Photograph)s?\s+(?:by|from)\s")
#: a picture's caption by its shape when no credit follows it: a scene set in a city and its country on a day of a
#: year ("Crowds of people swimming at Jinshan City Beach in Shanghai, China, on August 13th, 2023, during a
#: heatwave …", a news agency's caption form; a news lead dates its own week's events without the year)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
_DATED_SCENE_RE = re.compile(
    r"\b(?:in|at|near|outside)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},?"
    r"\s+on\s+(?:[A-Z][a-z]+day,\s+)?" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s+\d{4}\b"
)
#: how far into the text a picture's caption and credit can stand
_CREDIT_WITHIN = 400


#: characters: a Chinese line with no sentence end shorter than this is a heading ("三分钟热度的本质"); one shorter
#: than ``_HEADING_CHARS`` too, when text follows it and it does not run on into it with a clause's mark (a
#: roundup's item, "2023年前11个月地方国企营业收入同比增长近6%", is headed so; "…投资方阵容豪华——" goes on)
_SHORT_LINE_CHARS = 25
_HEADING_CHARS = 40


def _is_news(paragraph: str, chinese: bool, *, last: bool = True) -> bool:
    """Whether a paragraph can open a summary: not boilerplate, not a heading (a short Chinese line
    with no sentence end; ``last``: whether no paragraph follows it)."""
    if _EDITOR_RE.match(paragraph) or _BOILERPLATE_RE.search(paragraph):
        return False
    if not chinese or _SENTENCE_END_RE.search(paragraph):
        return True
    chars = len(paragraph.strip())
    return not (
        chars < _SHORT_LINE_CHARS or (chars < _HEADING_CHARS and not last and not _GOES_ON_RE.search(paragraph))
    )


#: a line that stands for a picture in a text: its title marked "（图片）" or "[图片]", or the mark alone
_PICTURE_LINE_RE = re.compile(r"[（(\[【]\s*(?:图片|图)\s*[)）\]】]\s*$")


def _short_text(summary: str) -> str:
    """The summary of a text with no paragraph of news: its feed's own short text ("华为发布Mate 60"), line by
    line without a credit ("来源：ZAKER微博"), a boilerplate line or a picture's title ("关于…的致歉声明（图片）");
    nothing when no line is left, and the headline stands alone."""
    lines = [line.strip() for line in summary.split("\n")]
    kept = [
        line
        for line in lines
        if line and not (_EDITOR_RE.match(line) or _BOILERPLATE_RE.search(line) or _PICTURE_LINE_RE.search(line))
    ]
    return "\n".join(kept)


def _scene_caption(paragraph: str, lang: str) -> bool:
    """Whether an English text's first paragraph, with the teaser after it, is its picture's caption: one
    sentence that sets a scene in a place on a dated day ("… in Shanghai, China, on August 13th, 2023, …")."""
    return lang == "en" and len(sentences(paragraph)) == 1 and bool(_DATED_SCENE_RE.search(paragraph))


#: a text whose every paragraph is passed over is read again sentence by sentence in its paragraphs of this
#: many sentences or more: a feed that runs a whole article into one line ("10月13日，华为概念股涨疯了！ ……
#: 欢迎关注…") would otherwise lose its news to one promotion or credit in it
_RUN_IN_SENTENCES = 2
_EDITORS_NOTE_RE = re.compile(r"^\s*[【\[(（]?\s*编者(?:按|注)")


def _run_in(paragraph: str) -> bool:
    """Whether a paragraph passed over is an article run into one line, to be read sentence by sentence
    (never an editor's note: all of it is the note)."""
    return not _EDITORS_NOTE_RE.match(paragraph) and len(sentences(paragraph)) >= _RUN_IN_SENTENCES


_WORDLESS_RE = re.compile(r"[\W_]+")


def _repeats(sentence: str, title: str) -> bool:
    """Whether a first sentence is the headline again ("台积电将获得特斯拉更多DOJO超级计算机订单。"), perhaps
    with a date after it ("…的决定（2023年9月7日）。"): the page shows the headline just above."""
    head, line = (_WORDLESS_RE.sub("", normalise(t)) for t in (title, sentence))
    return len(head) >= 6 and line.startswith(head) and len(line) - len(head) < 20


#: a key-points list run into one paragraph ("划重点：1 英特尔正式推出了…。2 酷睿Ultra处理器分为…。3 …") or one
#: item a line ("划重点\n1 苹果已经开始…。\n2 Meta计划…"): its first item's number, after the list's label if any
_FIRST_ITEM_RE = re.compile(r"^(\s*(?:(?:划重点|核心要点|要点)(?:[:：]|\s*\n)\s*)?)1\s+(?=\D)")


def _without_item_numbers(paragraph: str) -> str:
    """A text that opens with a numbered list, run together or one item a line, without its items' numbers:
    each item is a sentence of the summary, never "…会改善。2 霍夫曼认为…". Only numbers that count on from 1,
    each after a sentence's end, are items ("。76 岁的辛顿" is an age)."""
    first = _FIRST_ITEM_RE.match(paragraph)
    if not first:
        return paragraph
    out, at, number = [first.group(1)], first.end(), 2
    while m := re.compile(rf"(?<=[。！？.!?”])(\s*){number}\s+(?=\D)").search(paragraph, at):
        out.append(paragraph[at : m.start()] + m.group(1))  # a line break between items stays
        at, number = m.end(), number + 1
    return "".join(out) + paragraph[at:]


def _without_credits(paragraph: str) -> str:
    """A paragraph without the credits that open it, when news follows them."""
    rest = _LEADING_CREDITS_RE.sub("", paragraph, count=1)
    return rest if rest.strip() else paragraph


def _without_datelines(text: str) -> str:
    """``text`` without the dateline, bracketed label and source that open it, one after another ("【导读】",
    "新华社北京9月1日电（记者马晓澄）")."""
    text = _DATELINE_RE.sub("", text, count=1)
    for _ in range(3):
        rest = _ZH_SOURCE_RE.sub("", _ZH_DATELINE_RE.sub("", _ZH_LABEL_RE.sub("", text, count=1), count=1), count=1)
        if rest == text:
            break
        text = rest
    return text


def opening(text: str) -> str:
    """``text`` without what an outlet sets before its news: a credit line, a dateline, a bracketed headline
    or label, a byline sentence ("腾讯科技讯 9月20日消息，华为…" is "华为…"); the offline English note reads the
    names of the story's lead here, not the outlet's own."""
    text = _without_datelines(_without_credits(_without_item_numbers(text.lstrip())))
    first = next(iter(sentences(text[:200])), "")
    if first and _BYLINE_SENTENCE_RE.search(first):
        text = text[text.find(first) + len(first) :].lstrip()
    # a dateline also opens the paragraph after a key-points list ("划重点：1 …。\n腾讯科技讯 据外媒报道，…")
    head, _, rest = text.partition("\n")
    return head + "\n" + "\n".join(map(_without_datelines, rest.split("\n"))) if rest else text


#: how a sentence that goes on ends: a clause's mark ("…给出了百度对文心大模型综合能力的判断：")
_GOES_ON_RE = re.compile(r"\s*[，,、；;：:—–-]+\s*$")
#: characters: a feed's excerpt cut at a length ("…have rarely seemed to rival what you") is longer than a
#: standfirst of a line or two, which is whole without its full stop ("Finding could reopen debate on how and
#: when humans arrived. But some researchers remain skeptical")
_EXCERPT_CHARS = 200


def _unfinished(sentence: str, *, cut: bool) -> bool:
    """Whether a summary's last sentence breaks off: it ends on a clause's mark, or, as the last words of a
    text ``cut`` at a length, with no end at all."""
    ends = _SENTENCE_END_RE.search(sentence) or sentence.rstrip().endswith(("’", ")", "）", "」", "』"))
    return bool(_GOES_ON_RE.search(sentence)) or (cut and not ends)


def _finished(picked: list[str], *, cut: bool, lang: str) -> list[str]:
    """The sentences ``picked`` without a last one that breaks off, while others are left; one that is left
    alone ending on a clause's mark is closed with an ellipsis ("…新一波的战火……")."""
    while len(picked) >= 2 and (_unfinished(picked[-1], cut=cut) or not _WORDLESS_RE.sub("", picked[-1])):
        picked, cut = picked[:-1], False  # nor one that is an excerpt's "……" alone
    if picked and _GOES_ON_RE.search(picked[-1]):
        picked = [*picked[:-1], _GOES_ON_RE.sub("", picked[-1]) + ("…" if lang == "en" else "……")]
    return picked


#: a reporter's question at a spokesperson's briefing ("有记者问：…请问中方对此有何评论？", "彭博社记者提问，…",
#: "有记者提出，…"), and the label of the answer after it ("答：")
_QUESTION_RE = re.compile(r"记者(?:问|提问|提出)\s*[:：，,]")
_ASKED_RE = re.compile(r"[？?]\s*$")
_ANSWER_LABEL_RE = re.compile(r"^\s*答\s*[:：]\s*")


def _answered(pieces: list[str]) -> list[str]:
    """A briefing's sentences without the reporter's question, from the sentence that asks through its last
    question mark, when an answer follows: the spokesperson's answer is the news ("商务部：研究进一步中止…" is
    what "答：…" says, not "有记者问：…请问有何进展？")."""
    for at, piece in enumerate(pieces):
        if not _QUESTION_RE.search(piece):
            continue
        end = at
        while end + 1 < len(pieces) and (_ASKED_RE.search(pieces[end + 1]) or not _ASKED_RE.search(pieces[end])):
            end += 1
        if not _ASKED_RE.search(pieces[end]) or end + 1 >= len(pieces):
            return pieces  # no question asked, or no answer after it
        return [*pieces[:at], _ANSWER_LABEL_RE.sub("", pieces[end + 1]), *pieces[end + 2 :]]
    return pieces


def summarise(story: Story, max_sentences: int = 3) -> str:
    """Two or three sentences from the start of the story: its own news, never a byline, a credit, an
    editor's note, a caption, a keyword line or a promotion."""
    source = story.text or story.summary
    chinese = story.lang == "zh"
    candidates = [p for p in map(_without_credits, _without_item_numbers(source).split("\n")) if p.strip()]
    last = len(candidates) - 1
    paragraphs = [p for at, p in enumerate(candidates) if _is_news(p, chinese, last=at == last)] or [
        p for p in candidates if _run_in(p)
    ]
    if len(paragraphs) >= 2 and _scene_caption(paragraphs[0], story.lang):
        paragraphs = paragraphs[1:]
    if is_digest(nfkc(story.title)):  # a roundup: its first item's news, never the next item's
        paragraphs = paragraphs[:1]
    if not paragraphs:
        return _short_text(story.summary)
    text = "\n".join(paragraphs)
    if credit := _IMAGE_CREDIT_RE.search(text[:_CREDIT_WITHIN]):
        if not text[credit.end() :].strip():  # a picture's caption and credit, and no news after them
            return ""
        text = text[credit.end() :]
    text = _SOURCE_NOTE_RE.sub("", _without_datelines(text))
    picked: list[str] = []
    length = 0
    limit = 160 if story.lang == "zh" else 420  # characters: ~3 Chinese sentences, ~60 English words
    pieces = _answered(sentences(text))
    ends_text = False  # whether the last sentence picked is the text's last
    for at, s in enumerate(pieces):
        if _EDITOR_RE.match(s) or _BOILERPLATE_RE.search(s) or _CAPTION_SENTENCE_RE.match(s):
            continue
        if not _WORDLESS_RE.sub("", s) and (not picked or picked[-1].rstrip().endswith("…")):
            continue  # an excerpt's "……" alone, after another: "…16.7%。…………" says it once
        if chinese and _BYLINE_SENTENCE_RE.search(s):
            continue
        if not picked and _repeats(s, story.title):
            continue
        if len(s) > 2 * limit:  # not a sentence: excerpts joined by "……", or a roundup's headlines run together
            s = s[: s.index("……") + 2] if "……" in s[:limit] else ""
            if not s:
                continue
        if picked and (len(picked) >= max_sentences or length + len(s) > limit):
            break
        picked.append(s)
        length += len(s)
        ends_text = at == len(pieces) - 1
        if len(picked) >= 2 and length > limit * 0.6:
            break
    picked = _finished(picked, cut=ends_text and len(source) >= _EXCERPT_CHARS, lang=story.lang)
    if chinese:  # a line with no stop, a standfirst or a heading, never runs into the next ("…的认知产能过剩…")
        picked = [
            p if _closed(p) or after.startswith(_RUNS_ON) else p + "。" for p, after in zip(picked, [*picked[1:], "…"])
        ]
    return (" " if story.lang == "en" else "").join(picked)


#: what opens a sentence that runs on from the one before it ("…开屏广告里的王者" "——摇一摇广告。")
_RUNS_ON = ("—", "–", "-", "…", "，", "、", "：", "；")


def _closed(sentence: str) -> bool:
    """Whether a Chinese sentence ends so that the next can follow it: on a stop, a closing mark or a clause's."""
    return bool(_SENTENCE_END_RE.search(sentence) or _GOES_ON_RE.search(sentence)) or sentence.rstrip().endswith(
        ("’", ")", "）", "」", "』", "】", "》")
    )
