"""Config files: one strict loader, one-line errors with file, line and key; the shipped files load."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from newsmon import config
from newsmon.config import loader
from newsmon.config.schemas.sources import SourcesFile
from newsmon.config.settings import env_overrides, get_settings
from newsmon.errors import ConfigError
from newsmon.text.keywords import Keywords

SOURCE = """\
sources:
  - name: a
    kind: gov
    level: central
    allowed_domains: [gov.cn]
    discovery:
      - list:
          url: http://www.gov.cn/zhengce/
          max_pages: 2
"""


def load_sources_text(tmp_path: Path, text: str):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return loader.load(path, SourcesFile)


def test_shipped_config_loads_every_file():
    settings = get_settings()
    config.check_all(settings)
    people = config.source(settings, "people")
    assert people.kind == "media" and people.level == "central"
    assert {d.via for d in people.discovery} >= {"rss", "sitemap"}
    assert "区块链" in config.keywords(settings).terms


def test_yaml_syntax_error_names_file_and_line():
    with pytest.raises(ConfigError, match=r"x.yaml line 2, column 5: mapping values are not allowed"):
        loader.parse_yaml("a: 1\nb: c: d\n", "x.yaml")


def test_duplicate_keys_and_alias_bombs_are_refused():
    with pytest.raises(ConfigError, match=r"x.yaml line 3: a: key given twice \(first on line 1\)"):
        loader.parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdef", "bcdefg"))
    with pytest.raises(ConfigError, match="aliases expand to more than"):
        loader.parse_yaml(bomb, "x.yaml")


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        loader.load(tmp_path / "nope.yaml", SourcesFile)
    (tmp_path / "gbk.yaml").write_bytes("terms: [区块链]".encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        loader.load(tmp_path / "gbk.yaml", SourcesFile)


@pytest.mark.parametrize("old, new, message", [
    ("          max_pages: 2", "          max_page: 2",
     r"line 9: sources\[0\] \(a\)\.discovery\[0\]\.list\.max_page: unknown key; did you mean 'max_pages'\?"),
    ("    kind: gov", "    kind: gov\n    enabeld: false", r"line 4: sources\[0\] \(a\)\.enabeld: unknown key; did you mean 'enabled'\?"),
    ("    level: central", "    level: central\n    artcle_pattern: x",
     r"line 5: sources\[0\] \(a\)\.artcle_pattern: unknown key; did you mean 'article_pattern'\?"),
    ("    kind: gov", "    kind: gov\n    enabled: 'false'", r"line 4: sources\[0\] \(a\)\.enabled: expected true or false, got 'false'"),
    ("    kind: gov", "    kind: newspaper", r"line 3: sources\[0\] \(a\)\.kind: expected 'gov' or 'media', got 'newspaper'"),
    ("  - name: a", "  - name: Bad-Name", r"line 2: sources\[0\] \(Bad-Name\)\.name: 'Bad-Name': lowercase letters"),
    ("    allowed_domains: [gov.cn]", "    allowed_domains: gov.cn", r"allowed_domains: expected a list"),
    ("          url: http://www.gov.cn/zhengce/", "          url: ftp://www.gov.cn/",
     r"discovery\[0\]\.list\.url: expected an http\(s\) URL"),
    ("          max_pages: 2", "          max_pages: 2\n          links: 'ul li[a'",
     r"line 10: .*discovery\[0\]\.list\.links: 'ul li\[a' is not a valid CSS selector"),
    ("          max_pages: 2", "          max_pages: 2\n          next: '//a[@class='",
     r"discovery\[0\]\.list\.next: '//a\[@class=' is not a valid XPath"),
    ("    level: central", "    level: central\n    article_pattern: '(unclosed'", r"article_pattern: not a valid regular expression"),
    ("      - list:", "      - search:", r"a search needs \{keyword\}"),
    ("      - list:\n          url: http://www.gov.cn/zhengce/\n          max_pages: 2",
     "      - rss: http://www.gov.cn/a.xml\n        sitemap: http://www.gov.cn/s.xml", r"name exactly one of rss, sitemap"),
    ("    allowed_domains: [gov.cn]", "    allowed_domains: [people.com.cn]", r"www.gov.cn is not within allowed_domains"),
    ("          max_pages: 2", "          max_pages: 2\n          keywords: [区块链]", r"'keywords' is now called 'search_terms'"),
])
def test_source_schema_errors_name_file_line_and_key(tmp_path, old, new, message):
    assert old in SOURCE
    with pytest.raises(ConfigError) as err:
        load_sources_text(tmp_path, SOURCE.replace(old, new))
    text = str(err.value)
    assert text.startswith(f"config file {tmp_path / 'sources.yaml'}") and "\n" not in text
    import re

    assert re.search(message, text), text


def test_duplicate_source_names(tmp_path, monkeypatch):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text(SOURCE + SOURCE.split("sources:\n", 1)[1], encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    with pytest.raises(ConfigError, match=r"line 10: sources\[1\] \(a\)\.name: duplicate source name 'a'"):
        config.sources(get_settings())


def test_a_good_file_loads_with_defaults(tmp_path):
    src = load_sources_text(tmp_path, SOURCE).data.sources[0]
    d = src.discovery[0]
    assert (src.title, src.group, src.enabled, d.via, d.opt("max_pages"), d.opt("page_start", 1)) == ("a", "daily", True, "list", 2, 1)


def test_an_edited_file_is_read_again(tmp_path):
    first = load_sources_text(tmp_path, SOURCE)
    assert loader.load(tmp_path / "sources.yaml", SourcesFile) is first  # cached while unchanged
    second = load_sources_text(tmp_path, SOURCE.replace("max_pages: 2", "max_pages: 5"))
    assert second.data.sources[0].discovery[0].max_pages == 5


def test_keywords_match_whole_latin_words_and_chinese_substrings():
    kw = Keywords.from_terms(["区块链", "区块链服务网络", "NFT", "BSN"])
    found = kw.find("区块链服务网络（BSN）发布；NFTA 不算，nft 算；产业区块链")
    assert found == {"区块链服务网络": 1, "BSN": 1, "NFT": 1, "区块链": 1}
    assert not kw.mentions("大数据、云计算", "BSNL 电信")


def test_keywords_config_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(tmp_path))
    (tmp_path / "keywords.yaml").write_text("terms: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"keywords.yaml line 1: terms: List should have at least 1 item"):
        config.keywords(get_settings())
    (tmp_path / "keywords.yaml").write_text("terms: [区块链, 3]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"keywords.yaml line 1: terms\[1\]: expected text, got 3"):
        config.keywords(get_settings())


def test_env_overrides_are_typed():
    got = env_overrides({"NEWSMON_OFFLINE": "yes", "MONGO_TIMEOUT_MS": "250", "MONGO_URI": "mongodb://h/", "OTHER": "x"})
    assert got == {"NEWSMON_OFFLINE": True, "MONGO_TIMEOUT_MS": 250, "MONGO_URI": "mongodb://h/"}
    with pytest.raises(ConfigError, match="not a boolean"):
        env_overrides({"NEWSMON_OFFLINE": "maybe"})
    with pytest.raises(ConfigError, match="not a number"):
        env_overrides({"MONGO_TIMEOUT_MS": "soon"})


def test_command_line_beats_environment_beats_default(monkeypatch):
    assert get_settings().get("NEWSMON_SOURCES_FILE") == "sources.yaml"
    monkeypatch.setenv("NEWSMON_SOURCES_FILE", "b.yaml")
    assert get_settings().get("NEWSMON_SOURCES_FILE") == "b.yaml"
    assert get_settings({"NEWSMON_SOURCES_FILE": "a.yaml"}).get("NEWSMON_SOURCES_FILE") == "a.yaml"


def test_scrapy_settings_given_as_text_are_checked():
    assert get_settings({"CONCURRENT_REQUESTS": "4"}).getint("CONCURRENT_REQUESTS") == 4
    with pytest.raises(ConfigError, match="setting CONCURRENT_REQUESTS='abc' is not a number"):
        get_settings({"CONCURRENT_REQUESTS": "abc"})
    with pytest.raises(ConfigError, match="setting AUTOTHROTTLE_ENABLED='perhaps' is not a boolean"):
        get_settings({"AUTOTHROTTLE_ENABLED": "perhaps"})


def test_the_keywords_file_setting_reaches_every_user_of_the_terms(tmp_path):
    """NEWSMON_KEYWORDS_FILE decides both the mention filter's terms and the labeller's mentions/relevance."""
    (tmp_path / "kw.yaml").write_text("terms: [数字孪生]\n", encoding="utf-8")
    settings = get_settings({"NEWSMON_KEYWORDS_FILE": str(tmp_path / "kw.yaml")})
    assert config.keywords(settings).terms == ("数字孪生",)
    labels = config.analyser(settings).analyse("某市建设数字孪生城市", "某市发布数字孪生城市建设方案。")
    assert labels["relevance"] > 0 and "数字孪生" in " ".join(labels["evidence"].get("mentions", []))


def test_an_impossible_date_is_a_config_error_not_a_traceback():
    with pytest.raises(ConfigError, match=r"x\.yaml.*month must be in 1\.\.12"):
        loader.parse_yaml("since: 2026-13-01\n", "x.yaml")


def test_a_relative_config_dir_means_the_same_directory_everywhere(tmp_path, monkeypatch):
    cfg = tmp_path / "myconfig"
    cfg.mkdir()
    (cfg / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", "myconfig")
    settings = get_settings()
    config.check_all(settings)            # every file: the shipped ones where myconfig has none
    assert config.sources(settings) == []
    from newsmon.config.settings import child_environ, config_dir

    assert config_dir(settings) == cfg and child_environ()["NEWSMON_CONFIG_DIR"] == str(cfg)
