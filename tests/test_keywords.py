"""Keywords: the bilingual name dictionary, what a story's keywords hold, and when two headlines differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.dedup import KeywordReader, load_names, quantity_keys, tokens
from briefing.errors import ConfigError


@pytest.fixture(scope="module")
def reader() -> KeywordReader:
    return KeywordReader()


def _read(reader: KeywordReader, title: str, body: str = ""):  # type: ignore[no-untyped-def]
    return reader.read(title, body, quantity_keys(f"{title}\n{body}"))


def test_names_are_one_word_in_both_languages(reader: KeywordReader) -> None:
    en = _read(
        reader,
        "SMIC third-quarter revenue rises 19% to $2.5 billion",
        "Semiconductor Manufacturing International said on Thursday...",
    )
    zh = _read(reader, "中芯国际三季度营收25亿美元 同比增长19%", "中芯国际11月13日公布三季度业绩。")
    assert "@smic" in en.neutral and "@smic" in zh.neutral
    assert en.headline_who == zh.headline_who == {"@smic"}
    shared = set(en.neutral) & set(zh.neutral)
    assert {"@smic", "#%19", "#USD2.5e+09"} <= shared  # the name and the figures, whatever the language


def test_product_codes_are_neutral_and_plurals_fold(reader: KeywordReader) -> None:
    k = _read(reader, "Zhipu launches GLM-5 with stronger coding skills", "Developers can call GLM-5 through the API.")
    assert "glm-5" in k.neutral
    words = tokens("Zhipu launches GLM-5 with stronger coding skills".lower())
    assert "skill" in words and "coding" in words  # the same-event model's words: plurals fold...
    assert not {"with", "the", "through"} & set(words)  # ...and stop words go


def test_only_organisations_and_places_tell_headlines_apart(reader: KeywordReader) -> None:
    a = _read(reader, "China Telecom opens liquid-cooled hub in Lanzhou")
    b = _read(reader, "Sugon opens liquid-cooled hub in Shenzhen")
    c = _read(reader, "Liquid-cooled hub opens in Lanzhou", "China Telecom built it.")
    assert a.told_apart(b)  # someone else, somewhere else
    assert not a.told_apart(c)  # c's story names China Telecom; the place agrees
    assert "@liquid-cooling" in a.neutral and not a.headline_who & {"@liquid-cooling"}  # a thing, not a who


def test_headline_figures_in_one_unit_must_agree(reader: KeywordReader) -> None:
    a = _read(reader, "Grid battery project completed, 88.3 billion yuan")
    b = _read(reader, "126.6 billion yuan grid battery project completed")
    c = _read(reader, "Grid battery project of 3.4 GW completed")
    assert a.told_apart(b)
    assert not a.told_apart(c)  # yuan against GW: nothing to disagree on
    assert not a.told_apart(_read(reader, "88.3 billion yuan grid battery project done"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("names:\n  smic: {en: [SMIC]}\n", r"expected the sections organisations, places, things"),
        ("organisations:\n  SMIC: {en: [SMIC]}\n", r"organisations 'SMIC': an id must be lowercase"),
        ("organisations:\n  smic: {en: SMIC}\n", r"organisations 'smic': 'en' must be a list"),
        ("organisations:\n  smic: {fr: [SMIC]}\n", r"organisations 'smic': expected a mapping of 'en' and 'zh'"),
        (
            "organisations:\n  smic: {en: [SMIC]}\nthings:\n  smic: {zh: [中芯]}\n",
            r"things 'smic': the id is listed twice",
        ),
        ("organisations: [smic]\n", r"section 'organisations' must be a mapping"),
        ("organisations:\n  smic: {en: [SMIC\n", r"not valid YAML"),
    ],
)
def test_name_dictionary_errors_name_the_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"names\.yaml: .*" + message):
        load_names(path)


def test_the_shipped_dictionary_loads_with_every_kind() -> None:
    names = load_names()
    assert {"@smic", "@ndrc", "@huawei"} <= names.who and {"@ningxia", "@shenzhen"} <= names.where
    assert not names.who & names.where
