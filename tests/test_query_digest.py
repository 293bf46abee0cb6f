"""`newsmon query / new / stats / digest` on a store filled by a real pipeline run over the snapshot."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest

from newsmon.testing.servers import connect

from conftest import run_cli


@pytest.fixture(scope="module")
def filled(mongo_server, tmp_path_factory):
    """A database filled by `newsmon run --offline` (people.com.cn snapshot, whole pipeline)."""
    env = {"MONGO_URI": mongo_server.uri, "MONGO_DATABASE": f"q_{uuid.uuid4().hex[:8]}",
           "NEWSMON_DATA_DIR": str(tmp_path_factory.mktemp("qdata"))}
    result = run_cli("newsmon", "run", "--offline", "people", "--quiet", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    # the 外汇局 story reprinted on a gov.cn-shaped page with other chrome, 来源 and editor lines
    import datetime as dt

    from newsmon.testing.sites import SEED_ITEMS, article_html

    item = next(i for i in SEED_ITEMS if i["title"].startswith("外汇局"))
    page = tmp_path_factory.mktemp("reprint") / "reprint.html"
    page.write_text(article_html(item["title"], item["text"] + "\n（责任编辑：李明）", dt.datetime(2020, 3, 22, 9, 0),
                                 outlet="中国政府网"), encoding="utf-8")
    ingest = run_cli("newsmon", "ingest", str(page), "--url", "http://www.gov.cn/xinwen/2020-03/22/content_5494000.htm",
                     "--kind", "gov", env=env)
    assert ingest.returncode == 0 and ingest.stdout.startswith("merged"), ingest.stdout + ingest.stderr[-2000:]
    return env


def cli(env, *args):
    """`newsmon ARGS` in this process (query, new, stats and digest start no crawl), with env's settings."""
    import contextlib
    import io
    import os
    from unittest import mock

    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, err.getvalue()[-3000:]
    return out.getvalue()


def jsonl(env, *args) -> list[dict]:
    return [json.loads(line) for line in cli(env, "query", "--format", "jsonl", "--limit", "0", *args).splitlines()]


def test_query_filters_map_to_labels(filled):
    everything = jsonl(filled)
    assert len(everything) == 14
    policy = jsonl(filled, "--category", "policy")
    assert policy and all(d["category"] == "policy" for d in policy)
    shandong = jsonl(filled, "--province", "山东")
    assert [d["title"][:2] for d in shandong] == ["山东"]
    central = jsonl(filled, "--level", "central")
    assert {d["level"] for d in central} == {"central"} and any("外汇局" in d["title"] for d in central)
    assert len(jsonl(filled, "--level", "central", "--category", "application")) < len(central)
    both = jsonl(filled, "--province", "山东", "--province", "甘肃")
    assert {d["province"] for d in both} == {"山东", "甘肃"}
    assert {d["region"] for d in jsonl(filled, "--region", "西北")} == {"西北"}
    assert all("跨境金融区块链" in d["title"] + d.get("content", "") or "跨境" in d["title"]
               for d in jsonl(filled, "--text", "跨境金融区块链平台"))
    assert len(jsonl(filled, "--text", "跨境金融区块链平台")) == 1
    assert len(jsonl(filled, "--title", "区块链")) == 14
    assert jsonl(filled, "--kind", "gov") == [] and len(jsonl(filled, "--kind", "media")) == 14
    assert jsonl(filled, "--source", "nosuch") == []
    rel = jsonl(filled, "--min-relevance", "0.5")
    assert all(d["relevance"] >= 0.5 for d in rel) and len(rel) < 14
    published = jsonl(filled, "--by", "published", "--since", "2020-03-20", "--until", "2020-03-21")
    assert published and all(d["published_at"][:10] in ("2020-03-20", "2020-03-21", "2020-03-19") for d in published)
    assert all("2020-03-19T16" <= d["published_at"] < "2020-03-21T16" for d in published)
    assert jsonl(filled, "--since", "2099-01-01") == []


def test_query_formats_and_sorting(filled):
    table = cli(filled, "query", "--limit", "3", "--sort", "published")
    assert "14" not in table.splitlines()[-1] and table.strip().endswith("3 article(s)")
    rows = list(csv.DictReader(io.StringIO(cli(filled, "query", "--format", "csv", "--limit", "0"))))
    assert len(rows) == 14 and rows[0]["url"].startswith("http://") and {"category", "province"} <= set(rows[0])
    md = cli(filled, "query", "--format", "md", "--category", "voice")
    assert md.startswith("| published |") and "银保监会" in md
    dates = [d["published_at"] for d in jsonl(filled, "--sort", "published", "--asc")]
    assert dates == sorted(dates)


