"""Registers briefing's pieces with Airflow: the week timetable, the links to a run's briefing, the
archive app served inside the API server at /briefing (with an entry in the UI's navigation), and the
listener that fails a run at its start when a pool it names is missing."""

from __future__ import annotations

import briefing_pool_guard
from airflow.plugins_manager import AirflowPlugin
from briefing_archive_app import app as archive_app
from briefing_links import DraftLink, PublishedLink
from briefing_timetable import BriefingWeekTimetable


class BriefingPlugin(AirflowPlugin):
    name = "briefing"
    timetables = [BriefingWeekTimetable]
    operator_extra_links = [DraftLink(), PublishedLink()]
    fastapi_apps = [{"app": archive_app, "url_prefix": "/briefing", "name": "Briefing archive"}]
    listeners = [briefing_pool_guard]
    external_views = [{"name": "Briefings", "href": "/briefing/", "destination": "nav", "url_route": "briefing"}]
