"""How long article fetching stalls while the store is down (issue: one store gateway per process).

A loopback gov.cn-like site serves N articles, each answering after a short
delay; ``scrapy crawl`` crawls it into an embedded store, and the store is
killed after the first third of the articles was fetched and left down. The
benchmark prints the longest gap between two consecutive article fetches before
the outage and during it: a crawl that waits for a connect timeout on the reactor
thread shows multi-second gaps; one that backs off and spills does not.

    .venv/bin/python -m benchmarks.outage [--articles 300] [--project DIR --python PY]

``--project``/``--python`` run the crawl from another checkout (an older
version, to measure "before" in the same run); the site and the clock stay here.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.results import recorded
from newsmon.config.settings import PROJECT_ROOT, child_environ
from newsmon.storage.embedded import EmbeddedServer
from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import free_port
from newsmon.testing.sites import GovSite


def longest_gap(times: list[float]) -> float:
    return max((b - a for a, b in zip(times, times[1:])), default=0.0)


def crawl_once(project: Path, python: str, n: int, delay: float, tmp: Path) -> dict:
    server = EmbeddedServer(tmp / "data", port=free_port())
    info = server.ensure_running()
    with Site() as site:
        gov = GovSite(site, n=n, per_page=50, etag=False)
        for a in gov.articles:
            site.add(a["path"], Route(site.routes[a["path"]].body, delay=delay))
        cfg = tmp / "cfg"
        cfg.mkdir(exist_ok=True)
        shutil.copy(PROJECT_ROOT / "config" / "keywords.yaml", cfg)
        (cfg / "sources.yaml").write_text("sources:\n" + gov.source_yaml(max_pages=n // 50 + 1), encoding="utf-8")
        env = child_environ({"NEWSMON_CONFIG_DIR": str(cfg), "NEWSMON_DATA_DIR": str(tmp / "data"), "MONGO_URI": info.uri,
                             "NEWSMON_ALLOW_PRIVATE": "1"})
        cmd = [python, "-m", "scrapy", "crawl", "gov_local", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=4",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "LOG_LEVEL=WARNING"]
        killed_at: list[float] = []

        def kill_when_a_third_is_fetched():
            while sum("/content/" in p for _, p in site.timeline) < n // 3:
                time.sleep(0.01)
            killed_at.append(time.monotonic())
            server.stop()

        killer = threading.Thread(target=kill_when_a_third_is_fetched, daemon=True)
        killer.start()
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=900)
        took = time.monotonic() - started
        articles = [t for t, p in site.timeline if "/content/" in p]
    server.stop()
    cut = killed_at[0] if killed_at else float("inf")
    before = [t for t in articles if t < cut]
    during = [t for t in articles if t >= cut]
    return {"exit": proc.returncode, "articles": len(articles), "seconds": took,
            "gap_before": longest_gap(before), "gap_during": longest_gap(([before[-1]] if before else []) + during),
            "fetched_during": len(during), "stderr": proc.stderr[-600:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--delay", type=float, default=0.02, help="seconds each article page takes to answer")
    parser.add_argument("--project", type=Path, action="append", default=[], help="another checkout to crawl from")
    parser.add_argument("--python", action="append", default=[], help="its interpreter (one per --project)")
    args = parser.parse_args(argv)
    runs = [("this checkout", PROJECT_ROOT, sys.executable)]
    runs += [(str(p), p, py) for p, py in zip(args.project, args.python)]
    print(f"Store outage during a crawl: {args.articles} articles, {args.delay * 1000:.0f} ms each, 4 in flight; "
          f"the store is killed after {args.articles // 3} and stays down\n")
    print(f"{'crawl from':<34} {'exit':>4} {'fetched':>8} {'after kill':>10} {'longest gap before':>19} "
          f"{'longest gap during outage':>26}")
    for label, project, python in runs:
        with tempfile.TemporaryDirectory(prefix="newsmon-outage-") as tmp:
            r = crawl_once(project, python, args.articles, args.delay, Path(tmp))
        print(f"{label:<34} {r['exit']:>4} {r['articles']:>8} {r['fetched_during']:>10} {r['gap_before']:>18.2f}s "
              f"{r['gap_during']:>25.2f}s")
    return 0


if __name__ == "__main__":
    with recorded("outage", "Store outage"):
        code = main()
    sys.exit(code)
