"""Every date form Chinese sites use, with the precision the page gives, and where the date is read from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsmon.extract import extract
from newsmon.extract.dates import SHANGHAI, date_from_url, from_timestamp, parse_date, parse_short

FIX = Path(__file__).parent / "fixtures" / "extract"
MAGIC = FIX / "magic-html_zh"
UTC = dt.timezone.utc


def at(*args, tz=SHANGHAI):
    return dt.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize("text, when, precision", [
    ("2019年8月9日 10:30", at(2019, 8, 9, 10, 30), "minute"),
    ("2019年08月09日10:30", at(2019, 8, 9, 10, 30), "minute"),
    ("2019-08-09", at(2019, 8, 9), "day"),
    ("2019/8/9", at(2019, 8, 9), "day"),
    ("2019.08.09 10:30:05", at(2019, 8, 9, 10, 30, 5), "second"),
    ("发布时间：2019-08-09 10:30", at(2019, 8, 9, 10, 30), "minute"),
    ("发稿时间：2024-05-20 13:15:00 来源：央视新闻客户端", at(2024, 5, 20, 13, 15), "second"),
    ("2024-05-16T17:02:38+08:00", dt.datetime(2024, 5, 16, 17, 2, 38, tzinfo=dt.timezone(dt.timedelta(hours=8))), "second"),
    ("2024-05-20T05:51:23.000Z", at(2024, 5, 20, 5, 51, 23, tz=UTC), "second"),
    ("2012年12月10日, 格林尼治标准时间10:41", at(2012, 12, 10, 10, 41, tz=UTC), "minute"),
    ("2019 09/07 19:02", at(2019, 9, 7, 19, 2), "minute"),
    ("2019年08月09日 17时35分", at(2019, 8, 9, 17, 35), "minute"),
    ("2024年5月20日 9:00-11:30", at(2024, 5, 20, 9, 0), "minute"),   # a time range, not a UTC offset
])
def test_forms(text, when, precision):
    got = parse_date(text)
    assert got == (when, precision)
    assert got[0].tzinfo is not None


def test_no_zone_means_shanghai():
    when, _ = parse_date("2019-08-09 10:30")
    assert when.utcoffset() == dt.timedelta(hours=8)


def test_implausible_dates_are_ignored():
    assert parse_date("1900-01-01") is None
    assert parse_date("2999-01-01") is None
    assert parse_date("2019-13-45") is None


def test_short_forms_after_a_label():
    assert parse_short("10-08 12:00", 2019) == (at(2019, 10, 8, 12, 0), "minute")
    assert parse_short("18-03-08 23:16", None) == (at(2018, 3, 8, 23, 16), "minute")
    assert parse_short("10-08 12:00", None) is None


@pytest.mark.parametrize("url, day", [
    ("http://www.gov.cn/zhengce/content/201908/t20190809_123.html", (2019, 8, 9)),
    ("http://www.kepu.gov.cn/politics/2023-12/01/content_1755244.html", (2023, 12, 1)),
    ("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", (2024, 5, 10)),
    ("http://www.news.cn/politics/leaders/20240509/3dd6e33cc6/c.html", (2024, 5, 9)),
    ("http://www.guancha.cn/industry-science/2019_09_07_516923.shtml", (2019, 9, 7)),
])
def test_dates_in_urls(url, day):
    assert date_from_url(url) == (at(*day), "day")


def test_timestamp_is_shown_to_the_minute():
    assert from_timestamp(1659274471) == (at(2022, 7, 31, 21, 34), "minute")


# --- on real pages -------------------------------------------------------------
def test_byline_date_with_seconds():
    ex = extract((MAGIC / "39dd62c5ba88ab41c15c92ceab61ed4606fc6e996d2ab0d2e10af0e315be94de.html").read_bytes())
    assert ex.published_at == at(2024, 5, 20, 13, 15) and ex.published_precision == "second"


def test_sidebar_dates_never_beat_the_articles_own():
    # the sidebar lists later stories (2024-05-21 … 2024-05-23 with times); the byline says 2024-05-20 13:15:00
    body = (MAGIC / "39dd62c5ba88ab41c15c92ceab61ed4606fc6e996d2ab0d2e10af0e315be94de.html").read_bytes()
    assert "2024-05-23 09:41:17".encode() in body
    ex = extract(body)
    assert ex.published_at.date() == dt.date(2024, 5, 20)


def test_comment_dates_never_beat_the_articles_own():
    body = (MAGIC / "0eebc3efd179794935e495b0c4da98dde249ca4e5df52da18e5fc1009c09f2f2.html").read_bytes()
    assert "2024-05-07 16:16".encode() in body   # a comment, dated before the article
    ex = extract(body)
    assert (ex.published_at, ex.published_precision) == (at(2024, 5, 8, 23, 23), "minute")


def test_sidebar_before_the_headline_is_not_the_date():
    html = """<html><body><div class="list"><ul><li><a href="/a">其他新闻</a> 2021-03-01 09:00</li></ul></div>
    <h1>关于推进区块链技术应用的通知</h1><div class="info">发布时间：2020年7月3日 15:20 来源：某市人民政府</div>
    <div class="content"><p>为贯彻落实有关部署，现就推进区块链技术应用有关事项通知如下。各单位要高度重视，认真组织实施。</p>
    <p>本通知自印发之日起施行，请各地结合实际认真贯彻执行，确保各项措施落到实处，取得实效。</p></div></body></html>"""
    ex = extract(html.encode(), "http://www.example.gov.cn/zwgk/202007/t20200701_1.html")
    assert (ex.published_at, ex.published_precision) == (at(2020, 7, 3, 15, 20), "minute")
    assert ex.outlet == "某市人民政府"
    assert ex.title == "关于推进区块链技术应用的通知"


def test_date_only_in_the_url():
    html = """<html><head><title>通知</title></head><body><h1>关于开展区块链试点工作的通知</h1>
    <div class="TRS_Editor"><p>各区人民政府，市政府各部门：为加快区块链技术和产业创新发展，经研究，决定开展试点工作。现将有关事项通知如下。</p>
    <p>一、试点范围覆盖政务服务、民生保障和城市治理等领域，各单位要按照要求认真组织申报。</p></div></body></html>"""
    ex = extract(html.encode(), "http://www.example.gov.cn/zwgk/201908/t20190809_123.html")
    assert (ex.published_at, ex.published_precision) == (at(2019, 8, 9), "day")


def test_json_ld_date_when_the_page_shows_none():
    html = """<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "区块链服务网络发布", "datePublished": "2020-04-25T10:05:00+08:00", "author": {"@type": "Organization", "name": "新华社"}}
    </script></head><body><h1>区块链服务网络发布</h1><div class="article"><p>区块链服务网络25日正式发布，这是一个跨云服务、跨门户、跨底层框架的全球性基础设施网络。</p>
    <p>据介绍，该网络将大幅降低区块链应用的开发、部署、运维、互通和监管成本，推动区块链技术快速发展和普及。</p></div></body></html>"""
    ex = extract(html.encode())
    assert ex.published_at == dt.datetime(2020, 4, 25, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert ex.published_precision == "second"   # JSON-LD gives seconds
    assert ex.outlet == "新华社"


def test_meta_date_when_the_page_shows_none():
    html = """<html><head><meta property="article:published_time" content="2024-05-16T17:02:38+08:00"></head><body>
    <h1>标题在这里出现</h1><div class="article"><p>正文第一段，内容足够长以便被识别为文章的主体部分，包含标点符号。</p>
    <p>正文第二段，继续补充一些内容，确保正文的长度和标点数量都足够，可以被正确提取出来。</p></div></body></html>"""
    ex = extract(html.encode())
    assert (ex.published_at.isoformat(), ex.published_precision) == ("2024-05-16T17:02:38+08:00", "second")


def test_wechat_timestamp_in_a_script():
    ex = extract((MAGIC / "7e99760d0920deb099946fd607f580080345cf332fae8ac7eb15fd78f38d701a.html").read_bytes())
    assert (ex.published_at, ex.published_precision) == (at(2022, 7, 31, 21, 34), "minute")


def test_month_day_byline_takes_the_year_from_metadata():
    ex = extract((FIX / "gne" / "tests" / "baijiahao" / "1.html").read_bytes())   # 发布时间：10-08 12:00
    assert (ex.published_at, ex.published_precision) == (at(2019, 10, 8, 12, 0), "minute")


def test_date_split_over_elements():
    ex = extract((FIX / "gne" / "tests" / "qq" / "qq.html").read_bytes())   # "2019" "09/07" "19:02"; meta says 21:30:50
    assert (ex.published_at, ex.published_precision) == (at(2019, 9, 7, 19, 2), "minute")


def test_zone_given_by_the_page_is_kept():
    ex = extract((FIX / "newspaper4k" / "chinese_article.html").read_bytes())   # 格林尼治标准时间10:41
    assert ex.published_at == at(2012, 12, 10, 10, 41, tz=UTC)
    assert ex.published_precision == "minute"


def test_publication_label_beats_an_earlier_document_date():
    # gov.cn policy pages: 成文日期 (signed) comes before 发布日期 (published) in the header table
    html = """<html><head><title>关于推动区块链发展的通知_政策</title></head><body><h1>关于推动区块链发展的通知</h1>
    <table class="info"><tr><td>成文日期：</td><td>2019年08月05日</td><td>发文字号：</td><td>国办发〔2019〕38号</td></tr>
    <tr><td>发布日期：</td><td>2019年08月09日</td></tr></table>
    <div class="pages_content"><p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：为推动区块链技术和产业创新发展，现提出以下意见。</p>
    <p>一、总体要求。坚持创新驱动，推动区块链技术在政务服务等领域深化应用，取得实效。</p></div></body></html>"""
    ex = extract(html.encode())
    assert (ex.published_at, ex.published_precision) == (at(2019, 8, 9), "day")


def test_date_and_time_joined_by_a_dash():
    assert parse_date("2019-08-09-17:35:12") == (at(2019, 8, 9, 17, 35, 12), "second")
