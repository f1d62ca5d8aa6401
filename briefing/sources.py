"""Load and validate a source config file (SPEC, "Source config").

``load_sources(path)`` reads the YAML file (``resources.read_yaml``: no aliases, no key twice) and
returns a ``SourceConfig`` of ``Source`` records. Every problem is a ``ConfigError`` that names the file,
the source and the field: unknown keys, missing fields, bad ids (at most 64 characters), kinds,
languages, URLs, numbers and types; a value is quoted only in part. ``allow_private`` is ``true``
(loopback, for a local or demo server) or a list of networks besides loopback (``[10.1.0.0/16]``);
link-local and metadata addresses can never be allowed (``http.NEVER``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from .errors import ConfigError
from .records import Selectors, Source, SourceConfig
from .resources import clip, read_yaml
from .week import zone

__all__ = ["DEFAULT_TIMEZONE", "chosen_ids", "load_sources", "parse_sources"]

DEFAULT_TIMEZONE = "Asia/Shanghai"
_ID_RE = re.compile(r"^[a-z0-9-]{1,64}\Z")  # the store keeps 64 characters of a source id
_REQUIRED = ("id", "name", "kind", "url", "lang")
_OPTIONAL = {
    "weight",
    "fetch_articles",
    "archive_url",
    "selectors",
    "allow_private",
    "rate_limit",
    "enabled",
}
_SELECTOR_KEYS = {"link", "title", "date"}


def load_sources(path: str | Path) -> SourceConfig:
    """Read and validate the source config at ``path``."""
    p, data = Path(path), read_yaml(path, "source config")
    return parse_sources(data, str(p))


def chosen_ids(config: SourceConfig, wanted: Sequence[str] = ()) -> list[str]:
    """The ids of the sources a run fetches: the ``wanted`` ones, else every enabled source, in the config's
    order; a wanted id the config does not have is a ``ConfigError`` naming the file."""
    missing = sorted(set(wanted) - {s.id for s in config.sources})
    if missing:
        raise ConfigError(f"{config.path}: no source with id {', '.join(missing)}")
    return [s.id for s in config.sources if (s.id in wanted if wanted else s.enabled)]


def parse_sources(data: Any, where: str = "<config>") -> SourceConfig:
    """Validate an already-parsed config mapping; ``where`` names it in errors."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with a 'sources' list at the top")
    unknown = set(data) - {"timezone", "sources"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
    tz = data.get("timezone", DEFAULT_TIMEZONE)
    if not isinstance(tz, str) or len(tz) > 64:
        raise ConfigError(f"{where}: 'timezone' must be a string such as Asia/Shanghai")
    try:
        zone(tz)
    except ConfigError as e:
        raise ConfigError(f"{where}: {e}") from None
    raw = data.get("sources")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: 'sources' must be a non-empty list")
    sources: list[Source] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        source = _parse_source(item, f"{where}: source #{n}")
        if source.id in seen:
            raise ConfigError(f"{where}: source {source.id!r}: field 'id' is used by an earlier source")
        seen.add(source.id)
        sources.append(source)
    return SourceConfig(path=where, timezone=tz, sources=tuple(sources))


def _parse_source(item: Any, where: str) -> Source:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping of fields")
    sid = item.get("id")
    if isinstance(sid, str) and _ID_RE.match(sid):
        where = f"{where.rsplit(': source #', 1)[0]}: source {sid!r}"
    _check_fields(item, where)

    def need(key: str, ok: bool, what: str) -> None:
        if not ok:
            raise ConfigError(f"{where}: field {key!r} must be {what}, not {clip(item.get(key))}")

    id_ok = isinstance(sid, str) and bool(_ID_RE.match(sid))
    need("id", id_ok, "lowercase letters, digits and '-', at most 64 of them")
    name = item["name"]
    need("name", isinstance(name, str) and bool(name.strip()), "a non-empty string")
    kind = item["kind"]
    need("kind", kind in ("feed", "html"), "'feed' or 'html'")
    url = item["url"]
    need("url", _is_http_url(url), "an http or https URL")
    lang = item["lang"]
    need("lang", lang in ("en", "zh"), "'en' or 'zh'")
    weight = item.get("weight", 1.0)
    need("weight", _is_number(weight) and 0 < float(weight) <= 10, "a number above 0 and at most 10")
    for flag in ("fetch_articles", "enabled"):
        if flag in item:
            need(flag, isinstance(item[flag], bool), "true or false")
    allow_private = _allow_private(item.get("allow_private", False), where)
    archive_url = item.get("archive_url")
    if archive_url is not None:
        need("archive_url", _is_http_url(archive_url), "an http or https URL template")
    rate_limit = item.get("rate_limit")
    if rate_limit is not None:
        need("rate_limit", _is_number(rate_limit) and float(rate_limit) > 0, "a positive number (requests per second)")
    selectors = _parse_selectors(item["selectors"], where) if "selectors" in item else None
    assert isinstance(sid, str)  # checked by need("id", ...) above
    return Source(
        id=sid,
        name=name.strip(),
        kind=kind,
        url=url,
        lang=lang,
        weight=float(weight),
        fetch_articles=item.get("fetch_articles", False),
        archive_url=archive_url,
        selectors=selectors,
        allow_private=allow_private,
        rate_limit=float(rate_limit) if rate_limit is not None else None,
        enabled=item.get("enabled", True),
    )


def _check_fields(item: dict[str, Any], where: str) -> None:
    """Every required field is there, and no field briefing does not know."""
    for key in _REQUIRED:
        if key not in item:
            raise ConfigError(f"{where}: field {key!r} is missing")
    unknown = set(item) - set(_REQUIRED) - _OPTIONAL
    if unknown:
        raise ConfigError(f"{where}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")


def _parse_selectors(sel: Any, where: str) -> Selectors:
    """An html source's CSS selectors: ``link``, and ``title`` and ``date`` if given, each one valid."""
    if not (isinstance(sel, dict) and "link" in sel):
        raise ConfigError(f"{where}: field 'selectors' must be a mapping with at least 'link', not {clip(sel)}")
    bad = set(sel) - _SELECTOR_KEYS
    if bad:
        raise ConfigError(f"{where}: field 'selectors' has unknown key(s): {', '.join(sorted(map(str, bad)))}")
    for key, value in sel.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: field 'selectors.{key}' must be a CSS selector string")
        try:
            GenericTranslator().css_to_xpath(value)
        except SelectorError as e:
            raise ConfigError(
                f"{where}: field 'selectors.{key}' is not a valid CSS selector ({value!r}: {e})"
            ) from e
    return Selectors(link=sel["link"], title=sel.get("title"), date=sel.get("date"))


def _allow_private(value: Any, where: str) -> bool | tuple[str, ...]:
    """``true``/``false``, or a list of networks (loopback is implied); see ``http.AllowPrivate``."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{where}: field 'allow_private' must be true, false or a list of networks such as [10.1.0.0/16], "
            f"not {clip(value)}"
        )
    from .fetch import allowed_networks

    try:
        allowed_networks(tuple(value))
    except ValueError as e:
        raise ConfigError(f"{where}: field 'allow_private': {e}") from None
    return tuple(value)


def _is_number(value: Any) -> bool:
    """A finite int or float that a float can hold (a 400-digit integer cannot)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
