"""Dedupe against a real store: exact and near duplicates merge into also_at, different articles stay apart,
the same URL twice is a no-op, and a reprint caught by an outage is spilled and merged on the next start."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from newsmon.storage import forget_stores, open_store, reprints
from newsmon.storage.embedded import EmbeddedServer

from conftest import FIXTURES, free_port

ARTICLES = {r["id"]: r for r in map(json.loads, (FIXTURES / "dedupe" / "articles.jsonl").read_text(encoding="utf-8").splitlines())}
STAGES = ("pipelines.normalize.NormalizePipeline", "pipelines.dedupe.DedupePipeline", "pipelines.store.StorePipeline")
DAY = dt.datetime(2020, 3, 22, 3, 0, tzinfo=dt.timezone.utc)


class Pipeline:
    """normalize -> dedupe -> store, each built from a real Crawler the way Scrapy builds them."""

    def __init__(self, settings=None):
        from scrapy.utils.misc import load_object

        from newsmon.testing.crawler import crawler_for

        self.crawler = crawler_for()
        self.stats = self.crawler.stats
        self.stages = [load_object(p).from_crawler(self.crawler) for p in STAGES]
        self.stages[-1].open_spider()

    def __call__(self, url, content, *, title="t", source="test", fetched_url=None, canonical_link=None, published_at=DAY):
        item = {"url": url, "fetched_url": fetched_url or url, "canonical_link": canonical_link, "title": title,
                "content": content, "source": source, "outlet": "新华社", "published_at": published_at, "kind": "media"}
        for stage in self.stages:
            item = stage.handle(item) if hasattr(stage, "handle") else stage.process_item(item)
        return item

    def close(self):
        self.stages[-1].close_spider()


def reprint_text(text: str) -> str:
    ps = [p for p in text.split("\n") if p.strip()]
    del ps[len(ps) // 2]
    return "\n".join(["来源：中国经济网", *ps[:1], "图为发布会现场。（图片来源：视觉中国）", *ps[1:], "（责任编辑：张晓）"])


def test_exact_and_near_duplicates_merge_into_the_first_seen(settings):
    run = Pipeline(settings)
    text = ARTICLES["finance"]["content"]
    first = run("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", text, title="河南：推动高质量发展")
    assert first["store_outcome"] == "stored" and "duplicate_of" not in first
    exact = run("https://www.example-portal.cn/a/1.html", text + "\n（责任编辑：王震）", title="转载标题", source="portal")
    near = run("https://m.example-daily.cn/a/2.html?utm_source=wx", reprint_text(text), title="另一个标题", source="daily",
               published_at=DAY + dt.timedelta(hours=5))
    assert exact["duplicate_kind"] == "exact" and exact["store_outcome"] == "merged"
    assert near["duplicate_kind"] == "near" and near["store_outcome"] == "merged"
    assert exact["duplicate_of"] == near["duplicate_of"] == first["article_id"]
    store = open_store(settings)
    docs = list(store.db.articles.find({}))
    assert len(docs) == 1, "a reprint is never stored as an article of its own"
    doc = docs[0]
    assert doc["title"] == "河南：推动高质量发展" and doc["url"] == first["url"]  # the canonical stays as first seen
    assert doc["reprint_count"] == 2
    also = doc["also_at"]
    assert [e["url"] for e in also] == ["https://www.example-portal.cn/a/1.html", "https://m.example-daily.cn/a/2.html"]
    assert [e["source"] for e in also] == ["portal", "daily"]
    assert also[1]["published_at"] == DAY + dt.timedelta(hours=5)
    assert all(e["first_seen"].tzinfo is not None and e["first_seen"] >= doc["first_seen"] for e in also)
    assert [e["match"] for e in also] == ["exact", "near"] and also[1]["title"] == "另一个标题"
    # a reprint URL counts as known for the next crawl
    assert reprints.is_known(store, "https://m.example-daily.cn/a/2.html")
    assert store.is_known("https://m.example-daily.cn/a/2.html")  # one lookup knows stored, rejected and reprint URLs alike
    assert not reprints.is_known(store, "https://m.example-daily.cn/a/3.html")
    assert reprints.known_urls(store, [first["url"], "https://m.example-daily.cn/a/2.html", "https://x.example.cn/"]) == {
        first["url"], "https://m.example-daily.cn/a/2.html"}
    run.close()


def test_same_url_twice_is_a_no_op(settings):
    run = Pipeline(settings)
    text = ARTICLES["cx37"]["content"]
    run("http://money.163.com/15/0704/37.html", text)
    for _ in range(2):
        again = run("https://www.example-portal.cn/a/9.html#comments", reprint_text(text))
    assert again["duplicate_kind"] == "url" and again["store_outcome"] == "known"
    same = run("http://money.163.com/15/0704/37.html?spm=a.b", text)  # the canonical's own URL, spelled otherwise
    assert same["duplicate_kind"] == "url"
    doc = open_store(settings).db.articles.find_one({})
    assert doc["reprint_count"] == 1 and len(doc["also_at"]) == 1
    # merging the same entry directly is a no-op too (e.g. a replayed spill record)
    entry = dict(doc["also_at"][0])
    assert reprints.merge(open_store(settings), doc["_id"], entry).outcome == "already"
    assert open_store(settings).db.articles.find_one({})["reprint_count"] == 1


@pytest.mark.parametrize("pair", [("cx54", "cx37"), ("cx33", "cx41")])
def test_different_reports_on_one_event_stay_two_articles(settings, pair):
    run = Pipeline(settings)
    a = run("http://money.163.com/a.html", ARTICLES[pair[0]]["content"])
    b = run("http://money.163.com/b.html", ARTICLES[pair[1]]["content"])
    assert "duplicate_of" not in b and b["store_outcome"] == "stored"
    assert {d["url"] for d in open_store(settings).db.articles.find({}, {"url": 1})} == {a["url"], b["url"]}


def test_a_week_of_blockchain_items_is_fourteen_articles_and_their_reprints_merge(settings):
    run = Pipeline(settings)
    gold = [ARTICLES[f"s0-{n:02d}"] for n in range(14)]
    ids = [run(f"http://gold.example.cn/{g['id']}.html", g["content"], title=g["title"])["article_id"] for g in gold]
    reps = [run(f"https://reprint.example.cn/{g['id']}.html", "来源：人民网\n" + g["content"] + "\n责任编辑：李晓")
            for g in gold]
    assert [r.get("duplicate_of") for r in reps] == ids
    store = open_store(settings)
    assert len(list(store.db.articles.find({}, {"_id": 1}))) == 14
    assert sorted(d["reprint_count"] for d in store.db.articles.find({}, {"reprint_count": 1})) == [1] * 14


def test_a_new_article_is_looked_up_with_one_query(settings):
    """URL, body hash and band keys in one ``_id $in``; unrelated articles are not candidates."""
    from pymongo import MongoClient, monitoring

    from newsmon.dedupe import fingerprint
    from newsmon.storage import Store

    run = Pipeline(settings)
    for k, art in enumerate(("cx54", "cx37", "cx33", "cx41", "economy")):
        run(f"http://x.example.cn/{k}.html", ARTICLES[art]["content"])
    store = open_store(settings)

    class Count(monitoring.CommandListener):
        names: list[str] = []

        def started(self, event):
            self.names.append(event.command_name)

        def succeeded(self, event):
            pass

        def failed(self, event):
            pass

    counter = Count()
    watched = Store(MongoClient(store.uri, tz_aware=True, event_listeners=[counter]), store.db.name, store.uri)
    assert reprints.find_duplicate(watched, "http://y.example.cn/new.html", fingerprint(ARTICLES["finance"]["content"])) is None
    assert counter.names == ["find"]          # one round trip for a new article, whatever the store holds
    fp = fingerprint(reprint_text(ARTICLES["cx33"]["content"]))
    cands = reprints.candidates(store, fp)
    assert [c[1] for c in cands][:1] and len(cands) == 1
    assert not reprints.candidates(store, fingerprint(ARTICLES["finance"]["content"]))


def test_concurrent_merges_lose_nothing(settings):
    run = Pipeline(settings)
    first = run("http://a.example.cn/1.html", ARTICLES["economy"]["content"])
    store = open_store(settings)
    errors = []

    def worker(n):
        try:
            for k in range(6):
                entry = {"url": f"https://r{n}.example.cn/{k}.html", "source": f"w{n}", "published_at": None,
                         "first_seen": dt.datetime.now(dt.timezone.utc), "match": "near"}
                assert reprints.merge(store, first["article_id"], entry).outcome == "merged"
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    doc = store.db.articles.find_one({})
    assert doc["reprint_count"] == 18 and len({e["url"] for e in doc["also_at"]}) == 18


def test_rel_canonical_on_the_same_site_is_the_key_and_the_fetched_url_is_known(settings):
    run = Pipeline(settings)
    item = run("http://m.people.cn/n4/2024/0510/c1004-40232587.html", ARTICLES["finance"]["content"],
               canonical_link="http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html")
    assert item["url"] == "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html"
    assert item["fetched_url"] == "http://m.people.cn/n4/2024/0510/c1004-40232587.html"
    store = open_store(settings)
    assert store.find_article(item["url"])
    assert reprints.is_known(store, "http://m.people.cn/n4/2024/0510/c1004-40232587.html")
    # rel=canonical to another site is not honoured
    other = run("https://www.example-portal.cn/a/5.html", ARTICLES["cx41"]["content"],
                canonical_link="http://money.163.com/15/0703/41.html")
    assert other["url"] == "https://www.example-portal.cn/a/5.html"


def _outage_env(tmp_path, monkeypatch):
    from newsmon.config import get_settings

    server = EmbeddedServer(tmp_path / "outage", port=free_port())
    info = server.ensure_running()
    monkeypatch.setenv("MONGO_URI", info.uri)
    monkeypatch.setenv("MONGO_TIMEOUT_MS", "800")
    return server, get_settings()


def test_reprint_during_an_outage_is_spilled_and_merged_on_the_next_start(tmp_path, monkeypatch):
    from pipelines.store import StorePipeline

    server, settings = _outage_env(tmp_path, monkeypatch)
    try:
        run = Pipeline(settings)
        canon = run("http://a.example.cn/canon.html", ARTICLES["cx54"]["content"])
        server.stop()
        # the store is gone: the dedupe stage still knows this run's articles, the store stage spills
        rep = run("https://b.example.cn/rep.html", "来源：网易财经\n" + ARTICLES["cx54"]["content"] + "\n责任编辑：王晓")
        assert rep["store_outcome"] == "spilled" and rep["duplicate_of"] == canon["article_id"]
        both = run("http://a.example.cn/new.html", ARTICLES["cx33"]["content"])       # a new article, spilled
        both_rep = run("https://b.example.cn/new-rep.html", reprint_text(ARTICLES["cx33"]["content"]))
        assert both["store_outcome"] == both_rep["store_outcome"] == "spilled"
        assert both_rep["duplicate_of"] == both["article_id"]
        spill = run.stages[-1].spill
        records = [json.loads(line) for line in spill.path.read_text().splitlines()]
        ops = sorted(r["doc"]["op"] for r in records if r["collection"] == "reprint_queue")
        assert ops == ["merge", "merge", "recheck"]  # the new article is rechecked: dedupe could not ask the store
        assert [r["collection"] for r in records].count("articles") == 1
        forget_stores()
        server.ensure_running()
        store = open_store(settings)          # the next start writes the spill back ...
        assert not spill.path.exists()
        StorePipeline.from_crawler(run.crawler).open_spider()  # ... and the store stage applies the merges
        docs = {d["url"]: d for d in store.db.articles.find({})}
        assert set(docs) == {"http://a.example.cn/canon.html", "http://a.example.cn/new.html"}
        assert [e["url"] for e in docs["http://a.example.cn/canon.html"]["also_at"]] == ["https://b.example.cn/rep.html"]
        assert docs["http://a.example.cn/new.html"]["reprint_count"] == 1
        assert not list(store.db[reprints.QUEUE].find({}))
    finally:
        forget_stores()
        server.stop()


def test_article_stored_while_dedupe_could_not_look_is_rechecked(tmp_path, monkeypatch):
    """A reprint of an article stored by an earlier run arrives during an outage: spilled as new,
    then merged into the earlier article once the store is back."""
    from pipelines.store import StorePipeline

    server, settings = _outage_env(tmp_path, monkeypatch)
    try:
        Pipeline(settings)("http://a.example.cn/old.html", ARTICLES["cx41"]["content"], title="old")
        forget_stores()
        later = Pipeline(settings)  # another run: nothing in its memory
        server.stop()
        rep = later("https://b.example.cn/rep.html", reprint_text(ARTICLES["cx41"]["content"]))
        assert rep["store_outcome"] == "spilled" and rep["dedupe"].get("pending") and "duplicate_of" not in rep
        forget_stores()
        server.ensure_running()
        store = open_store(settings)  # the next start writes the spill back, then applies queued rechecks
        StorePipeline.from_crawler(later.crawler).open_spider()  # a crawl opening the store again: no-op
        docs = list(store.db.articles.find({}))
        assert len(docs) == 1 and docs[0]["title"] == "old"            # merged into the first seen
        assert [e["url"] for e in docs[0]["also_at"]] == ["https://b.example.cn/rep.html"]
        assert reprints.is_known(store, "https://b.example.cn/rep.html")
    finally:
        forget_stores()
        server.stop()


def test_articles_stored_before_dedupe_existed_can_be_indexed(settings):
    store = open_store(settings)
    store.insert_article({"url": "http://old.example.cn/1.html", "content": ARTICLES["cx33"]["content"], "title": "old"})
    store.insert_article({"url": "http://old.example.cn/2.html", "content": "", "title": "no body"})
    run = Pipeline(settings)
    rep = run("https://new.example.cn/1.html", reprint_text(ARTICLES["cx33"]["content"]))
    assert "duplicate_of" not in rep  # not indexed: only an exact copy would have been found
    store.db.articles.delete_one({"url": rep["url"]})
    store.db[reprints.INDEX].delete_one({"_id": reprints.as_oid(rep["article_id"])})
    assert reprints.backfill(store) == 1 and reprints.backfill(store) == 0
    again = Pipeline(settings)("https://new.example.cn/2.html", reprint_text(ARTICLES["cx33"]["content"]))
    assert again["duplicate_kind"] == "near" and again["store_outcome"] == "merged"


def test_a_store_from_before_the_lookup_keys_is_indexed_once_when_opened(settings):
    """Older stores kept band keys as fields of dedupe_index: the first open builds the keys from them."""
    from newsmon.dedupe import fingerprint, minhash
    from newsmon.storage import indexes, keys

    run = Pipeline(settings)
    text = ARTICLES["finance"]["content"]
    first = run("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", text, title="河南：推动高质量发展")
    run("https://m.example-daily.cn/a/2.html", reprint_text(text), title="另一个标题", source="daily")
    store = open_store(settings)
    store.mark_rejected("http://x.example.cn/no-term.html", "t", "no blockchain term")
    for doc in store.db[reprints.INDEX].find():            # the old layout: band keys as fields
        store.db[reprints.INDEX].update_one({"_id": doc["_id"]}, {"$set": dict(zip(
            [f"b{i}" for i in range(minhash.BANDS)], minhash.band_keys(doc["sig"])))})
    store.db[indexes.KEYS].drop()
    forget_stores()
    indexes.forget()
    reopened = open_store(settings)
    assert reopened.db[indexes.KEYS].find_one({"_id": keys.MARKER}) is not None
    assert reopened.known_urls([first["url"], "https://m.example-daily.cn/a/2.html", "http://x.example.cn/no-term.html",
                                "http://x.example.cn/unknown.html"]) == {
        first["url"], "https://m.example-daily.cn/a/2.html", "http://x.example.cn/no-term.html"}
    match = reprints.find_duplicate(reopened, "https://other.example.cn/3.html", fingerprint(reprint_text(text)))
    assert match is not None and match.kind == "near" and match.url == first["url"]
