"""An Airflow of the tests' own: its home, briefing's DAGs and plugins folders, a SQLite metadata database."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the airflow command of the venv that runs the tests
AIRFLOW = Path(sys.executable).with_name("airflow")


def airflow_env(home: Path, metadata_db: Path) -> dict[str, str]:
    """The environment of an Airflow at ``home`` with briefing's DAGs and plugins and its metadata in
    ``metadata_db``."""
    env = dict(os.environ)
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(ROOT / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{metadata_db}",
    )
    return env


def demo_airflow_env(folder: Path, migrated_db: Path, demo_config: Path) -> dict[str, str]:
    """An Airflow of its own in ``folder`` (a copy of the migrated metadata database) whose briefing reads
    ``demo_config`` into a store and an archive of its own in ``folder``."""
    shutil.copyfile(migrated_db, folder / "airflow.db")
    env = airflow_env(folder / "airflow", folder / "airflow.db")
    env.update(
        BRIEFING_SOURCES=str(demo_config),
        BRIEFING_DB_URL=f"sqlite:///{folder}/briefing.sqlite",
        BRIEFING_ARCHIVE=str(folder / "archive"),
    )
    return env
