"""The digest library on the analysts' own items: sections as the seed, leads, reach, commentary, charts.

Articles are the 14 real items of the hand-written seed digest, labelled by the shipped
labeller (newsmon.testing.text); where a test needs the seed's exact sections, the
analysts' gold labels (tests/fixtures/gold/labels_dev.jsonl) replace the labeller's
category, since the seed files each item under one heading only.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from newsmon import config
from newsmon.digest import build_digest
from newsmon.digest.charts import bar_chart, stacked_columns
from newsmon.digest.leads import LeadRules, lead, sentences
from newsmon.digest.outlets import reach
from newsmon.digest.render import to_html, to_markdown, to_text
from newsmon.testing.text import analyse
from newsmon.vocab import SHANGHAI

from conftest import FIXTURES

GOLD = FIXTURES / "gold" / "labels_dev.jsonl"
SEED = FIXTURES / "gold" / "seed_example_digest.txt"
START, END = dt.date(2020, 3, 1), dt.date(2020, 3, 31)


def seed_sections(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(headline, text)]) of a digest in the seed's plain-text form (tests/test_text_labels.py reads it so)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[tuple[str, list]] = []
    group, i = None, 0
    while i < len(lines):
        line = lines[i]
        if "——" in line and len(line) < 20:
            group, i = line, i + 1
            out.append((group, []))
        elif line.startswith("●"):
            group, i = None, i + 1
        elif group and i + 1 < len(lines):
            out[-1][1].append((line, lines[i + 1]))
            i += 2
        else:
            i += 1
    return out


def cfg(**changes) -> dict:
    out = config.digest(config.get_settings()).model_dump()
    for key, value in changes.items():
        out[key] = value
    return out


LABELS: dict[str, dict] = {}


def article(item: dict, when: dt.datetime, *, gold: bool = False, n: int = 0, **extra) -> dict:
    """A stored article of a seed item: the labeller's labels (the analysts' category if ``gold``)."""
    labels = LABELS[item["title"]]
    doc = {"_id": f"a{n}", "url": f"http://finance.people.com.cn/n1/2020/0301/c1004-99{n:04d}.html", "title": item["title"],
           "content": item["text"], "published_at": when, "first_seen": when, "outlet": "人民网-金融频道",
           "source_title": "人民网", "source": "people", **labels}
    if gold:
        doc["category"] = item["gold"]["category"]
        if item["gold"]["level"] == "central":
            doc["level"] = "central"
    doc.update(extra)
    return doc


@pytest.fixture(scope="module")
def gold_items() -> list[dict]:
    """The analysts' items, labelled once for the module (building the labeller is the slow part)."""
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items:
        LABELS[item["title"]] = {k: v for k, v in analyse(item["title"], item["text"]).items() if k != "tokens"}
    return items


@pytest.fixture(scope="module")
def seed_docs(gold_items) -> list[dict]:
    """The seed's items in its order, dated newest first (as analysts list a section)."""
    seed = [title for _, items in seed_sections(SEED.read_text(encoding="utf-8")) for title, _ in items]
    by_title = {i["title"]: i for i in gold_items}
    first = dt.datetime(2020, 3, 30, 9, tzinfo=SHANGHAI)
    return [article(by_title[t], first - dt.timedelta(hours=6 * k), gold=True, n=k) for k, t in enumerate(seed)]


def test_seed_items_give_the_seed_digest_sections_items_and_order(seed_docs):
    seed = seed_sections(SEED.read_text(encoding="utf-8"))
    assert [g for g, _ in seed] == ["各省市——规划", "各省市——应用", "国家职能部门——应用"]
    digest = build_digest(seed_docs, START, END, cfg(), layout="seed")
    assert [s.name for s in digest.sections] == [g for g, _ in seed]
    ours = seed_sections(to_text(digest))
    assert [(g, [t for t, _ in items]) for g, items in ours] == [(g, [t for t, _ in items]) for g, items in seed]
    # each lead is the seed's own text where it fits the bound, else a shorter run of its sentences in order
    for (_, mine), (_, theirs) in zip(ours, seed):
        for (_, lead_line), (title, text) in zip(mine, theirs):
            got = lead_line.rsplit("（", 1)[0] if lead_line.endswith("）") and "people.com.cn" in lead_line else lead_line
            if len(text) <= 240 and len(sentences(text)) <= 3:
                assert got == text, title
            else:
                parts = sentences(got)
                assert 2 <= len(parts) <= 3 and len(got) <= 240
                positions = [text.index(p) for p in parts]
                assert positions == sorted(positions), title


