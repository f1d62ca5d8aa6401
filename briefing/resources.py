"""Locate the files the package ships, and read the YAML of a config file: templates, the default
taxonomy and the name dictionary.

In a checkout (and an editable install) they live at the top of the repository, in ``templates/`` and
``config/``; a built wheel carries them inside the package, in ``briefing/_data/``.

Every config file (sources, themes, names) is read by ``read_yaml``: safe YAML without aliases (``*name``
can expand a few hundred bytes into gigabytes) and with each key of a mapping once; an error names the
file and line and never quotes more than a short piece of the input.
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from .errors import ConfigError

__all__ = ["clip", "parse_yaml", "read_config", "read_yaml", "resource"]

_PACKAGE = Path(__file__).resolve().parent


def resource(relative: str) -> Path:
    """The path of a shipped file such as ``templates/briefing.html.j2``."""
    for base in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = base / relative
        if candidate.exists():
            return candidate
    return _PACKAGE.parent / relative


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 2, 4, 4, 60, 60


def clip(value: Any, limit: int = 60) -> str:
    """A short ``repr`` of ``value`` (never more than ``limit`` characters, however big or deep the value):
    what an error may quote of an input."""
    try:
        text = _SHORT.repr(value)
    except ValueError:  # an integer of more than 4,300 digits has no repr
        text = f"<a {type(value).__name__} too long to show>"
    return text if len(text) <= limit else f"{text[:limit]}…"


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses aliases and a key given twice in one mapping."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in briefing's config files: write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue  # the base class names an unhashable key
                if key in first:
                    raise ConstructorError(
                        None,
                        None,
                        f"the key {clip(key)} is given twice (first on line {first[key] + 1})",
                        key_node.start_mark,
                    )
                first[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def read_yaml(path: str | Path, what: str) -> Any:
    """The parsed YAML of a config file; ``what`` names the file in the error a bad one raises."""
    return parse_yaml(read_config(path, what), path, what)


def read_config(path: str | Path, what: str) -> str:
    """The text of a config file, as ``read_yaml`` reads it (its errors as a ``ConfigError``)."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the {what}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: the {what} is not UTF-8 text (byte {e.start})") from e


def parse_yaml(text: str, path: str | Path, what: str) -> Any:
    """The parsed YAML of the text of the config file ``path`` (named in the error a bad one raises)."""
    p = Path(path)
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(part) for part in (e.context, e.problem) if part)
        raise ConfigError(
            f"{p}: not valid YAML{where}: {problem[:200]}"
        ) from None  # not chained: PyYAML's message quotes the line, however long
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {str(e)[:200]}") from None
    except ValueError as e:  # a number too long for Python to read (over 4,300 digits)
        raise ConfigError(f"{p}: a value cannot be read: {str(e)[:200]}") from None
