"""Canonical URLs: one key per article."""

import pytest

from newsmon.urls import canonical_url


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
