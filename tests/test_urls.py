"""Canonical URLs: one key per article."""

import pytest

from newsmon import config
from newsmon.urls import registrable_domain


def rules():
    """The URL rules as a crawl with the current settings reads them (config/url_rules.yaml)."""
    return config.url_rules(config.get_settings())


def canonical_url(url: str) -> str:
    return rules().canonical(url)


def article_url(fetched: str, link: str | None) -> str:
    return rules().article_url(fetched, link)


def same_site(a: str, b: str) -> bool:
    return rules().same_site(a, b)


@pytest.mark.parametrize("raw, canonical", [
    ("HTTP://WWW.Gov.CN:80/zhengce/content/2019-10/index.html#top", "http://www.gov.cn/zhengce/content/2019-10/"),
    ("https://news.cn:443/a.htm?utm_source=wx&spm=1.2&id=7", "https://news.cn/a.htm?id=7"),
    ("http://finance.sina.com.cn/x.shtml?cre=financepagepc&mod=f&loc=4&r=9&doct=0&rfunc=100", "http://finance.sina.com.cn/x.shtml?r=9"),
    ("http://a.cn//b//c.html?b=2&a=1", "http://a.cn/b/c.html?a=1&b=2"),
    ("http://a.cn:8080/x", "http://a.cn:8080/x"),
])
def test_canonical(raw, canonical):
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


# --- site rules (config/url_rules.yaml), rel=canonical, escapes --------------------------------


@pytest.mark.parametrize("raw, canonical", [
    # mobile hosts of sites whose mobile pages keep the desktop path
    ("https://m.sohu.com/a/778336904_120702?scm=1002.0.0&spm=smpc.content", "https://www.sohu.com/a/778336904_120702"),
    ("http://3g.163.com/news/article/J22CN60P0514R9KQ.html#comment", "http://www.163.com/news/article/J22CN60P0514R9KQ.html"),
    ("https://M.ThePaper.cn/newsDetail_forward_27474389", "https://www.thepaper.cn/newsDetail_forward_27474389"),
    ("http://m.xinhuanet.com/politics/2019-10/25/c_1125153665.htm", "http://www.xinhuanet.com/politics/2019-10/25/c_1125153665.htm"),
    # a mobile site whose path differs: a rewrite rule
    ("https://m.caixin.com/m/2024-05-20/102198765.html", "https://www.caixin.com/2024-05-20/102198765.html"),
    # a mobile host with no known pattern stays as it is
    ("https://m.gmw.cn/2024-05/13/content_37319243.htm", "https://m.gmw.cn/2024-05/13/content_37319243.htm"),
    # tracking parameters from the rules file (and built-in ones), any case
    ("https://www.1905.com/news/20240520/1676288.shtml?fr=wwwnews_index_news", "https://www.1905.com/news/20240520/1676288.shtml"),
    ("https://www.toutiao.com/article/7367007067191640576/?log_from=194eba7d&wxshare_count=2", "https://www.toutiao.com/article/7367007067191640576/"),
    ("https://baijiahao.baidu.com/s?id=1799&wfr=spider&for=pc", "https://baijiahao.baidu.com/s?id=1799"),
    ("https://new.qq.com/rain/a/20240513A00GCM00?ADTAG=x&pgv_ref=aio&PGV_FROM=y", "https://new.qq.com/rain/a/20240513A00GCM00"),
    ("http://www.gov.cn/a.htm?from=timeline&isappinstalled=0&share_token=Zz", "http://www.gov.cn/a.htm"),
    # percent escapes: case folded, unreserved characters decoded, raw characters escaped as UTF-8
    ("http://a.cn/%7euser/%e4%b8%ad.html", "http://a.cn/~user/%E4%B8%AD.html"),
    ("http://a.cn/中文/a b.html", "http://a.cn/%E4%B8%AD%E6%96%87/a%20b.html"),
    # a GBK-encoded query keeps its bytes (two different searches stay two URLs)
    ("http://search.a.gov.cn/s?q=%C7%F8%BF%E9%C1%B4&p=2", "http://search.a.gov.cn/s?p=2&q=%C7%F8%BF%E9%C1%B4"),
    ("http://search.a.gov.cn/s?q=区块链", "http://search.a.gov.cn/s?q=%E5%8C%BA%E5%9D%97%E9%93%BE"),
    ("http://a.cn/list/index.shtml?page=2", "http://a.cn/list/?page=2"),
    ("HTTPS://News.CN:443/./a.htm", "https://news.cn/a.htm"),
    ("http://a.cn/x/y/../../z/./b.html", "http://a.cn/z/b.html"),
    ("http://a.cn/x/..", "http://a.cn/"),
    ("http://a.cn/..", "http://a.cn/"),
])
def test_canonical_with_site_rules(raw, canonical):
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical


