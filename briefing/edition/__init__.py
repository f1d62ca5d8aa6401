"""The edition stage: the week's edition assembled from what the earlier stages stored, and its drafts.

Render reads the stored selection (``records.Pick``, the select step's) and never ranks again; the
editors' decisions, the English of the enrich step and the appendix (source health, the mailing list,
the trend of the last weeks) are laid over it. The drafts are rendered into the archive's ``.drafts/``
for approval.

The public face of the stage; its private modules:

- ``_assembly``: ``build_edition``, the edition from the store;
- ``_appendix``: the source-health rows, the mailing list, the trend of events per theme;
- ``_contents``: what an edition carries (``carried``), the archive search's ``search_entries`` and
  the index's ``edition_info``;
- ``_mail``: ``composer``, each subscriber's message of the published edition;
- ``_drafts``: ``render_drafts``, ``withdraw_draft``, ``keep_revisions`` and the content minimum.
"""

from __future__ import annotations

from ._appendix import TREND_WEEKS, theme_counts_on_the_fly
from ._assembly import IN_FIVE, build_edition
from ._contents import carried, carried_items, edition_info, search_entries
from ._drafts import Drafts, TooLittleNews, check_content, keep_revisions, render_drafts, withdraw_draft
from ._mail import composer, dkim_key

__all__ = [
    "IN_FIVE",
    "TREND_WEEKS",
    "Drafts",
    "TooLittleNews",
    "build_edition",
    "carried",
    "carried_items",
    "check_content",
    "composer",
    "dkim_key",
    "edition_info",
    "keep_revisions",
    "render_drafts",
    "search_entries",
    "theme_counts_on_the_fly",
    "withdraw_draft",
]
