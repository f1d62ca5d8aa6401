"""Commands over story records in JSONL: ``classify`` and ``dedup``, and the reading of the records (every bad
line an error naming the file and line)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, NamedTuple

from ..errors import ConfigError
from ..records import Story
from ..text import is_chinese


def cmd_classify(args: argparse.Namespace) -> int:
    from ..classify import classify, explain

    records = list(read_records(args.input))
    verdicts = classify([r.story for r in records])
    for record, verdict in zip(records, verdicts):
        out = dict(record.raw)
        out["themes"] = [{"id": t.id, "score": t.score} for t in verdict.themes]
        out["primary"] = verdict.primary
        if args.explain:
            out["explain"] = explain(verdict)
        print(json.dumps(out, ensure_ascii=False))
    return 0


def cmd_dedup(args: argparse.Namespace) -> int:
    from ..dedup import dedup

    records = list(read_records(args.input))
    stories = [r.story for r in records]
    cluster_of = {m: c.id for c in dedup(stories) for m in c.members}
    for story in stories:
        print(json.dumps({"id": story.id, "cluster": cluster_of[story.id]}, ensure_ascii=False))
    return 0


class StoryLine(NamedTuple):
    """One line of a JSONL input: the story it holds, and the line's fields as given (the output keeps them)."""

    story: Story
    raw: dict[str, Any]


def read_records(path: str | None) -> Iterator[StoryLine]:
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
            out.append(StoryLine(story, raw))
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
