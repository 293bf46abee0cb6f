"""The digest's look-back, kept per day: the same answer as reading the window, and past days read once."""

from __future__ import annotations

import datetime as dt

from newsmon.digest.build import known_of
from newsmon.storage.digestdays import known_before
from newsmon.storage.indexes import DIGEST_DAYS
from newsmon.storage.queries import ArticleFilter, find_articles
from newsmon.vocab import SHANGHAI

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=SHANGHAI)


def put(store, n, days_ago, **labels):
    seen = NOW - dt.timedelta(days=days_ago)
    store.insert_article({"url": f"http://x.gov.cn/{n}.htm", "title": f"区块链{n}", "content": "区块链", "first_seen": seen,
                          "published_at": seen, **labels})


def commands(store):
    from pymongo import monitoring

    class Listener(monitoring.CommandListener):
        def __init__(self):
            self.seen = []

        def started(self, event):
            if event.command_name == "find":
                self.seen.append(event.command.get("find"))

        def succeeded(self, event):
            pass

        def failed(self, event):
            pass

    return Listener()


def test_kept_days_answer_as_the_window_does_and_are_read_once(store, mongo_uri):
    put(store, 1, 40, level="provincial", province="浙江", domains=["政务服务"])
    put(store, 2, 10, level="central", organizations=["中国人民银行"], domains=["数字货币"])
    put(store, 3, 3, level="city", province="广东", city="深圳")
    put(store, 4, 0.1, level="provincial", province="江苏")        # the period's own first day, before it starts
    put(store, 5, 100, level="provincial", province="西藏")         # before the window
    start = NOW - dt.timedelta(hours=1)
    flt = ArticleFilter()
    window = find_articles(store, ArticleFilter(since=dt.datetime.combine(start.date() - dt.timedelta(days=90), dt.time(),
                                                                          SHANGHAI), until=start))
    expected = known_of(window)
    got = known_before(store, flt, "first_seen", start, 90, now=NOW)
    assert sorted(map(tuple, got["places"])) == sorted(map(tuple, expected["places"]))
    assert {tuple(p) for p in got["places"]} == {("local", "浙江"), ("national", "中国人民银行"), ("local", "广东"), ("local", "江苏")}
    assert got["domains"] == ["政务服务", "数字货币"]
    assert len(list(store.db[DIGEST_DAYS].find({}, {"_id": 1}))) == 90   # every whole past day kept, empty ones too

    from pymongo import MongoClient

    listener = commands(store)
    client = MongoClient(mongo_uri, event_listeners=[listener])
    try:
        other = type(store)(client, store.db.name, mongo_uri)
        again = known_before(other, flt, "first_seen", start, 90, now=NOW)
    finally:
        client.close()
    assert {tuple(p) for p in again["places"]} == {tuple(p) for p in got["places"]} and again["domains"] == got["domains"]
    # the kept days in one query; of the articles, only the period's first day up to its start
    assert listener.seen == [DIGEST_DAYS, "articles"]


def test_filters_and_date_fields_are_kept_apart(store):
    put(store, 1, 5, level="provincial", province="浙江", category="policy")
    put(store, 2, 6, level="provincial", province="山东", category="application")
    start = NOW
    policy = known_before(store, ArticleFilter(category=["policy"]), "first_seen", start, 30, now=NOW)
    apps = known_before(store, ArticleFilter(category=["application"]), "first_seen", start, 30, now=NOW)
    assert {tuple(p) for p in policy["places"]} == {("local", "浙江")}
    assert {tuple(p) for p in apps["places"]} == {("local", "山东")}
    # by published date: kept apart from first_seen, and forgotten when a late article carries that day's date
    known_before(store, ArticleFilter(), "published", start, 10, now=NOW)
    kept = [d["_id"] for d in store.db[DIGEST_DAYS].find({}, {"_id": 1}) if d["_id"].startswith("published")]
    assert len(kept) == 10
    late_day = (NOW - dt.timedelta(days=4)).date().isoformat()
    store.insert_article({"url": "http://x.gov.cn/late.htm", "title": "区块链", "content": "区块链", "level": "provincial",
                          "province": "福建", "published_at": NOW - dt.timedelta(days=4), "first_seen": dt.datetime.now(SHANGHAI)})
    left = [d["_id"] for d in store.db[DIGEST_DAYS].find({}, {"_id": 1}) if d["_id"].startswith("published")]
    assert len(left) == 9 and not any(k.endswith(late_day) for k in left)
    again = known_before(store, ArticleFilter(), "published", start, 10, now=NOW)
    assert ("local", "福建") in {tuple(p) for p in again["places"]}
