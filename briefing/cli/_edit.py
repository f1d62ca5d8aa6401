"""The ``edit`` command: an editor's decisions about a week's edition, kept in the store."""

from __future__ import annotations

import argparse

from ..errors import ConfigError
from ..settings import Settings


def cmd_edit(args: argparse.Namespace) -> int:
    import getpass
    import os

    from ..editorial import Edit, describe, event_menu, record
    from ..pipeline import Pipeline, redraft, select_week
    from ..week import parse_week

    week = parse_week(args.week)
    edits = [Edit("lead", target=args.lead)] if args.lead else []
    edits += [Edit("drop", target=i) for i in args.drop or ()]
    edits += [Edit("merge", target=a, value=b) for a, b in args.merge or ()]
    edits += [Edit("split", target=i) for i in args.split or ()]
    edits += [Edit("move", target=a, value=b) for a, b in args.move or ()]
    for kind in ("headline", "gist", "why"):
        edits += [Edit(kind, target=a, value=b) for a, b in getattr(args, kind) or ()]
    edits += [Edit(kind, value=getattr(args, kind)) for kind in ("note", "watch") if getattr(args, kind) is not None]
    if not (edits or args.list or args.render):
        raise ConfigError("nothing to do: give decisions (--lead, --drop, --merge, ...), --list or --render")
    settings = Settings.load(sources=args.config, db_url=args.db, archive=args.archive)
    with Pipeline.open(settings) as p:
        if edits:
            by = args.by or os.environ.get("BRIEFING_EDITOR") or getpass.getuser()
            for d in record(p, week, edits, by=by):
                print(f"recorded: {describe(d)}")
            select_week(p, week)  # the selection follows the decisions at once; --render draws it
        if args.list:
            for line in event_menu(p, week, others=10_000):
                print(line.replace("`", "").replace("**", ""))
            made = p.store.load_decisions(str(week))
            print(f"\nDecisions ({len(made)}):" if made else "\nNo decisions yet.")
            for d in made:
                print(f"  {describe(d)}")
        if args.render:
            drafts = redraft(p, week)
            print(f"draft HTML: {drafts.html}")
            print(f"draft PDF:  {drafts.pdf}")
    return 0
