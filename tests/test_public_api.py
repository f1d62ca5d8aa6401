"""The package's public face: ``briefing``'s ``__all__`` names the stages' main functions and records,
each loaded from its stage on first use, so that importing ``briefing`` stays light."""

from __future__ import annotations

import subprocess
import sys

import briefing


def test_every_public_name_resolves_to_its_stage() -> None:
    assert briefing.__all__ == sorted(briefing.__all__)
    for name in briefing.__all__:
        value = getattr(briefing, name)
        assert value is not None, name
        if name != "__version__":
            assert value.__module__.startswith("briefing."), (name, value.__module__)
    assert briefing.Story is __import__("briefing.records", fromlist=["Story"]).Story


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        briefing.not_a_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as e:
        assert "not_a_name" in str(e)
    else:
        raise AssertionError("briefing.not_a_name resolved")


def test_importing_briefing_loads_no_stage() -> None:
    """The DAG processor parses the DAG file constantly: ``import briefing`` must not load the stages
    (SQLAlchemy, WeasyPrint, the HTTP client)."""
    code = (
        "import sys, briefing; "
        "heavy = [m for m in ('sqlalchemy', 'weasyprint', 'httpx', 'briefing.pipeline', 'briefing.store') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
