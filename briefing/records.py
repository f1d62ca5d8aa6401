"""The typed records that flow between the stages of the pipeline.

Every stage takes and returns these frozen dataclasses, never dicts with invented keys. Datetimes are
timezone-aware UTC; the briefing's timezone appears only at the edges (see ``week``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

__all__ = [
    "FAILING_RUNS",
    "FINGERPRINT_VERSION",
    "Classification",
    "Cluster",
    "Decision",
    "Drafts",
    "Edition",
    "English",
    "EnglishReport",
    "EventEnglish",
    "Fetched",
    "Figure",
    "Fingerprint",
    "HealthRow",
    "IndexEntry",
    "Item",
    "LedgerEntry",
    "LlmAnswer",
    "MailingHealth",
    "Pick",
    "Revision",
    "SearchEntry",
    "Section",
    "Selection",
    "Selectors",
    "Source",
    "SourceConfig",
    "SourceHealth",
    "SourceResult",
    "Story",
    "SubscriberEntry",
    "Theme",
    "ThemeCount",
    "ThemeScore",
    "Validators",
    "WeekCounts",
]

Lang = Literal["en", "zh"]
SourceKind = Literal["feed", "html"]
DeliveryStatus = Literal["claimed", "sending", "sent", "unknown"]
SubscriberStatus = Literal["active", "unsubscribed", "bouncing"]


@dataclass(frozen=True)
class Selectors:
    """CSS selectors for an ``html`` listing source."""

    link: str
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Source:
    """One outlet of the source config (SPEC, "Source config")."""

    id: str
    name: str
    kind: SourceKind
    url: str
    lang: Lang
    weight: float = 1.0
    fetch_articles: bool = False
    archive_url: str | None = None
    selectors: Selectors | None = None
    #: loopback (True) or loopback and these networks (CIDR strings) besides public addresses: http.AllowPrivate
    allow_private: bool | tuple[str, ...] = False
    rate_limit: float | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SourceConfig:
    """A loaded source config file."""

    path: str
    timezone: str
    sources: tuple[Source, ...]

    def get(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    @property
    def enabled(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.enabled)


@dataclass(frozen=True)
class Story:
    """One story, as fetched and stored (SPEC, "Story record")."""

    id: str
    source: str
    url: str
    title: str
    summary: str = ""
    text: str = ""
    lang: Lang = "en"
    published: datetime | None = None
    fetched: datetime | None = None
    #: True when ``published`` is unknown and the first-fetched time stands in for it.
    date_estimated: bool = False

    @property
    def when(self) -> datetime | None:
        """The time that places the story in a week: published, else first fetched."""
        return self.published or self.fetched

    @property
    def body(self) -> str:
        """The fullest text the story has."""
        return self.text or self.summary


@dataclass(frozen=True)
class Fetched:
    """A story as fetching hands it to the store: with the canonical URL and the content hash it is kept under."""

    story: Story
    canonical_url: str
    content_hash: str  # ``text.content_hash`` of the title and the body


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified last seen for a URL (None: not given)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class SourceResult:
    """What fetching one source did; a failure is a value, not an exception."""

    source: str
    status: Literal["ok", "error"]
    stories: int = 0
    new: int = 0
    error: str | None = None
    http_status: int | None = None
    seconds: float = 0.0
    skipped: int = 0
    #: what went wrong without failing the source (a malformed feed recovered, links refused, articles unread)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """A theme of the taxonomy (SPEC, "Themes")."""

    id: str
    name: str
    name_zh: str
    description: str
    terms_en: tuple[tuple[str, int], ...] = ()
    terms_zh: tuple[tuple[str, int], ...] = ()
    #: terms that, in a title, make this theme the primary one when it applies
    lead_terms: tuple[str, ...] = ()
    #: longer words and names that hold one of the terms but are not the theme (新智元, a media outlet,
    #: holds 智元; 化石燃料 holds 化石): where one matches, the term inside it does not count
    exclude: tuple[str, ...] = ()
    #: terms that count (weight 1, double in the headline) only when the theme's own terms were found:
    #: who acts ("premier", "White House") says Policy only beside what is done (a rule, a ban, a fund)
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeScore:
    id: str
    score: float
    #: The terms that decided the score, as ``(term, weight, where)`` with where "title" or "text".
    evidence: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Classification:
    story_id: str
    themes: tuple[ThemeScore, ...]

    @property
    def primary(self) -> str | None:
        return self.themes[0].id if self.themes else None


@dataclass(frozen=True)
class Cluster:
    """Stories that report the same event; ``id`` is the representative story's id."""

    id: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """A selected cluster, ready to render."""

    story: Story
    source_name: str
    summary: str
    themes: tuple[ThemeScore, ...]
    also: tuple[tuple[str, str], ...] = ()  # (source name, url) of the other reports
    score: float = 0.0
    #: a new development of a story an earlier briefing carried: "2026-W44: its headline"
    follow_up: str | None = None
    #: outlets that reported the event, by language (the representative's included)
    outlets_zh: int = 0
    outlets_en: int = 0
    #: an editor's English headline and gist, in place of the outlet's, and their "why it matters"
    headline: str | None = None
    gist: str | None = None
    why: str | None = None
    #: English for a reader who reads no Chinese, and why it matters (``briefing.enrich``)
    english: English | None = None

    @property
    def primary(self) -> str | None:
        return self.themes[0].id if self.themes else None

    @property
    def outlets(self) -> int:
        return self.outlets_zh + self.outlets_en


