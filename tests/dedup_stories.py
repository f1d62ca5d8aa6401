"""Stories for the dedup tests: a story of a source, in a language, some hours after ``T0``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.records import Story

T0 = datetime(2026, 11, 17, 1, 0, tzinfo=UTC)


def story(sid: str, title: str, text: str, *, source: str = "s", lang: str = "en", hours: float = 0) -> Story:
    """A story ``hours`` after ``T0``, at a URL of its source's own."""
    return Story(
        id=sid,
        source=source,
        url=f"https://{source}.example/{sid}",
        title=title,
        text=text,
        lang=lang,
        published=T0 + timedelta(hours=hours),
    )  # type: ignore[arg-type]
