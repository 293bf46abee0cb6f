"""The frontier and the listing marks on a real store: what makes an interrupted crawl resumable."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from crawler.listings import Listings
from newsmon import storage
from newsmon.storage.frontier import Frontier, listed_of

UTC = dt.timezone.utc


def day(n: int) -> dt.datetime:
    return dt.datetime(2026, 11, n, 8, 0, tzinfo=UTC)


def test_announced_articles_are_kept_until_done_and_listed_info_survives(store):
    frontier = Frontier(store)
    assert frontier.add("src", "src:l", [("http://a/1", {"title": "一", "date": day(3)}), ("http://a/2", {})], claim="r1") == 2
    assert frontier.add("src", "src:l", [("http://a/1", {"title": "changed"})], claim="r2") == 0  # kept as it was
    pending = frontier.pending("src")
    assert [d["_id"] for d in pending] == ["http://a/1", "http://a/2"]
    assert listed_of(pending[0]) == {"title": "一", "date": day(3)} and pending[0]["claim"] == "r1"
    frontier.done(["http://a/1"])
    assert [d["_id"] for d in frontier.pending("src")] == ["http://a/2"]
    assert frontier.pending("other") == []


def test_leftovers_are_taken_once_and_never_from_a_live_run(store):
    frontier = Frontier(store)
    frontier.add("src", "l", [("http://a/1", {}), ("http://a/2", {})], claim="dead")
    frontier.add("src", "l", [("http://a/3", {})], claim="alive")
    docs = frontier.pending("src")
    live = {"alive", "me", "other"}
    taken = frontier.claim(docs, "me", live)
    assert [d["_id"] for d in taken] == ["http://a/1", "http://a/2"]   # not the live run's entry
    # a second process that read the same documents before the claim takes none of them
    assert frontier.claim(docs, "other", live) == []
    # a later run takes over once "me" is gone too
    later = frontier.claim(frontier.pending("src"), "later", {"alive", "later"})
    assert [d["_id"] for d in later] == ["http://a/1", "http://a/2"]


def test_tries_count_failures_of_one_article(store):
    frontier = Frontier(store)
    frontier.add("src", "l", [("http://a/1", {})])
    assert [frontier.tried("http://a/1") for _ in range(3)] == [1, 2, 3]


def listings_for(store, settings, name: str = "src") -> Listings:
    crawler = SimpleNamespace(settings=settings, spider=SimpleNamespace(name=name))
    gateway = storage.gateway(settings)
    gateway.open()
    return Listings(crawler, gateway)


def test_only_a_complete_pass_moves_the_mark_and_saves_validators(store, settings):
    first = listings_for(store, settings)
    assert first.page("L", 1, [("u5", day(5)), ("u4", day(4))]) is False   # no mark yet
    first.validator_seen("L", "http://list/1", '"e1"', None)
    first.complete("L")
    second = listings_for(store, settings)
    assert second.mark("L")["url"] == "u5" and second.validators("L", "http://list/1") == {"etag": '"e1"', "last_modified": None}
    # new entries on page 1, the mark on page 2: paging goes on past page 1, stops on page 2
    assert second.page("L", 1, [("u8", day(8)), ("u7", day(7))]) is False
    assert second.page("L", 2, [("u6", day(6)), ("u5", day(5))]) is True
    # a pass cut short (never completed) leaves the old mark and validators in place
    second.validator_seen("L", "http://list/1", '"e2"', None)
    third = listings_for(store, settings)
    assert third.mark("L")["url"] == "u5" and third.validators("L", "http://list/1")["etag"] == '"e1"'
    # entries that all predate the mark count as reaching it, even when the marked entry itself is gone
    assert third.page("L", 1, [("u9", day(9))]) is False
    assert third.page("L", 2, [("u3", day(3)), ("u2", day(2))]) is True
    third.complete("L")
    assert listings_for(store, settings).mark("L")["url"] == "u9"


def test_listings_are_per_source(store, settings):
    a = listings_for(store, settings, "a")
    a.page("L", 1, [("u1", day(1))])
    a.complete("L")
    assert listings_for(store, settings, "b").mark("L") is None
