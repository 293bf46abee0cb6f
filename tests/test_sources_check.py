"""`newsmon sources check` and `newsmon sources add` against real loopback sites, and offline replays."""

from __future__ import annotations

import json
import shutil

import pytest

from newsmon.testing.httpsite import Route, Site
from newsmon.testing.servers import free_port
from newsmon.testing.sites import GovSite

from conftest import ROOT, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWSMON_RETRY_BACKOFF_BASE=0.05", "-s", "DOWNLOAD_TIMEOUT=3",
        "-s", "RETRY_TIMES=0"]
LISTPAGES = ROOT / "benchmarks" / "data" / "listpages"


@pytest.fixture
def cfg(tmp_path):
    """A config dir of our own: write(sources_yaml) -> env for run_cli."""
    directory = tmp_path / "cfg"
    directory.mkdir()
    shutil.copy(ROOT / "config" / "keywords.yaml", directory / "keywords.yaml")

    def write(sources: str, **extra) -> dict:
        (directory / "sources.yaml").write_text("sources:\n" + sources, encoding="utf-8")
        return {"NEWSMON_CONFIG_DIR": str(directory), "NEWSMON_ALLOW_PRIVATE": "1", **extra}

    write.dir = directory
    return write


def check(env: dict, *args: str):
    result = run_cli("newsmon", "sources", "check", "--json", *FAST, *args, env=env)
    reports = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports[report["name"]] = report
    return result, reports


def list_source(name: str, url: str, links: str | None = "div.list ul li a", pattern: bool = True) -> str:
    lines = [f"  - name: {name}", "    kind: gov", "    level: central", "    allowed_domains: [127.0.0.1]"]
    if pattern:
        lines.append(r"    article_pattern: '/content/\d{4}-\d{2}/\d{2}/content_\d+\.htm'")
    lines += ["    discovery:", "      - list:", f"          url: {url}"]
    if links:
        lines.append(f"          links: '{links}'")
    return "\n".join(lines) + "\n"


def drifted_list(gov: GovSite) -> bytes:
    """gov's first list page after a redesign: new classes, div/p instead of ul/li, other URL shapes."""
    items = "".join(f'<p class="row"><a href="/news/{i}/detail-{7000 + i}.html">{a["title"]}</a>'
                    f'<em>{a["when"]:%Y-%m-%d}</em></p>' for i, a in enumerate(gov.articles[:5]))
    return (f'<html><head><meta charset="utf-8"></head><body><div class="top"><a href="/">首页</a>'
            f'<a href="/zhengce/">政策</a></div><div class="newlist">{items}</div>'
            f'<div class="foot"><a href="/about.htm">关于我们</a></div></body></html>').encode()


def test_page_verdicts_of_block_challenge_and_script_pages():
    from crawler.discovery import Entry
    from crawler.discovery.entries import Found
    from crawler.discovery.verdict import page_verdict, source_verdict

    nothing, some = Found(), Found([Entry("http://x.cn/a/1.html", "t")], "selector")
    challenge = "<html><head><script>var _0x=1;</script></head><body>安全验证 请稍候 yunsuo_session_verify</body></html>"
    assert page_verdict(200, challenge.encode(), nothing)[0] == "blocked"
    assert page_verdict(503, challenge.encode(), nothing)[0] == "blocked"
    assert page_verdict(503, b"<html><body>Service Unavailable</body></html>", nothing) == ("unreachable", "HTTP 503")
    assert page_verdict(412, b"", nothing)[0] == "blocked"
    assert page_verdict(200, "<html><body><noscript>请开启JavaScript</noscript><p>{}</p></body></html>".format(
        "栏目" * 200).encode(), nothing)[0] == "needs-javascript"
    assert page_verdict(200, b"<html><body><a href='/a'>x</a></body></html>", some) == ("ok", "")
    assert page_verdict(200, b"<html><body><p>no</p></body></html>", some, javascript=True)[0] == "ok"
    assert source_verdict(["ok", "drifted", "ok"]) == "drifted" and source_verdict(["drifted", "blocked"]) == "blocked"


