"""briefing's version: in the user agent of every request (``briefing.fetch``) and ``briefing --version``.

A module of its own, importing nothing, so the stages can name it without importing the package's face
(``briefing/__init__``, which names the stages in turn).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
