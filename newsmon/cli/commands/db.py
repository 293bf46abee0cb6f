"""Manage the embedded MongoDB server (used when MONGO_URI is not set).

  newsmon db start           start it, or report the one already running
  newsmon db stop            stop it
  newsmon db status [--json] where it listens, its pid and data path
  newsmon db reindex         add articles stored before dedupe existed to the
                             near-duplicate index (safe to repeat)

With MONGO_URI set, `status` checks that server instead.
"""

from __future__ import annotations

import json

from newsmon.config import get_settings
from newsmon.storage import embedded_server, redact

HELP = "start, stop or inspect the embedded store"


def add_arguments(parser):
    parser.add_argument("action", choices=["start", "stop", "status", "reindex"], help="what to do")
    parser.add_argument("--json", action="store_true", help="status as JSON (uri, pid, data_path) for scripts")


def run(args) -> int:
    settings = get_settings()
    server = embedded_server(settings)
    uri = settings.get("MONGO_URI")
    if args.action == "start":
        info = server.ensure_running()
        print(f"embedded store running at {info.uri} (pid {info.pid}, data {info.data_path})")
        if uri:
            print(f"note: MONGO_URI is set ({redact(uri)}), so newsmon will use that server, not this one")
        return 0
    if args.action == "reindex":
        from newsmon.storage import open_store, reprints

        added = reprints.backfill(open_store(settings))
        print(f"indexed {added} article(s) for near-duplicate detection")
        return 0
    if args.action == "stop":
        print("embedded store stopped" if server.stop() else "embedded store was not running")
        return 0
    if uri:
        from newsmon.storage import open_store

        open_store(settings)  # StoreUnavailable (exit 3) when it does not answer
        status = {"running": True, "uri": redact(uri), "pid": None, "data_path": None, "embedded": False}
    else:
        info = server.status()
        status = {"running": bool(info), "embedded": True, **(info.as_dict() if info else
                  {"uri": None, "pid": None, "data_path": str(server.db_dir)})}
    if args.json:
        print(json.dumps(status))
    elif status["running"]:
        print(f"store running at {status['uri']}" + (f" (pid {status['pid']}, data {status['data_path']})" if status["embedded"] else ""))
    else:
        print(f"embedded store not running (data {status['data_path']}); start it with 'newsmon db start'")
    return 0 if status["running"] else 1