def test_check_verdicts_record_and_replay(cfg, tmp_path):
    record = tmp_path / "recorded"
    with Site() as site:
        gov = GovSite(site, n=6, per_page=5)
        for i, a in enumerate(gov.articles[:5]):  # the redesigned site's article addresses
            site.add(f"/news/{i}/detail-{7000 + i}.html", site.routes[a["path"]])
        site.add("/redesign.htm", Route(drifted_list(gov)))
        site.add("/empty.htm", Route('<html><body><p>本栏目暂无信息</p><a href="/">首页</a></body></html>'.encode()))
        site.add("/blocked.htm", Route(b"<html><body>403 Forbidden</body></html>", 403))
        site.add("/app.htm", Route(b'<html><head><script src="/app.js"></script></head><body><div id="app"></div></body></html>'))
        site.add("/front.htm", Route(drifted_list(gov).replace(
            b"<head>", b'<head><link rel="alternate" type="application/rss+xml" href="/feed.xml">')))
        guarded = list_source("guarded_site", f"http://localhost:{site.port}/redesign.htm").replace(
            "[127.0.0.1]", "[localhost]")
        sources = (list_source("ok_site", gov.list_url())
                   + list_source("drift_site", site.url("/redesign.htm"))
                   + list_source("empty_site", site.url("/empty.htm"))
                   + list_source("blocked_site", site.url("/blocked.htm"))
                   + list_source("down_site", f"http://127.0.0.1:{free_port()}/list.htm")
                   + list_source("js_site", site.url("/app.htm"))
                   + "\n".join(["  - name: auto_site", "    kind: gov", "    level: central", "    allowed_domains: [127.0.0.1]",
                                "    discovery:", f"      - auto: {site.url('/front.htm')}"]) + "\n"
                   + guarded)
        # the address guard is on; only the test site's own address is exempt (localhost is not)
        env = cfg(sources, NEWSMON_ALLOW_PRIVATE="0", NEWSMON_ALLOW_HOSTS="127.0.0.1")
        result, reports = check(env, "--record", str(record))
        assert result.returncode == 1, result.stderr[-3000:]  # not every source is ok
        verdicts = {name: r["verdict"] for name, r in reports.items()}
        assert verdicts == {"ok_site": "ok", "drift_site": "drifted", "empty_site": "empty",
                            "blocked_site": "blocked", "down_site": "unreachable", "guarded_site": "unreachable",
                            "js_site": "needs-javascript", "auto_site": "ok"}
        front = reports["auto_site"]["discoveries"][0]   # the front page: its declared feed, its own list
        assert front["how"] == "auto" and front["links"] == 5 and front["feeds"] == [site.url("/feed.xml")]
        ok = reports["ok_site"]
        first = ok["discoveries"][0]
        assert first["status"] == 200 and first["links"] == 5 and first["how"] == "selector"
        assert first["newest"].startswith("2026-11-20")
        sample = ok["sample"]
        assert sample["title"] == gov.articles[0]["title"] and sample["body_chars"] > 50
        assert sample["outlet"] == "新华社" and "区块链" in sample["blockchain_terms"]
        drift = reports["drift_site"]["discoveries"][0]
        assert drift["how"] == "generic" and drift["links"] == 5  # the stale selector and pattern found nothing
        assert reports["blocked_site"]["discoveries"][0]["status"] == 403
        assert "non-public" in reports["guarded_site"]["discoveries"][0]["reason"]
        agent = next(h for _, p, h in site.hits if p == "/redesign.htm")["User-Agent"]
        assert agent.startswith("newsmon/")
        assert "/robots.txt" in site.paths_hit()  # robots.txt asked first
        assert site.paths_hit().count("/redesign.htm") == 1  # once: the guarded source's request never left

    # the site is gone: the recording replays offline with the same verdicts (the table this time)
    manifest = json.loads((record / "manifest.json").read_text(encoding="utf-8"))
    assert any(u.endswith("/redesign.htm") for u in manifest)
    assert any(m["status"] == 403 for m in manifest.values())
    replay = run_cli("newsmon", "sources", "check", *FAST,
                     env={**env, "NEWSMON_OFFLINE": "1", "NEWSMON_SNAPSHOT_DIR": str(record)})
    assert replay.returncode == 1, replay.stderr[-3000:]
    rows = [ln.split() for ln in replay.stdout.splitlines() if ln.split() and ln.split()[0] in verdicts]
    assert {row[0]: row[1] for row in rows} == verdicts
    assert f'"{sample["title"][:40]}"' in replay.stdout  # the sample article came from the snapshot too
    assert "8 source(s) checked, 2 ok" in replay.stdout
    unknown = run_cli("newsmon", "sources", "check", "nosuch", env=env)
    assert unknown.returncode == 2 and "unknown source" in unknown.stderr


