"""List the last crawl runs: when, how they were started, how they ended, what they stored.

One line per run (newest first): start and end time (Asia/Shanghai), run id, trigger
(schedule / run-now / newsmon run / scrapy crawl), group, status (running, ok,
failed, timeout, interrupted), duration, new articles, errors, and why a run
did not end ok. A run whose process died (no heartbeat for
NEWSMON_RUN_STALE_AFTER seconds, or its process is gone) is closed as failed by
the next command that looks: this one, `newsmon run`, or the scheduler.

Examples:
  newsmon runs                 the last 20 runs
  newsmon runs --limit 5 -d    the last 5, with per-source counts
  newsmon runs --json          as JSON, for scripts
"""

from __future__ import annotations

import datetime as dt
import json

from newsmon.cli.options import positive_int
from newsmon.config import get_settings

HELP = "list the last crawl runs and how they ended"


def add_arguments(parser):
    parser.add_argument("--limit", type=positive_int, default=20, metavar="N", help="how many runs (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON (one array of run documents)")
    parser.add_argument("-d", "--details", action="store_true", help="per-source counts and errors under each run")


def _date(value):
    """crawl_runs dates: datetimes, or ISO-like strings (the embedded server's \\$set of a date)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    return None


def _jsonable(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def error_count(run: dict) -> int:
    total = 0
    for counts in (run.get("sources") or {}).values():
        if isinstance(counts, dict):
            total += sum(v for v in (counts.get("errors") or {}).values() if isinstance(v, (int, float)))
    return total


def _ended(run: dict) -> str:
    """End time in Asia/Shanghai: HH:MM on the day the run started, else MM-DD HH:MM."""
    from newsmon.vocab import SHANGHAI

    start, end = _date(run.get("started_at")), _date(run.get("finished_at"))
    if end is None:
        return "-"
    end = end.astimezone(SHANGHAI)
    if start is not None and start.astimezone(SHANGHAI).date() == end.date():
        return end.strftime("%H:%M")
    return end.strftime("%m-%d %H:%M")


def format_runs(runs: list[dict], details: bool = False) -> str:
    from newsmon.cli.report import fmt_date, pad, source_summary

    if not runs:
        return "No runs yet. Start one with 'newsmon run', 'newsmon run-now' or the scheduler ('newsmon schedule')."
    lines = [f"{pad('started', 17)} {pad('ended', 12)} {pad('run', 24)} {pad('trigger', 12)} {pad('group', 8)} "
             f"{pad('status', 12)} {pad('took', 8)} {pad('new', 5)} {pad('errors', 7)} note"]
    for r in runs:
        took = r.get("duration_s")
        took = f"{took:g}s" if isinstance(took, (int, float)) else "-"
        status = str(r.get("status", "?"))
        lines.append(
            f"{pad(fmt_date(_date(r.get('started_at'))), 17)} {pad(_ended(r), 12)} {pad(str(r.get('_id')), 24)} "
            f"{pad(str(r.get('trigger', '-')), 12)} "
            f"{pad(str(r.get('group') or '-'), 8)} {pad(status, 12)} {pad(took, 8)} {pad(str(r.get('new_articles', 0)), 5)} "
            f"{pad(str(error_count(r)), 7)} {r.get('reason') or ''}")
        if details:
            summary = source_summary(r)
            if summary:
                lines.append(summary)
    return "\n".join(lines)


def run(args) -> int:
    from newsmon.storage import open_store
    from newsmon.storage.runs import RunLog

    settings = get_settings()
    log = RunLog(open_store(settings))
    log.close_dead(settings.getfloat("NEWSMON_RUN_STALE_AFTER"))  # a run whose process died is not "running"
    runs = log.recent(max(args.limit, 1))
    if args.json:
        print(json.dumps([_jsonable(r) for r in runs], ensure_ascii=False, indent=2))
    else:
        print(format_runs(runs, args.details))
    return 0
