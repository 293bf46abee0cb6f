"""Every date form Chinese sites use, with the precision the page gives, and where the date is read from."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from newsmon.extract import extract
from newsmon.extract.dates import SHANGHAI, date_from_url, from_timestamp, parse_date, parse_partial, parse_short

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


# --- header date forms of templates the corpus does not have (issue 14) ---------------------
@pytest.mark.parametrize("text, when, precision", [
    ("2005-5-7 21:23:57", at(2005, 5, 7, 21, 23, 57), "second"),                       # no zero padding
    ("2005年5月7日", at(2005, 5, 7), "day"),
    ("7/5/2005 9:23:57 PM", at(2005, 7, 5, 21, 23, 57), "second"),                      # US order: the 12-hour clock of en-US
    ("9/17/2004 5:54:13", at(2004, 9, 17, 5, 54, 13), "second"),                        # 17 can only be the day
    ("17/9/2004", at(2004, 9, 17), "day"),
    ("2024年5月22日週三 上午8:21", at(2024, 5, 22, 8, 21), "minute"),                    # weekday and 上午
    ("2024年5月20日 星期一 下午2:05", at(2024, 5, 20, 14, 5), "minute"),
    ("2024年5月20日 中午1:05", at(2024, 5, 20, 13, 5), "minute"),
    ("2024-05-20 12:10 AM", at(2024, 5, 20, 0, 10), "minute"),
    ("发表于2005年09月07日 11:57 PM", at(2005, 9, 7, 23, 57), "minute"),
    ("2024年5月15日星期三 20点20分", at(2024, 5, 15, 20, 20), "minute"),
    ("２０２０年３月５日　１０：３０", at(2020, 3, 5, 10, 30), "minute"),                    # full-width digits
    ("二〇二〇年三月五日", at(2020, 3, 5), "day"),                                        # Chinese numerals
    ("二〇一九年十二月三十一日", at(2019, 12, 31), "day"),
    ("Saturday, September 10th, 2005 10:56 am", at(2005, 9, 10, 10, 56), "minute"),     # English month names
    ("10 Sep 2005", at(2005, 9, 10), "day"),
])
def test_more_forms(text, when, precision):
    assert parse_date(text) == (when, precision)


def test_year_last_dates_need_something_to_decide_the_order():
    assert parse_date("06/02/2022 - 13:48") is None        # 6 February or June 2? the text cannot say
    assert parse_date("06/02/2022 - 13:48", dt.date(2022, 2, 6)) == (at(2022, 2, 6, 13, 48), "minute")
    assert parse_date("06/02/2022", dt.date(2022, 6, 2)) == (at(2022, 6, 2), "day")
    assert parse_date("06/02/2022", dt.date(2023, 1, 1)) is None   # a hint that fits neither reading


def test_a_day_without_its_year_is_completed_only_near_the_hint():
    assert parse_partial("02日14:25 作者： 赵婕", dt.date(2005, 3, 2)) == (at(2005, 3, 2, 14, 25), "minute")
    assert parse_partial("5月7日 21:23", dt.date(2019, 5, 7)) == (at(2019, 5, 7, 21, 23), "minute")
    assert parse_partial("5月7日 21:23", dt.date(2019, 8, 7)) is None
    assert parse_partial("02日14:25", None) is None


PROSE = ("<p>为贯彻落实有关部署，现就推进区块链技术应用有关事项通知如下。各单位要高度重视，认真组织实施，确保取得实效。</p>"
         "<p>本通知自印发之日起施行，请各地结合实际认真贯彻执行，确保各项措施落到实处，并及时报告工作进展情况。</p>")


def page(header: str, *, head: str = "", after: str = "", before: str = "", title: str = "区块链应用试点工作方案公布") -> bytes:
    return (f"<html><head><title>{title}_某某网</title>{head}</head><body>{before}<h1>{title}</h1>{header}"
            f"<div class='article'>{PROSE}</div>{after}</body></html>").encode()


@pytest.mark.parametrize("header, when, precision", [
    ("<div class='info'>发布日期：2022-02-11 08:52</div>", at(2022, 2, 11, 8, 52), "minute"),
    ("<div>楼层： 第 1 楼 时间：2005-08-28 20:56:20</div>", at(2005, 8, 28, 20, 56, 20), "second"),
    ("<div><span>2005年08月16日</span> <span>来源：新华网</span></div>", at(2005, 8, 16), "day"),      # bare date beside 来源
    ("<div>来源：太原晚报 <span>2021-11-25 16:26:07</span></div>", at(2021, 11, 25, 16, 26, 7), "second"),
    ("<div>发布日期：7/5/2005 9:23:57 PM</div>", at(2005, 7, 5, 21, 23, 57), "second"),
    ("<div>2024年5月22日週三 上午8:21</div>", at(2024, 5, 22, 8, 21), "minute"),
    ("<div>发布时间：２０２２－０２－１３　０４：２２</div>", at(2022, 2, 13, 4, 22), "minute"),
    ("<div>二〇二〇年三月五日 来源：某某日报</div>", at(2020, 3, 5), "day"),
    ("<div><span class='time'>于 2023-03-12 13:08:03 发布</span></div>", at(2023, 3, 12, 13, 8, 3), "second"),
    ("<div>posted @ 2024-05-09 14:45 张三 阅读(12)</div>", at(2024, 5, 9, 14, 45), "minute"),
    ("<div>作者 <abbr class='timeago' title='2024年04月22日'>1 月前</abbr></div>", at(2024, 4, 22), "day"),  # relative
    ("<div><time datetime='2023-05-28 10:28:25'>11个月前</time></div>", at(2023, 5, 28, 10, 28, 25), "second"),
    ("<div>点击：313 <span>录入时间：2021-1-29 13:18</span></div>", at(2021, 1, 29, 13, 18), "minute"),
])
def test_header_forms(header, when, precision):
    ex = extract(page(header))
    assert (ex.published_at, ex.published_precision) == (when, precision)


def test_day_month_order_taken_from_the_pages_own_metadata():
    head = "<meta property='article:published_time' content='2022-02-06T12:48:06+00:00'>"
    ex = extract(page("<div>发表时间： 06/02/2022 - 13:48</div>", head=head))
    assert (ex.published_at, ex.published_precision) == (at(2022, 2, 6, 13, 48), "minute")


def test_year_and_month_of_a_byline_taken_from_the_url():
    ex = extract(page("<div>02日14:25 作者： 赵婕</div>"), "http://book.example.net/20050302/00464959.html")
    assert (ex.published_at, ex.published_precision) == (at(2005, 3, 2, 14, 25), "minute")


def test_unlabelled_date_under_the_post_when_nothing_else_dates_it():
    after = "<div class='postfoot'>2005-08-30 13:22 | 阅读(3)</div><div>2006-01-02 08:00</div>"
    ex = extract(page("<div>作者：某某</div>", after=after), "http://blog.example.com/u/archive/2005/08/30/1.aspx")
    assert (ex.published_at, ex.published_precision) == (at(2005, 8, 30, 13, 22), "minute")
    ex = extract(page("<div>作者：某某</div>", after=after), "http://blog.example.com/u/archive/2005/09/30/1.aspx")
    assert ex.published_at == at(2005, 9, 30)   # another day than the URL's: the URL wins


def test_forum_post_statement_printed_under_the_post():
    body = (b"<html><head><title>\xe5\x85\xb3\xe4\xba\x8e\xe4\xba\xb2\xe5\xad\x90</title></head><body>"
            + "<h3>演讲精选之二</h3><table><tr><td>".encode()
            + PROSE.encode()
            + "<center>本贴由 <b>大卫</b> 于2005年8月12日16:12:21在〖 <a href='/f'>心灵体操</a> 〗发表.</center>"
              "<p>原标题：【演讲精选之一】是大卫在2005年8月11日16:10:13发表</p></td></tr></table></body></html>".encode())
    ex = extract(body)
    assert (ex.published_at, ex.published_precision) == (at(2005, 8, 12, 16, 12, 21), "second")


# --- a sidebar, related-news, comment or site-clock date never wins ------------------------------
def test_recommended_article_date_before_the_byline_never_wins():
    header = ("<div class='up-time'>最新推荐文章于 2023-09-04 17:53:10 发布</div>"
              "<div class='bar'><a href='/u'>张三</a> <span class='time'>于 2023-03-12 13:08:03 发布</span></div>")
    ex = extract(page(header))
    assert ex.published_at == at(2023, 3, 12, 13, 8, 3)


def test_related_news_dates_never_win():
    # the byline has no date; a related-news list follows it: no date rather than another article's
    related = "".join(f"<li><a href='/{d}'>另一条新闻标题第{d}号</a><font>2005-07-{d:02d} 09:00:04</font></li>" for d in (13, 11))
    ex = extract(page(f"<table><tr><td>来源：某某报</td></tr><tr><td>相关报道</td></tr></table><ul>{related}</ul>"))
    assert ex.published_at is None


def test_comment_dates_after_the_post_never_win():
    comments = "".join(f"<div class='c'><h4>re: 标题</h4><span>2004-12-27 1{h}:46</span><p>欢迎欢迎，热烈欢迎，写得很好。</p></div>" for h in (3, 4))
    ex = extract(page("", after=f"<p class='postfoot'>发表于 2004年12月26日 12:40 - (阅读:3727;评论:63)</p><h3>网友评论</h3>{comments}"))
    assert (ex.published_at, ex.published_precision) == (at(2004, 12, 26, 12, 40), "minute")


def test_site_clock_and_boundary_dates_never_win():
    before = "<div class='top'>今天是2024年5月22日 星期三 <a href='/old'>查看旧版(2007年11月18号以前)</a></div>"
    ex = extract(page("", before=before), "http://www.example.cn/news/2022-02/12/content_1.htm")
    assert ex.published_at == at(2022, 2, 12)   # the URL, not the clock or the archive boundary


def test_e_paper_issue_date_above_the_headline():
    before = "<div><strong>2022年02月12日</strong> <a href='/old'>查看旧版(2007年11月18号以前)</a></div>"
    ex = extract(page("", before=before))
    assert ex.published_at == at(2022, 2, 12)


# --- the unseen-template benchmark set, dev split (never the test split) ---------------------
UNSEEN = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "extract_unseen"
DEV_DAY_FLOOR = 0.94      # reached 1.000 (35 pages); a margin of two pages
DEV_MINUTE_FLOOR = 0.92   # reached 1.000 (25 pages with a time)


def test_dev_split_dates_do_not_regress():
    recs = [json.loads(line) for line in (UNSEEN / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [r for r in recs if r["split"] == "dev"]
    assert len(dev) >= 30 and {r["split"] for r in recs} == {"dev", "test"}
    sites = sorted({r["site"] for r in recs}, key=lambda site: hashlib.sha256(site.encode()).hexdigest())
    assert {r["site"] for r in dev} == set(sites[:(len(sites) + 1) // 2])   # by site, as the README states
    day, minute = [], []
    for r in dev:
        ex = extract((UNSEEN / "pages" / r["path"]).read_bytes(), r.get("url") or "")
        gold = dt.datetime.fromisoformat(r["published_at"]) if r["published_at"] else None
        if gold is None:
            day.append(ex.published_at is None)
            continue
        if gold.tzinfo is None:
            gold = gold.replace(tzinfo=SHANGHAI)
        got = ex.published_at
        day.append(got is not None and got.astimezone(SHANGHAI).date() == gold.astimezone(SHANGHAI).date()
                   or r["zone"] == "meta" and got is None)
        if len(r["published_at"]) > 10 and r["zone"] != "meta":
            minute.append(got is not None and ex.published_precision != "day"
                          and got.astimezone(SHANGHAI).replace(second=0) == gold.astimezone(SHANGHAI).replace(second=0))
    assert sum(day) / len(day) >= DEV_DAY_FLOOR
    assert sum(minute) / len(minute) >= DEV_MINUTE_FLOOR