@dataclass(frozen=True)
class Section:
    theme: Theme
    items: tuple[Item, ...]


class Selection(NamedTuple):
    """What ranking chose: the lead item and one section per theme (the lead also heads its section)."""

    lead: Item | None
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Pick:
    """One event of a week's selection, stored whole by the select step and read, never redone, by render.

    ``item`` makes the rendered ``Item`` from it and the representative ``Story``. A row stored before
    schema 9 holds the first five fields alone (``whole`` is False): render asks for the select step again.
    """

    story_id: str  # the cluster's representative
    section: str  # a theme id
    lead: bool
    score: float
    follow_up: str | None = None  # "2026-W44: its headline" of the story it follows up
    source_name: str = ""
    summary: str = ""
    themes: tuple[ThemeScore, ...] = ()
    also: tuple[tuple[str, str], ...] = ()  # as ``Item.also``
    outlets_zh: int = 0
    outlets_en: int = 0
    whole: bool = True

    def item(self, story: Story) -> Item:
        """The item the select step chose, for ``story`` (the representative, ``story_id``)."""
        return Item(
            story=story, source_name=self.source_name, summary=self.summary, themes=self.themes, also=self.also,
            score=self.score, follow_up=self.follow_up, outlets_zh=self.outlets_zh, outlets_en=self.outlets_en,
        )


@dataclass(frozen=True)
class Figure:
    """A number of the week: a figure with its unit, from a selected story."""

    text: str  # as written, e.g. "50,000 PFLOPS" or "5万PFLOPS"
    story: Item
    #: the sentence of the story that carries the figure (its headline, or a sentence of its summary)
    sentence: str = ""


#: A source that has failed this many runs in a row is called out (``SourceHealth.callouts``).
FAILING_RUNS = 3


@dataclass(frozen=True)
class SourceHealth:
    """One source's health (``briefing.health``): its latest fetch and what its recent history says."""

    source: str
    #: "ok" or "error" as in the latest run; "never" for a source with no recorded run
    status: str
    http_status: int | None = None
    #: the latest run's error
    error: str | None = None
    #: for a run that worked, what went wrong without failing it
    warnings: tuple[str, ...] = ()
    stories: int = 0
    new: int = 0
    seconds: float = 0.0
    #: failed runs in a row, up to the latest
    consecutive_failures: int = 0
    #: the latest run worked and every item it saw was new, though the source had been read before
    every_item_new: bool = False
    #: runs looked at
    runs: int = 0

    @property
    def warning(self) -> str | None:
        return "; ".join(self.warnings) if self.status == "ok" and self.warnings else None

    def callouts(self, failing_runs: int = FAILING_RUNS) -> tuple[str, ...]:
        found = []
        if self.consecutive_failures >= failing_runs:
            found.append(f"{self.source}: failed {self.consecutive_failures} runs in a row (last: {self.error})")
        if self.every_item_new:
            found.append(
                f"{self.source}: all {self.stories} items of the last run were new: it may publish faster than it "
                "is read, so items were probably missed"
            )
        return tuple(found)


