"""Fails a briefing run at its start when a pool its tasks name does not exist.

Airflow leaves a task whose pool is missing in the state *scheduled* for ever; the only sign is a
warning in the scheduler's log. The DAG's fetch tasks run in the default pool unless the operator names
a pool (``BRIEFING_FETCH_POOL``). When that pool is missing, this listener, which Airflow calls in the
scheduler as a run starts, fails the run at once and says why, with the command that creates the pool:
in the run's note (shown in the grid) and in the scheduler's log. It looks only at DAGs tagged
``briefing``.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.listeners import hookimpl

log = logging.getLogger(__name__)

TAG = "briefing"


def missing_pools_message(missing: list[str]) -> str:
    names = ", ".join(missing)
    create = "; ".join(
        f'airflow pools set {name} 4 "concurrent source fetches of the weekly briefing"' for name in missing
    )
    return (
        f"Failed at its start: the pool {names} named by its tasks (BRIEFING_FETCH_POOL) does not exist, so they would "
        f"never run. Create it ({create}) or unset BRIEFING_FETCH_POOL to use the default pool, "
        "then trigger the run again."
    )


@hookimpl
def on_dag_run_running(dag_run: Any, msg: str) -> None:
    dag = getattr(dag_run, "dag", None)
    if dag is None or TAG not in set(getattr(dag, "tags", None) or ()):
        return
    from airflow.models.pool import Pool
    from airflow.utils.state import DagRunState
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    session = object_session(dag_run)
    if session is None:
        return
    named = {task.pool or Pool.DEFAULT_POOL_NAME for task in dag.tasks}
    existing = set(session.scalars(select(Pool.pool).where(Pool.pool.in_(named))))
    missing = sorted(named - existing)
    if not missing:
        return
    message = missing_pools_message(missing)
    log.error("%s, run %s: %s", dag_run.dag_id, dag_run.run_id, message)
    dag_run.note = message
    dag_run.set_state(DagRunState.FAILED)
