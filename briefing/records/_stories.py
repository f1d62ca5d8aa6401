"""Stories as fetched and kept, and the fingerprints the dedup index keeps of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

__all__ = ["FINGERPRINT_VERSION", "Fetched", "Fingerprint", "IndexEntry", "Indexed", "Lang", "Story"]


Lang = Literal["en", "zh"]


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


class Indexed(NamedTuple):
    """What the store's dedup index holds of a story (``Store.indexed``): its fingerprint and its
    store-wide cluster."""

    fingerprint: Fingerprint
    cluster: str  # the id of the cluster's representative
