"""The main job as users run it: `newsmon run` and `scrapy crawl`, offline snapshot, real store."""

from __future__ import annotations

import json
import re

import pytest

from newsmon.storage import Store
from newsmon.storage.runs import RunLog
from newsmon.testing.servers import connect

from conftest import ROOT, run_cli


@pytest.fixture
def user_env(tmp_path):
    """A user's environment: no MONGO_URI, so newsmon starts its embedded store under the data dir."""
    import os

    env = {"NEWSMON_DATA_DIR": str(tmp_path / "data"), "NEWSMON_OFFLINE": "1",
           "NEWSMON_EMBEDDED_PORT": os.environ["NEWSMON_EMBEDDED_PORT"]}
    yield env
    run_cli("newsmon", "db", "stop", env=env)


def _store(env) -> Store:
    status = run_cli("newsmon", "db", "status", "--json", env=env)
    assert status.returncode == 0, status.stdout + status.stderr
    return connect(json.loads(status.stdout)["uri"])


def test_offline_run_stores_blockchain_articles_once(user_env):
    first = run_cli("newsmon", "run", env=user_env)
    assert first.returncode == 0, first.stderr[-3000:]
    out = first.stdout
    assert "外汇局：积极运用跨境金融区块链平台" in out and "http://finance.people.com.cn/n1/2020/" in out
    assert re.search(r"Run \S+ ok: 14 new article\(s\)", out), out
    assert "people: 21 pages fetched, 18 articles read, 14 new stored, 0 merged as reprints, 4 without a blockchain term" in out

    store = _store(user_env)
    docs = list(store.db.articles.find({}))
    assert len(docs) == 14 and len({d["url"] for d in docs}) == 14
    assert all("区块链" in d["title"] + d["content"] for d in docs)
    sample = next(d for d in docs if "外汇局" in d["title"])
    assert sample["source"] == "people" and sample["kind"] == "media" and sample["matched_terms"]["区块链"] >= 1
    assert sample["published_at"].year == 2020 and sample["first_seen"].tzinfo is not None
    assert "分享让更多人看到" not in sample["content"] and "人民日报社概况" not in sample["content"]
    # the real people.com.cn pages were read and rejected, and remembered as such
    assert store.db.seen.find_one({"url": "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"})

    second = run_cli("newsmon", "run", env=user_env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "No new articles." in second.stdout and re.search(r"ok: 0 new article", second.stdout)
    # feeds and sitemap re-read (3 pages), no article page fetched
    assert "people: 3 pages fetched, 0 articles read" in second.stdout and "errors: none" in second.stdout
    assert len(list(store.db.articles.find({}, {"_id": 1}))) == 14
    runs = RunLog(store).recent()
    assert [r["status"] for r in runs] == ["ok", "ok"] and runs[1]["new_articles"] == 14 and runs[0]["new_articles"] == 0


def test_scrapy_crawl_from_repo_root_writes_to_same_store(user_env):
    crawl = run_cli("scrapy", "crawl", "people", "-a", "since=2020-03-21", env=user_env)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert "people done (finished)" in crawl.stderr
    store = _store(user_env)
    from newsmon.extract.dates import SHANGHAI

    dates = sorted(d["published_at"].astimezone(SHANGHAI).date().isoformat()
                   for d in store.db.articles.find({}, {"published_at": 1}))
    assert dates and dates[0] >= "2020-03-21" and len(dates) < 14
    listed = run_cli("scrapy", "list", env=user_env)
    from newsmon import config

    names = sorted(s.name for s in config.sources(config.get_settings()))
    assert listed.stdout.split() == names and "people" in listed.stdout.split()
    again = run_cli("newsmon", "run", "people", env=user_env)  # the CLI sees what scrapy stored
    assert again.returncode == 0
    stored_now = len(list(store.db.articles.find({}, {"_id": 1})))
    assert stored_now == 14, again.stdout


@pytest.mark.parametrize("cmd", [("newsmon", "run", "nosuchsource"), ("scrapy", "crawl", "nosuchsource")])
def test_unknown_source_is_one_line(cmd, user_env):
    result = run_cli(*cmd, env=user_env)
    assert result.returncode == 2
    assert "unknown" in result.stderr and "nosuchsource" in result.stderr and "people" in result.stderr
    assert "Traceback" not in result.stderr


ALL_COMMANDS = [("newsmon", "run"), ("scrapy", "crawl", "people"), ("scrapy", "list"), ("newsmon", "schedule", "--list"),
                ("newsmon", "sources"), ("newsmon", "run-now", "--wait")]


def _config_dir(tmp_path, **files: str):
    cfg = tmp_path / "cfg"
    cfg.mkdir(exist_ok=True)
    for name, text in files.items():
        (cfg / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (cfg / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return cfg


def _one_error_line(result, *needles):
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-3000:]
    errors = [ln for ln in result.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 1 and "Traceback" not in result.stderr and "Unhandled error" not in result.stderr, result.stderr
    assert all(n in errors[0] for n in needles), errors[0]


@pytest.mark.parametrize("cmd", ALL_COMMANDS)
def test_yaml_syntax_error_is_one_line_everywhere(cmd, tmp_path, user_env):
    cfg = _config_dir(tmp_path, **{"sources.yaml": "sources:\n  - name: people\n   kind: media\n"})
    _one_error_line(run_cli(*cmd, env={**user_env, "NEWSMON_CONFIG_DIR": str(cfg)}), "sources.yaml line 3")


@pytest.mark.parametrize("cmd", ALL_COMMANDS)
@pytest.mark.parametrize("source, old, new, where", [
    ("gov_guangdong", "          max_pages: 1\n", "          max_page: 1\n", "(gov_guangdong).discovery[0].list.max_page"),
    ("people", "    kind: media\n", "    kind: media\n    enabeld: false\n", "(people).enabeld"),
])
def test_a_misspelled_source_key_is_one_line_with_file_line_and_key(cmd, source, old, new, where, tmp_path, user_env):
    text = (ROOT / "config" / "sources.yaml").read_text(encoding="utf-8")
    entry = text.index(f"  - name: {source}\n")
    bad = text[:entry] + text[entry:].replace(old, new, 1)
    key = where.rsplit(".", 1)[-1]
    line = bad[:bad.index(f"{key}:", entry)].count("\n") + 1
    cfg = _config_dir(tmp_path, **{"sources.yaml": bad})
    result = run_cli(*cmd, env={**user_env, "NEWSMON_CONFIG_DIR": str(cfg)})
    _one_error_line(result, f"sources.yaml line {line}", where, "unknown key; did you mean")


@pytest.mark.parametrize("cmd", ALL_COMMANDS[:4])
@pytest.mark.parametrize("name, text, needle", [
    ("keywords.yaml", "terms: [区块链\n", "keywords.yaml line 2"),
    ("keywords.yaml", "term: [区块链]\n", "keywords.yaml line 1: term: unknown key; did you mean 'terms'?"),
    ("text__rules.yaml", "category: {}\n", "rules.yaml line 1: category.weights: required key is missing"),
])
def test_a_malformed_keywords_or_rules_file_is_one_line_before_any_crawl(cmd, name, text, needle, tmp_path, user_env):
    cfg = _config_dir(tmp_path, **{name: text})
    result = run_cli(*cmd, env={**user_env, "NEWSMON_CONFIG_DIR": str(cfg)})
    _one_error_line(result, needle)
    assert "Spider opened" not in result.stderr


@pytest.mark.parametrize("cmd", [("newsmon", "run", "-s", "CONCURRENT_REQUESTS=abc"), ("scrapy", "crawl", "people", "-s", "CONCURRENT_REQUESTS=abc")])
def test_a_bad_setting_value_is_one_line(cmd, user_env):
    _one_error_line(run_cli(*cmd, env=user_env), "CONCURRENT_REQUESTS='abc' is not a number")


def test_command_line_sources_file_beats_the_environment(tmp_path, user_env):
    entry = "sources:\n  - name: {0}\n    kind: gov\n    level: central\n    allowed_domains: [gov.cn]\n    discovery: [{{rss: 'http://www.gov.cn/{0}.xml'}}]\n"
    (tmp_path / "a.yaml").write_text(entry.format("from_a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(entry.format("from_b"), encoding="utf-8")
    env = {**user_env, "NEWSMON_SOURCES_FILE": str(tmp_path / "b.yaml")}
    assert run_cli("scrapy", "list", env=env).stdout.split() == ["from_b"]
    assert run_cli("scrapy", "list", "-s", f"NEWSMON_SOURCES_FILE={tmp_path / 'a.yaml'}", env=env).stdout.split() == ["from_a"]


@pytest.mark.parametrize("cmd", [("newsmon", "run"), ("scrapy", "crawl", "people"), ("newsmon", "db", "status")])
def test_unreachable_mongo_uri_is_one_line(cmd, user_env):
    from conftest import free_port

    env = {**user_env, "MONGO_URI": f"mongodb://127.0.0.1:{free_port()}/", "MONGO_TIMEOUT_MS": "500"}
    result = run_cli(*cmd, env=env)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "cannot reach MongoDB" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help():
    top = run_cli("newsmon", "--help")
    assert top.returncode == 0
    from newsmon.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    commands = sorted(sub.choices)
    assert all(name in top.stdout for name in commands)
    assert {"run", "db"} <= set(commands)
    for name in commands:
        result = run_cli("newsmon", name, "--help")
        assert result.returncode == 0 and "usage: newsmon " + name in result.stdout, name
