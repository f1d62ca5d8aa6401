"""The source config (briefing.sources): every bad value is a ConfigError naming the source and the field,
defaults are filled in, and the bundled configs (config/sources.yaml, config/demo.yaml) load cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from briefing.demo import DEFAULT_PORT, OUTLETS
from briefing.errors import ConfigError
from briefing.records import Selectors, Source
from briefing.sources import DEFAULT_TIMEZONE, chosen_ids, load_sources, parse_sources

ROOT = Path(__file__).resolve().parent.parent
_DROP = object()


def source(**changes: Any) -> dict[str, Any]:
    """A valid source mapping with ``changes`` applied; a value of ``_DROP`` removes the key."""
    item: dict[str, Any] = {
        "id": "example-wire",
        "name": "Example Wire",
        "kind": "feed",
        "url": "https://example.org/feed.xml",
        "lang": "en",
    }
    for key, value in changes.items():
        if value is _DROP:
            item.pop(key, None)
        else:
            item[key] = value
    return item


def config(*sources: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"sources": list(sources), **top}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- a table of bad configs ---------------------------------------------------------------------------

# Each case: the config, then the words the error must hold (the source and the field it names).
BAD = [
    pytest.param(config(source(colour="red")), ["example-wire", "colour"], id="unknown-field"),
    pytest.param(config(source(url=_DROP)), ["example-wire", "url", "missing"], id="missing-url"),
    pytest.param(config(source(name=_DROP)), ["example-wire", "name", "missing"], id="missing-name"),
    pytest.param(config(source(lang=_DROP)), ["example-wire", "lang", "missing"], id="missing-lang"),
    pytest.param(config(source(id=_DROP)), ["source #1", "id", "missing"], id="missing-id-names-position"),
    pytest.param(config(source(id="Example_Wire")), ["Example_Wire", "id"], id="id-upper-case-and-underscore"),
    pytest.param(config(source(id="wire one")), ["wire one", "id"], id="id-with-space"),
    pytest.param(config(source(id="")), ["source #1", "id"], id="id-empty"),
    pytest.param(config(source(id=42)), ["42", "id"], id="id-not-a-string"),
    pytest.param(config(source(), source(id="second", name=" ")), ["second", "name"], id="blank-name"),
    pytest.param(config(source(kind="json")), ["example-wire", "kind", "json"], id="bad-kind"),
    pytest.param(config(source(kind="RSS")), ["example-wire", "kind", "RSS"], id="kind-rss-is-not-a-kind"),
    pytest.param(config(source(lang="fr")), ["example-wire", "lang", "fr"], id="bad-lang"),
    pytest.param(config(source(lang="zh-CN")), ["example-wire", "lang", "zh-CN"], id="lang-with-region"),
    pytest.param(config(source(url="ftp://example.org/feed.xml")), ["example-wire", "url", "ftp://"], id="url-ftp"),
    pytest.param(config(source(url="file:///etc/passwd")), ["example-wire", "url"], id="url-file"),
    pytest.param(config(source(url="example.org/feed.xml")), ["example-wire", "url"], id="url-without-scheme"),
    pytest.param(config(source(url="https://")), ["example-wire", "url"], id="url-without-host"),
    pytest.param(config(source(url=["https://example.org/"])), ["example-wire", "url"], id="url-a-list"),
    pytest.param(
        config(source(archive_url="ftp://example.org/{date}")), ["example-wire", "archive_url"], id="archive-url-ftp"
    ),
    pytest.param(config(source(weight=0)), ["example-wire", "weight"], id="weight-zero"),
    pytest.param(config(source(weight=-1.5)), ["example-wire", "weight"], id="weight-negative"),
    pytest.param(config(source(weight=11)), ["example-wire", "weight"], id="weight-above-10"),
    pytest.param(config(source(weight="heavy")), ["example-wire", "weight", "heavy"], id="weight-a-word"),
    pytest.param(config(source(weight=True)), ["example-wire", "weight"], id="weight-a-bool"),
    pytest.param(config(source(rate_limit=0)), ["example-wire", "rate_limit"], id="rate-limit-zero"),
    pytest.param(config(source(rate_limit="fast")), ["example-wire", "rate_limit"], id="rate-limit-a-word"),
    pytest.param(config(source(enabled="yes")), ["example-wire", "enabled"], id="enabled-a-string"),
    pytest.param(config(source(fetch_articles=1)), ["example-wire", "fetch_articles"], id="fetch-articles-an-int"),
    pytest.param(config(source(allow_private="true")), ["example-wire", "allow_private"], id="allow-private-a-string"),
    pytest.param(
        config(source(), source(name="Another Wire", url="https://example.com/rss")),
        ["example-wire", "id", "earlier"],
        id="duplicate-id",
    ),
    pytest.param(config(source(kind="html", selectors="ul a")), ["example-wire", "selectors"], id="selectors-a-string"),
    pytest.param(
        config(source(kind="html", selectors={"title": "h2"})),
        ["example-wire", "selectors"],
        id="selectors-without-link",
    ),
    pytest.param(
        config(source(kind="html", selectors={"link": "a", "author": ".by"})),
        ["example-wire", "selectors", "author"],
        id="selectors-unknown-key",
    ),
    pytest.param(
        config(source(kind="html", selectors={"link": "  "})), ["example-wire", "selectors.link"], id="selector-blank"
    ),
    pytest.param(
        config(source(kind="html", selectors={"link": "a", "date": 3})),
        ["example-wire", "selectors.date"],
        id="selector-not-a-string",
    ),
    pytest.param(config(source(), timezone="Mars/Olympus_Mons"), ["timezone", "Mars/Olympus_Mons"], id="bad-timezone"),
    pytest.param(config(source(), timezone=8), ["timezone"], id="timezone-a-number"),
    pytest.param(config(source(), schedule="weekly"), ["schedule"], id="unknown-top-level-key"),
    pytest.param({"sources": []}, ["sources"], id="no-sources"),
    pytest.param({"timezone": "UTC"}, ["sources"], id="sources-missing"),
    pytest.param(["a", "list"], ["sources"], id="top-level-a-list"),
    pytest.param(config("just-a-string"), ["source #1"], id="source-not-a-mapping"),
]


@pytest.mark.parametrize(("data", "words"), BAD)
def test_bad_config_is_an_error_naming_source_and_field(data: Any, words: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources(data, "sources.yaml")
    message = str(info.value)
    assert message.startswith("sources.yaml"), message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        p
        for p in BAD
        if p.id
        in {
            "unknown-field",
            "missing-url",
            "id-upper-case-and-underscore",
            "duplicate-id",
            "bad-timezone",
            "selectors-unknown-key",
        }
    ],
)
def test_load_sources_errors_name_the_file(tmp_path: Path, data: Any, words: list[str]) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert str(path) in str(info.value)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"sources: [\n  - id: a\n", id="unclosed-list"),
        pytest.param(b"sources:\n  - id: a\n   name: b\n\tkind: feed\n", id="bad-indentation-and-tab"),
        pytest.param(b"{{{{", id="braces"),
    ],
)
def test_not_yaml_is_a_config_error_naming_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="not valid YAML") as info:
        load_sources(path)
    assert str(path) in str(info.value)


def test_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("sources:\n  - id: a\n    name: 华北能源报\n".encode("utf-16"))
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert str(path) in str(info.value)


def test_missing_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ConfigError, match="nowhere.yaml"):
        load_sources(path)


# -- good configs and defaults ------------------------------------------------------------------------


def test_defaults_are_filled_in() -> None:
    cfg = parse_sources(config(source()))
    assert cfg.timezone == DEFAULT_TIMEZONE == "Asia/Shanghai"
    assert cfg.sources == (
        Source(id="example-wire", name="Example Wire", kind="feed", url="https://example.org/feed.xml", lang="en"),
    )
    s = cfg.sources[0]
    assert (s.weight, s.fetch_articles, s.archive_url, s.selectors, s.allow_private, s.rate_limit, s.enabled) == (
        1.0,
        False,
        None,
        None,
        False,
        None,
        True,
    )


def test_every_optional_field_is_read(tmp_path: Path) -> None:
    data = config(
        source(
            id="ndrc-news",
            name="  国家发展改革委  ",
            kind="html",
            url="https://www.ndrc.gov.cn/xwdt/xwfb/",
            lang="zh",
            weight=2,
            fetch_articles=True,
            archive_url="https://www.ndrc.gov.cn/xwdt/xwfb/{date:%Y%m}/",
            selectors={"link": "ul.u-list a", "title": "a", "date": "span"},
            allow_private=False,
            rate_limit=0.5,
            enabled=False,
        ),
        timezone="Europe/Berlin",
    )
    cfg = load_sources(write(tmp_path, data))
    s = cfg.sources[0]
    assert cfg.timezone == "Europe/Berlin"
    assert s.name == "国家发展改革委"
    assert s.weight == 2.0 and isinstance(s.weight, float)
    assert s.selectors == Selectors(link="ul.u-list a", title="a", date="span")
    assert (s.fetch_articles, s.rate_limit, s.enabled, s.lang, s.kind) == (True, 0.5, False, "zh", "html")
    assert cfg.enabled == ()
    assert cfg.get("ndrc-news") is s
    with pytest.raises(KeyError):
        cfg.get("nope")


@pytest.mark.parametrize(
    "weight",
    [pytest.param(0.01, id="small"), pytest.param(10, id="ten-is-the-maximum"), pytest.param(1.3, id="float")],
)
def test_weights_in_range_are_accepted(weight: float) -> None:
    assert parse_sources(config(source(weight=weight))).sources[0].weight == weight


def test_sources_keep_file_order() -> None:
    ids = ["c-source", "a-source", "b-source"]
    cfg = parse_sources(config(*(source(id=i, url=f"https://example.org/{i}") for i in ids)))
    assert [s.id for s in cfg.sources] == ids


# -- the bundled configs ------------------------------------------------------------------------------


def test_production_sources_load_cleanly() -> None:
    cfg = load_sources(ROOT / "config" / "sources.yaml")
    ids = [s.id for s in cfg.sources]
    assert len(ids) == len(set(ids))
    assert cfg.timezone == "Asia/Shanghai"
    enabled = cfg.enabled
    assert len(enabled) >= 15
    assert {s.lang for s in enabled} == {"en", "zh"}
    assert {s.kind for s in enabled} == {"feed", "html"}
    for s in cfg.sources:
        host = urlsplit(s.url).hostname or ""
        assert not s.allow_private, f"{s.id}: a real source must not set allow_private"
        assert host not in ("127.0.0.1", "localhost") and "." in host, f"{s.id}: {s.url}"
        if s.kind == "html":
            assert s.selectors is not None, f"{s.id}: an html source needs a link selector"


def test_demo_sources_load_cleanly_and_match_the_demo_web() -> None:
    cfg = load_sources(ROOT / "config" / "demo.yaml")
    assert [s.id for s in cfg.sources] == list(OUTLETS)
    assert {s.lang for s in cfg.sources} == {"en", "zh"}
    for s in cfg.sources:
        parts = urlsplit(s.url)
        assert (parts.hostname, parts.port) == ("127.0.0.1", DEFAULT_PORT), s.url
        assert parts.path.startswith(f"/{s.id}/"), s.url
        assert s.allow_private and s.enabled


def test_demo_fixture_config_points_at_the_session_server(demo_config: Path, demo_web: Any) -> None:
    cfg = load_sources(demo_config)
    assert all(s.url.startswith(demo_web.base_url + "/") for s in cfg.sources)


@pytest.mark.parametrize(
    ("wanted", "ids"),
    [
        pytest.param([], ["a", "c"], id="none-asked-every-enabled-source"),
        pytest.param(["c", "b"], ["b", "c"], id="the-asked-ones-in-the-configs-order-disabled-too"),
    ],
)
def test_a_run_fetches_the_sources_asked_for_else_the_enabled_ones(wanted: list[str], ids: list[str]) -> None:
    cfg = parse_sources(config(*(source(id=i, url=f"https://example.org/{i}", enabled=i != "b") for i in "abc")))
    assert chosen_ids(cfg, wanted) == ids


def test_a_source_asked_for_that_the_config_lacks_is_an_error_naming_the_file() -> None:
    cfg = parse_sources(config(source(id="a")), "sources.yaml")
    with pytest.raises(ConfigError, match=r"sources.yaml: no source with id nope, zzz"):
        chosen_ids(cfg, ["zzz", "a", "nope"])
