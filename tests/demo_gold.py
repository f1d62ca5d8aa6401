"""The demo web's stories as Story records, with their gold labels (themes, event, kind)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from briefing.demo.server import load_outlets
from briefing.records import Story


@dataclass(frozen=True)
class Gold:
    story: Story
    themes: tuple[str, ...]
    event: str
    kind: str


def demo_gold() -> list[Gold]:
    out = []
    for outlet in load_outlets():
        for s in outlet.stories:
            story = Story(
                id=f"{outlet.id}/{s.slug}",
                source=outlet.id,
                url=f"http://demo.test{outlet.article_path(s)}",
                title=s.title,
                summary=s.teaser,
                text=s.body,
                lang=outlet.lang,  # type: ignore[arg-type]
                published=s.published.astimezone(UTC),
            )
            out.append(Gold(story=story, themes=s.themes, event=s.event, kind=s.kind))
    return out
