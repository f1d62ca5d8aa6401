"""The enrich stage: English for every selected Chinese story, and why the top events matter.

Between select and render. With a language model endpoint (``Endpoint``, the settings
``BRIEFING_LLM_*``), each selected event whose representative is Chinese gets an English headline and a
one- or two-sentence gist, and the lead and each section's first event a sentence on why it matters:
asked of the model, verified, cached and budgeted (``stage``). Without one, or where the model's
answer is rejected or never comes, a Chinese event carries the offline line (``offline``): the
English headline of an English report of the same event where there is one, else its theme, names and
figures in English. Either is marked in the briefing for what it is.

``targets`` says what to ask for a week's items, ``attach_english`` puts the English on the items the
renderer gets; ``enrich`` (``stage``) does the asking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..dedup import quantities
from ..records import Cluster, English, EnglishReport, EventEnglish, Item, Section, Source, Story
from .endpoint import Endpoint, connection_settings, make_client
from .offline import Gloss, NameBook, OutletHeadline, figure_in_english, name_book, offline_english
from .stage import EnrichResult, Outcome, Target, enrich
from .verify import Rejected, verify_answer

__all__ = [
    "Endpoint",
    "EnrichResult",
    "Gloss",
    "Outcome",
    "OutletHeadline",
    "Rejected",
    "Target",
    "WithEnglish",
    "attach_english",
    "connection_settings",
    "english_reports",
    "enrich",
    "figure_in_english",
    "make_client",
    "name_book",
    "offline_english",
    "targets",
    "top_ids",
    "verify_answer",
]


def english_reports(
    item: Item, stories: Mapping[str, Story], clusters: Mapping[str, Cluster], sources: Mapping[str, Source]
) -> list[OutletHeadline]:
    """The English reports of ``item``'s event, best ranked first."""
    cluster = clusters.get(item.story.id)
    out = []
    for sid in cluster.members if cluster else ():
        s = stories.get(sid)
        if s is not None and s.lang == "en" and sid != item.story.id:
            out.append(OutletHeadline(sources[s.source].name if s.source in sources else s.source, s.title))
    return out


def top_ids(lead: Item | None, sections: Sequence[Section]) -> set[str]:
    """The events that get a sentence on why they matter: the lead and each section's first."""
    return ({lead.story.id} if lead else set()) | {s.items[0].story.id for s in sections if s.items}


def targets(
    items: Sequence[Item],
    top: set[str],
    *,
    stories: Mapping[str, Story],
    clusters: Mapping[str, Cluster],
    sources: Mapping[str, Source],
    theme_names: Mapping[str, str],
    book: NameBook,
) -> list[Target]:
    """What to ask the model for each of ``items``: English for a Chinese event without an English report,
    why it matters for the ``top`` events; items that need neither are left out."""
    out = []
    for item in items:
        story = item.story
        want_english = story.lang == "zh" and not english_reports(item, stories, clusters, sources)
        want_why = story.id in top
        if not (want_english or want_why):
            continue
        lead = f"{story.title}\n{story.body[:600]}"
        glossary = tuple(
            Gloss(zh, book.english[i])
            for i in book.found(lead) if i in book.english
            for zh in book.aliases[i][:3] if zh and zh in lead.lower()
        )
        figures = tuple(dict.fromkeys(figure_in_english(q) for q in quantities(lead)))
        theme = theme_names.get(item.primary or "", None)
        out.append(
            Target(
                story=story,
                outlet=item.source_name,
                theme=theme,
                want_english=want_english,
                want_why=want_why,
                glossary=glossary,
                figures=figures,
            )
        )
    return out


@dataclass(frozen=True)
class WithEnglish:
    """A week's items with their English (``attach_english``), and the account of how it was made."""

    items: dict[str, Item]
    report: EnglishReport


def attach_english(
    items: Mapping[str, Item], *, stored: Mapping[str, EventEnglish], stories: Mapping[str, Story],
    clusters: Mapping[str, Cluster], sources: Mapping[str, Source], theme_names: Mapping[str, str],
    book: NameBook | None = None,
) -> WithEnglish:
    """``items`` with their English: the model's (``stored`` by the enrich step) where it wrote any,
    else, for a Chinese event, the offline line; and the account of how they were made."""
    book = book or name_book()
    out: dict[str, Item] = {}
    # the model asked, answered or not
    model = next((r.english.author for r in stored.values() if r.english.author), "")
    by_model = offline = 0
    for sid, item in items.items():
        row = stored.get(sid)
        written = row.english if row and row.english.by == "model" else None
        english: English | None = None
        if item.story.lang == "zh":
            reports = english_reports(item, stories, clusters, sources)
            if written is not None and written.headline:
                english = written
                by_model += 1
            else:
                theme = theme_names.get(item.primary or "")
                english = offline_english(item.story, theme, book=book, english_reports=reports)
                offline += english.by == "offline"
                if written is not None and written.why:
                    english = replace(english, why=written.why)
        elif written is not None and written.why:
            english = English(headline="", why=written.why, by="model", author=written.author)
        out[sid] = replace(item, english=english) if english is not None else item
    fallbacks = [r.fallback for r in stored.values() if r.fallback]
    report = EnglishReport(
        model=model, by_model=by_model, offline=offline,
        rejected=fallbacks.count("rejected"), failed=fallbacks.count("failed"),
    )
    return WithEnglish(items=out, report=report)
