"""The bundled demo web: six fictional outlets, served on 127.0.0.1 for ``make demo`` and the tests."""

from __future__ import annotations

from .server import DEFAULT_PORT, OUTLETS, DemoServer, load_outlets

__all__ = ["DEFAULT_PORT", "OUTLETS", "DemoServer", "load_outlets"]
