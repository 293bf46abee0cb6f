"""The store: embedded server lifecycle, indexes, inserts, spill on outage (real servers)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pymongo.errors import DuplicateKeyError

from newsmon.errors import StoreUnavailable
from newsmon.storage import Spill, forget_stores, open_store
from newsmon.storage.embedded import EmbeddedServer
from newsmon.testing.servers import connect

from conftest import free_port, run_cli


def test_embedded_server_starts_once_and_is_reused(tmp_path):
    server = EmbeddedServer(tmp_path, port=free_port())
    try:
        first = server.ensure_running()
        second = EmbeddedServer(tmp_path, port=free_port()).ensure_running()
        assert second.pid == first.pid and second.uri == first.uri
        assert (tmp_path / "mongo" / "nx-27017.pid").read_text().strip() == str(first.pid)
        assert (tmp_path / "mongo" / "nx-27017.log").exists()
    finally:
        assert server.stop() is True
    assert server.status() is None
    assert server.stop() is False


def test_embedded_server_takes_another_port_when_taken(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        server = EmbeddedServer(tmp_path, port=taken)
        try:
            info = server.ensure_running()
            assert info.port != taken
        finally:
            server.stop()


def test_db_cli_start_status_stop(tmp_path):
    env = {"NEWSMON_DATA_DIR": str(tmp_path), "NEWSMON_EMBEDDED_PORT": str(free_port())}
    down = run_cli("newsmon", "db", "status", env=env)
    assert down.returncode == 1 and "not running" in down.stdout
    up = run_cli("newsmon", "db", "start", env=env)
    assert up.returncode == 0, up.stderr
    try:
        status = run_cli("newsmon", "db", "status", "--json", env=env)
        info = json.loads(status.stdout)
        assert status.returncode == 0 and info["running"] and info["pid"] > 0
        assert info["uri"].startswith("mongodb://127.0.0.1:") and info["data_path"].startswith(str(tmp_path))
        assert connect(info["uri"]).db.command("ping")["ok"] == 1
    finally:
        stop = run_cli("newsmon", "db", "stop", env=env)
    assert stop.returncode == 0 and "stopped" in stop.stdout
    assert run_cli("newsmon", "db", "status", env=env).returncode == 1


def test_indexes_are_created(store):
    names = {tuple(k for k, _ in spec["key"]) for spec in store.db.articles.index_information().values()}
    assert ("url",) in names and ("first_seen",) in names and ("run_id",) in names
    store.db.articles.insert_one({"url": "http://a/1"})
    with pytest.raises(DuplicateKeyError):
        store.db.articles.insert_one({"url": "http://a/1"})


def test_insert_article_is_idempotent(store):
    doc = {"url": "http://x.people.com.cn/n1/1.html", "title": "t", "first_seen": dt.datetime.now(dt.timezone.utc)}
    assert store.insert_article(dict(doc)) is True
    assert store.insert_article(dict(doc)) is False
    assert len(list(store.db.articles.find({"url": doc["url"]}))) == 1


def test_unreachable_uri_is_one_clear_error():
    with pytest.raises(StoreUnavailable) as err:
        connect(f"mongodb://127.0.0.1:{free_port()}/", timeout_ms=500)
    assert "cannot reach MongoDB" in str(err.value) and "MONGO_URI" in str(err.value)


def test_spill_keeps_torn_lines_and_order(tmp_path):
    spill = Spill(tmp_path / "s.jsonl")
    spill.append("articles", {"url": "a", "at": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)})
    with open(spill.path, "a") as fh:
        fh.write('{"collection": "articles", "doc": {"url": \n')  # a crash mid-write
    spill.append("articles", {"url": "b"})
    seen = []
    written, left = spill.drain(lambda c, d, op: seen.append(d))
    assert [d["url"] for d in seen] == ["a", "b"] and seen[0]["at"].year == 2020
    assert (written, left) == (2, 1)


def test_outage_spills_and_next_start_writes_back(tmp_path, monkeypatch):
    """A real server is stopped mid-crawl; items spill; restarting it writes them."""
    from newsmon.config import get_settings
    from newsmon.testing.crawler import crawler_for
    from pipelines.store import StorePipeline

    server = EmbeddedServer(tmp_path / "outage", port=free_port())
    info = server.ensure_running()
    monkeypatch.setenv("MONGO_URI", info.uri)
    monkeypatch.setenv("MONGO_TIMEOUT_MS", "800")
    settings = get_settings()
    crawler = crawler_for()
    stats = crawler.stats
    pipe = StorePipeline.from_crawler(crawler)
    pipe.open_spider()
    pipe.handle({"url": "http://a.gov.cn/1.html", "title": "before", "source": "t"})
    try:
        server.stop()
        for n in range(3):
            pipe.handle({"url": f"http://a.gov.cn/{n + 2}.html", "title": f"during {n}", "source": "t"})
        assert stats.get_value("newsmon/spilled") == 3
        assert len(pipe.spill) == 3
        forget_stores()
        server.ensure_running()
        store = open_store(settings)  # the next start
        urls = sorted(d["url"] for d in store.db.articles.find({}, {"url": 1}))
        assert urls == [f"http://a.gov.cn/{n}.html" for n in range(1, 5)]
        assert not pipe.spill.path.exists()
        doc = store.find_article("http://a.gov.cn/3.html")
        assert doc["title"] == "during 1" and doc["first_seen"].tzinfo is not None
    finally:
        forget_stores()
        server.stop()
