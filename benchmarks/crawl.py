"""Crawl throughput, memory and incremental request counts, against `scrapy bench` in the same run.

For each size (default 1,000 and 5,000 articles) a loopback site shaped like
www.gov.cn's policy channel holds the article pages and their TRS-style list
pages; newsmon crawls it with the whole pipeline into a fresh embedded store
(`newsmon run`), then crawls it again (the incremental daily run). While each
crawl runs, the resident memory of its process tree (newsmon run, the scrapy
crawl process, its worker processes) and of the embedded server is sampled from
/proc. `scrapy bench` runs before and after, on the same machine in the same run,
as the baseline.

    .venv/bin/python -m benchmarks.crawl [--sizes 1000 5000] [--per-page 50]

Targets (issue 16): full pipeline >= 0.6 x scrapy bench at 5,000 articles; the
re-run fetches 0 article pages; crawl-process peak RSS grows < 20% from the
smallest size to the largest.

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
from benchmarks.rss import TreeSampler
from newsmon.storage.embedded import EmbeddedServer
from newsmon.storage.runs import RunLog
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


MB = 1024 * 1024
CRAWL_PROCESS = "newsmon.runs.child"
WORKER_PROCESS = "multiprocessing"


def build_site(site: Site, n: int, per_page: int, pool: list[str]) -> GovSite:
    rng = random.Random(7)
    gov = GovSite(site, n=0, per_page=per_page)
    start = dt.date(2026, 11, 20)
    for i in range(n):
        text = "\n".join(rng.sample(pool, 6))
        gov.add_article(start - dt.timedelta(days=i // 40), at_end=True,
                        text=f"第{i}号通知提出，推进区块链技术在政务服务中的应用。\n{text}",
                        title=f"关于推进区块链应用的第{i}号通知")
    gov.publish()
    return gov


def crawl_once(env: dict, sets: list[str], server_pid: int) -> tuple[float, TreeSampler, TreeSampler]:
    """One `newsmon run`: wall seconds and the memory samplers of its tree and of the store's server."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "newsmon"), "run", "--quiet", *sets], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as tree, TreeSampler(server_pid, interval=0.25) as server:
        out, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        print(out[-2000:], err[-3000:])
        raise SystemExit(f"newsmon run failed with exit {proc.returncode}")
    return elapsed, tree, server


