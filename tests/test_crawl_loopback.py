"""The people.com.cn source over real HTTP on loopback: same pages, same pipeline, real store."""

from __future__ import annotations

import json
import re

import pytest

from newsmon.testing.httpsite import Route, Site

from conftest import ROOT, run_cli

SNAPSHOT = ROOT / "snapshot"
PEOPLE_HOST = re.compile(r"https?://([a-z0-9]+\.people\.com\.cn)/")


@pytest.fixture
def people_site():
    """Serve the snapshot under /<host>/<path>, with feed links rewritten to loopback."""
    manifest = json.loads((SNAPSHOT / "manifest.json").read_text())
    with Site() as site:
        for url, meta in manifest.items():
            body = (SNAPSHOT / meta["file"]).read_bytes()
            if meta["file"].endswith(".xml"):
                body = PEOPLE_HOST.sub(lambda m: f"{site.base}/{m.group(1)}/", body.decode()).encode()
            path = "/" + PEOPLE_HOST.sub(lambda m: m.group(1) + "/", url, count=1)
            site.add(path, Route(body, headers=meta["headers"]))
        site.add("/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}))
        yield site


def people_config(tmp_path, site, feeds=("politics", "society")):
    """A config dir with the shipped keywords and one people.com.cn source reading these feeds on loopback."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "keywords.yaml").write_text((ROOT / "config" / "keywords.yaml").read_text())
    rss = "".join(f"      - rss: {site.url(f'/www.people.com.cn/rss/{feed}.xml')}\n" for feed in feeds)
    (cfg / "sources.yaml").write_text(f"""
sources:
  - name: people_local
    title: 人民网
    kind: media
    level: central
    allowed_domains: [127.0.0.1]
    discovery:
{rss}    article_pattern: '/n1/\\d{{4}}/\\d{{4}}/c\\d+-\\d+\\.html'
""")
    return cfg


def test_people_source_over_loopback_http(people_site, tmp_path, mongo_uri, monkeypatch):
    cfg = people_config(tmp_path, people_site)
    import os

    env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": os.environ["MONGO_DATABASE"],
           "NEWSMON_ALLOW_PRIVATE": "1"}
    result = run_cli("newsmon", "run", "-s", "AUTOTHROTTLE_ENABLED=0", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"ok: 14 new article", result.stdout), result.stdout
    hits = people_site.paths_hit()
    assert hits.count("/robots.txt") == 1  # robots.txt is asked for, once per host
    assert sum("/n1/" in p for p in hits) == 18
    again = run_cli("newsmon", "run", "-s", "AUTOTHROTTLE_ENABLED=0", env=env)
    assert re.search(r"ok: 0 new article", again.stdout)
    article_hits = [p for p in people_site.paths_hit()[len(hits):] if "/n1/" in p]
    assert article_hits == []  # the second run fetched no article page


def test_worker_processes_store_what_the_crawl_process_would(people_site, tmp_path, mongo_uri, monkeypatch):
    """Extraction and labels in worker processes (from the first article on) give the same stored articles."""
    import os

    from newsmon.storage.runs import RunLog
    from newsmon.testing.servers import connect

    cfg = people_config(tmp_path, people_site, feeds=("politics",))
    stored = {}
    for workers in ("0", "2"):
        db = f"{os.environ['MONGO_DATABASE']}_w{workers}"
        env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": db, "NEWSMON_ALLOW_PRIVATE": "1",
               "NEWSMON_WORKERS": workers, "NEWSMON_WORKERS_AFTER": "0"}
        result = run_cli("newsmon", "run", "-s", "AUTOTHROTTLE_ENABLED=0", env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        store = connect(mongo_uri, db)
        assert RunLog(store).recent(1)[0]["sources"]["people_local"]["workers"] == int(workers)
        stored[workers] = {d["url"]: d for d in store.db.articles.find({}, {"_id": 0, "first_seen": 0, "first_seen_ms": 0,
                                                                              "run_id": 0})}
        store.close()
    assert len(stored["0"]) >= 5
    assert stored["2"] == stored["0"]
