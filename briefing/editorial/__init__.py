"""Editors' decisions about a week's edition: kept in the store with who and when, applied by select and
render, and so applied again by every rebuild and backfill of the week (a past week rebuilt is the week
as published).

An editor names events and stories by a short id: the first ``SHORT`` characters of a story's id (an
event's id is its representative story's). The decisions:

========  ======================================  ===========================================
kind      target                                  value
========  ======================================  ===========================================
lead      the event to lead the edition           ""
drop      an event to leave out                   ""
merge     the event that absorbs the other        the other event
split     a story to take out of its event        ""
move      an event                                the theme id of its new section
headline  an event                                its English headline ("" restores the outlet's)
gist      an event                                its English gist ("" restores the summary)
why       an event                                a "why it matters" line ("" removes it)
note      ""                                      the editor's note on the cover
watch     ""                                      "what to watch next week", a line per item
========  ======================================  ===========================================

Decisions are appended, never rewritten; the last one of a kind about an event wins. An event is found
by any story it holds, so a decision made before a merge still finds its event after it. ``record``
checks a whole batch against the week as the earlier decisions left it before storing any of it: an
unknown id, a merge of an event with itself, a section that is no theme or a week already published is
an ``EditError`` that changes nothing.

The public face of the decisions; its private modules: ``_decisions``, the kinds and ``apply`` (what
select and render use); ``_recording``, ``record`` (a batch checked, then stored) and the lists an
editor reads (``event_menu``, ``describe``); ``_form``, the approval form's fields and ``parse_form``.
Running select and render again with the decisions (``redraft``, ``record_form``) is orchestration,
and lives in ``briefing.pipeline``.
"""

from __future__ import annotations

from ._decisions import (
    EVENT_KINDS,
    KINDS,
    SHORT,
    TEXT_KINDS,
    Applied,
    Edit,
    EditError,
    apply,
    edit_items,
    move_classifications,
    short_id,
)
from ._form import FORM_FIELDS, parse_form
from ._recording import describe, event_menu, record

__all__ = [
    "EVENT_KINDS",
    "FORM_FIELDS",
    "KINDS",
    "SHORT",
    "TEXT_KINDS",
    "Applied",
    "Edit",
    "EditError",
    "apply",
    "describe",
    "edit_items",
    "event_menu",
    "move_classifications",
    "parse_form",
    "record",
    "short_id",
]
