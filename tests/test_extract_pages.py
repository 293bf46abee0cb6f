"""Real pages end to end: headline, date, outlet, authors and a body without page chrome.

Expected values are the hand-checked ones of benchmarks/gold/extraction_gold.jsonl;
body text is compared with magic-html's human annotation.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import pytest

from newsmon.extract import Extraction, extract

FIX = Path(__file__).parent / "fixtures" / "extract"
MAGIC = FIX / "magic-html_zh"
# Two of the pages are also in the offline snapshot (product data): read there, not copied twice.
SNAPSHOT_COPIES = {
    "gne/tests/people/1.html": "culture.people.com.cn/n1/2019/0615/c1013-31137001.html",
    "magic-html_zh/1e20e0271231de85fba26cef6db2bedebf916402368a4602c5adb5b2acf722e1.html":
        "finance.people.com.cn/n1/2024/0510/c1004-40232587.html",
}


def fixture(path: str) -> Path:
    from newsmon.config.settings import PROJECT_ROOT

    return PROJECT_ROOT / "snapshot" / SNAPSHOT_COPIES[path] if path in SNAPSHOT_COPIES else FIX / path
CST = dt.timezone(dt.timedelta(hours=8))

PAGES = [
    # fixture, title, published_at (ISO), precision, source, authors
    ("cx-extractor_163finance/1.html", "八部委如何玩转互联网+：打造万物互联新生态", "2015-05-21T05:03:58+08:00", "second",
     "21世纪经济报道", ["何苗", "张梦洁"]),
    ("gne/tests/people/1.html", "女儿出嫁，郑板桥画了几笔兰花当嫁妆", "2019-06-15T08:18:00+08:00", "minute",
     "人民网-文化频道", ["汤诗瑶", "丁涛"]),
    ("gne/tests/sina/sina.html", "最强“中国芯”本月商用 华为抢跑5G芯片大战", "2019-09-07T04:04:00+08:00", "minute", "北京日报", ["张申"]),
    ("gne/tests/hexun/1.html", "交通运输部：着力打造京津冀区域综合立体交通网络", "2019-09-26T10:56:28+08:00", "second", "证券时报网", []),
    ("magic-html_zh/1e20e0271231de85fba26cef6db2bedebf916402368a4602c5adb5b2acf722e1.html",
     "在新时代中部地区崛起中争先出彩（推动高质量发展·权威发布）", "2024-05-10T06:58:00+08:00", "minute", "人民网－人民日报",
     ["王乐文", "方敏", "胡永秋", "杨光宇"]),   # 本报记者 王乐文 方 敏 … (责编：胡永秋、杨光宇)
    ("magic-html_zh/4e55eac42f97a6d97d14795891d2e24b715bec8c057c592a81c3d7ca08aafa10.html",
     "习近平主持召开深入推进长三角一体化发展座谈会", "2023-12-01T14:43:00+08:00", "minute", "新华社", ["毛梦囡"]),
    ("magic-html_zh/6558a82cd7af98f97783a125f84d6aefccd7ab723f58c5f4ee58c2e11523ac29.html",
     "5月LPR按兵不动：1年期为3.45%，5年期以上为3.95%", "2024-05-20T09:47:48+08:00", "second", "北京商报",
     ["岳品瑜", "董晗萱", "文静"]),
    ("trafilatura_zh/archive.org.he.xinhuanet.com.25340717.html", "话剧《约定无期限》河北各市巡演结束",
     "2012-06-04T09:20:26+08:00", "second", "河北日报", ["王敬照", "王华军"]),
]


@pytest.mark.parametrize("name, title, when, precision, source, authors", PAGES, ids=[p[0].split("/")[0] + ":" + p[0][-12:] for p in PAGES])
def test_fields(name, title, when, precision, source, authors):
    ex = extract(fixture(name).read_bytes())
    assert ex.reason is None
    assert ex.title == title
    assert ex.published_at.isoformat() == when
    assert ex.published_precision == precision
    assert ex.outlet == source
    assert ex.authors == authors
    assert ex.lang == "zh"


def test_as_dict_is_json():
    ex = extract((FIX / PAGES[0][0]).read_bytes())
    d = json.loads(json.dumps(ex.as_dict(), ensure_ascii=False))
    assert set(d) >= {"title", "published_at", "published_precision", "outlet", "authors", "content", "lang", "encoding", "reason"}
    assert d["published_at"] == "2015-05-21T05:03:58+08:00"
    assert isinstance(Extraction(), Extraction) and Extraction().as_dict()["published_at"] is None


def _f1(pred: str, truth: str) -> float:
    p = collections.Counter("".join(pred.split()))
    t = collections.Counter("".join(truth.split()))
    common = sum((p & t).values())
    return 0.0 if not common else 2 * common / (sum(p.values()) + sum(t.values()))


@pytest.mark.parametrize("sha", sorted(json.loads((MAGIC / "base_zh_subset.json").read_text(encoding="utf-8"))))
def test_body_matches_the_human_annotation(sha):
    truth = json.loads((MAGIC / "base_zh_subset.json").read_text(encoding="utf-8"))[sha]
    ex = extract(fixture(f"magic-html_zh/{sha}.html").read_bytes(), truth["url"])
    assert _f1(ex.content, truth["content"]) >= 0.95


@pytest.mark.parametrize("name", [
    "gne/tests/hexun/1.html",
    "magic-html_zh/6558a82cd7af98f97783a125f84d6aefccd7ab723f58c5f4ee58c2e11523ac29.html",
])
def test_blockchain_in_navigation_does_not_leak_into_the_body(name):
    body = fixture(name).read_bytes()
    assert "区块链".encode() in body          # in menus and sidebars of the page
    ex = extract(body)
    assert ex.content and "区块链" not in ex.content


def test_body_has_no_chrome_or_credit_lines():
    ex = extract(fixture("magic-html_zh/1e20e0271231de85fba26cef6db2bedebf916402368a4602c5adb5b2acf722e1.html").read_bytes())
    lines = ex.content.split("\n")
    assert lines[0].startswith("5月9日，国务院新闻办举行")
    assert not any(word in ex.content for word in ("责编", "分享让更多人看到", "推荐阅读", "人民网版权所有"))
    assert ex.title not in lines


def test_paragraphs_are_lines():
    ex = extract((FIX / "gne" / "tests" / "sina" / "sina.html").read_bytes())
    lines = ex.content.split("\n")
    assert len(lines) >= 5 and all(line == line.strip() and line for line in lines)


def test_furniture_words_are_cut_only_when_they_stand_alone():
    html = """<html><head><title>收藏市场观察_某网</title></head><body><h1>收藏市场观察</h1><div class="text">
    <p>收藏家认为，今年的古籍拍卖市场回暖明显，成交额同比增长三成以上。</p>
    <p>业内人士表示，区块链存证等新技术正在进入艺术品鉴定和流通环节，市场更加规范。</p>
    <p>收藏</p><p>责任编辑：张三</p></div></body></html>"""
    ex = extract(html.encode())
    assert ex.content.split("\n") == ["收藏家认为，今年的古籍拍卖市场回暖明显，成交额同比增长三成以上。",
                                       "业内人士表示，区块链存证等新技术正在进入艺术品鉴定和流通环节，市场更加规范。"]
    assert ex.authors == ["张三"]


def test_headline_when_title_names_only_the_site():
    html = """<html><head><title>首页 - 某某市人民政府</title></head><body><div class="logo"><h1><a href="/">某某市人民政府</a></h1></div>
    <h1>我市召开区块链产业发展推进会</h1><div class="art"><p>近日，我市召开区块链产业发展推进会，总结工作成效，部署下一阶段重点任务。</p>
    <p>会议强调，要加快推进区块链技术在政务服务、金融、民生等领域的应用，形成一批可复制推广的经验。</p></div></body></html>"""
    assert extract(html.encode()).title == "我市召开区块链产业发展推进会"
