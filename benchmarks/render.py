"""Render time and PDF size of the briefing for editions of 10, 40 and 100 stories.

    python benchmarks/render.py [--sizes 10,40,100] [--runs 3]

Editions are built from the demo web's sample stories (English and Chinese, repeated as needed), with
the real templates, charts and fonts. Prints, per size: the median seconds to render the HTML and the
PDF (in-process, and isolated in a bounded child process as the pipeline does), the PDF's size and
pages. The budget the issue sets: a typical week's PDF under 2 MB, 40 stories in under 5 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.classify import Classifier, load_themes
from briefing.demo.server import load_outlets
from briefing.records import Edition, Item, Section, Source, Story, ThemeCount, WeekCounts
from briefing.render import render_html, render_pdf
from briefing.select import numbers_of_the_week, summarise


def edition(size: int) -> Edition:
    themes = load_themes()
    classifier = Classifier(themes)
    stories: list[tuple[Story, str]] = []
    for outlet in load_outlets():
        for s in outlet.stories:
            stories.append(
                (
                    Story(
                        id=f"{outlet.id}-{s.slug}",
                        source=outlet.id,
                        url=f"https://{outlet.id}.example/{s.slug}",
                        title=s.title,
                        text=s.body,
                        lang=outlet.lang,
                        published=s.published.astimezone(UTC),
                    ),
                    outlet.name,
                )
            )  # type: ignore[arg-type]
    items: list[Item] = []
    for n in range(size):
        story, name = stories[n % len(stories)]
        if n >= len(stories):
            story = Story(**{**story.__dict__, "id": f"{story.id}-{n}"})
        verdict = classifier.classify(story)
        items.append(
            Item(story=story, source_name=name, summary=summarise(story), themes=verdict.themes, score=float(size - n))
        )
    sections = tuple(Section(theme=t, items=tuple(it for it in items[1:] if it.primary == t.id)) for t in themes)
    sources = tuple(
        (Source(id=o.id, name=o.name, kind="feed", url=f"https://{o.id}.example/feed", lang=o.lang), size // 6)
        for o in load_outlets()
    )  # type: ignore[arg-type]
    counts = tuple(ThemeCount(t.id, sum(1 for it in items if it.primary == t.id)) for t in themes)
    return Edition(
        week="2026-W47",
        timezone="Asia/Shanghai",
        first_day="16 November 2026",
        last_day="22 November 2026",
        lead=items[0],
        sections=sections,
        sources=sources,
        story_count=size,
        cluster_count=size,
        numbers=numbers_of_the_week(items),
        trend=tuple(WeekCounts(f"2026-W{40 + i}", counts) for i in range(8)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,40,100")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from pypdf import PdfReader

    print(f"{'stories':>7}  {'html s':>7}  {'pdf s':>7}  {'isolated s':>10}  {'PDF KB':>7}  {'pages':>5}")
    for size in (int(x) for x in args.sizes.split(",")):
        e = edition(size)
        html_times, pdf_times, iso_times = [], [], []
        pdf = b""
        for _ in range(args.runs):
            t = time.perf_counter()
            html = render_html(e)
            html_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            pdf = render_pdf(html, week=e.week, isolated=False)
            pdf_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            render_pdf(html, week=e.week, isolated=True)
            iso_times.append(time.perf_counter() - t)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"{size:>7}  {statistics.median(html_times):>7.3f}  {statistics.median(pdf_times):>7.2f}  "
            f"{statistics.median(iso_times):>10.2f}  {len(pdf) // 1024:>7}  {pages:>5}"
        )


if __name__ == "__main__":
    main()
