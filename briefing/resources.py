"""Locate the files the package ships, and read the YAML of a config file: templates, the default
taxonomy and the name dictionary.

In a checkout (and an editable install) they live at the top of the repository, in ``templates/`` and
``config/``; a built wheel carries them inside the package, in ``briefing/_data/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

__all__ = ["read_yaml", "resource"]

_PACKAGE = Path(__file__).resolve().parent


def resource(relative: str) -> Path:
    """The path of a shipped file such as ``templates/briefing.html.j2``."""
    for base in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = base / relative
        if candidate.exists():
            return candidate
    return _PACKAGE.parent / relative


def read_yaml(path: str | Path, what: str) -> tuple[Path, Any]:
    """The path and parsed YAML of a config file; ``what`` names the file in the error a bad one raises."""
    p = Path(path)
    try:
        return p, yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the {what}: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from e
