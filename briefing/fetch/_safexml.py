"""Make a fetched XML document safe to hand to an XML parser, whatever the Python's expat version.

Feeds never need a document type declaration, and a DOCTYPE is how hostile XML attacks: entities that
expand to entities ("billion laughs"), external entities that read local files or reach internal hosts
(XXE), parameter entities. feedparser strips some DOCTYPEs itself, but with line-based regular
expressions that a declaration on one line walks past, and expat's own amplification limit exists only
in expat 2.4 and later. So ``defuse`` removes the DOCTYPE before any parser sees the text:

- a DOCTYPE without an internal subset (``<!DOCTYPE rss PUBLIC "..." "...">``, as RSS 0.91 has) is
  dropped; nothing is lost, since no parser here loads external DTDs;
- an internal subset may declare plain text entities (``<!ENTITY nbsp "&#160;">``): at most
  ``MAX_ENTITIES`` of them, each at most ``MAX_ENTITY_CHARS`` long, and none that refers to another
  entity, to a parameter entity, or to anything external. Those are substituted into the text (a
  bounded expansion) and the DOCTYPE dropped;
- anything else (nested, external or parameter entities, an unreadable subset) is refused with
  ``HostileXML``, which names the offending declaration.

Finally, the result is run through expat with handlers that stop at any DOCTYPE or entity declaration,
so a declaration the scanner missed is refused rather than expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

__all__ = ["MAX_ENTITIES", "MAX_ENTITY_CHARS", "Defused", "HostileXML", "defuse"]

MAX_ENTITIES = 64
MAX_ENTITY_CHARS = 200
_DOCTYPE_RE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_RE = re.compile(r"""<!ENTITY\s+(%\s+)?([A-Za-z_:][\w.:-]*)\s+(SYSTEM|PUBLIC)?\s*("[^"]*"|'[^']*')""", re.DOTALL)
_CDATA_RE = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_PREDEFINED = {"lt", "gt", "amp", "apos", "quot"}


class HostileXML(ValueError):
    """The document declares entities that could expand without bound or reach outside it."""


@dataclass(frozen=True)
class Defused:
    """A document made safe to parse (``defuse``): its text, and whether a DOCTYPE was taken out."""

    text: str
    had_doctype: bool


def defuse(text: str) -> Defused:
    """``text`` without its DOCTYPE, safe plain entities substituted; and whether it had a DOCTYPE.

    Raises HostileXML for entity declarations that are not plain, bounded text.
    """
    start = _doctype_start(text)
    if start is None:
        _verify(text)
        return Defused(text, had_doctype=False)
    end, subset = _doctype_end(text, start)
    entities = _plain_entities(subset) if subset else {}
    rest = text[end:]
    if entities:
        rest = _substitute(rest, entities)
    cleaned = text[:start] + rest
    _verify(cleaned)
    return Defused(cleaned, had_doctype=True)


def _doctype_start(text: str) -> int | None:
    """Where the DOCTYPE starts, if the prolog (before the first element) holds one."""
    m = _DOCTYPE_RE.search(text)
    if m is None:
        return None
    prolog = _prolog_end(text)
    if prolog is not None and m.start() > prolog:
        return None  # "<!DOCTYPE" inside the document (in CDATA or text), not a declaration
    return m.start()


def _prolog_end(text: str) -> int | None:
    """The index of the first element's ``<``: skips the XML declaration, comments, PIs and the DOCTYPE."""
    i, n = 0, len(text)
    while i < n:
        j = text.find("<", i)
        if j < 0:
            return None
        if text.startswith("<?", j):
            k = text.find("?>", j + 2)
            i = n if k < 0 else k + 2
        elif text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            i = n if k < 0 else k + 3
        elif text.startswith("<!", j):
            i, _ = _doctype_end(text, j)
        else:
            return j
    return None


def _doctype_end(text: str, start: int) -> tuple[int, str]:
    """The index just past the DOCTYPE at ``start`` and its internal subset (without brackets)."""
    k = _scan_to(text, start + 2, "[>")
    if k >= 0 and text[k] == ">":
        return k + 1, ""
    if k >= 0:  # an internal subset: up to its "]", then the DOCTYPE's ">"
        subset_end = _scan_to(text, k + 1, "]")
        close = text.find(">", subset_end) if subset_end >= 0 else -1
        if close >= 0:
            return close + 1, text[k + 1 : subset_end]
    raise HostileXML("the document's DOCTYPE never ends; refusing to parse it")


