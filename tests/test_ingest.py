"""`newsmon ingest`: a saved page or a URL through the whole pipeline into a real store."""

from __future__ import annotations

import json

import pytest

from newsmon.storage import open_store, reprints
from newsmon.testing.httpsite import Route, Site

from conftest import FIXTURES, ROOT, free_port, run_cli

PAGES = FIXTURES / "dedupe" / "pages"
SNAPSHOT = ROOT / "snapshot"
# people.com.cn pages of the offline snapshot (constructed on the real template: snapshot/README.md)
ZHUJIANBU = SNAPSHOT / "finance.people.com.cn/n1/2020/0319/c1004-990319012.html"
WAIHUIJU = SNAPSHOT / "finance.people.com.cn/n1/2020/0321/c1004-990321009.html"
YINBAOJIAN = SNAPSHOT / "finance.people.com.cn/n1/2020/0322/c1004-990322010.html"
PEOPLE_URL = "http://finance.people.com.cn/n1/2020/0319/c1004-990319012.html"
SINA_URL = "https://news.sina.com.cn/c/2020-03-19/doc-iimxxsth0319001.shtml"


def ingest(capsys, *args) -> tuple[int, str, str]:
    """`newsmon ingest ARGS` as a user runs it (a one-page crawl: its own process, like every crawl)."""
    result = run_cli("newsmon", "ingest", *map(str, args))
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def test_stored_then_merged_then_already_known(settings, capsys):
    code, out, _ = ingest(capsys, ZHUJIANBU, "--url", PEOPLE_URL)
    assert code == 0 and out.startswith("stored ") and PEOPLE_URL in out and "住房和城乡建设部" in out
    article_id = out.split()[1]

    # the same item run by another portal: other chrome, title, caption, 来源 and 责任编辑, a sentence cut
    code, out, _ = ingest(capsys, PAGES / "sina_reprint_zhujianbu.html", "--url", SINA_URL + "?from=wap")
    assert code == 0, out
    assert out.startswith(f"merged into {article_id} ({PEOPLE_URL}) as a near duplicate"), out
    assert out.endswith("it now has 1 reprint(s)")

    code, out, _ = ingest(capsys, PAGES / "sina_reprint_zhujianbu.html", "--url", SINA_URL, "--json")
    result = json.loads(out)
    assert code == 0 and result["outcome"] == "already" and result["id"] == article_id

    code, out, _ = ingest(capsys, ZHUJIANBU, "--url", PEOPLE_URL + "#top")
    assert code == 0 and out == f"already known: {PEOPLE_URL} is stored as {article_id}"

    store = open_store(settings)
    docs = list(store.db.articles.find({}))
    assert len(docs) == 1 and docs[0]["reprint_count"] == 1
    entry = docs[0]["also_at"][0]
    assert entry["url"] == SINA_URL and entry["source"] == "manual" and entry["match"] == "near"
    assert entry["published_at"].isoformat().startswith("2020-03-19T07:20")  # 15:20 Beijing time on the sina page
    assert entry["outlet"] == "人民网" and entry["first_seen"] > docs[0]["first_seen"]
    assert docs[0]["discovered_via"] == "manual" and docs[0]["kind"] == "media"
    assert reprints.is_known(store, SINA_URL)


def test_different_report_from_the_same_press_conference_is_stored(settings, capsys):
    ingest(capsys, WAIHUIJU, "--url", "http://finance.people.com.cn/n1/2020/0321/c1004-990321009.html")
    code, out, _ = ingest(capsys, YINBAOJIAN, "--url",
                          "http://finance.people.com.cn/n1/2020/0322/c1004-990322010.html", "--json")
    result = json.loads(out)
    assert code == 0 and result["outcome"] == "stored" and "duplicate_kind" not in result
    assert len(list(open_store(settings).db.articles.find({}, {"_id": 1}))) == 2


def test_rejected_says_why(settings, capsys):
    code, out, _ = ingest(capsys, PAGES / "sina_real.html", "--url", "https://news.sina.com.cn/w/2019-11-25/doc-a.shtml")
    assert code == 1 and out == "rejected: no blockchain term in title or body"
    code, out, _ = ingest(capsys, PAGES / "sina_real.html", "--url", "https://news.sina.com.cn/w/2019-11-25/doc-a.shtml",
                          "--json")
    assert json.loads(out)["outcome"] == "rejected"
    assert not list(open_store(settings).db.articles.find({}, {"_id": 1}))


def test_file_without_url_is_keyed_by_its_path(settings, capsys):
    code, out, err = ingest(capsys, WAIHUIJU)
    assert code == 0 and out.startswith("stored ") and "file://" in out
    assert "no --url" in err


def test_source_and_kind_options(settings, capsys):
    code, out, _ = ingest(capsys, WAIHUIJU, "--url", "http://finance.people.com.cn/n1/x.html",
                          "--source", "people", "--kind", "gov", "--json")
    assert code == 0 and json.loads(out)["source"] == "people"
    doc = open_store(settings).db.articles.find_one({})
    assert doc["source"] == "people" and doc["source_title"] == "人民网" and doc["kind"] == "gov"
    code, _, err = ingest(capsys, WAIHUIJU, "--source", "nosuch")
    assert code == 2 and "unknown source 'nosuch'" in err and "people" in err


def test_fetches_a_url(settings, capsys):
    body = (WAIHUIJU).read_bytes()
    with Site() as site:
        site.add("/n1/2020/0321/c1004-990321009.html", Route(body, headers={"Content-Type": "text/html; charset=utf-8"}))
        site.add("/moved", Route(b"", 301, headers={"Location": site.url("/n1/2020/0321/c1004-990321009.html")}))
        code, out, _ = ingest(capsys, site.url("/moved"), "--json")  # a URL given by hand: loopback is allowed
        result = json.loads(out)
        assert code == 0 and result["outcome"] == "stored"
        assert result["url"] == site.url("/n1/2020/0321/c1004-990321009.html")  # after the redirect
        code, _, err = ingest(capsys, site.url("/missing.html"))
        assert code == 4 and err.count("\n") == 0 and "HTTP 404" in err and "Traceback" not in err


@pytest.mark.parametrize("target, needle", [("/no/such/page.html", "is not a file"), ("ftp://x/y", "is not a file")])
def test_bad_target_is_one_line(settings, capsys, target, needle):
    code, _, err = ingest(capsys, target)
    assert code == 2 and needle in err and "Traceback" not in err  # same as `newsmon extract`


def test_store_down_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", f"mongodb://127.0.0.1:{free_port()}/")
    monkeypatch.setenv("MONGO_TIMEOUT_MS", "300")
    code, out, err = ingest(capsys, WAIHUIJU, "--url", "http://finance.people.com.cn/n1/y.html")
    assert code == 3 and not out and err.startswith("newsmon: error: cannot reach MongoDB") and "\n" not in err


def test_as_a_user_runs_it(settings):
    """The console script, in a process of its own."""
    first = run_cli("newsmon", "ingest", str(ZHUJIANBU), "--url", PEOPLE_URL)
    assert first.returncode == 0 and first.stdout.startswith("stored "), first.stderr[-2000:]
    article_id = first.stdout.split()[1]
    second = run_cli("newsmon", "ingest", str(PAGES / "sina_reprint_zhujianbu.html"), "--url", SINA_URL)
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.stdout.strip().startswith(f"merged into {article_id} ")
    assert second.stdout.count("\n") == 1  # one line on stdout; logs only with -v
    helped = run_cli("newsmon", "ingest", "--help")
    assert helped.returncode == 0 and "FILE_OR_URL" in helped.stdout and "--url" in helped.stdout
