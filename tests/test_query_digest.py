"""`newsmon query / new / stats / digest` on a store filled by a real pipeline run over the snapshot.

The snapshot's blockchain articles are the 14 items of the analysts' seed digest
(tests/fixtures/gold/seed_example_digest.txt), so the digest of that store is checked against it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest

from newsmon.testing.servers import connect

from conftest import run_cli


@pytest.fixture(scope="module")
def filled(mongo_server, tmp_path_factory):
    """A database filled by `newsmon run --offline` (people.com.cn snapshot, whole pipeline)."""
    env = {"MONGO_URI": mongo_server.uri, "MONGO_DATABASE": f"q_{uuid.uuid4().hex[:8]}",
           "NEWSMON_DATA_DIR": str(tmp_path_factory.mktemp("qdata"))}
    result = run_cli("newsmon", "run", "--offline", "people", "--quiet", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    # the 外汇局 story reprinted on a gov.cn-shaped page with other chrome, 来源 and editor lines
    import datetime as dt

    from newsmon.testing.sites import SEED_ITEMS, article_html

    item = next(i for i in SEED_ITEMS if i["title"].startswith("外汇局"))
    page = tmp_path_factory.mktemp("reprint") / "reprint.html"
    page.write_text(article_html(item["title"], item["text"] + "\n（责任编辑：李明）", dt.datetime(2020, 3, 22, 9, 0),
                                 outlet="中国政府网"), encoding="utf-8")
    ingest = run_cli("newsmon", "ingest", str(page), "--url", "http://www.gov.cn/xinwen/2020-03/22/content_5494000.htm",
                     "--kind", "gov", env=env)
    assert ingest.returncode == 0 and ingest.stdout.startswith("merged"), ingest.stdout + ingest.stderr[-2000:]
    return env


def cli(env, *args):
    """`newsmon ARGS` in this process (query, new, stats and digest start no crawl), with env's settings."""
    import contextlib
    import io
    import os
    from unittest import mock

    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, err.getvalue()[-3000:]
    return out.getvalue()


def jsonl(env, *args) -> list[dict]:
    return [json.loads(line) for line in cli(env, "query", "--format", "jsonl", "--all", *args).splitlines()]


def test_query_filters_map_to_labels(filled):
    everything = jsonl(filled)
    assert len(everything) == 14
    policy = jsonl(filled, "--category", "policy")
    assert policy and all(d["category"] == "policy" for d in policy)
    shandong = jsonl(filled, "--province", "山东")
    assert [d["title"][:2] for d in shandong] == ["山东"]
    central = jsonl(filled, "--level", "central")
    assert {d["level"] for d in central} == {"central"} and any("外汇局" in d["title"] for d in central)
    assert len(jsonl(filled, "--level", "central", "--category", "application")) < len(central)
    both = jsonl(filled, "--province", "山东", "--province", "甘肃")
    assert {d["province"] for d in both} == {"山东", "甘肃"}
    assert {d["region"] for d in jsonl(filled, "--region", "西北")} == {"西北"}
    assert all("跨境金融区块链" in d["title"] + d.get("content", "") or "跨境" in d["title"]
               for d in jsonl(filled, "--text", "跨境金融区块链平台"))
    assert len(jsonl(filled, "--text", "跨境金融区块链平台")) == 1
    assert len(jsonl(filled, "--title", "区块链")) == 14
    assert jsonl(filled, "--kind", "gov") == [] and len(jsonl(filled, "--kind", "media")) == 14
    assert cli_code(filled, "query", "--source", "nosuch")[0] == 2       # unknown values: tests/test_query_values.py
    rel = jsonl(filled, "--min-relevance", "0.5")
    assert all(d["relevance"] >= 0.5 for d in rel) and len(rel) < 14
    published = jsonl(filled, "--by", "published", "--since", "2020-03-20", "--until", "2020-03-21")
    assert published and all(d["published_at"][:10] in ("2020-03-20", "2020-03-21", "2020-03-19") for d in published)
    assert all("2020-03-19T16" <= d["published_at"] < "2020-03-21T16" for d in published)
    assert jsonl(filled, "--since", "2099-01-01") == []


