"""List the configured sources with the status of their last crawl.

A source is FLAGGED after several bad runs in a row (NEWSMON_FLAG_AFTER_EMPTY_RUNS,
default 3): either its discovery pages answered but announced no article (its
feed moved or its list layout changed: the config needs a look), or nothing
could be fetched at all (the site is down, moved, or blocks the crawler).

Examples:
  newsmon sources
  newsmon sources --flagged
  newsmon sources --json
"""

from __future__ import annotations

import json

from newsmon import config
from newsmon.cli.report import fmt_date, pad
from newsmon.storage import open_store

HELP = "list sources and how their last crawl went"


def add_arguments(parser):
    parser.add_argument("--flagged", action="store_true", help="only sources flagged as finding nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object per source")


def run(args) -> int:
    settings = config.get_settings()
    sources = config.sources(settings)
    health = open_store(settings).health()
    rows = []
    for s in sources:
        h = health.get(s.name, {})
        c = h.get("last_counts", {})
        row = {
            "name": s.name, "title": s.title, "kind": s.kind, "level": s.level, "province": s.province or "",
            "discovery": sorted({d.via for d in s.discovery}), "enabled": s.enabled, "group": s.group,
            "last_at": h.get("last_at"), "last_status": h.get("last_status", "never run"),
            "entries": c.get("entries", 0), "stored": c.get("articles_stored", 0),
            "errors": sum((c.get("errors") or {}).values()), "empty_streak": h.get("empty_streak", 0),
            "unreachable_streak": h.get("unreachable_streak", 0),
            "flagged": h.get("flagged") == "yes", "flag_reason": h.get("flag_reason") or "",
        }
        if args.flagged and not row["flagged"]:
            continue
        rows.append(row)
    if args.json:
        for row in rows:
            print(json.dumps({**row, "last_at": row["last_at"].isoformat() if row["last_at"] else None}, ensure_ascii=False))
        return 0
    print(f"{pad('source', 22)} {pad('kind', 5)} {pad('level', 10)} {pad('province', 8)} {pad('discovery', 20)} "
          f"{pad('last run', 16)} {pad('status', 10)} {'links':>5} {'new':>4} {'err':>4}  health")
    for r in rows:
        if r["flagged"] and r["flag_reason"] == "unreachable":
            health_text = f"FLAGGED: unreachable in {r['unreachable_streak']} runs"
        elif r["flagged"]:
            health_text = f"FLAGGED: nothing found in {r['empty_streak']} runs"
        else:
            health_text = "disabled" if not r["enabled"] else "ok"
        print(f"{pad(r['name'], 22)} {pad(r['kind'], 5)} {pad(r['level'], 10)} {pad(r['province'], 8)} "
              f"{pad(','.join(r['discovery']), 20)} {pad(fmt_date(r['last_at']), 16)} {pad(r['last_status'], 10)} "
              f"{r['entries']:>5} {r['stored']:>4} {r['errors']:>4}  {health_text}")
    flagged = sum(r["flagged"] for r in rows)
    print(f"\n{len(rows)} source(s), {flagged} flagged")
    return 0
