"""Per-site overrides: a source's selectors (CSS, or XPath when they start with "/" or "(") beat the generic path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsmon.extract import extract

FIX = Path(__file__).parent / "fixtures" / "extract"
SINA = (FIX / "gne" / "tests" / "sina" / "sina.html").read_bytes()
CST = dt.timezone(dt.timedelta(hours=8))


def test_generic_path_needs_no_selectors():
    ex = extract(SINA)
    assert ex.title == "最强“中国芯”本月商用 华为抢跑5G芯片大战"
    assert ex.published_at.isoformat() == "2019-09-07T04:04:00+08:00"
    assert ex.outlet == "北京日报"


def test_selectors_take_precedence():
    ex = extract(SINA, selectors={
        "title": "//title",                                                    # XPath element
        "date": "//meta[@property='article:published_time']/@content",        # XPath attribute, read before metas are dropped
        "body": "div#article > p:nth-of-type(2)",                              # CSS
        "author": "p.show_author",                                             # "责任编辑：张申"
    })
    assert ex.title == "最强“中国芯”本月商用 华为抢跑5G芯片大战|中国芯|芯片_新浪新闻"
    assert (ex.published_at, ex.published_precision) == (dt.datetime(2019, 9, 7, 6, 52, 51, tzinfo=CST), "second")
    assert ex.authors == ["张申"]
    generic = extract(SINA).content.split("\n")
    assert ex.content in generic and ex.content != "\n".join(generic)


def test_outlet_selector_and_xpath_string_results():
    html = """<html><body><h1>区块链政务应用上线</h1><div class="meta"><span class="src">市大数据局</span>
    <span class="t">2021-06-01</span></div><div class="body"><p>近日，本市区块链政务服务平台正式上线运行，首批接入事项涵盖不动产登记等多个领域。</p>
    <p>平台运行以来，办事材料大幅精简，群众办事更加便捷高效，受到企业和群众的广泛好评。</p></div></body></html>"""
    ex = extract(html.encode(), selectors={"outlet": "span.src", "date": "(//span[@class='t'])[1]/text()"})
    assert ex.outlet == "市大数据局"
    assert ex.published_at.date() == dt.date(2021, 6, 1)


def test_a_selector_that_matches_nothing_falls_back():
    ex = extract(SINA, selectors={"body": "div.no-such-class", "title": "//h5[@id='nope']"})
    assert ex.title == "最强“中国芯”本月商用 华为抢跑5G芯片大战"
    assert ex.content == extract(SINA).content


def test_an_invalid_selector_falls_back_without_raising():
    ex = extract(SINA, selectors={"body": "div[[[", "date": "//span[", "title": ""})
    assert ex.reason is None
    assert ex.title == "最强“中国芯”本月商用 华为抢跑5G芯片大战"
    assert ex.published_at.isoformat() == "2019-09-07T04:04:00+08:00"
