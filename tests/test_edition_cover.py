"""The cover's "This week in five": five happenings, not one company's day five times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.edition._assembly import IN_FIVE, _in_five
from briefing.records import Item, Story

MONDAY = datetime(2023, 8, 28, 9, 0, tzinfo=UTC)


def _item(n: int, title: str, hours: float, score: float) -> Item:
    story = Story(
        id=f"s{n}",
        source="src",
        url=f"https://example.org/{n}",
        title=title,
        summary="",
        text="",
        lang="zh" if any("\u4e00" <= c <= "\u9fff" for c in title) else "en",
        published=MONDAY + timedelta(hours=hours),
    )
    return Item(story=story, source_name="Src", summary="", themes=(), score=score)


def test_one_companys_launches_of_one_day_take_one_place_among_the_five() -> None:
    """W35: three of the five were Google Cloud Next's announcements of one day (labelled one event)."""
    lead = _item(0, "Google Meet's new AI will be able to go to meetings for you", 0, 10)
    others = [
        _item(1, "OpenAI Launches Business Version of ChatGPT", 1, 9),
        _item(2, "Google's Duet AI is now available in Gmail, Docs, and more", 2, 8),
        _item(3, "Tech Chiefs to Gather in Washington Next Month on A.I. Regulations", 3, 7),
        _item(4, "Google will soon require disclaimers for AI-generated political ads", 5, 6),
        _item(5, "Call of Duty will use AI to moderate voice chats", 6, 5),
        _item(6, "百度文心一言获批上线，所有人都可以使用体验了", 30, 4),
    ]
    five = _in_five(lead, [lead, *others])
    assert [it.story.id for it in five] == ["s0", "s1", "s3", "s5", "s6"]


def test_one_company_on_other_days_and_a_thin_week_keep_their_places() -> None:
    lead = _item(0, "Huawei unveils the Mate 60 Pro", 0, 10)
    later = _item(1, "华为发布鸿蒙4.0", 72, 9)  # three days on: another happening of the same company
    same_day = _item(2, "Huawei's new phone sells out in minutes", 3, 8)
    five = _in_five(lead, [lead, later, same_day])
    assert [it.story.id for it in five] == ["s0", "s1", "s2"]  # fewer than five others: the one waiting comes in
    assert len(_in_five(None, [_item(n, f"Story number {n}", n, 10 - n) for n in range(8)])) == IN_FIVE