def test_query_formats_and_sorting(filled):
    table = cli(filled, "query", "--limit", "3", "--sort", "published")
    assert "14" not in table.splitlines()[-1] and table.strip().endswith("3 article(s)")
    rows = list(csv.DictReader(io.StringIO(cli(filled, "query", "--format", "csv", "--all"))))
    assert len(rows) == 14 and rows[0]["url"].startswith("http://") and {"category", "province"} <= set(rows[0])
    md = cli(filled, "query", "--format", "md", "--category", "voice")
    assert md.startswith("| published |") and "银保监会" in md
    dates = [d["published_at"] for d in jsonl(filled, "--sort", "published", "--asc")]
    assert dates == sorted(dates)


@pytest.mark.parametrize("evil", ['{"$where": "sleep(5000)"}', '{"$ne": null}', ".*", "$gt", "\\"])
def test_user_input_never_becomes_an_operator(filled, evil):
    for option in ("--text", "--title"):
        assert jsonl(filled, option, evil) == [], (option, evil)
    for option in ("--province", "--source"):  # checked against the configured values first
        code, _, err = cli_code(filled, "query", option, evil)
        assert code == 2 and "unknown" in err, (option, evil, err)


def test_new_moves_a_cursor_per_consumer(filled):
    first = cli(filled, "new", "--consumer", "alice", "--format", "jsonl").splitlines()
    assert len(first) == 14
    assert cli(filled, "new", "--consumer", "alice", "--format", "jsonl") == ""
    peek = cli(filled, "new", "--consumer", "bob", "--peek", "--format", "jsonl").splitlines()
    assert len(peek) == 14
    assert len(cli(filled, "new", "--consumer", "bob", "--format", "jsonl").splitlines()) == 14  # peek did not move it
    # a new article arrives: only it is new, for both consumers
    store = connect(filled["MONGO_URI"], filled["MONGO_DATABASE"])
    import datetime as dt

    store.insert_article({"url": "http://www.gov.cn/zhengce/new.htm", "title": "新的区块链政策", "source": "gov",
                          "first_seen": dt.datetime.now(dt.timezone.utc)})
    assert cli(filled, "new", "--consumer", "alice", "--format", "jsonl") == ""  # still settling (2 s)
    for who in ("alice", "bob"):
        rows = [json.loads(x) for x in cli(filled, "new", "--consumer", who, "--settle", "0", "--format", "jsonl").splitlines()]
        assert [r["title"] for r in rows] == ["新的区块链政策"]
    store.db.articles.delete_one({"url": "http://www.gov.cn/zhengce/new.htm"})


def test_stats(filled):
    out = json.loads(cli(filled, "stats", "--json"))
    assert out["total"] == 14 and out["source"] == {"people": 14}
    assert sum(out["category"].values()) == 14 and out["province"]["山东"] == 1
    assert sum(out["day"].values()) == 14
    text = cli(filled, "stats", "--by", "published", "--since", "2020-03-01")
    assert text.startswith("14 article(s)") and "by province" in text and "2020-03-23" in text


def cli_code(env, *args) -> tuple[int, str, str]:
    """`newsmon ARGS` in this process: exit code, stdout, stderr."""
    import contextlib
    import os
    from unittest import mock

    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


SEED = Path(__file__).resolve().parent / "fixtures" / "gold" / "seed_example_digest.txt"
# figures an analyst keeps: amounts, shares, counted things
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:亿|万)?元|\d+(?:\.\d+)?%|不少于\d+名|\d+座城市|\d+个")


def seed_sections(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(headline, next line)]) of a digest in the seed's plain-text form."""
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


