"""The briefing week as an Airflow timetable.

Each run's data interval is one ISO week, Monday 00:00 to the next Monday 00:00 in the briefing's
timezone (SPEC, "The briefing week"), and the run starts once that week is over, at a set time on the
Monday after (07:00 by default), so late stories of Sunday night are in. A manual run without a logical
date covers the latest week that has ended. Run ids name the week of the data interval wherever Airflow
asks the timetable for one: ``scheduled__2026-W47``, and ``manual__2026-W47_<time>`` for a run
triggered with a logical date (a manual run without one has no data interval, and Airflow 3.3 names a
backfill's runs itself), so the grid says which briefing a scheduled run built. Registered by
``briefing_plugin``; kept free of heavy imports because the DAG file imports it.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pendulum
from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction, Timetable
from pendulum import DateTime


class BriefingWeekTimetable(Timetable):
    """ISO weeks in ``timezone``; each run starts ``run_at`` on the Monday after its week."""

    def __init__(self, timezone: str = "Asia/Shanghai", run_at: str = "07:00") -> None:
        self.timezone = timezone
        self.run_at = run_at
        hours, minutes = (int(x) for x in run_at.split(":"))
        self._delay = timedelta(hours=hours, minutes=minutes)
        self.description = (
            f"ISO weeks, Monday to Monday in {timezone}; each run starts at {run_at} on the Monday after its week"
        )

    @property
    def summary(self) -> str:
        return f"Weekly: ISO week, runs Mon {self.run_at} {self.timezone}"

    def serialize(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "run_at": self.run_at}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> Timetable:
        return cls(timezone=data["timezone"], run_at=data["run_at"])

    def validate(self) -> None:
        from airflow.exceptions import AirflowTimetableInvalid

        try:
            pendulum.timezone(self.timezone)
            hours, minutes = (int(x) for x in self.run_at.split(":"))
            time(hours, minutes)
        except Exception as e:
            raise AirflowTimetableInvalid(f"bad briefing timetable ({self.timezone}, {self.run_at}): {e}") from e

    # -- the week arithmetic, in the briefing's timezone --------------------------------------------

    def week_start(self, moment: DateTime) -> DateTime:
        """Monday 00:00 (local) of the week holding ``moment``, as UTC."""
        local = pendulum.instance(moment).in_timezone(self.timezone)
        monday = local.start_of("day").subtract(days=local.weekday())
        return monday.in_timezone("UTC")

    def _next_week(self, start: DateTime) -> DateTime:
        local = pendulum.instance(start).in_timezone(self.timezone)
        return local.add(weeks=1).in_timezone("UTC")

    def _info(self, start: DateTime) -> DagRunInfo:
        end = self._next_week(start)
        return DagRunInfo(run_after=end + self._delay, data_interval=DataInterval(start=start, end=end))

    def generate_run_id(
        self, *, run_type: Any, run_after: DateTime, data_interval: DataInterval | None, **extra: Any
    ) -> str:
        """A run id naming the ISO week of the run's data interval; scheduled runs, one per week, need no more."""
        if data_interval is None:
            return str(
                super().generate_run_id(run_type=run_type, run_after=run_after, data_interval=data_interval, **extra)
            )
        from briefing.week import week_of

        week = week_of(data_interval.start, self.timezone)
        if str(getattr(run_type, "value", run_type)) == "scheduled":
            return str(run_type.generate_run_id(suffix=str(week)))
        at = pendulum.instance(run_after).in_timezone("UTC").isoformat()
        return str(run_type.generate_run_id(suffix=f"{week}_{at}"))

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        end = self.week_start(run_after)
        start = self.week_start(pendulum.instance(end).subtract(days=3))
        return DataInterval(start=start, end=end)

    def next_dagrun_info(
        self, *, last_automated_data_interval: DataInterval | None, restriction: TimeRestriction
    ) -> DagRunInfo | None:
        if last_automated_data_interval is not None:
            start = self.week_start(last_automated_data_interval.end)
        elif restriction.earliest is None:
            return None
        else:
            start = self.week_start(restriction.earliest)
            if start < restriction.earliest:
                start = self._next_week(start)  # the first whole week after the start date
            if not restriction.catchup:
                # only the latest week that has ended (or the current one, which will run when it ends)
                latest = self.week_start(pendulum.now("UTC").subtract(weeks=1))
                start = max(start, latest)
        if restriction.latest is not None and start > restriction.latest:
            return None
        return self._info(start)
