"""The ``briefing`` command line (SPEC, "Command line"): thin commands over the library.

Each command calls one library function. A ``BriefingError`` becomes a one-line message on stderr and
exit status 1; bad arguments exit 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

from . import __version__
from .errors import BriefingError, ConfigError
from .records import Story
from .settings import Settings
from .text import is_chinese

__all__ = ["main"]

EXAMPLES = {
    "run": "briefing run --week 2026-W47 --config config/demo.yaml [--smtp smtp://user@localhost:1025 --subscribers subscribers.txt]",
    "fetch": "briefing fetch --config config/sources.yaml",
    "classify": "briefing classify --input stories.jsonl > themed.jsonl",
    "dedup": "briefing dedup --input stories.jsonl > clusters.jsonl",
    "demo-server": "briefing demo-server --port 8765",
    "sources": "briefing sources check --config config/sources.yaml",
    "doctor": "briefing doctor [--smtp smtp://localhost:1025] [--no-airflow]",
    "subscribers": "briefing subscribers add ana@example.org --name 'Ana' --themes chips,energy; briefing subscribers list --status active",
    "unsubscribe-server": "briefing unsubscribe-server --port 8766  # behind your HTTPS proxy, at BRIEFING_UNSUBSCRIBE_URL",
    "edit": "briefing edit --week 2026-W47 --by ana --lead a1b2c3 --merge a1b2c3 d4e5f6 --why a1b2c3 'The first ...' --render",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefing", description="A weekly briefing on China's AI, computing, energy and science landscape.")
    p.add_argument("--version", action="version", version=f"briefing {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log every step on stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=f"{help}\n\nexample:\n  {EXAMPLES[name]}", formatter_class=argparse.RawDescriptionHelpFormatter)

    run = add("run", "Build one week's briefing without Airflow: fetch, dedup, classify, render, publish.")
    run.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    _store_args(run)
    run.add_argument("--archive", help="archive directory (default: $BRIEFING_ARCHIVE or ./archive)")
    run.add_argument(
        "--smtp",
        help="email the briefing through this server: smtp://[user@]host:port (smtps:// for TLS); the password from "
        "$BRIEFING_SMTP_PASSWORD or a file, not the command line, where ps shows it",
    )
    run.add_argument("--smtp-password-file", metavar="FILE", help="read the SMTP password from FILE (default: $BRIEFING_SMTP_PASSWORD_FILE)")
    run.add_argument("--subscribers", help="subscribers file (default: $BRIEFING_SUBSCRIBERS)")
    run.add_argument(
        "--resend",
        action="append",
        metavar="ADDRESS",
        help="email ADDRESS again although it had this week's briefing or its outcome is unknown (repeatable); 'all' for every subscriber",
    )

    fetch = add("fetch", "Fetch every enabled source into the store; one JSON line per source.")
    _store_args(fetch)

    classify = add("classify", "Add themes to story records (JSONL in, JSONL out, same order).")
    classify.add_argument("--input", help="JSONL file of story records (default: stdin)")
    classify.add_argument("--explain", action="store_true", help="add an 'explain' field with the terms behind each theme")

    dedup = add("dedup", "Cluster story records that report the same event (JSONL in, JSONL out).")
    dedup.add_argument("--input", help="JSONL file of story records (default: stdin)")

    sources = add("sources", "Look at the sources: `check` prints each one's health from the store's fetch history.")
    sources_sub = sources.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = sources_sub.add_parser("check", help="a health table: status, HTTP code, stories, failures in a row, and call-outs")
    _store_args(check)

    doctor = add("doctor", "Check the deployment the settings describe, each step with its fix; exit 0 only when all hold.")
    _store_args(doctor)
    doctor.add_argument("--archive", help="archive directory or URL (default: $BRIEFING_ARCHIVE or ./archive)")
    doctor.add_argument("--subscribers", help="subscribers file (default: $BRIEFING_SUBSCRIBERS)")
    doctor.add_argument("--smtp", help="greet this SMTP server (no mail is sent): smtp://[user:pass@]host:port; in Airflow: the connection smtp_default")
    where = doctor.add_mutually_exclusive_group()
    where.add_argument("--airflow", dest="airflow", action="store_true", default=None, help="also check Airflow's side (default: when the airflow command is here)")
    where.add_argument("--no-airflow", dest="airflow", action="store_false", help="skip Airflow's side")

    edit = add("edit", "An editor's decisions about a week's edition: kept in the store, applied by every build of the week.")
    edit.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
    _store_args(edit)
    edit.add_argument("--archive", help="archive directory, for --render (default: $BRIEFING_ARCHIVE or ./archive)")
    edit.add_argument("--by", help="who decides (default: $BRIEFING_EDITOR, else your login name)")
    edit.add_argument("--list", action="store_true", help="list the week's events by short id, and the decisions so far")
    edit.add_argument("--lead", metavar="ID", help="pin the lead")
    edit.add_argument("--drop", metavar="ID", action="append", help="drop an event (repeatable)")
    edit.add_argument("--merge", nargs=2, metavar=("ID", "OTHER"), action="append", help="merge OTHER's event into ID's (repeatable)")
    edit.add_argument("--split", metavar="STORY", action="append", help="split a story out of its event (repeatable)")
    edit.add_argument("--move", nargs=2, metavar=("ID", "SECTION"), action="append", help="move an event to another section, a theme id (repeatable)")
    edit.add_argument("--headline", nargs=2, metavar=("ID", "TEXT"), action="append", help="an English headline for an event ('' restores the outlet's)")
    edit.add_argument("--gist", nargs=2, metavar=("ID", "TEXT"), action="append", help="an English gist for an event ('' restores the summary)")
    edit.add_argument("--why", nargs=2, metavar=("ID", "TEXT"), action="append", help="a 'why it matters' line for an event ('' removes it)")
    edit.add_argument("--note", metavar="TEXT", help="the editor's note for the cover ('' removes it)")
    edit.add_argument("--watch", metavar="TEXT", help="what to watch next week, items on lines of their own ('' removes it)")
    edit.add_argument("--render", action="store_true", help="then select and render the week's drafts again from the store (no fetch)")

    demo = add("demo-server", "Serve the bundled demo web on 127.0.0.1 until stopped.")
    demo.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")

    subs = add("subscribers", "The mailing list in the store: add, remove, list, or import the subscribers file.")
    subs_sub = subs.add_subparsers(dest="action", required=True, metavar="ACTION")
    s_add = subs_sub.add_parser("add", help="add an address, or make an unsubscribed or bouncing one active again")
    s_add.add_argument("email")
    s_add.add_argument("--name", default="", help="the name for the To header")
    s_add.add_argument("--themes", default="", help="theme ids the subscriber wants first, comma- or semicolon-separated")
    s_remove = subs_sub.add_parser("remove", help="forget an address (its old unsubscribe links stop working)")
    s_remove.add_argument("email")
    s_list = subs_sub.add_parser("list", help="one line per subscriber: address, status, name, themes (tab-separated)")
    s_list.add_argument("--status", choices=("active", "unsubscribed", "bouncing"), help="only these")
    s_list.add_argument("--json", action="store_true", help="one JSON object a line")
    s_import = subs_sub.add_parser("import", help="add the subscribers file's addresses; idempotent, and never reactivates anyone")
    s_import.add_argument("file", help="a subscribers file: one address a line, or email,name,themes")
    for sp in (s_add, s_remove, s_list, s_import):
        sp.add_argument("--db", help="store URL (default: $BRIEFING_DB_URL or sqlite:///briefing.sqlite)")

    unsub = add("unsubscribe-server", "Answer one-click unsubscribes (RFC 8058) without Airflow: POST and GET /unsubscribe?t=TOKEN.")
    unsub.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; put an HTTPS proxy in front)")
    unsub.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    unsub.add_argument("--db", help="store URL (default: $BRIEFING_DB_URL or sqlite:///briefing.sqlite)")
    return p


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="source config YAML (default: $BRIEFING_SOURCES or config/sources.yaml)")
    p.add_argument("--db", help="store URL (default: $BRIEFING_DB_URL or sqlite:///briefing.sqlite)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
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


def _cmd_run(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline, run_week
    from .publish.mail import SmtpMailer
    from .week import parse_week

    week = parse_week(args.week)
    settings = Settings.load(sources=args.config, db_url=args.db, archive=args.archive, subscribers=args.subscribers, smtp_password_file=args.smtp_password_file)
    if (args.subscribers or args.resend) and not args.smtp:
        raise ConfigError("--subscribers and --resend need --smtp smtp://host:port to send through")
    mailer = SmtpMailer(args.smtp, password=settings.smtp_password) if args.smtp else None  # the URL checked before any work
    try:
        with Pipeline.open(settings) as p, _progress(len(p.config.enabled), "fetching") as tick:
            published, delivery = run_week(p, week, progress=tick, mailer=mailer, resend=args.resend or False)
    finally:
        if mailer:
            mailer.close()
    print(f"PDF:  {published.pdf}")
    print(f"HTML: {published.html}")
    print(f"index: {published.index}")
    if delivery:
        print(f"email: {delivery.summary()}")
        for line in delivery.details():
            print(f"  {line}", file=sys.stderr if not line.startswith("skipped") else sys.stdout)
        return 0 if delivery.ok else 1
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline, fetch

    settings = Settings.load(sources=args.config, db_url=args.db)
    run_id = f"cli:fetch:{datetime.now(UTC):%Y%m%dT%H%M%S.%f}"
    with Pipeline.open(settings) as p, _progress(len(p.config.enabled), "fetching") as tick:
        for r in fetch(p, run_id, progress=tick):
            print(json.dumps({"source": r.source, "status": r.status, "stories": r.stories, "new": r.new, "error": r.error}, ensure_ascii=False), flush=True)
    return 0


def _cmd_classify(args: argparse.Namespace) -> int:
    from .classify import classify, explain

    records = list(_read_records(args.input))
    verdicts = classify([s for s, _ in records])
    for (_, raw), verdict in zip(records, verdicts):
        out = dict(raw)
        out["themes"] = [{"id": t.id, "score": t.score} for t in verdict.themes]
        out["primary"] = verdict.primary
        if args.explain:
            out["explain"] = explain(verdict)
        print(json.dumps(out, ensure_ascii=False))
    return 0


def _cmd_dedup(args: argparse.Namespace) -> int:
    from .dedup import dedup

    records = list(_read_records(args.input))
    stories = [s for s, _ in records]
    cluster_of = {m: c.id for c in dedup(stories) for m in c.members}
    for story, _ in records:
        print(json.dumps({"id": story.id, "cluster": cluster_of[story.id]}, ensure_ascii=False))
    return 0


def _cmd_demo_server(args: argparse.Namespace) -> int:
    from .demo import DemoServer

    try:
        server = DemoServer(args.port, verbose=args.verbose)
    except OSError as e:
        raise ConfigError(f"cannot listen on 127.0.0.1:{args.port}: {e.strerror or e}") from e
    print(f"demo web on {server.base_url}/ (Ctrl-C to stop)", flush=True)
    server.serve_forever()
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    from .health import callouts, health_table, source_health
    from .pipeline import Pipeline

    settings = Settings.load(sources=args.config, db_url=args.db)
    with Pipeline.open(settings) as p:
        report = source_health(p.store, [s.id for s in p.config.sources])
    print(health_table(report))
    notes = callouts(report)
    if notes:
        print()
        for line in notes:
            print(f"! {line}")
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import AirflowCommand, diagnose, ready, report

    airflow = None if args.airflow is False else AirflowCommand.find()
    if args.airflow and airflow is None:
        raise ConfigError("--airflow: no airflow command next to this Python or on PATH")
    checks = diagnose(sources=args.config, db_url=args.db, archive=args.archive, subscribers=args.subscribers, smtp=args.smtp, airflow=airflow)
    print(report(checks))
    return 0 if ready(checks) else 1


def _cmd_subscribers(args: argparse.Namespace) -> int:
    import re

    from .classify import load_themes
    from .publish.mail import subscribers
    from .store import Store

    settings = Settings.load(db_url=args.db)
    theme_ids = [t.id for t in load_themes()]
    with Store(settings.db_url) as store:
        if args.action == "add":
            themes = [t for t in re.split(r"[,;|\s]+", args.themes) if t]
            print(f"{args.email}: {subscribers.add(store, args.email, args.name, themes, theme_ids=theme_ids)}")
        elif args.action == "remove":
            if not subscribers.remove(store, args.email):
                raise ConfigError(f"{args.email} is not a subscriber")
            print(f"{args.email}: removed")
        elif args.action == "import":
            print(f"{args.file}: {subscribers.import_file(store, args.file, theme_ids).summary()}")
        else:
            for e in store.subscribers(args.status):
                if args.json:
                    print(json.dumps({"email": e.email, "name": e.name, "themes": list(e.themes), "status": e.status, "bounces": e.bounces, "why": e.why}, ensure_ascii=False))
                else:
                    print("\t".join((e.email, e.status, e.name, ",".join(e.themes))))
    return 0


def _cmd_unsubscribe_server(args: argparse.Namespace) -> int:
    from .publish.mail import UnsubscribeServer
    from .store import Store

    settings = Settings.load(db_url=args.db)
    if not settings.unsubscribe_secret:
        raise ConfigError("no unsubscribe secret: set BRIEFING_UNSUBSCRIBE_SECRET or BRIEFING_UNSUBSCRIBE_SECRET_FILE (the one the emails were signed with)")
    with Store(settings.db_url) as store:
        try:
            server = UnsubscribeServer(store, settings.unsubscribe_secret, host=args.host, port=args.port)
        except OSError as e:
            raise ConfigError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from e
        print(f"unsubscribe endpoint on {server.url} (Ctrl-C to stop)", flush=True)
        server.serve_forever()
    return 0


def _cmd_edit(args: argparse.Namespace) -> int:
    import getpass
    import os

    from .editorial import Edit, describe, event_menu, record, redraft
    from .pipeline import Pipeline, select_week
    from .week import parse_week

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


_COMMANDS = {
    "run": _cmd_run,
    "fetch": _cmd_fetch,
    "classify": _cmd_classify,
    "dedup": _cmd_dedup,
    "sources": _cmd_sources,
    "demo-server": _cmd_demo_server,
    "doctor": _cmd_doctor,
    "subscribers": _cmd_subscribers,
    "unsubscribe-server": _cmd_unsubscribe_server,
    "edit": _cmd_edit,
}


def _read_records(path: str | None) -> Iterator[tuple[Story, dict[str, Any]]]:
    """Story records from JSONL; every bad line is an error naming the file and line."""
    name = path or "<stdin>"
    try:
        stream: IO[str] = open(path, encoding="utf-8") if path else sys.stdin  # noqa: SIM115
    except OSError as e:
        raise ConfigError(f"{name}: cannot read: {e.strerror or e}") from e
    out = []
    ids: set[str] = set()
    with stream:
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                raise ConfigError(f"{name}:{n}: empty line (one story record per line expected)")
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise ConfigError(f"{name}:{n}: not valid JSON: {e.msg}") from e
            if not isinstance(raw, dict):
                raise ConfigError(f"{name}:{n}: expected a JSON object")
            story = _story(raw, f"{name}:{n}", n)
            if story.id in ids:
                raise ConfigError(f"{name}:{n}: id {story.id!r} appears on an earlier line")
            ids.add(story.id)
            out.append((story, raw))
    return iter(out)


def _story(raw: dict[str, Any], where: str, n: int) -> Story:
    for key in ("id", "source", "url", "title", "summary", "text", "lang", "published"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: field {key!r} must be a string")
    title = raw.get("title") or ""
    if not (title or raw.get("text") or raw.get("summary")):
        raise ConfigError(f"{where}: a record needs at least a 'title'")
    lang = raw.get("lang") or ("zh" if is_chinese(title) else "en")
    if lang != "en" and lang != "zh":
        raise ConfigError(f"{where}: field 'lang' must be 'en' or 'zh', not {lang!r}")
    published = None
    if raw.get("published"):
        try:
            published = datetime.fromisoformat(raw["published"].replace("Z", "+00:00"))
        except ValueError as e:
            raise ConfigError(f"{where}: field 'published' is not ISO 8601: {raw['published']!r}") from e
        if published.tzinfo is None:
            raise ConfigError(f"{where}: field 'published' needs an offset, e.g. 2026-11-17T09:30:00+08:00")
        published = published.astimezone(UTC)
    return Story(
        id=raw.get("id") or f"line-{n}",
        source=raw.get("source") or "",
        url=raw.get("url") or "",
        title=title,
        summary=raw.get("summary") or "",
        text=raw.get("text") or "",
        lang="zh" if lang == "zh" else "en",
        published=published,
    )


class _progress:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.bar = total, label, None

    def __enter__(self) -> Any:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, desc=self.label, unit="source", file=sys.stderr, leave=False)

        def tick(result: Any) -> None:
            if self.bar is not None:
                self.bar.set_postfix_str(f"{result.source}: {result.status}")
                self.bar.update(1)

        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


if __name__ == "__main__":
    sys.exit(main())
