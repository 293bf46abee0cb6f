"""Config files: clear one-line errors, and the shipped files load."""

from __future__ import annotations

import pytest

from crawler.sources import load_sources, parse_sources
from newsmon.config import load_keywords, load_yaml, parse_yaml
from newsmon.errors import ConfigError
from newsmon.keywords import Keywords
from newsmon.settings import env_overrides


def test_shipped_config_loads():
    sources = load_sources()
    people = next(s for s in sources if s.name == "people")
    assert people.kind == "media" and people.level == "central"
    assert {d.method for d in people.discovery} >= {"rss", "sitemap"}
    assert "区块链" in load_keywords().terms


def test_yaml_syntax_error_names_file_and_line():
    with pytest.raises(ConfigError, match=r"x.yaml line 2, column 5: mapping values are not allowed"):
        parse_yaml("a: 1\nb: c: d\n", "x.yaml")


def test_missing_and_non_utf8_files(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match="does not exist"):
        load_yaml("nope.yaml")
    (tmp_path / "gbk.yaml").write_bytes("terms: [区块链]".encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_yaml("gbk.yaml")


@pytest.mark.parametrize("entry, message", [
    ({"name": "Bad-Name", "kind": "gov", "level": "central"}, "'name' must be lowercase"),
    ({"name": "a", "kind": "gov", "level": "national"}, "'level' must be one of"),
    ({"name": "a", "kind": "gov", "level": "central", "allowed_domains": "gov.cn"}, "'allowed_domains' must be a non-empty list"),
    ({"name": "a", "kind": "gov", "level": "central", "allowed_domains": ["gov.cn"], "discovery": [{"rss": "ftp://x"}]}, "needs an http"),
    ({"name": "a", "kind": "gov", "level": "central", "allowed_domains": ["gov.cn"],
      "discovery": [{"search": "http://s.gov.cn/?q=x"}]}, "needs {keyword} in its URL, form or json"),
    ({"name": "a", "kind": "gov", "level": "central", "allowed_domains": ["gov.cn"],
      "discovery": [{"rss": "http://x", "sitemap": "http://y"}]}, "exactly one of"),
    ({"name": "a", "kind": "gov", "level": "central", "allowed_domains": ["gov.cn"],
      "discovery": [{"rss": "http://x"}], "article_pattern": "(unclosed"}, "not a valid regex"),
])
def test_source_schema_errors(entry, message):
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("(", r"\(")):
        parse_sources({"sources": [entry]}, "sources.yaml")


def test_duplicate_source_names():
    entry = {"name": "a", "kind": "gov", "level": "central", "allowed_domains": ["gov.cn"], "discovery": [{"rss": "http://x"}]}
    with pytest.raises(ConfigError, match="duplicate source name 'a'"):
        parse_sources({"sources": [entry, entry]}, "sources.yaml")


def test_keywords_match_whole_latin_words_and_chinese_substrings():
    kw = Keywords.from_terms(["区块链", "区块链服务网络", "NFT", "BSN"])
    found = kw.find("区块链服务网络（BSN）发布；NFTA 不算，nft 算；产业区块链")
    assert found == {"区块链服务网络": 1, "BSN": 1, "NFT": 1, "区块链": 1}
    assert not kw.mentions("大数据、云计算", "BSNL 电信")


def test_keywords_config_errors():
    with pytest.raises(ConfigError, match="'terms' must be a non-empty list"):
        Keywords.from_config({"terms": []}, "keywords.yaml")
    with pytest.raises(ConfigError, match=r"terms\[1\] must be a non-empty string"):
        Keywords.from_config({"terms": ["区块链", 3]}, "keywords.yaml")


def test_env_overrides_are_typed():
    got = env_overrides({"NEWSMON_OFFLINE": "yes", "MONGO_TIMEOUT_MS": "250", "MONGO_URI": "mongodb://h/", "OTHER": "x"})
    assert got == {"NEWSMON_OFFLINE": True, "MONGO_TIMEOUT_MS": 250, "MONGO_URI": "mongodb://h/"}
    with pytest.raises(ConfigError, match="not a boolean"):
        env_overrides({"NEWSMON_OFFLINE": "maybe"})
    with pytest.raises(ConfigError, match="not an integer"):
        env_overrides({"MONGO_TIMEOUT_MS": "soon"})
