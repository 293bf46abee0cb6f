"""Two crawler processes share one crawl through a real Redis: every page fetched once, work split."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import connect
from newsmon.testing.sites import GovSite

from conftest import ROOT

SCRAPY = str(Path(sys.executable).parent / "scrapy")


def test_two_processes_share_the_queue_and_the_duplicate_filter(tmp_path, mongo_uri, redis_url):
    import redis

    with Site() as site:
        gov = GovSite(site, n=40, per_page=10, etag=False)
        for a in gov.articles:  # slow pages, so both processes are busy at once
            route = site.routes[a["path"]]
            site.add(a["path"], Route(route.body, delay=1.0))
        cfg = tmp_path / "cfg"
        cfg.mkdir()
        shutil.copy(ROOT / "config" / "keywords.yaml", cfg)
        (cfg / "sources.yaml").write_text("sources:\n" + gov.source_yaml(), encoding="utf-8")
        env = {**os.environ, "NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "NEWSMON_ALLOW_PRIVATE": "1",
               "NEWSMON_REDIS_URL": redis_url, "NEWSMON_CRAWL_KEY": "t1"}
        # at most 4 requests in flight per process, so one process cannot take the whole queue at once
        # (an idle Scrapy engine looks for new requests every 5 s)
        args = [SCRAPY, "crawl", "gov_local", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=4",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]
        procs = [subprocess.Popen(args, cwd=ROOT, env={**env, "NEWSMON_DATA_DIR": str(tmp_path / f"d{i}")},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for i in range(2)]
        outputs = [p.communicate(timeout=240)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], "\n".join(o[-3000:] for o in outputs)

        hits = [p for p in site.paths_hit() if "/content/" in p]
        assert sorted(hits) == sorted(a["path"] for a in gov.articles)  # each article fetched once in all
        assert site.paths_hit().count("/zhengce/zuixin.htm") == 1       # the second copy of page 1 was filtered
        store = connect(mongo_uri, os.environ["MONGO_DATABASE"])
        docs = list(store.db.articles.find({}, {"reprint_count": 1}))
        # 40 pages over 14 distinct texts: every page is an article or a merged reprint, none lost or doubled
        assert len(docs) == 14 and len(docs) + sum(d.get("reprint_count", 0) for d in docs) == 40
        runs = list(store.db.crawl_runs.find())
        found = sorted(r["sources"]["gov_local"]["articles_found"] for r in runs)
        assert len(runs) == 2 and sum(found) == 40 and found[0] > 0, (found, [o[-2500:] for o in outputs])  # both worked
        server = redis.Redis.from_url(redis_url)
        assert 0 < server.ttl("newsmon:t1:gov_local:dupefilter") <= 86400  # the finished crawl's keys expire
        assert not list(server.scan_iter("newsmon:t1:gov_local:busy:*"))