def test_gbk_queries_do_not_collapse():
    a = canonical_url("http://s.a.cn/s?q=%C7%F8")
    b = canonical_url("http://s.a.cn/s?q=%C7%F9")
    assert a != b


def test_rules_file_is_idempotent_for_every_mapping():
    rules_ = rules()
    assert rules_.mobile_hosts and rules_.rewrites and rules_.groups
    for mobile, desktop in rules_.mobile_hosts.items():
        url = canonical_url(f"https://{mobile}/a/1.html")
        assert url == f"https://{desktop}/a/1.html" and canonical_url(url) == url


@pytest.mark.parametrize("host, domain", [
    ("finance.people.com.cn", "people.com.cn"), ("www.beijing.gov.cn", "beijing.gov.cn"), ("www.gov.cn", "www.gov.cn"),
    ("news.sina.com.cn", "sina.com.cn"), ("www.news.cn", "news.cn"), ("m.sohu.com", "sohu.com"),
    ("www.bbc.co.uk", "bbc.co.uk"), ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


@pytest.mark.parametrize("fetched, link, expected", [
    # same registrable site: honoured (a mobile page pointing at its desktop page)
    ("http://m.people.cn/n4/2024/0510/c1004-40232587.html", "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html",
     "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html"),
    ("http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html?from=x", "/n1/2024/0424/c1001-40223222.html",
     "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"),
    # one publisher's two domains (url_rules.yaml same_site)
    ("http://www.xinhuanet.com/politics/2024-05/09/c_1.htm", "https://www.news.cn/politics/2024-05/09/c_1.htm",
     "https://www.news.cn/politics/2024-05/09/c_1.htm"),
    # another site (a portal crediting the original): not honoured
    ("https://www.sohu.com/a/778336904_120702", "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html",
     "https://www.sohu.com/a/778336904_120702"),
    # the home page (a template mistake), or not http: not honoured
    ("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", "http://finance.people.com.cn/",
     "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html"),
    ("http://a.gov.cn/1.html", "javascript:void(0)", "http://a.gov.cn/1.html"),
    ("http://a.gov.cn/1.html", None, "http://a.gov.cn/1.html"),
])
def test_article_url_honours_rel_canonical_on_the_same_site(fetched, link, expected):
    assert article_url(fetched, link) == expected
    assert canonical_url(expected) == expected


def test_same_site():
    assert same_site("http://a.people.com.cn/x", "https://b.people.cn/y")
    assert not same_site("http://a.people.com.cn/x", "http://people.com.cn.evil.com/x")
    assert not same_site("http://www.beijing.gov.cn/x", "http://www.shanghai.gov.cn/x")


def test_malformed_rules_file_is_one_clear_error(tmp_path, monkeypatch):
    from newsmon.errors import ConfigError

    (tmp_path / "url_rules.yaml").write_text("mobile_hosts:\n  m.a.cn: [www.a.cn]\n", encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match=r"url_rules.yaml line 2: mobile_hosts\.m\.a\.cn: expected text, got \['www.a.cn'\]"):
        canonical_url("http://m.a.cn/1.html")
    (tmp_path / "url_rules.yaml").write_text("rewrites:\n  - match: '('\n    replace: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"url_rules.yaml line 2: rewrites\[0\]\.match: not a valid regular expression"):
        canonical_url("http://m.a.cn/1.html")
    (tmp_path / "url_rules.yaml").write_text("mobile_hosts:\n  m.a.cn: m.a.cn\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"url_rules.yaml: mobile_hosts: m.a.cn maps to itself"):
        canonical_url("http://m.a.cn/1.html")


def test_the_rules_file_setting_is_honoured_from_the_command_line(tmp_path):
    (tmp_path / "mine.yaml").write_text("tracking_params: [myparam]\n", encoding="utf-8")
    assert config.url_rules(config.get_settings()).canonical("http://a.cn/x?myparam=1") == "http://a.cn/x?myparam=1"
    mine = config.url_rules(config.get_settings({"NEWSMON_URL_RULES_FILE": str(tmp_path / "mine.yaml")}))
    assert mine.canonical("http://a.cn/x?myparam=1") == "http://a.cn/x"


def test_no_rules_file_means_built_in_rules_only(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_URL_RULES_FILE", str(tmp_path / "none.yaml"))
    assert canonical_url("https://m.sohu.com/a/1?utm_source=x") == "https://m.sohu.com/a/1"
