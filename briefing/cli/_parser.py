"""The command line's arguments: one ``argparse`` parser, a sub-command per command, each with its example."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ..version import __version__

#: each command's example, shown in its help (the tests run every one of them)
EXAMPLES = {
    "run": (
        "briefing run --week 2026-W47 --config config/demo.yaml [--smtp smtp://user@localhost:1025 --subscribers "
        "subscribers.txt]"
    ),
    "fetch": "briefing fetch --config config/sources.yaml",
    "classify": "briefing classify --input stories.jsonl > themed.jsonl",
    "dedup": "briefing dedup --input stories.jsonl > clusters.jsonl",
    "demo-server": "briefing demo-server --port 8765",
    "sources": "briefing sources check --config config/sources.yaml",
    "doctor": "briefing doctor [--smtp smtp://localhost:1025] [--no-airflow]",
    "subscribers": (
        "briefing subscribers add ana@example.org --name 'Ana' --themes chips,energy; briefing subscribers list "
        "--status active"
    ),
    "unsubscribe-server": (
        "briefing unsubscribe-server --port 8766  # behind your HTTPS proxy, at BRIEFING_UNSUBSCRIBE_URL"
    ),
    "edit": (
        "briefing edit --week 2026-W47 --by ana --lead a1b2c3 --merge a1b2c3 d4e5f6 --why a1b2c3 'The first ...' "
        "--render"
    ),
}

#: a command's parser, given its name and help
Add = Callable[[str, str], argparse.ArgumentParser]

DB_HELP = "store URL (default: $BRIEFING_DB_URL or sqlite:///briefing.sqlite)"


def build_parser() -> argparse.ArgumentParser:
    """The ``briefing`` parser: global options, then one sub-command per command."""
    p = argparse.ArgumentParser(
        prog="briefing", description="A weekly briefing on China's AI, computing, energy and science landscape."
    )
    p.add_argument("--version", action="version", version=f"briefing {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log every step on stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=f"{help}\n\nexample:\n  {EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    _add_run(add)
    _store_args(add("fetch", "Fetch every enabled source into the store; one JSON line per source."))
    classify = add("classify", "Add themes to story records (JSONL in, JSONL out, same order).")
    classify.add_argument("--input", help="JSONL file of story records (default: stdin)")
    classify.add_argument(
        "--explain", action="store_true", help="add an 'explain' field with the terms behind each theme"
    )
    dedup = add("dedup", "Cluster story records that report the same event (JSONL in, JSONL out).")
    dedup.add_argument("--input", help="JSONL file of story records (default: stdin)")
    sources = add("sources", "Look at the sources: `check` prints each one's health from the store's fetch history.")
    sources_sub = sources.add_subparsers(dest="action", required=True, metavar="ACTION")
    _store_args(
        sources_sub.add_parser(
            "check", help="a health table: status, HTTP code, stories, failures in a row, and call-outs"
        )
    )
    _add_doctor(add)
    _add_edit(add)
    demo = add("demo-server", "Serve the bundled demo web on 127.0.0.1 until stopped.")
    demo.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    _add_subscribers(add)
    unsub = add(
        "unsubscribe-server",
        "Answer one-click unsubscribes (RFC 8058) without Airflow: POST and GET /unsubscribe?t=TOKEN.",
    )
    unsub.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; put an HTTPS proxy in front)"
    )
    unsub.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    unsub.add_argument("--db", help=DB_HELP)
    return p


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="source config YAML (default: $BRIEFING_SOURCES or config/sources.yaml)")
    p.add_argument("--db", help=DB_HELP)


def _add_run(add: Add) -> None:
    run = add("run", "Build one week's briefing without Airflow: fetch, dedup, classify, render, publish.")
    run.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    _store_args(run)
    run.add_argument("--archive", help="archive directory (default: $BRIEFING_ARCHIVE or ./archive)")
    run.add_argument(
        "--smtp",
        help="email the briefing through this server: smtp://[user@]host:port (smtps:// for TLS); the password from "
        "$BRIEFING_SMTP_PASSWORD or a file, not the command line, where ps shows it",
    )
    run.add_argument(
        "--smtp-password-file",
        metavar="FILE",
        help="read the SMTP password from FILE (default: $BRIEFING_SMTP_PASSWORD_FILE)",
    )
    run.add_argument("--subscribers", help="subscribers file (default: $BRIEFING_SUBSCRIBERS)")
    run.add_argument(
        "--resend",
        action="append",
        metavar="ADDRESS",
        help=(
            "email ADDRESS again although it had this week's briefing or its outcome is unknown (repeatable); 'all' "
            "for every subscriber"
        ),
    )


def _add_doctor(add: Add) -> None:
    doctor = add(
        "doctor", "Check the deployment the settings describe, each step with its fix; exit 0 only when all hold."
    )
    _store_args(doctor)
    doctor.add_argument("--archive", help="archive directory or URL (default: $BRIEFING_ARCHIVE or ./archive)")
    doctor.add_argument("--subscribers", help="subscribers file (default: $BRIEFING_SUBSCRIBERS)")
    doctor.add_argument(
        "--smtp",
        help=(
            "greet this SMTP server (no mail is sent): smtp://[user:pass@]host:port; in Airflow: the connection "
            "smtp_default"
        ),
    )
    where = doctor.add_mutually_exclusive_group()
    where.add_argument(
        "--airflow",
        dest="airflow",
        action="store_true",
        default=None,
        help="also check Airflow's side (default: when the airflow command is here)",
    )
    where.add_argument("--no-airflow", dest="airflow", action="store_false", help="skip Airflow's side")


def _add_edit(add: Add) -> None:
    edit = add(
        "edit", "An editor's decisions about a week's edition: kept in the store, applied by every build of the week."
    )
    edit.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    _store_args(edit)
    edit.add_argument("--archive", help="archive directory, for --render (default: $BRIEFING_ARCHIVE or ./archive)")
    edit.add_argument("--by", help="who decides (default: $BRIEFING_EDITOR, else your login name)")
    edit.add_argument(
        "--list", action="store_true", help="list the week's events by short id, and the decisions so far"
    )
    edit.add_argument("--lead", metavar="ID", help="pin the lead")
    edit.add_argument("--drop", metavar="ID", action="append", help="drop an event (repeatable)")
    edit.add_argument(
        "--merge", nargs=2, metavar=("ID", "OTHER"), action="append", help="merge OTHER's event into ID's (repeatable)"
    )
    edit.add_argument("--split", metavar="STORY", action="append", help="split a story out of its event (repeatable)")
    edit.add_argument(
        "--move",
        nargs=2,
        metavar=("ID", "SECTION"),
        action="append",
        help="move an event to another section, a theme id (repeatable)",
    )
    edit.add_argument(
        "--headline",
        nargs=2,
        metavar=("ID", "TEXT"),
        action="append",
        help="an English headline for an event ('' restores the outlet's)",
    )
    edit.add_argument(
        "--gist",
        nargs=2,
        metavar=("ID", "TEXT"),
        action="append",
        help="an English gist for an event ('' restores the summary)",
    )
    edit.add_argument(
        "--why",
        nargs=2,
        metavar=("ID", "TEXT"),
        action="append",
        help="a 'why it matters' line for an event ('' removes it)",
    )
    edit.add_argument("--note", metavar="TEXT", help="the editor's note for the cover ('' removes it)")
    edit.add_argument(
        "--watch", metavar="TEXT", help="what to watch next week, items on lines of their own ('' removes it)"
    )
    edit.add_argument(
        "--render", action="store_true", help="then select and render the week's drafts again from the store (no fetch)"
    )


def _add_subscribers(add: Add) -> None:
    subs = add("subscribers", "The mailing list in the store: add, remove, list, or import the subscribers file.")
    subs_sub = subs.add_subparsers(dest="action", required=True, metavar="ACTION")
    s_add = subs_sub.add_parser("add", help="add an address, or make an unsubscribed or bouncing one active again")
    s_add.add_argument("email")
    s_add.add_argument("--name", default="", help="the name for the To header")
    s_add.add_argument(
        "--themes", default="", help="theme ids the subscriber wants first, comma- or semicolon-separated"
    )
    s_remove = subs_sub.add_parser("remove", help="forget an address (its old unsubscribe links stop working)")
    s_remove.add_argument("email")
    s_list = subs_sub.add_parser("list", help="one line per subscriber: address, status, name, themes (tab-separated)")
    s_list.add_argument("--status", choices=("active", "unsubscribed", "bouncing"), help="only these")
    s_list.add_argument("--json", action="store_true", help="one JSON object a line")
    s_import = subs_sub.add_parser(
        "import", help="add the subscribers file's addresses; idempotent, and never reactivates anyone"
    )
    s_import.add_argument("file", help="a subscribers file: one address a line, or email,name,themes")
    for sp in (s_add, s_remove, s_list, s_import):
        sp.add_argument("--db", help=DB_HELP)
