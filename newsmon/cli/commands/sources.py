"""List the configured sources with the status of their last crawl; check them; propose new ones.

A source is FLAGGED after several bad runs in a row (NEWSMON_FLAG_AFTER_EMPTY_RUNS,
default 3): either its discovery pages answered but announced no article (its
feed moved or its list layout changed: the config needs a look), or nothing
could be fetched at all (the site is down, moved, or blocks the crawler).
DRIFTED means its last crawl found nothing with the configured selector (or
article_pattern) and read the list with the generic fallback instead.

  newsmon sources check [NAME ...]   fetch every discovery endpoint once and say whether it works:
                                     ok, drifted, empty, blocked, needs-javascript, unreachable
                                     (exit 0 when every checked source is ok, else 1)
  newsmon sources add URL            propose a sources.yaml entry for a site, for you to review

Examples:
  newsmon sources
  newsmon sources --flagged
  newsmon sources --json
  newsmon sources check gov_beijing people --json
  newsmon sources check --record fixtures/          # then NEWSMON_OFFLINE=1 NEWSMON_SNAPSHOT_DIR=fixtures/ replays it
  newsmon sources check people --page saved.html --url http://www.people.com.cn/ --json
  newsmon sources add https://www.example.gov.cn/ --name gov_example
"""

from __future__ import annotations

import argparse
import json

from newsmon import config
from newsmon.cli.report import fmt_date, pad
from newsmon.storage import open_store

HELP = "list sources and how their last crawl went"


def add_arguments(parser):
    parser.add_argument("--flagged", action="store_true", help="only sources flagged as finding nothing")
    parser.add_argument("--json", action="store_true", help="one JSON object per source")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    check = sub.add_parser("check", help="fetch each discovery endpoint once and report whether it works",
                           description=CHECK_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("names", nargs="*", metavar="NAME", help="sources to check (default: every enabled one)")
    check.add_argument("--json", action="store_true", help="one JSON object per source (JSON lines)")
    check.add_argument("--record", metavar="DIR", help="save every response as an offline snapshot in DIR")
    check.add_argument("--page", metavar="FILE", help="check a saved discovery response instead (fetches nothing)")
    check.add_argument("--url", help="with --page: the address the saved response came from")
    check.add_argument("--discovery", type=int, default=0, metavar="N",
                       help="with --page: which discovery entry of the source (0-based, default 0)")
    check.add_argument("--charset", help="with --page: the response's charset, if known")
    check.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a setting for this check (e.g. DOWNLOAD_TIMEOUT=10)")
    add = sub.add_parser("add", help="propose a sources.yaml entry for a site", description=ADD_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("url", metavar="URL", help="the site's front page (or a channel page)")
    add.add_argument("--name", help="the source's name (default: made from the host)")
    add.add_argument("--page", metavar="FILE", help="the saved front page: work offline")
    add.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="per request (default 20)")


CHECK_HELP = """Fetch each discovery endpoint of each source once, politely (robots.txt, the address
guard, the User-Agent, a delay between requests to one host), and report its HTTP status,
the links found and how (selector, pattern = article_pattern, generic = the drift fallback),
the newest listed date, one sample article, and a verdict: ok, drifted (the configured
selector finds nothing but a fallback does), empty, blocked (403, WAF or challenge page),
needs-javascript, unreachable. Nothing is stored.

Exit status: 0 every checked source is ok; 1 some is not; 2 unknown source or bad option.

  newsmon sources check                       every enabled source, a table
  newsmon sources check people --json         JSON lines
  newsmon sources check --record DIR          also save every response as an offline snapshot
  NEWSMON_OFFLINE=1 NEWSMON_SNAPSHOT_DIR=DIR newsmon sources check    replay it without the network
  newsmon sources check NAME --page FILE --url URL [--discovery N] --json
                                              parse a saved response as if it came from URL
"""

ADD_HELP = """Fetch a site's front page (and robots.txt and the common feed and sitemap addresses)
and print a proposed sources.yaml entry: kind and level guessed from the host (gov.cn
hosts are gov), the feeds and sitemaps found, and an article_pattern generalised from
the page's article links. Review it before adding it to config/sources.yaml.

  newsmon sources add https://www.example.gov.cn/
  newsmon sources add https://www.example.gov.cn/ --page saved.html --name gov_example   (offline)
"""


def run(args) -> int:
    if args.action == "check":
        return run_check(args)
    if args.action == "add":
        from newsmon.cli.sources_add import run_add

        return run_add(args)
    return run_list(args)


def run_check(args) -> int:
    import logging

    from newsmon.cli import sources_check as check
    from newsmon.config.settings import parse_overrides
    from newsmon.errors import ConfigError

    if not getattr(args, "verbose", False):  # the report is the answer; the crawl's log only with -v
        for handler in logging.getLogger().handlers:
            handler.setLevel(logging.WARNING)
    settings = config.get_settings(parse_overrides(args.set))
    if args.page:
        from newsmon.cli.fetch import read_file

        if len(args.names) != 1 or not args.url:
            raise ConfigError("--page needs exactly one source NAME and --url URL (where the page came from)")
        source = config.source(settings, args.names[0])
        if not 0 <= args.discovery < len(source.discovery):
            raise ConfigError(f"--discovery {args.discovery}: {source.name} has discovery entries 0 to "
                              f"{len(source.discovery) - 1}")
        out = check.check_page(source, args.discovery, read_file(args.page), args.url, args.charset)
        print(check.to_json(out) if args.json else
              f"{out['verdict']}{': ' + out['reason'] if out['reason'] else ''}\n" +
              "\n".join(f"  {link['how']:8} {link['url']}  {link['title'][:40]}" for link in out["links"]))
        return 0 if out["verdict"] == "ok" else 1
    if args.url:
        raise ConfigError("--url goes with --page FILE")
    sources = [config.source(settings, name) for name in args.names] if args.names else \
        [s for s in config.sources(settings) if s.enabled]
    reports = check.run_check(settings, sources, record=args.record)
    if args.json:
        for report in reports:
            print(check.to_json(report))
    else:
        print(check.table(reports))
    return 0 if reports and all(r["verdict"] == "ok" for r in reports) else 1


def run_list(args) -> int:
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
            "drifted": h.get("drifted") == "yes", "drifted_at": h.get("drifted_at"), "drift": h.get("drift") or {},
        }
        if args.flagged and not row["flagged"]:
            continue
        rows.append(row)
    if args.json:
        for row in rows:
            print(json.dumps({**row, "last_at": row["last_at"].isoformat() if row["last_at"] else None,
                              "drifted_at": row["drifted_at"].isoformat() if row["drifted_at"] else None},
                             ensure_ascii=False))
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
        if r["drifted"]:
            pages = ", ".join("auto-discovery" if via == "auto" else f"{via} {n} page(s)"
                              for via, n in sorted(r["drift"].items()))
            health_text += f"; DRIFTED since {fmt_date(r['drifted_at'])} ({pages} read by the fallback)"
        print(f"{pad(r['name'], 22)} {pad(r['kind'], 5)} {pad(r['level'], 10)} {pad(r['province'], 8)} "
              f"{pad(','.join(r['discovery']), 20)} {pad(fmt_date(r['last_at']), 16)} {pad(r['last_status'], 10)} "
              f"{r['entries']:>5} {r['stored']:>4} {r['errors']:>4}  {health_text}")
    flagged = sum(r["flagged"] for r in rows)
    drifted = sum(r["drifted"] for r in rows)
    print(f"\n{len(rows)} source(s), {flagged} flagged, {drifted} drifted")
    return 0
