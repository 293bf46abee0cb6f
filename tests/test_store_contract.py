"""The store contract: every MongoDB behaviour newsmon relies on, checked against a real server.

Runs against the embedded nx-27017 server by default, and against any server
with NEWSMON_CONTRACT_URI=mongodb://… (e.g. a production replica set) to prove
newsmon's queries behave the same there. The last tests pin down the quirks of
the embedded server that newsmon designs around: each asserts the quirk on
nx-27017 and its absence on real MongoDB, so a server upgrade that changes
either shows up here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import uuid

import pytest
from pymongo.errors import DuplicateKeyError

from newsmon.storage.mongo import Store
from newsmon.storage.queries import ArticleFilter, count_by, count_new, find_articles, new_for_consumer, save_cursor
from newsmon.storage.runs import RunLog
from newsmon.testing.servers import connect

UTC = dt.timezone.utc


@pytest.fixture
def cstore(mongo_server):
    uri = os.environ.get("NEWSMON_CONTRACT_URI") or mongo_server.uri
    store = connect(uri, f"contract_{uuid.uuid4().hex[:8]}")
    store.ensure_indexes()
    yield store
    store.client.drop_database(store.db.name)
    store.close()


def is_embedded(store: Store) -> bool:
    return not store.client.server_info().get("version")


def article(n: int, **extra) -> dict:
    return {"url": f"http://x.gov.cn/{n}.htm", "title": f"关于区块链的通知{n}", "content": f"正文{n}",
            "first_seen": dt.datetime(2026, 11, 20, 8, 0, n % 60, tzinfo=UTC), **extra}


def test_unique_url_and_known_urls(cstore):
    assert cstore.insert_article(article(1)) and not cstore.insert_article(article(1))
    cstore.mark_rejected("http://x.gov.cn/2.htm", "t", "no term")
    cstore.mark_rejected("http://x.gov.cn/2.htm", "t", "no term")   # idempotent
    assert cstore.known_urls(["http://x.gov.cn/1.htm", "http://x.gov.cn/2.htm", "http://x.gov.cn/3.htm"]) == {
        "http://x.gov.cn/1.htm", "http://x.gov.cn/2.htm"}
    assert cstore.is_known("http://x.gov.cn/2.htm") and not cstore.is_known("http://x.gov.cn/3.htm")


def test_dates_round_trip_as_aware_datetimes(cstore):
    cstore.insert_article(article(1, published_at=dt.datetime(2020, 3, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))))
    doc = cstore.find_article("http://x.gov.cn/1.htm")
    assert doc["published_at"] == dt.datetime(2020, 3, 23, 1, 0, tzinfo=UTC) and doc["first_seen_ms"] > 0


def test_set_fields_keeps_dates_dates(cstore):
    RunLog(cstore).start("r1", ["a"], "test")
    RunLog(cstore).record_source("r1", "a", {"pages_fetched": 3, "finished_at": dt.datetime(2026, 11, 20, tzinfo=UTC)})
    RunLog(cstore).finish("r1", "ok", new_articles=2)
    run = RunLog(cstore).get("r1")
    assert isinstance(run["finished_at"], dt.datetime) and isinstance(run["started_at"], dt.datetime)
    assert run["sources"]["a"]["pages_fetched"] == 3 and isinstance(run["sources"]["a"]["finished_at"], dt.datetime)
    assert RunLog(cstore).recent(1)[0]["_id"] == "r1"
    cstore.put_fields("source_health", "a", {"last_at": dt.datetime(2026, 11, 21, tzinfo=UTC), "n": 1})
    cstore.put_fields("source_health", "a", {"last_at": dt.datetime(2026, 11, 22, tzinfo=UTC), "n": 2})
    health = cstore.db.source_health.find_one({"_id": "a"})
    assert health["n"] == 2 and health["last_at"] == dt.datetime(2026, 11, 22, tzinfo=UTC)
    assert cstore.db.source_health.find_one({"last_at": {"$gte": dt.datetime(2026, 11, 21, 12, tzinfo=UTC)}})


def test_filters_sorts_and_counts(cstore):
    for n in range(6):
        cstore.insert_article(article(n, category="policy" if n % 2 else "application", province="山东" if n < 3 else "浙江",
                                      relevance=n / 10, published_at=dt.datetime(2026, 11, 10 + n, tzinfo=UTC)))
    got = find_articles(cstore, ArticleFilter(category=["policy"], province=["山东"]))
    assert [d["url"] for d in got] == ["http://x.gov.cn/1.htm"]
    by_pub = find_articles(cstore, ArticleFilter(by="published", since=dt.datetime(2026, 11, 12, tzinfo=UTC),
                                                 until=dt.datetime(2026, 11, 14, tzinfo=UTC)), sort="published", descending=False)
    assert [d["url"] for d in by_pub] == ["http://x.gov.cn/2.htm", "http://x.gov.cn/3.htm"]
    assert len(find_articles(cstore, ArticleFilter(min_relevance=0.3))) == 3
    assert len(find_articles(cstore, ArticleFilter(text="正文4"))) == 1
    assert find_articles(cstore, ArticleFilter(text='{"$where": "1"}')) == [] and find_articles(cstore, ArticleFilter(title=".*")) == []
    counts = count_by(cstore, ArticleFilter(by="published", since=dt.datetime(2026, 11, 13, tzinfo=UTC)), "province", "category")
    assert dict(counts["province"]) == {"浙江": 3} and sum(n for _, n in counts["category"]) == 3


def test_consumer_cursor_is_exact_within_one_second(cstore):
    now = dt.datetime.now(UTC) - dt.timedelta(seconds=10)
    for n in range(5):  # five articles inside one second
        cstore.insert_article(article(n, first_seen=now + dt.timedelta(milliseconds=7 * n)))
    # two in the same millisecond as the fourth: the cursor must not lose or repeat them
    for n in (5, 6):
        cstore.insert_article(article(n, first_seen=now + dt.timedelta(milliseconds=21)))
    assert count_new(cstore, "c") == 7
    docs, pos = new_for_consumer(cstore, "c", limit=3)
    save_cursor(cstore, "c", pos)
    assert count_new(cstore, "c") == 4
    more, pos = new_for_consumer(cstore, "c", limit=2)  # stops inside the shared millisecond
    save_cursor(cstore, "c", pos)
    assert count_new(cstore, "c") == 2
    rest, pos = new_for_consumer(cstore, "c")
    urls = [d["url"] for d in docs + more + rest]
    assert sorted(urls) == sorted(f"http://x.gov.cn/{n}.htm" for n in range(7)) and len(urls) == 7
    save_cursor(cstore, "c", pos)
    assert new_for_consumer(cstore, "c") == ([], None) and count_new(cstore, "c") == 0


def test_whole_list_set_with_optimistic_concurrency(cstore):
    cstore.insert_article(article(1, reprint_count=0, also_at=[]))
    doc = cstore.find_article("http://x.gov.cn/1.htm")
    reprint = {"url": "http://y.cn/1", "source": "y", "first_seen": dt.datetime(2026, 11, 21, tzinfo=UTC)}
    ok = cstore.db.articles.update_one({"_id": doc["_id"], "reprint_count": 0},
                                       {"$set": {"also_at": [reprint]}, "$inc": {"reprint_count": 1}})
    stale = cstore.db.articles.update_one({"_id": doc["_id"], "reprint_count": 0},
                                          {"$set": {"also_at": []}, "$inc": {"reprint_count": 1}})
    assert ok.matched_count == 1 and stale.matched_count == 0
    back = cstore.find_article("http://x.gov.cn/1.htm")
    assert back["reprint_count"] == 1 and back["also_at"][0]["url"] == "http://y.cn/1"
    assert isinstance(back["also_at"][0]["first_seen"], dt.datetime)  # dates inside sub-documents survive $set


def test_conditional_update_for_leases(cstore):
    leases = cstore.db.leases
    leases.insert_one({"_id": "job", "holder": "a", "until": time.time() + 60})
    with pytest.raises(DuplicateKeyError):
        leases.insert_one({"_id": "job", "holder": "b", "until": time.time() + 60})
    assert leases.update_one({"_id": "job", "until": {"$lt": time.time()}}, {"$set": {"holder": "b"}}).matched_count == 0
    leases.update_one({"_id": "job"}, {"$set": {"until": time.time() - 1}})
    assert leases.update_one({"_id": "job", "until": {"$lt": time.time()}}, {"$set": {"holder": "b"}}).matched_count == 1


# --- quirks of the embedded server that newsmon designs around -------------------------
def test_quirk_dates_compare_to_the_second(cstore):
    base = dt.datetime(2026, 11, 20, 8, 0, 0, 100_000, tzinfo=UTC)
    for n in range(3):
        cstore.db.q.insert_one({"n": n, "t": base + dt.timedelta(milliseconds=200 * n)})
    later = [d["n"] for d in cstore.db.q.find({"t": {"$gt": base + dt.timedelta(milliseconds=200)}})]
    assert later == ([] if is_embedded(cstore) else [2])  # hence first_seen_ms for cursors


def test_quirk_top_level_set_of_a_date(cstore):
    cstore.db.q.insert_one({"_id": 1})
    cstore.db.q.update_one({"_id": 1}, {"$set": {"t": dt.datetime(2026, 11, 20, tzinfo=UTC)}})
    value = cstore.db.q.find_one({"_id": 1})["t"]
    assert isinstance(value, str if is_embedded(cstore) else dt.datetime)  # hence Store.set_fields


def test_quirk_aggregate_match_ignores_date_ranges(cstore):
    cstore.db.q.insert_many([{"t": dt.datetime(2026, 11, d, tzinfo=UTC)} for d in (1, 20)])
    matched = list(cstore.db.q.aggregate([{"$match": {"t": {"$gte": dt.datetime(2026, 11, 10, tzinfo=UTC)}}}]))
    assert len(matched) == (2 if is_embedded(cstore) else 1)  # hence count_by counts a find() itself


def test_quirk_push_of_a_subdocument(cstore):
    cstore.db.q.insert_one({"_id": 1, "l": []})
    cstore.db.q.update_one({"_id": 1}, {"$push": {"l": {"a": 1}}})
    value = cstore.db.q.find_one({"_id": 1})["l"][0]
    assert isinstance(value, str if is_embedded(cstore) else dict)  # hence whole-list $set


def test_quirk_regex_is_literal_after_escaping(cstore):
    cstore.db.q.insert_one({"s": "a.b"})
    cstore.db.q.insert_one({"s": "axb"})
    assert [d["s"] for d in cstore.db.q.find({"s": {"$regex": re.escape("a.b")}})] == ["a.b"]


def test_date_ranges_are_asked_of_the_integer_dates_older_articles_get_once(cstore):
    from newsmon.storage import indexes

    at = dt.datetime(2026, 11, 19, 8, 0, 0, 123000, tzinfo=UTC)
    cstore.insert_article(article(1, published_at=at))
    assert cstore.find_article("http://x.gov.cn/1.htm")["published_ms"] == int(at.timestamp() * 1000)
    # an article stored before the integer dates existed
    cstore.db.articles.insert_one({"url": "http://x.gov.cn/old.htm", "title": "区块链", "published_at": at + dt.timedelta(milliseconds=5),
                                   "first_seen": at})
    indexes._done.discard((id(cstore.db.client), cstore.db.name))
    markers = [d["_id"] for d in cstore.db.dedupe_keys.find({}, {"_id": 1}) if d["_id"].startswith("~")]
    cstore.db.dedupe_keys.delete_many({"_id": {"$in": markers}})   # as a store made before them
    cstore.ensure_indexes()
    old = cstore.find_article("http://x.gov.cn/old.htm")
    assert old["published_ms"] == int(at.timestamp() * 1000) + 5 and old["first_seen_ms"] == int(at.timestamp() * 1000)
    # a range by published date, to the millisecond (dates themselves compare only to the second)
    window = ArticleFilter(by="published", since=at + dt.timedelta(milliseconds=1), until=at + dt.timedelta(seconds=1))
    assert [d["url"] for d in find_articles(cstore, window)] == ["http://x.gov.cn/old.htm"]