def test_seed_layout_digest_of_the_pipeline_follows_the_seed(filled):
    """The seed's items, crawled and labelled by the real pipeline: the seed's sections in the seed's order."""
    seed = seed_sections(SEED.read_text(encoding="utf-8"))
    text = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--format", "text")
    ours = seed_sections(text)
    names = [g for g, _ in ours]
    # 各省市 first, 规划 before 应用; the seed's headings in the seed's order; nothing outside area × category
    assert names[:2] == ["各省市——规划", "各省市——应用"] and names.index("各省市——应用") < names.index("国家职能部门——应用")
    assert [n for n in names if n in {g for g, _ in seed}] == [g for g, _ in seed]
    assert all(re.fullmatch(r"(各省市|国家职能部门|中央)——(规划|应用|声音|其他)", n) for n in names)
    # every item once, in the same area as the seed put it, its lead keeping the figures of its article
    seed_area = {t: g.split("——")[0] for g, items in seed for t, _ in items}
    seed_text = {t: body for _, items in seed for t, body in items}
    placed = [(g, t, lead) for g, items in ours for t, lead in items]
    assert sorted(t for _, t, _ in placed) == sorted(seed_area)
    for group, title, lead in placed:
        assert group.split("——")[0] == seed_area[title], title
        for figure in FIGURE.findall(seed_text[title]):
            assert figure in lead, (title, figure)
    hrb = next(lead for _, t, lead in placed if t.startswith("哈尔滨"))
    assert "项目总体投资额预计10亿元人民币" in hrb
    assert "外汇局副局长宣昌能" in next(lead for _, t, lead in placed if t.startswith("外汇局"))
    fx = next(lead for _, t, lead in placed if t.startswith("外汇局"))
    assert "2 家媒体刊发：人民网、中国政府网" in fx       # the gov.cn reprint: two outlets, one entry
    # an opening paragraph, then after each section its ●解读, marked as generated
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[1].startswith("（自动生成）本期（2020年3月1日至3月31日）共收录") and "14条" in lines[1]
    heads = [i for i, ln in enumerate(lines) if ln in names]
    for start, end in zip(heads, heads[1:] + [len(lines)]):
        notes = [ln for ln in lines[start:end] if ln.startswith("●解读")]
        assert len(notes) == 1 and lines[end - 1] == notes[0] and notes[0].startswith("●解读（自动生成）：本期")
    md = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31")
    assert md.index("## 各省市——规划") < md.index("## 各省市——应用") < md.index("## 国家职能部门——应用")
    assert md.count("●解读（自动生成）") == len(names) and md.count("\n### ") == 14
    quiet = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--no-commentary")
    assert "●解读" not in quiet and "自动生成" not in quiet and quiet.count("\n### ") == 14


def test_nested_layout_is_the_former_digest(filled):
    md = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--layout", "nested")
    lines = md.splitlines()
    assert lines[0].startswith("# ") and "14 篇" in md
    h2 = [ln for ln in lines if ln.startswith("## ")]
    assert h2 == ["## 国家职能部门", "## 各省市"]  # no 中央 item in this set; order as configured
    h3_local = [ln for ln in lines[lines.index("## 各省市"):] if ln.startswith("### ")]
    assert h3_local == ["### 华北", "### 东北", "### 华东", "### 华中", "### 西南", "### 西北"]
    ministry = "\n".join(lines[lines.index("## 国家职能部门"):lines.index("## 各省市")])
    assert "### 应用" in ministry and "外汇局" in ministry and "跨境金融区块链平台" in ministry
    entry = next(ln for ln in lines if "外汇局" in ln and ln.startswith("- "))
    assert "2020-03-21" in entry and "](http://finance.people.com.cn/" in entry and "宣昌能" in entry
    assert "2 家媒体刊发" in entry and md.count("**外汇局：积极运用") == 1  # the reprint is one entry
    assert md.count("\n- **") == 14 and md.count("●解读（自动生成）") == 2
    empty = cli(filled, "digest", "--from", "2021-01-01", "--to", "2021-01-02")
    assert "没有新的相关报道" in empty


def test_digest_periods_compare_with_the_previous_one(filled):
    week = cli(filled, "digest", "--from", "2020-03-16", "--to", "2020-03-22", "--format", "text")
    assert "共收录政府机关等在区块链领域的报道13条" in week and "上期（2020年3月9日至3月15日）没有相关报道" in week
    after = cli(filled, "digest", "--from", "2020-03-23", "--to", "2020-03-29", "--format", "text")
    assert "较上期（2020年3月16日至3月22日）的13条减少12条，下降92%" in after
    assert "●解读（自动生成）：本期各省市规划类报道1条，较上期（2020年3月16日至3月22日）的" in after
    # the days before were searched (look-back): 山东's item is its first, the others were seen before
    assert "山东为近90天内首次有报道的省份" in after
    assert "首次" not in cli(filled, "digest", "--from", "2020-03-16", "--to", "2020-03-22", "--province", "山东")
    # --days counts back from now on the chosen date: stored just now, published in 2020
    assert "14 篇" in cli(filled, "digest", "--days", "2", "--by", "first_seen")
    assert "没有新的相关报道" in cli(filled, "digest", "--days", "2")
    # the same filters as `newsmon query`
    gansu = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--province", "甘肃", "--format", "text")
    assert [t for _, items in seed_sections(gansu) for t, _ in items] == ["甘肃已搭建基于区块链等技术的7个服务平台"]
    central = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--level", "central", "--format", "text")
    assert {g.split("——")[0] for g, _ in seed_sections(central)} == {"国家职能部门"}


