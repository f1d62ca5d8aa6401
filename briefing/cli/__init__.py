"""The ``briefing`` command line (SPEC, "Command line"): thin commands over the library.

Each command calls one library function. A ``BriefingError`` becomes a one-line message on stderr and
exit status 1; bad arguments exit 2 (argparse's convention).

``main`` runs a command; the parser and each command's example are in ``_parser``, the commands in
modules by what they work on: ``_build`` (run, fetch, sources), ``_records`` (classify and dedup over
JSONL), ``_edit`` (an editor's decisions), ``_deployment`` (doctor, subscribers, the servers).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from ..errors import BriefingError
from ._build import cmd_fetch, cmd_run, cmd_sources
from ._deployment import cmd_demo_server, cmd_doctor, cmd_subscribers, cmd_unsubscribe_server
from ._edit import cmd_edit
from ._parser import EXAMPLES, build_parser
from ._records import cmd_classify, cmd_dedup
from ._records import read_records as _read_records  # noqa: F401  # tests read records as the commands do

__all__ = ["EXAMPLES", "main"]

#: each command's function, by the command's name
_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run,
    "fetch": cmd_fetch,
    "classify": cmd_classify,
    "dedup": cmd_dedup,
    "sources": cmd_sources,
    "demo-server": cmd_demo_server,
    "doctor": cmd_doctor,
    "subscribers": cmd_subscribers,
    "unsubscribe-server": cmd_unsubscribe_server,
    "edit": cmd_edit,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names (default: the process's arguments); its exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(_COMMANDS[args.command](args))
    except BriefingError as e:
        print(f"briefing {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
        sys.stderr.close()
        return 0