def _scan_to(text: str, i: int, stops: str) -> int:
    """The index of the first character of ``stops`` from ``i`` that is outside quotes and comments,
    or -1 if there is none (or a comment never ends)."""
    n = len(text)
    quote: str | None = None
    while i < n:
        c = text[i]
        if quote:
            if c == quote:
                quote = None
        elif text.startswith("<!--", i):
            k = text.find("-->", i + 4)
            if k < 0:
                return -1
            i = k + 3
            continue
        elif c in "\"'":
            quote = c
        elif c in stops:
            return i
        i += 1
    return -1


def _plain_entities(subset: str) -> dict[str, str]:
    """The entities of an internal subset, if every one is plain bounded text; else HostileXML."""
    subset = re.sub(r"<!--.*?-->", "", subset, flags=re.DOTALL)
    declared = subset.count("<!ENTITY")
    found: dict[str, str] = {}
    for m in _ENTITY_RE.finditer(subset):
        parameter, name, external, value = m.group(1), m.group(2), m.group(3), m.group(4)[1:-1]
        if parameter:
            raise HostileXML(f"the DOCTYPE declares a parameter entity %{name}; refusing to parse it")
        if external:
            raise HostileXML(
                f"the DOCTYPE declares an external entity &{name}; ({external} {value!r}); refusing to parse it"
            )
        if "%" in value or ("&" in value and not re.fullmatch(r"(?:[^&]|&#x?[0-9A-Fa-f]+;)*", value)):
            raise HostileXML(
                f"the DOCTYPE declares entity &{name}; in terms of other entities (an entity-expansion bomb?); "
                "refusing to parse it"
            )
        if "<" in value or len(value) > MAX_ENTITY_CHARS:
            raise HostileXML(
                f"the DOCTYPE declares entity &{name}; with markup or more than {MAX_ENTITY_CHARS} characters; "
                "refusing to parse it"
            )
        found[name] = _char_refs(value)
    if declared != len(found):
        raise HostileXML("the DOCTYPE holds entity declarations that cannot be read safely; refusing to parse it")
    if len(found) > MAX_ENTITIES:
        raise HostileXML(f"the DOCTYPE declares {len(found)} entities, more than {MAX_ENTITIES}; refusing to parse it")
    return found


def _char_refs(value: str) -> str:
    """An entity's value with its character references written out, XML-escaped for substitution."""
    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        try:
            code = int(ref[1:], 16) if ref.startswith(("x", "X")) else int(ref)
            return chr(code)
        except (ValueError, OverflowError):
            return ""

    plain = re.sub(r"&#([xX]?[0-9A-Fa-f]+);", one, value)
    return plain.replace("&", "&amp;").replace("<", "&lt;")


def _substitute(text: str, entities: dict[str, str]) -> str:
    """Write out ``&name;`` references to plain entities, outside CDATA sections; each grows the text by a
    bounded amount."""
    names = "|".join(re.escape(n) for n in sorted(entities, key=len, reverse=True) if n not in _PREDEFINED)
    if not names:
        return text
    ref = re.compile(rf"&({names});")
    parts = _CDATA_RE.split(text)
    return "".join(p if p.startswith("<![CDATA[") else ref.sub(lambda m: entities[m.group(1)], p) for p in parts)


class _Declared(Exception):
    pass


def _verify(text: str) -> None:
    """Run expat over ``text`` and refuse it if any DOCTYPE or entity declaration is left.

    Expat reports a declaration before it could expand it, so this pass never expands anything.
    Malformed XML is not this function's business: the feed parser recovers what it can.
    """
    parser = expat.ParserCreate()

    def declared(*args: object) -> None:
        raise _Declared()

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    parser.ExternalEntityRefHandler = declared  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(text, True)  # a str is read as UTF-8 whatever encoding the document declares
    except _Declared:
        raise HostileXML(
            "the document still declares a DOCTYPE or entities after cleaning; refusing to parse it"
        ) from None
    except expat.ExpatError:
        pass
