"""Commands that build from the sources: ``run`` (a whole week without Airflow), ``fetch`` (the sources into
the store) and ``sources check`` (their health), with a progress bar on a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from ..errors import ConfigError
from ..settings import Settings


def cmd_run(args: argparse.Namespace) -> int:
    from ..pipeline import Pipeline, run_week
    from ..publish.mail import SmtpMailer
    from ..week import parse_week

    week = parse_week(args.week)
    settings = Settings.load(
        sources=args.config,
        db_url=args.db,
        archive=args.archive,
        subscribers=args.subscribers,
        smtp_password_file=args.smtp_password_file,
    )
    if (args.subscribers or args.resend) and not args.smtp:
        raise ConfigError("--subscribers and --resend need --smtp smtp://host:port to send through")
    mailer = (
        SmtpMailer(args.smtp, password=settings.smtp_password) if args.smtp else None
    )  # the URL checked before any work
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


def cmd_fetch(args: argparse.Namespace) -> int:
    from ..pipeline import Pipeline, fetch

    settings = Settings.load(sources=args.config, db_url=args.db)
    run_id = f"cli:fetch:{datetime.now(UTC):%Y%m%dT%H%M%S.%f}"
    with Pipeline.open(settings) as p, _progress(len(p.config.enabled), "fetching") as tick:
        for r in fetch(p, run_id, progress=tick):
            print(
                json.dumps(
                    {"source": r.source, "status": r.status, "stories": r.stories, "new": r.new, "error": r.error},
                    ensure_ascii=False,
                ),
                flush=True,
            )
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from ..health import callouts, health_table, source_health
    from ..pipeline import Pipeline

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