def test_layouts_and_words_come_from_the_config(seed_docs):
    nested = build_digest(seed_docs, START, END, cfg(), layout="nested")
    assert [s.name for s in nested.sections] == ["国家职能部门", "各省市"]
    assert [r.name for r in nested.sections[1].children] == ["华北", "东北", "华东", "华中", "西南", "西北"]
    md = to_markdown(nested)
    assert "## 国家职能部门\n### 应用\n- **外汇局" in md and "##### 规划" in md and md.count("\n- **") == 14
    # the default is the config's layout; words, separator and area order are the config's too
    assert build_digest(seed_docs, START, END, cfg()).layout == "seed"
    worded = build_digest(seed_docs, START, END, cfg(separator="·", categories={"application": "应用", "policy": "策略", "voice": "声音", "other": "其他"},
                                                      layouts={"seed": ["ministries", "central", "local"], "nested": []}))
    assert [s.name for s in worded.sections] == ["国家职能部门·应用", "各省市·应用", "各省市·策略"]


def test_leads_keep_amounts_counts_bodies_and_officials(seed_docs):
    by = {d["title"][:4]: d for d in seed_docs}
    assert "项目总体投资额预计10亿元人民币" in lead(by["哈尔滨工"])
    assert "不少于300名金融服务联络员" in lead(by["宁夏将建"]) and "自治区地方金融监管局" in lead(by["宁夏将建"])
    assert "外汇局副局长宣昌能" in lead(by["外汇局："])
    assert "中国银保监会副主席周亮" in lead(by["银保监会"])
    assert "50万元" in lead(by["西安浐灞"])
    # a long article: the bound holds, the sentences with figures and named people are kept, in text order
    filler = "会议强调，要进一步提高思想认识，切实增强责任感和使命感。"
    doc = {"title": "某市推进区块链产业发展", "content": "\n".join([
        "3月10日，某市召开区块链产业发展推进会。", filler, filler.replace("会议", "会上"),
        "市长张三表示，全市将设立总规模50亿元的区块链产业基金，到2022年培育企业不少于200家。", filler.replace("强调", "指出"),
        "区块链相关企业营业收入同比增长35%。", filler.replace("要", "须")]),
        "people": ["张三（某市市长）"], "organizations": []}
    got = lead(doc, LeadRules(max_sentences=3, max_chars=120))
    assert len(got) <= 120 and "50亿元" in got and "35%" in got and filler not in got
    assert got.index("50亿元") < got.index("35%")
    # one long sentence is cut at a clause, never past the bound
    long = {"title": "x", "content": "，".join(["推进区块链在政务服务中的应用"] * 30) + "。"}
    assert len(lead(long, LeadRules(max_chars=80))) <= 80 and lead(long, LeadRules(max_chars=80)).endswith("…")


def test_reprints_count_distinct_outlets_not_urls(seed_docs):
    doc = dict(seed_docs[0], url="http://finance.people.com.cn/n1/2020/0321/c1004-990321009.html", also_at=[
        {"url": "http://sd.people.com.cn/n1/2020/0321/c1-1.html", "source": "people", "outlet": "人民网-山东频道"},
        {"url": "http://www.gov.cn/xinwen/2020-03/22/content_5494000.htm", "source": "manual", "outlet": "中国政府网"},
        {"url": "http://m.people.com.cn/n4/2020/0321/c1-2.html", "source": "people", "outlet": "人民网"},
    ])
    r = reach(doc, site_of=lambda url: ".".join(url.split("/")[2].split(".")[-3:]) if "people" in url else "gov.cn")
    assert (r.outlets, r.pages, r.names) == (2, 4, ["人民网", "中国政府网"])
    digest = build_digest([doc], START, END, cfg(), site_of=lambda url: "people.com.cn" if "people" in url else "gov.cn")
    md = to_markdown(digest)
    assert "2 家媒体刊发，共 4 个网页：人民网、中国政府网" in md and "3 家媒体" not in md and "4 家媒体" not in md


