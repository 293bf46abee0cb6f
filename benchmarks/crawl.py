"""Crawl throughput and incremental request counts, against `scrapy bench` in the same run.

A loopback site shaped like www.gov.cn's policy channel holds N article pages
(default 5,000) and their TRS-style list pages. newsmon crawls it with the whole
pipeline into the embedded store, then crawls it again (the incremental daily
run). `scrapy bench` runs on the same machine in the same run as the baseline.

    .venv/bin/python benchmarks/crawl.py [--articles 5000] [--per-page 50]

Politeness is set for a benchmark, not for the web: loopback is allowed, no
AutoThrottle, 16 concurrent requests per domain (the defaults are 2 and
AutoThrottle on; a polite crawl of one site is paced by the site, not by us).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results import recorded
from newsmon.storage.embedded import EmbeddedServer
from newsmon.testing.httpsite import Site
from newsmon.testing.servers import connect, free_port
from newsmon.testing.sites import GovSite

ROOT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent
CORPUS = Path(os.environ.get("NEWSMON_CORPUS", ROOT.parent / "shared" / "corpus"))




def sentence_pool() -> list[str]:
    """Real sentences from the corpus' human-annotated article texts (to make every page distinct)."""
    data = json.loads((CORPUS / "magic-html_zh" / "base_zh_subset.json").read_text(encoding="utf-8"))
    pool = []
    for entry in data.values():
        pool += [s + "。" for s in re.split(r"[。！？]", entry["content"]) if 20 <= len(s) <= 120]
    return pool


def scrapy_bench(seconds: int) -> float:
    """Pages per minute `scrapy bench` reports (mean of its per-minute rates after warm-up)."""
    out = subprocess.run([str(BIN / "scrapy"), "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOGSTATS_INTERVAL=2"],
                         capture_output=True, text=True, cwd=tempfile.gettempdir()).stderr
    rates = [int(m) for m in re.findall(r"Crawled \d+ pages \(at (\d+) pages/min\)", out)]
    pages = re.findall(r"'response_received_count': (\d+)", out)
    elapsed = re.findall(r"'elapsed_time_seconds': ([\d.]+)", out)
    if pages and elapsed:
        return int(pages[-1]) / float(elapsed[-1])
    return (sum(rates[1:]) / max(1, len(rates) - 1)) / 60 if rates else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--per-page", type=int, default=50)
    ap.add_argument("--bench-seconds", type=int, default=20)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    server = EmbeddedServer(tmp / "data", port=free_port())
    info = server.ensure_running()
    pool = sentence_pool()
    rng = random.Random(7)
    try:
        with Site() as site:
            print(f"building a loopback site of {args.articles} articles ...", flush=True)
            gov = GovSite(site, n=0, per_page=args.per_page)
            start = dt.date(2026, 11, 20)
            for i in range(args.articles):
                text = "\n".join(rng.sample(pool, 6))
                gov.add_article(start - dt.timedelta(days=i // 40), at_end=True,
                                text=f"第{i}号通知提出，推进区块链技术在政务服务中的应用。\n{text}",
                                title=f"关于推进区块链应用的第{i}号通知")
            gov.publish()
            cfg = tmp / "cfg"
            cfg.mkdir()
            shutil.copy(ROOT / "config" / "keywords.yaml", cfg)
            (cfg / "sources.yaml").write_text("sources:\n" + gov.source_yaml(max_pages=10_000), encoding="utf-8")
            env = {**os.environ, "NEWSMON_CONFIG_DIR": str(cfg), "NEWSMON_DATA_DIR": str(tmp / "data"),
                   "MONGO_URI": info.uri, "NEWSMON_ALLOW_PRIVATE": "1"}
            sets = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CONCURRENT_REQUESTS=16",
                    "-s", "LOG_LEVEL=WARNING"]
            store = connect(info.uri)
            results = []
            for label in ("full crawl", "incremental re-run"):
                mark = len(site.hits)
                t0 = time.perf_counter()
                proc = subprocess.run([str(BIN / "newsmon"), "run", "--quiet", *sets], env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - t0
                if proc.returncode != 0:
                    print(proc.stdout[-2000:], proc.stderr[-3000:])
                    raise SystemExit(f"{label} failed")
                run = store.recent_runs(1)[0]
                counts = run["sources"]["gov_local"]
                hits = site.paths_hit()[mark:]
                results.append((label, elapsed, counts, len(hits), sum("/content/" in p for p in hits),
                                sum("zuixin" in p for p in hits)))
                print(f"  {label}: {elapsed:.1f}s", flush=True)
            print(f"running scrapy bench for {args.bench_seconds}s ...", flush=True)
            bench = scrapy_bench(args.bench_seconds)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    full = results[0]
    pages = full[3]
    rate = pages / full[1]
    print()
    print(f"Crawl benchmark: {args.articles} articles, {args.per_page} per list page, loopback, 2 cores")
    print(f"{'run':<20} {'seconds':>8} {'requests':>9} {'article pages':>14} {'list pages':>11} {'stored':>7} {'pages/s':>8}")
    for label, elapsed, counts, reqs, arts, lists in results:
        print(f"{label:<20} {elapsed:>8.1f} {reqs:>9} {arts:>14} {lists:>11} {counts['articles_stored']:>7} {reqs / elapsed:>8.1f}")
    print(f"{'scrapy bench':<20} {'':>8} {'':>9} {'':>14} {'':>11} {'':>7} {bench:>8.1f}")
    print(f"\nnewsmon full pipeline / scrapy bench = {rate / bench:.2f} (wall time includes process start and store writes)")


if __name__ == "__main__":
    with recorded("crawl", "Crawl"):
        main()
