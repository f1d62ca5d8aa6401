"""The approval form: its fields, and the edits an editor's answers hold."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._decisions import Edit, EditError

__all__ = ["FORM_FIELDS", "parse_form"]


# -- the approval form ----------------------------------------------------------------------------

#: the fields of the approval form: name -> (title, help); every field is optional text
FORM_FIELDS: Mapping[str, tuple[str, str]] = {
    "lead": ("Pin the lead", "the id of the event to lead the edition"),
    "drop": ("Drop events", "ids of events to leave out, separated by spaces"),
    "merge": ("Merge events", "a line per merge: two ids, the first absorbs the second (a1b2c3 d4e5f6)"),
    "split": ("Split stories out", "ids of stories to take out of their events, as events of their own"),
    "move": ("Move to another section", "a line per move: an id and a section (a1b2c3 chips)"),
    "headline": ("English headlines", "a line per event: id: headline"),
    "gist": ("English gists", "a line per event: id: gist"),
    "why": ("Why it matters", "a line per event: id: why it matters"),
    "note": ("Editor's note", "for the cover"),
    "watch": ("What to watch next week", "a line per item"),
}


def parse_form(values: Mapping[str, Any]) -> list[Edit]:
    """The edits an approval form's answers hold (empty fields hold none), in the form's order."""
    out: list[Edit] = []
    for name in FORM_FIELDS:
        raw = values.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if name in ("note", "watch"):
            out.append(Edit(name, value=text))
        elif name in ("lead", "drop", "split"):
            out.extend(Edit(name, target=i) for i in re.split(r"[\s,;]+", text) if i)
        else:
            for line in (ln.strip() for ln in text.splitlines()):
                if not line:
                    continue
                if name == "merge":
                    ids = [i for i in re.split(r"[\s,;+<>=-]+", line) if i]
                    if len(ids) != 2:
                        raise EditError(f"merge: {line!r}: give two ids, the first absorbs the second")
                    out.append(Edit("merge", target=ids[0], value=ids[1]))
                elif name == "move":
                    parts = line.replace(":", " ").split()
                    if len(parts) != 2:
                        raise EditError(f"move: {line!r}: give an id and a section")
                    out.append(Edit("move", target=parts[0], value=parts[1]))
                else:
                    target, sep, text_ = line.partition(":")
                    if not sep:
                        raise EditError(f"{name}: {line!r}: write the id, a colon and the text")
                    out.append(Edit(name, target=target.strip(), value=text_.strip()))
    return out
