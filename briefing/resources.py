"""Locate the files the package ships: templates and the default taxonomy.

In a checkout (and an editable install) they live at the top of the repository, in ``templates/`` and
``config/``; a built wheel carries them inside the package, in ``briefing/_data/``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource"]

_PACKAGE = Path(__file__).resolve().parent


def resource(relative: str) -> Path:
    """The path of a shipped file such as ``templates/briefing.html.j2``."""
    for base in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = base / relative
        if candidate.exists():
            return candidate
    return _PACKAGE.parent / relative