def test_since_last_uses_a_consumer_cursor(filled):
    from newsmon.storage.queries import read_cursor

    store = connect(filled["MONGO_URI"], filled["MONGO_DATABASE"])
    first = cli(filled, "digest", "--since-last", "weekly", "--format", "text")
    assert "14 篇" in first and len([t for _, i in seed_sections(first) for t in i]) == 14
    assert read_cursor(store, "digest:weekly") and read_cursor(store, "weekly") is None  # its own cursor, not `new`'s
    assert "没有新的相关报道" in cli(filled, "digest", "--since-last", "weekly")
    # --peek leaves the cursor; filters narrow what is shown
    assert "14 篇" in cli(filled, "digest", "--since-last", "other", "--peek")
    assert "14 篇" in cli(filled, "digest", "--since-last", "other")
    assert "1 篇" in cli(filled, "digest", "--since-last", "sd", "--province", "山东")
    # a new article arrives: only it is in the next digest of each name
    import datetime as dt

    store.insert_article({"url": "http://www.gov.cn/zhengce/digest-new.htm", "title": "新的区块链规划", "source": "gov",
                          "category": "policy", "level": "central", "content": "国务院印发区块链规划，投资100亿元。",
                          "first_seen": dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)})
    try:
        nxt = cli(filled, "digest", "--since-last", "weekly", "--format", "text")
        assert "1 篇" in nxt and "新的区块链规划" in nxt and "投资100亿元" in nxt
        assert "国务院" not in [g for g, _ in seed_sections(nxt)]
    finally:
        store.db.articles.delete_one({"url": "http://www.gov.cn/zhengce/digest-new.htm"})
    # a first call may start later than the beginning (as `newsmon new --since`); it runs up to now
    assert "没有新的相关报道" in cli(filled, "digest", "--since-last", "later", "--from", "2099-01-01")
    assert "14 篇" in cli(filled, "digest", "--since-last", "recent", "--days", "1")
    code, _, err = cli_code(filled, "digest", "--since-last", "weekly", "--to", "2020-03-01")
    assert code == 2 and err.count("\n") == 1 and "--since-last" in err
    code, _, err = cli_code(filled, "digest", "--format", "pdf")
    assert code == 2 and "-o FILE" in err


def glyph_shapes(png: bytes, page) -> tuple[int, int]:
    """(ink runs, distinct shapes) of a screenshot of one line of text: tofu boxes are all one shape.

    The PNG is decoded by the browser (canvas), the dark pixels split into runs of inked
    columns, and each run cropped to its ink; real glyphs differ, missing ones do not.
    """
    import base64

    mask = page.evaluate("""async (b64) => {
        const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let s = '';
        for (let i = 0; i < d.length; i += 4) s += (0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]) < 140 ? '1' : '0';
        return {w: c.width, h: c.height, bits: s};
    }""", base64.b64encode(png).decode())
    w, h, bits = mask["w"], mask["h"], mask["bits"]
    rows = [bits[i * w:(i + 1) * w] for i in range(h)]
    inked = [any(r[x] == "1" for r in rows) for x in range(w)]
    runs, x = [], 0
    while x < w:
        if inked[x]:
            x0 = x
            while x < w and inked[x]:
                x += 1
            runs.append((x0, x))
        x += 1
    shapes = set()
    for x0, x1 in runs:
        cut = [r[x0:x1] for r in rows]
        ys = [i for i, r in enumerate(cut) if "1" in r]
        shapes.add("\n".join(cut[ys[0]:ys[-1] + 1]))
    return len(runs), len(shapes)