class ThemeCount(NamedTuple):
    """Events of one primary theme (a bar of the charts)."""

    theme: str
    events: int


class WeekCounts(NamedTuple):
    """A week's events per primary theme (a column of the trend chart)."""

    week: str
    counts: tuple[ThemeCount, ...]


class SearchEntry(NamedTuple):
    """What the archive's search finds an edition's event by."""

    title: str  # the editor's headline and the outlet's, or the outlet's
    section: str  # the section's name
    outlets: str  # the outlets that reported it, comma-separated
    anchor: str  # its anchor in the edition: "story-<id>"


@dataclass(frozen=True)
class HealthRow:
    """One source's line in the source-health appendix: the source, its stories this week, and its health
    as the operators' report has it (``briefing.health.health_rows``), with the reader's words for it."""

    source: Source
    stories: int  # stories of this week from the source
    health: SourceHealth
    note: str = ""  # the last fetch in plain words for readers (``briefing.health.reader_note``)

    @property
    def status(self) -> str:
        """ok | error | never fetched"""
        return "never fetched" if self.health.status == "never" else self.health.status


@dataclass(frozen=True)
class MailingHealth:
    """Subscribers per status (``briefing.publish.mail.subscribers``): for a run's summary and the health appendix."""

    active: int = 0
    unsubscribed: int = 0
    bouncing: int = 0

    @property
    def total(self) -> int:
        return self.active + self.unsubscribed + self.bouncing


@dataclass(frozen=True)
class Edition:
    """The contents of one week's briefing, as the renderer needs them."""

    week: str
    timezone: str
    first_day: str
    last_day: str
    lead: Item | None
    sections: tuple[Section, ...]
    sources: tuple[tuple[Source, int], ...]  # each source and its stories this week
    story_count: int
    cluster_count: int
    health: tuple[HealthRow, ...] = field(default=())
    numbers: tuple[Figure, ...] = field(default=())
    #: clusters per primary theme over the last weeks, oldest first: (week, ((theme id, count), ...))
    trend: tuple[WeekCounts, ...] = field(default=())
    #: the mailing list when the edition was built, for the operators' appendix (None: no list kept)
    mailing: MailingHealth | None = None
    #: the editor's note for the cover, and what to watch next week (one line each)
    editor_note: str = ""
    watch: tuple[str, ...] = field(default=())
    #: "This week in five": the top events, the lead first
    in_five: tuple[Item, ...] = field(default=())
    #: the carried events no English-language outlet reported
    chinese_only: tuple[Item, ...] = field(default=())
    #: how the edition's English lines were made (``briefing.enrich``): the model, and how many fell back
    english: EnglishReport | None = None


@dataclass(frozen=True)
class Decision:
    """An editor's decision about a week's edition (``briefing.editorial``): who made it and when.

    ``target`` is a story id (an event is named by any of its stories, usually its representative's),
    or "" for the edition's own texts; ``value`` is a story id (merge), a theme id (move) or a text."""

    kind: str
    target: str
    value: str
    by: str
    at: datetime


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the delivery ledger: where the email of a week's edition to one recipient stands.

    ``claimed``: a run is about to send, nothing has gone to the server yet; ``sending``: the message
    body is on its way, so if the run dies now nobody knows whether it arrived; ``sent``; ``unknown``:
    the connection broke after the body went out (see ``briefing.publish.mail``). ``owner`` is the run that
    wrote the row (``briefing.owner``).
    """

    recipient: str
    status: DeliveryStatus
    updated: datetime
    owner: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Drafts:
    """Where a week's draft HTML and PDF were written (the archive's ``.drafts/``)."""

    html: str
    pdf: str


@dataclass(frozen=True)
class Revision:
    """A week's HTML and PDF as one run rendered or published them, kept in the archive's ``.revisions/``
    under names of their content (``briefing.publish.keep_revision``), so that run's links open them."""

    week: str
    html: str
    pdf: str