def test_commentary_counts_compares_and_tells_what_is_new(gold_items):
    items = {i["title"][:2]: i for i in gold_items}
    day = dt.datetime(2020, 3, 20, 10, tzinfo=SHANGHAI)
    reprint = [{"url": "http://www.gov.cn/a.htm", "outlet": "中国政府网"}, {"url": "http://www.xinhuanet.com/b.htm", "outlet": "新华网"}]
    now = [article(items["山东"], day, gold=True, n=1), article(items["湖南"], day, gold=True, n=2),
           article(items["哈尔"], day, gold=True, n=3, also_at=reprint), article(items["外汇"], day, gold=True, n=4),
           article(items["甘肃"], day, gold=True, n=5)]
    before = [article(items["山东"], day - dt.timedelta(days=31), gold=True, n=6)]
    history = before + [article(items["甘肃"], day - dt.timedelta(days=60), gold=True, n=7)]
    d = build_digest(now, START, END, cfg(), previous=before, history=history,
                     previous_period=(dt.date(2020, 1, 30), dt.date(2020, 2, 29)))
    assert d.opening.startswith("（自动生成）") and "共收录政府机关等在区块链领域的报道5条" in d.opening
    assert "较上期（2020年1月30日至2月29日）的1条增加4条" in d.opening and "另有2次转载已合并计入" in d.opening
    assert "转载最多的是《哈尔滨工信局将推动“区块链+新科技集群”，建设数字资产交易所》，3家媒体刊发" in d.opening
    notes = {s.name: s.note for s in d.sections}
    assert list(notes) == ["各省市——规划", "各省市——应用", "国家职能部门——应用"]
    assert all(n.startswith("●解读（自动生成）：本期") for n in notes.values())
    plan = notes["各省市——规划"]
    assert "本期各省市规划类报道3条，较上期（2020年1月30日至2月29日）的1条增加2条" in plan
    assert "分布在" in plan and "山东" in plan and "湖南" in plan and "黑龙江" in plan
    # 山东 and 甘肃 had items in the look-back window; 湖南, 黑龙江 and 国家外汇管理局 did not
    assert re.search(r"(湖南、黑龙江|黑龙江、湖南)为近90天内首次有报道的省份", plan) and "山东为近90" not in plan
    assert "首次" not in notes["各省市——应用"]
    assert "国家外汇管理局为近90天内首次有报道的机构" in notes["国家职能部门——应用"]
    assert "上期（2020年1月30日至2月29日）没有相关报道" in notes["国家职能部门——应用"]
    # in every format, after its section; switched off, none of it
    text = to_text(d)
    assert text.count("●解读（自动生成）") == 3 and text.index("各省市——应用") < text.index("●解读（自动生成）：本期各省市应用类")
    html = to_html(d)
    assert html.count('class="generated commentary"') == 3 and 'class="generated opening"' in html
    quiet = build_digest(now, START, END, cfg(commentary={**cfg()["commentary"], "enabled": False}), previous=before)
    assert not quiet.opening and not any(s.note for s in quiet.sections)
    assert "●解读" not in to_markdown(quiet) + to_text(quiet) and "自动生成" not in to_html(quiet)


def test_no_articles_says_so():
    d = build_digest([], START, END, cfg(), previous=[], history=[], previous_period=(dt.date(2020, 1, 30), dt.date(2020, 2, 29)))
    assert "没有新的相关报道" in to_markdown(d) and not d.sections
    assert "没有新的相关报道" in to_html(d)


def test_week_chart_has_every_week_axis_values_and_the_year(seed_docs):
    docs = [dict(seed_docs[0], published_at=dt.datetime(2019, 12, 31, 9, tzinfo=SHANGHAI)),
            dict(seed_docs[1], published_at=dt.datetime(2020, 1, 22, 9, tzinfo=SHANGHAI))]
    d = build_digest(docs, dt.date(2019, 12, 25), dt.date(2020, 1, 25), cfg())
    assert list(d.per_week) == ["2019-12-23", "2019-12-30", "2020-01-06", "2020-01-13", "2020-01-20"]
    assert [sum(v.values()) for v in d.per_week.values()] == [0, 1, 0, 0, 1]
    svg = stacked_columns(d.per_week, d.categories, title="每周")
    assert "2019年" in svg and "2020年" in svg and ">12/23<" in svg and ">1/20<" in svg
    assert svg.count('class="value">0<') == 3 and svg.count('class="value">1<') == 2
    assert 'class="tick">0<' in svg and 'class="tick">1<' in svg        # the count axis


def test_province_chart_shows_central_items_as_their_own_row(seed_docs):
    d = build_digest(seed_docs, START, END, cfg())
    assert d.national == 5 and sum(n for _, n in d.per_province) == 9
    svg = bar_chart(d.per_province, title="各省份文章数", extra=[("国家职能部门", d.national)], note="灰色：国家职能部门")
    assert svg.count('class="bar"') == 9 and svg.count('class="bar national"') == 1 and ">5<" in svg
    assert "灰色：国家职能部门" in svg and 'class="tick">0<' in svg


@pytest.mark.parametrize("change, says", [
    ("layout: seed", "layout: sideways"),
    ("  seed: [local, central, ministries]", "  seed: [local, central]"),
    ("  policy: 规划", "  polcy: 规划"),
    ("  other: 其他\n", ""),
    ("  enabled: true", "  enabled: 'no'"),
])
def test_a_wrong_digest_config_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, change, says):
    from newsmon.cli import main
    from newsmon.config.settings import shipped_config_dir

    text = (shipped_config_dir() / "digest.yaml").read_text(encoding="utf-8")
    assert change in text
    (tmp_path / "digest.yaml").write_text(text.replace(change, says), encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(tmp_path))
    assert main(["digest", "--from", "2020-03-01", "--to", "2020-03-31"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "digest.yaml line" in err, err
