"""The settings' files and places: the source config and timezone, the store (reachable, its schema
version), the archive (writable: a probe file is written and removed) and the subscribers file."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BriefingError
from ..settings import Settings
from ._check import Check, fail, ok, skip


def check_sources(settings: Settings) -> Check:
    from ..sources import load_sources

    try:
        config = load_sources(settings.sources)
    except BriefingError as e:
        return fail(
            "sources",
            str(e),
            "fix the file, or set BRIEFING_SOURCES to your source config (docs/operations.md, 'Pointing it at real "
            "sources')",
        )
    tz = settings.timezone or config.timezone
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return fail(
            "sources",
            f"unknown timezone {tz!r}",
            "set BRIEFING_TIMEZONE (or the config's timezone) to an IANA name such as Asia/Shanghai",
        )
    if not config.enabled:
        return fail("sources", f"{config.path}: no source is enabled", "enable at least one source (enabled: true)")
    return ok("sources", f"{config.path}: {len(config.sources)} sources, {len(config.enabled)} enabled; timezone {tz}")


def check_store(settings: Settings) -> Check:
    from ..store import SCHEMA_VERSION, describe_url, schema_version

    where = describe_url(settings.db_url)
    try:
        version = schema_version(settings.db_url)
    except BriefingError as e:
        fix = "check BRIEFING_DB_URL; start the database server"
        if "postgres" in settings.db_url:
            fix += f" and create the database (createdb {settings.db_url.rsplit('/', 1)[-1].split('?')[0]})"
        return fail("store", str(e), fix)
    if version is None:
        return ok(
            "store", f"{where}: reachable, no store yet (its tables are made on first use, schema {SCHEMA_VERSION})"
        )
    if version > SCHEMA_VERSION:
        return fail(
            "store",
            f"{where}: schema {version}, newer than this briefing's {SCHEMA_VERSION}",
            "upgrade briefing to the version that wrote this store",
        )
    if version < SCHEMA_VERSION:
        return ok(
            "store",
            f"{where}: reachable, schema {version} (migrated to {SCHEMA_VERSION} when the pipeline next opens it)",
        )
    return ok("store", f"{where}: reachable, schema {version}")


def check_archive(settings: Settings) -> Check:
    """The archive takes a file: a probe is written and removed."""
    from ..publish import Archive

    probe = f".doctor-{uuid.uuid4().hex}"
    try:
        archive = Archive(settings.archive)
        written = archive.write(probe, b"briefing doctor")
        archive.remove(probe)
    except BriefingError as e:
        return fail(
            "archive",
            str(e),
            f"make {settings.archive} writable by this user, or set BRIEFING_ARCHIVE to a place it can write",
        )
    return ok("archive", f"{written.rsplit('/', 1)[0]}: writable")


def check_subscribers(settings: Settings) -> Check:
    from ..classify import load_themes
    from ..publish.mail import load_subscribers

    if not settings.subscribers:
        return skip("subscribers", "BRIEFING_SUBSCRIBERS is not set: no email is sent")
    try:
        subscribers = load_subscribers(settings.subscribers, [t.id for t in load_themes()])
    except BriefingError as e:
        return fail(
            "subscribers", str(e), "fix that line of the subscribers file (one address a line, or email,name,themes)"
        )
    return ok(
        "subscribers", f"{settings.subscribers}: {len(subscribers)} subscriber{'' if len(subscribers) == 1 else 's'}"
    )


def store_has_subscribers(settings: Settings) -> bool:
    """Whether the store keeps subscribers (read only: a store not made yet, or out of reach, keeps none)."""
    from ..store import SCHEMA_VERSION, Store, schema_version

    try:
        if schema_version(settings.db_url) != SCHEMA_VERSION:  # none yet, or one opening would migrate
            return False
        with Store(settings.db_url) as store:
            return bool(store.subscriber_counts()["active"])
    except BriefingError:
        return False