def test_check_saved_page_offline_finds_renamed_list(cfg):
    """--page: a real corpus list page whose classes were renamed, parsed as the source would; nothing fetched."""
    from newsmon.testing.drift import drift

    row = next(json.loads(line) for line in (LISTPAGES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
               if "rtfund_xxpl" in line)
    page = cfg.dir.parent / "drifted.html"
    page.write_bytes(drift((LISTPAGES / "pages" / "corpus" / "rtfund_xxpl.html").read_bytes()))
    source = "\n".join([
        "  - name: rtfund", "    kind: media", "    level: central", "    allowed_domains: [www.rtfund.com]",
        "    discovery:", "      - list:", "          url: http://www.rtfund.com/main/xxpl/index.shtml",
        f"          links: '{row['main_xpath']['items']}//a'"]) + "\n"
    env = cfg(source)
    result = run_cli("newsmon", "sources", "check", "rtfund", "--page", str(page), "--url", row["url"], "--json",
                     env=env)
    assert result.returncode == 1, result.stderr[-2000:]  # drifted is not ok
    out = json.loads(result.stdout)
    assert out["verdict"] == "drifted"
    urls = [link["url"] for link in out["links"]]
    assert {link["how"] for link in out["links"]} == {"generic"}
    gold = set(row["articles"])
    assert len(gold & set(urls)) >= 0.9 * len(gold) and len(gold & set(urls)) >= 0.9 * len(urls)
    assert all(link["title"] for link in out["links"])

    # the undrifted page: the configured selector still works
    result = run_cli("newsmon", "sources", "check", "rtfund", "--page",
                     str(LISTPAGES / "pages" / "corpus" / "rtfund_xxpl.html"), "--url", row["url"], "--json", env=env)
    out = json.loads(result.stdout)
    assert result.returncode == 0 and out["verdict"] == "ok" and {x["how"] for x in out["links"]} == {"selector"}


def test_check_saved_feed_and_sitemap_offline(cfg, monkeypatch):
    """--page on a saved feed and a saved sitemap of people.com.cn (the offline snapshot's real files)."""
    from test_notify import cli

    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg.dir))
    cfg("\n".join(["  - name: people", "    kind: media", "    level: central", "    allowed_domains: [people.com.cn]",
                   "    discovery:", "      - rss: http://www.people.com.cn/rss/politics.xml",
                   "      - sitemap: https://politics.people.com.cn/news_sitemap.xml"]) + "\n")
    snap = ROOT / "snapshot"
    code, out, _ = cli("sources", "check", "people", "--page", str(snap / "www.people.com.cn/rss/politics.xml"),
                       "--url", "http://www.people.com.cn/rss/politics.xml", "--json")
    feed = json.loads(out)
    assert code == 0 and feed["verdict"] == "ok" and feed["how"] == "feed" and len(feed["links"]) == 9
    assert all(link["url"].startswith("http") and link["title"] for link in feed["links"])
    code, out, _ = cli("sources", "check", "people", "--page", str(snap / "politics.people.com.cn/news_sitemap.xml"),
                       "--url", "https://politics.people.com.cn/news_sitemap.xml", "--discovery", "1", "--json")
    sitemap = json.loads(out)
    assert code == 0 and sitemap["via"] == "sitemap" and sitemap["how"] == "sitemap" and len(sitemap["links"]) == 11
    code, _, err = cli("sources", "check", "people", "--page", str(snap / "www.people.com.cn/rss/politics.xml"),
                       "--url", "http://x/", "--discovery", "5")
    assert code == 2 and "discovery entries 0 to 1" in err

