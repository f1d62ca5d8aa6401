"""Commands that set up and serve a deployment: ``doctor``, ``subscribers`` (the mailing list in the store),
``unsubscribe-server`` and ``demo-server``."""

from __future__ import annotations

import argparse
import json

from ..errors import ConfigError
from ..settings import Settings


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..doctor import AirflowCommand, diagnose, ready, report

    airflow = None if args.airflow is False else AirflowCommand.find()
    if args.airflow and airflow is None:
        raise ConfigError("--airflow: no airflow command next to this Python or on PATH")
    checks = diagnose(
        sources=args.config,
        db_url=args.db,
        archive=args.archive,
        subscribers=args.subscribers,
        smtp=args.smtp,
        airflow=airflow,
    )
    print(report(checks))
    return 0 if ready(checks) else 1


def cmd_subscribers(args: argparse.Namespace) -> int:
    import re

    from ..classify import load_themes
    from ..publish.mail import subscribers
    from ..store import Store

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
                    print(
                        json.dumps(
                            {
                                "email": e.email,
                                "name": e.name,
                                "themes": list(e.themes),
                                "status": e.status,
                                "bounces": e.bounces,
                                "why": e.why,
                            },
                            ensure_ascii=False,
                        )
                    )
                else:
                    print("\t".join((e.email, e.status, e.name, ",".join(e.themes))))
    return 0


def cmd_unsubscribe_server(args: argparse.Namespace) -> int:
    from ..publish.mail import UnsubscribeServer
    from ..store import Store

    settings = Settings.load(db_url=args.db)
    if not settings.unsubscribe_secret:
        raise ConfigError(
            "no unsubscribe secret: set BRIEFING_UNSUBSCRIBE_SECRET or BRIEFING_UNSUBSCRIBE_SECRET_FILE (the one the "
            "emails were signed with)"
        )
    with Store(settings.db_url) as store:
        try:
            server = UnsubscribeServer(store, settings.unsubscribe_secret, host=args.host, port=args.port)
        except OSError as e:
            raise ConfigError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from e
        print(f"unsubscribe endpoint on {server.url} (Ctrl-C to stop)", flush=True)
        server.serve_forever()
    return 0


def cmd_demo_server(args: argparse.Namespace) -> int:
    from ..demo import DemoServer

    try:
        server = DemoServer(args.port, verbose=args.verbose)
    except OSError as e:
        raise ConfigError(f"cannot listen on 127.0.0.1:{args.port}: {e.strerror or e}") from e
    print(f"demo web on {server.base_url}/ (Ctrl-C to stop)", flush=True)
    server.serve_forever()
    return 0