@pytest.mark.parametrize("evil", ['{"$where": "sleep(5000)"}', '{"$ne": null}', ".*", "$gt", "\\"])
def test_user_input_never_becomes_an_operator(filled, evil):
    for option in ("--text", "--title", "--province", "--source"):
        assert jsonl(filled, option, evil) == [], (option, evil)


def test_new_moves_a_cursor_per_consumer(filled):
    first = cli(filled, "new", "--consumer", "alice", "--format", "jsonl").splitlines()
    assert len(first) == 14
    assert cli(filled, "new", "--consumer", "alice", "--format", "jsonl") == ""
    peek = cli(filled, "new", "--consumer", "bob", "--peek", "--format", "jsonl").splitlines()
    assert len(peek) == 14
    assert len(cli(filled, "new", "--consumer", "bob", "--format", "jsonl").splitlines()) == 14  # peek did not move it
    # a new article arrives: only it is new, for both consumers
    store = connect(filled["MONGO_URI"], filled["MONGO_DATABASE"])
    import datetime as dt

    store.insert_article({"url": "http://www.gov.cn/zhengce/new.htm", "title": "新的区块链政策", "source": "gov",
                          "first_seen": dt.datetime.now(dt.timezone.utc)})
    assert cli(filled, "new", "--consumer", "alice", "--format", "jsonl") == ""  # still settling (2 s)
    for who in ("alice", "bob"):
        rows = [json.loads(x) for x in cli(filled, "new", "--consumer", who, "--settle", "0", "--format", "jsonl").splitlines()]
        assert [r["title"] for r in rows] == ["新的区块链政策"]
    store.db.articles.delete_one({"url": "http://www.gov.cn/zhengce/new.htm"})


def test_stats(filled):
    out = json.loads(cli(filled, "stats", "--json"))
    assert out["total"] == 14 and out["source"] == {"people": 14}
    assert sum(out["category"].values()) == 14 and out["province"]["山东"] == 1
    assert sum(out["day"].values()) == 14
    text = cli(filled, "stats", "--by", "published", "--since", "2020-03-01")
    assert text.startswith("14 article(s)") and "by province" in text and "2020-03-23" in text


def test_markdown_digest_follows_the_seed_structure(filled):
    md = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31")
    lines = md.splitlines()
    assert lines[0].startswith("# ") and "14 篇" in md
    h2 = [ln for ln in lines if ln.startswith("## ")]
    assert h2 == ["## 国家职能部门", "## 各省市"]  # no 中央 item in this set; order as configured
    h3_local = [ln for ln in lines[lines.index("## 各省市"):] if ln.startswith("### ")]
    assert h3_local == ["### 华北", "### 东北", "### 华东", "### 华中", "### 西南", "### 西北"]
    ministry = "\n".join(lines[lines.index("## 国家职能部门"):lines.index("## 各省市")])
    assert "### 应用" in ministry and "外汇局" in ministry and "跨境金融区块链平台" in ministry
    entry = next(ln for ln in lines if "外汇局" in ln and ln.startswith("- "))
    assert "2020-03-21" in entry and "](http://finance.people.com.cn/" in entry
    assert "2 家媒体刊发" in entry and md.count("外汇局：积极运用") == 1  # the reprint is one entry
    assert md.count("\n- **") == 14
    empty = cli(filled, "digest", "--from", "2021-01-01", "--to", "2021-01-02")
    assert "没有新的相关报道" in empty


def test_html_digest_renders_with_charts_in_chromium(filled, tmp_path):
    out = tmp_path / "digest.html"
    cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--format", "html", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.split("<body>")[0]  # self-contained head, no scripts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        tab = browser.new_page(viewport={"width": 1000, "height": 1400})
        requests = []
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(out.as_uri())
        bars = tab.eval_on_selector_all("svg.chart rect.bar", "els => els.map(e => e.getBoundingClientRect().width)")
        charts = tab.eval_on_selector_all("svg.chart", "els => els.length")
        shot = tmp_path / "digest.png"
        tab.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert charts == 2 and len(bars) >= 10 and all(w > 0 for w in bars)
    assert "2 家媒体刊发" in page
    assert requests == [out.as_uri()]  # nothing fetched besides the file itself
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