TEXT_BOX = """(sel) => { const r = document.createRange(); r.selectNodeContents(document.querySelector(sel));
    const b = r.getBoundingClientRect(); return {x: b.x, y: b.y + window.scrollY, width: b.width, height: b.height}; }"""


def test_html_digest_renders_cjk_charts_and_map_in_chromium(filled, tmp_path):
    out = tmp_path / "digest.html"
    cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--format", "html", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.split("<body>")[0]  # self-contained head, no scripts
    assert '"Noto Sans CJK SC"' in page and "@media print" in page
    import os

    from playwright.sync_api import sync_playwright

    from newsmon.digest.render import FONT_STACK

    title = "政府机关等近期在区块链领域的布局、规划和应用"
    latin_only = tmp_path / "fonts.conf"   # a fontconfig that sees no CJK font: what a bare server had
    dejavu = "/usr/share/fonts/truetype/dejavu"
    latin_only.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                          f'<dir>{dejavu if os.path.isdir(dejavu) else tmp_path}</dir><cachedir>{tmp_path}/fc</cachedir></fontconfig>')
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
        tab = browser.new_page(viewport={"width": 1100, "height": 1400})
        requests = []
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(out.as_uri())
        heading = tmp_path / "heading.png"
        png = tab.screenshot(path=str(heading), clip=tab.evaluate(TEXT_BOX, "h1"))
        runs, shapes = glyph_shapes(png, tab)
        h2_runs, h2_shapes = glyph_shapes(tab.screenshot(clip=tab.evaluate(TEXT_BOX, "h2")), tab)
        cdp = tab.context.new_cdp_session(tab)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        node = cdp.send("DOM.querySelector", {"nodeId": cdp.send("DOM.getDocument")["root"]["nodeId"], "selector": "h1"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        charts = tab.eval_on_selector_all("svg.chart", "els => els.map(e => e.getAttribute('aria-label'))")
        bars = tab.eval_on_selector_all("svg.chart rect.bar", "els => els.map(e => e.getBoundingClientRect().width)")
        coloured = tab.eval_on_selector_all("svg.map path[data-count]:not([data-count='0'])", "els => els.length")
        shot = tmp_path / "digest.png"
        tab.screenshot(path=str(shot), full_page=True)
        browser.close()
        # the same page where no CJK font is installed: boxes, all one shape (the check above can fail)
        bare = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args,
                                 env={**os.environ, "FONTCONFIG_FILE": str(latin_only)})
        tab = bare.new_page(viewport={"width": 1100, "height": 1400})
        tab.goto(out.as_uri())
        tofu_runs, tofu_shapes = glyph_shapes(tab.screenshot(clip=tab.evaluate(TEXT_BOX, "h1")), tab)
        bare.close()
    assert heading.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert runs >= len(title) - 2 and shapes >= 0.8 * len(set(title)), (runs, shapes)
    assert h2_shapes >= 4                                   # 各省市——规划: five glyphs and a dash
    assert tofu_shapes <= 2, (tofu_runs, tofu_shapes)
    assert fonts and fonts[0]["familyName"] in FONT_STACK and fonts[0]["glyphCount"] >= len(title) - 2
    assert len(charts) == 3 and any("每周" in c for c in charts) and coloured == 9
    assert len(bars) >= 10 and all(w > 0 for w in bars)
    assert requests == [out.as_uri()]  # nothing fetched besides the file itself
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_pdf_digest_printed_by_chromium(filled, tmp_path):
    out = tmp_path / "digest.pdf"
    said = cli(filled, "digest", "--from", "2020-03-01", "--to", "2020-03-31", "--format", "pdf", "-o", str(out))
    data = out.read_bytes()
    assert said.startswith(f"wrote {out}: 14 article(s)") and data[:5] == b"%PDF-"
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert pages >= 2                                       # several A4 pages
    assert re.search(rb"/FontName /[A-Z]+\+NotoSansCJK", data)  # the CJK glyphs are drawn from Noto Sans CJK
    code, _, err = cli_code(filled, "digest", "--format", "pdf", "-o", str(tmp_path / "no" / "such" / "x.pdf"))
    assert code == 2 and "cannot write" in err
