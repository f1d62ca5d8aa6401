"""briefing: a weekly briefing on China's AI, computing, energy and science landscape.

The library behind the ``weekly_briefing`` Airflow DAG and the ``briefing`` command line. It knows
nothing of Airflow: every stage (sources, fetch, store, dedup, classify, select, edition, render, publish) is a plain
function over the typed records of ``briefing.records``.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
