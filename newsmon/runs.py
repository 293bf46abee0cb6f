"""Crawl run identifiers shared by every component of one run.

``newsmon run`` (and the scheduler) pick the id and pass it in NEWSMON_RUN_ID so
all sources of a run land in one crawl_runs document; a bare ``scrapy crawl``
gets its own id, kept in the crawler's stats so every component sees the same.
"""

from __future__ import annotations

import datetime as dt
import secrets


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def run_id_for_settings(settings, stats) -> str:
    run_id = settings.get("NEWSMON_RUN_ID") or stats.get_value("newsmon/run_id")
    if not run_id:
        run_id = new_run_id()
    stats.set_value("newsmon/run_id", run_id)
    return run_id