def measure(n: int, per_page: int, pool: list[str], tmp: Path, extra: list[str]) -> dict:
    root = tmp / str(n)
    server = EmbeddedServer(root / "data", port=free_port())
    info = server.ensure_running()
    try:
        with Site() as site:
            print(f"{n} articles: building the loopback site ...", flush=True)
            gov = build_site(site, n, per_page, pool)
            cfg = root / "cfg"
            cfg.mkdir(parents=True)
            shutil.copy(ROOT / "config" / "keywords.yaml", cfg)
            (cfg / "sources.yaml").write_text("sources:\n" + gov.source_yaml(max_pages=10_000), encoding="utf-8")
            env = {**os.environ, "NEWSMON_CONFIG_DIR": str(cfg), "NEWSMON_DATA_DIR": str(root / "data"),
                   "MONGO_URI": info.uri, "NEWSMON_ALLOW_PRIVATE": "1"}
            sets = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CONCURRENT_REQUESTS=16",
                    "-s", "LOG_LEVEL=WARNING", *(x for item in extra for x in ("-s", item))]
            store = connect(info.uri)
            runs = []
            for label in ("full crawl", "re-run"):
                mark = len(site.hits)
                elapsed, tree, srv = crawl_once(env, sets, info.pid)
                counts = RunLog(store).recent(1)[0]["sources"]["gov_local"]
                hits = site.paths_hit()[mark:]
                runs.append({"run": label, "seconds": elapsed, "requests": len(hits),
                             "articles": sum("/content/" in p for p in hits), "lists": sum("zuixin" in p for p in hits),
                             "stored": counts["articles_stored"], "crawl_rss": tree.role_peak(CRAWL_PROCESS),
                             "worker_rss": tree.role_peak(WORKER_PROCESS), "workers": tree.count(WORKER_PROCESS),
                             "tree_rss": tree.peak, "server_rss": srv.peak})
                print(f"  {label}: {elapsed:.1f}s, {len(hits)} requests", flush=True)
            store.close()
    finally:
        server.stop()
    disk = sum(f.stat().st_size for f in (root / "data").rglob("*") if f.is_file())
    return {"n": n, "runs": runs, "disk": disk}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], help="articles per crawl (default: 1000 5000)")
    ap.add_argument("--per-page", type=int, default=50, help="links per list page (default: 50)")
    ap.add_argument("--bench-seconds", type=int, default=20, help="length of each scrapy bench run (default: 20)")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a setting for the crawls")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    pool = sentence_pool()
    try:
        print(f"running scrapy bench for {args.bench_seconds}s ...", flush=True)
        benches = [scrapy_bench(args.bench_seconds)]
        results = [measure(n, args.per_page, pool, tmp, args.set) for n in sorted(args.sizes)]
        print(f"running scrapy bench for {args.bench_seconds}s again ...", flush=True)
        benches.append(scrapy_bench(args.bench_seconds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    bench = sum(benches) / len(benches)
    print()
    print(f"Crawl benchmark: {args.per_page} links per list page, loopback, {os.cpu_count()} cores; "
          "pages/s = requests / wall time of `newsmon run` (process start and store writes included)")
    print(f"scrapy bench: {' and '.join(f'{b:.1f}' for b in benches)} pages/s, mean {bench:.1f}\n")
    print(f"{'articles':>8} {'run':<10} {'seconds':>8} {'requests':>9} {'art.pages':>9} {'lists':>6} {'stored':>7} "
          f"{'pages/s':>8} {'x bench':>8} | {'crawl MB':>8} {'worker MB':>9} {'tree MB':>8} {'server MB':>9}")
    for r in results:
        for run in r["runs"]:
            rate = run["requests"] / run["seconds"]
            print(f"{r['n']:>8} {run['run']:<10} {run['seconds']:>8.1f} {run['requests']:>9} {run['articles']:>9} {run['lists']:>6} "
                  f"{run['stored']:>7} {rate:>8.1f} {rate / bench:>8.2f} | {run['crawl_rss'] / MB:>8.0f} "
                  f"{run['worker_rss'] / MB:>9.0f} {run['tree_rss'] / MB:>8.0f} {run['server_rss'] / MB:>9.0f}")
    print("crawl MB: peak RSS of the scrapy crawl process; worker MB: the largest worker process "
          "(forkserver and pool); tree MB: peak of the whole `newsmon run` tree; server MB: the embedded store's server")
    for r in results:
        print(f"store on disk after {r['n']} articles: {r['disk'] / MB:.1f} MB")

    small, large = results[0], results[-1]
    full = large["runs"][0]
    ratio = full["requests"] / full["seconds"] / bench
    growth = large["runs"][0]["crawl_rss"] / small["runs"][0]["crawl_rss"] - 1
    tree_growth = large["runs"][0]["tree_rss"] / small["runs"][0]["tree_rss"] - 1
    refetched = sum(r["runs"][1]["articles"] for r in results)
    checks = [(f"full pipeline at {large['n']} articles >= 0.6 x scrapy bench", ratio >= 0.6, f"{ratio:.2f}"),
              ("re-runs fetch 0 article pages", refetched == 0, str(refetched)),
              (f"crawl-process peak RSS growth {small['n']} -> {large['n']} < 20%", growth < 0.20,
               f"{growth:+.1%} (whole tree {tree_growth:+.1%})")]
    print("\ntargets:")
    for what, ok, value in checks:
        print(f"  {'met ' if ok else 'MISS'} {what}: {value}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    with recorded("crawl", "Crawl"):
        code = main()
    sys.exit(code)
