"""The briefing's charts, drawn as inline SVG: no plotting stack, no external request, same bytes
for the same data.

``trend_svg`` stacks the week's events per theme over the last weeks; ``share_svg`` shows this week's
share of each theme as one bar. Both carry a <title> and a <desc> that say in words what they show.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from ..records import ThemeCount, WeekCounts

__all__ = ["THEME_COLOURS", "share_svg", "trend_svg"]

THEME_COLOURS = {
    "compute": "#2f6db5",
    "energy": "#d08a12",
    "policy": "#7a3e9d",
    "chips": "#2e8b57",
    "ai-models": "#c2185b",
    "science": "#00838f",
}
_FONT = 'font-family="Noto Sans CJK SC, Helvetica, Arial, sans-serif"'


def _colour(theme: str) -> str:
    return THEME_COLOURS.get(theme, "#8a8f98")


def trend_svg(trend: Sequence[WeekCounts], names: Mapping[str, str]) -> str:
    """Stacked bars: events per primary theme for each week, oldest on the left."""
    width, height, left, bottom, top = 520, 210, 34, 30, 14
    plot_w, plot_h = width - left - 120, height - top - bottom
    totals = [sum(n for _, n in counts) for _, counts in trend]
    peak = max(totals, default=0)
    ceiling = max(5, -(-peak // 5) * 5)  # round up to a multiple of 5
    slot = plot_w / max(1, len(trend))
    bar = slot * 0.62
    parts: list[str] = []
    for tick in range(0, ceiling + 1, max(1, ceiling // 5)):
        y = top + plot_h - plot_h * tick / ceiling
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="#e3e6ea" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10" fill="#5b6470" '
            f'{_FONT}>{tick}</text>'
        )
    for i, (week, counts) in enumerate(trend):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for theme, n in counts:
            if not n:
                continue
            h = plot_h * n / ceiling
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{_colour(theme)}"><title>{html.escape(f"{week}: {names.get(theme, theme)} {n}")}</title></rect>'
            )
        weight = ' font-weight="700"' if i == len(trend) - 1 else ""
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="10" '
            f'fill="#1b1f24"{weight} {_FONT}>{html.escape(week[-3:])}</text>'
        )
    for j, theme in enumerate(dict(trend[-1][1]) if trend else {}):
        y = top + 6 + j * 20
        parts.append(f'<rect x="{left + plot_w + 18:.1f}" y="{y}" width="11" height="11" fill="{_colour(theme)}"/>')
        parts.append(
            f'<text x="{left + plot_w + 34:.1f}" y="{y + 9.5}" font-size="11" fill="#1b1f24" '
            f'{_FONT}>{html.escape(names.get(theme, theme))}</text>'
        )
    described = "; ".join(f"{w}: {t}" for (w, _), t in zip(trend, totals))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="trend-title trend-desc" class="chart">'
        '<title id="trend-title">Events per theme, last weeks</title>'
        f'<desc id="trend-desc">Distinct events per week, stacked by primary theme. Totals: '
        f'{html.escape(described)}.</desc>'
        + "".join(parts)
        + "</svg>"
    )


def share_svg(counts: Sequence[ThemeCount], names: Mapping[str, str]) -> str:
    """One bar split by theme: this week's share of events per primary theme."""
    width, height = 520, 58
    total = sum(n for _, n in counts)
    parts: list[str] = []
    x = 0.0
    labels: list[str] = []
    for theme, n in counts:
        if not n or not total:
            continue
        w = width * n / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="20" '
            f'fill="{_colour(theme)}"><title>{html.escape(names.get(theme, theme))}: {n}</title></rect>'
        )
        share = round(100 * n / total)
        if w > 34:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="14" text-anchor="middle" font-size="10" fill="#ffffff" '
                f'font-weight="700" {_FONT}>{share}%</text>'
            )
        labels.append(f"{names.get(theme, theme)} {share}%")
        x += w
    legend_x = 0.0
    for theme, n in counts:
        if not n or not total:
            continue
        parts.append(f'<rect x="{legend_x:.1f}" y="34" width="10" height="10" fill="{_colour(theme)}"/>')
        label = names.get(theme, theme)
        parts.append(
            f'<text x="{legend_x + 14:.1f}" y="43" font-size="10.5" fill="#1b1f24" {_FONT}>{html.escape(label)}</text>'
        )
        legend_x += 24 + 6.2 * len(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="share-title" class="chart share">'
        f'<title id="share-title">This week by theme: {html.escape(", ".join(labels) or "no events")}</title>'
        + "".join(parts)
        + "</svg>"
    )