@dataclass(frozen=True)
class SubscriberEntry:
    """A subscriber as the store keeps it (SPEC, "briefing subscribers"): who, what they want, and whether to send.

    ``active`` subscribers are emailed; ``unsubscribed`` ones asked to stop (one-click, the link, or the
    command line); ``bouncing`` ones were refused permanently (5xx at RCPT) in ``bounces`` different weeks
    in a row, the last in ``last_bounce``. ``token_id`` is the random key of the subscriber's unsubscribe
    token (``briefing.publish.mail.unsubscribe``): a new row, even for an address seen before, gets a new one.
    """

    email: str
    name: str = ""
    themes: tuple[str, ...] = ()
    status: SubscriberStatus = "active"
    token_id: str = ""
    bounces: int = 0
    last_bounce: str | None = None  # the week of the last permanent refusal
    changed: datetime | None = None  # when the status last changed
    why: str = ""  # how it changed: "one-click unsubscribe", "550 5.1.1 no such mailbox", ...


EnglishBy = Literal["model", "offline", "report"]


@dataclass(frozen=True)
class English:
    """English beside a Chinese story, and why an event matters (``briefing.enrich``).

    ``by`` says who wrote it: ``model``, the configured language model (verified, machine-written);
    ``offline``, the project itself from what it knows (the English names of ``config/names.yaml``, the
    figures with their units, the theme), which is a note and not a translation; ``report``, the headline
    of an English report of the same event, written by its outlet.
    """

    headline: str
    gist: str = ""
    #: one sentence on why the event matters (the model's, for the lead and the top events)
    why: str = ""
    by: EnglishBy = "offline"
    #: the model that wrote it, when ``by`` is ``model``; the outlet, when ``report``
    author: str = ""


@dataclass(frozen=True)
class EnglishReport:
    """How one edition's English lines were made, for its colophon and health appendix."""

    model: str = ""  # the language model asked, "" when there is none (the briefing is built offline)
    by_model: int = 0  # events with the model's verified English
    offline: int = 0  # Chinese events with the offline note instead
    rejected: int = 0  # events whose answers failed verification twice, and fell back
    failed: int = 0  # events the endpoint could not answer (errors, budget, circuit open), and fell back


@dataclass(frozen=True)
class LlmAnswer:
    """A language model's answer as the store keeps it (``briefing.enrich``): its status and the answer's JSON."""

    status: str  # "ok": verified fields; "rejected": failed verification twice, the JSON holds the reason
    answer: str


@dataclass(frozen=True)
class EventEnglish:
    """The English the enrich step stored for one of a week's events, and whether it fell back."""

    story_id: str
    english: English
    fallback: str = ""  # "" (the model's), "rejected" or "failed": the event carries the offline line


#: the version of ``Fingerprint``: stored fingerprints of another version are computed again (2: a Chinese
#: character is ``text.HAN_RANGES``, so the 12 compatibility ideographs NFKC keeps count and the Yijing
#: hexagrams do not)
FINGERPRINT_VERSION = 2


@dataclass(frozen=True)
class Fingerprint:
    """What dedup's near-duplicate passes need of a story, kept so that it is never computed twice.

    A deterministic function of the story's title and text (fixed hash constants, no random seed), so a
    fingerprint kept in the store stands for the story in any later run. Made by ``briefing.dedup``,
    kept by the store's dedup index.
    """

    content: int  # the content key (pass 1)
    signable: bool  # three distinct shingles at least (pass 2 compares only those)
    bands: bytes  # the LSH band keys: dedup's 37 bands, little-endian uint64
    minhash: bytes  # the low 32 bits of the MinHash values: dedup's 111 bins, little-endian uint32


class IndexEntry(NamedTuple):
    """A row of the store's dedup index: a story, its fingerprint and its store-wide cluster."""

    story: Story
    fingerprint: Fingerprint
    cluster: str  # the id of the cluster's representative
