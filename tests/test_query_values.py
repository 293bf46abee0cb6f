"""Query and output hygiene on the real store: values normalised from config/, one-line errors (exit 2),
bounded pages, --json everywhere, CSV with a BOM and local times, one place column."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import uuid

import pytest

from newsmon.config.settings import PROJECT_ROOT
from newsmon.storage.mongo import utcnow
from newsmon.vocab import SHANGHAI


def article(store, title: str, *, province=None, city=None, region=None, category="policy", level="provincial",
            source="gov_zhejiang", ago: float = 60.0) -> dict:
    seen = utcnow() - dt.timedelta(seconds=ago)
    doc = {"url": f"http://www.example.gov.cn/art/{uuid.uuid4().hex[:10]}.html", "title": title, "source": source,
           "source_title": "示例", "kind": "gov", "first_seen": seen, "published_at": seen - dt.timedelta(hours=3),
           "category": category, "level": level, "province": province, "city": city, "region": region,
           "relevance": 0.7, "mentions": [title]}
    assert store.insert_article(doc)
    return doc


def cli(*args: str) -> tuple[int, str, str]:
    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def titles(out: str) -> set[str]:
    return {json.loads(line)["title"] for line in out.splitlines()}


@pytest.fixture
def filled(store):
    return {
        "zj": article(store, "浙江印发区块链行动方案", province="浙江", city="杭州", region="华东", category="policy"),
        "nm": article(store, "内蒙古区块链专家表示", province="内蒙古", region="华北", category="voice", source="gov_neimenggu"),
        "sd": article(store, "山东区块链平台上线", province="山东", region="华东", category="application",
                      source="gov_shandong"),
        "cn": article(store, "国务院部署区块链", level="central", category="policy", source="gov_cn"),
    }


@pytest.mark.parametrize("option, typed, expected", [
    ("--province", "浙江省", {"zj"}), ("--province", "浙江", {"zj"}), ("--province", "内蒙古自治区", {"nm"}),
    ("--region", "华北地区", {"nm"}), ("--region", "华东", {"zj", "sd"}),
    ("--category", "政策", {"zj", "cn"}), ("--category", "规划", {"zj", "cn"}), ("--category", "policy", {"zj", "cn"}),
    ("--category", "应用", {"sd"}), ("--category", "声音", {"nm"}), ("--category", "观点", {"nm"}),
    ("--category", "Voice", {"nm"}), ("--source", "gov_shandong", {"sd"}),
])
def test_values_are_normalised_in_every_command(filled, option, typed, expected):
    want = {filled[k]["title"] for k in expected}
    code, out, err = cli("query", option, typed, "--json")
    assert code == 0 and titles(out) == want, err
    code, out, err = cli("stats", option, typed, "--json")
    assert code == 0 and json.loads(out)["total"] == len(want), err
    code, out, err = cli("feed", option, typed)
    assert code == 0 and out.count("<entry>") == len(want), err


def test_the_words_come_from_config_not_code(filled, tmp_path, monkeypatch):
    cfg = tmp_path / "cfg"
    (cfg / "text").mkdir(parents=True)
    digest = (PROJECT_ROOT / "config" / "digest.yaml").read_text(encoding="utf-8")
    (cfg / "digest.yaml").write_text(digest.replace("  policy: 规划\n", "  policy: 策划\n")
                                     .replace("  voice: [观点, 表态]\n", "  voice: [看法]\n"), encoding="utf-8")
    places = (PROJECT_ROOT / "config" / "text" / "places.yaml").read_text(encoding="utf-8")
    (cfg / "text" / "places.yaml").write_text(places.replace("  华北: [", "  北方: ["), encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "config" / "sources.yaml", cfg / "sources.yaml")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    assert titles(cli("query", "--category", "策划", "--json")[1]) == {filled["zj"]["title"], filled["cn"]["title"]}
    assert titles(cli("query", "--category", "看法", "--json")[1]) == {filled["nm"]["title"]}
    assert cli("query", "--category", "规划")[0] == 2 and cli("query", "--category", "观点")[0] == 2
    code, _, err = cli("query", "--region", "华北")
    assert code == 2 and "北方" in err and "华北" not in err.split(";", 1)[1]


@pytest.mark.parametrize("command", ["query", "stats", "digest", "feed"])
@pytest.mark.parametrize("option, typed, needles", [
    ("--province", "火星", ["unknown province '火星'", "浙江", "内蒙古", "新疆"]),
    ("--region", "华西", ["unknown region '华西'", "华北, 东北, 华东"]),
    ("--category", "新闻", ["unknown category '新闻'", "policy, application, voice, other"]),
    ("--source", "gov_zhejang", ["unknown source 'gov_zhejang'", "nearest: gov_zhejiang"]),
])
def test_an_unknown_value_is_one_line_with_the_valid_ones(store, command, option, typed, needles):
    code, out, err = cli(command, option, typed)
    assert code == 2 and out == "", out
    lines = err.splitlines()
    assert len(lines) == 1 and all(n in lines[0] for n in needles), err
    if option == "--source":  # a long list: only the nearest names, not all the sources
        assert len(lines[0].split(",")) <= 6


@pytest.mark.parametrize("args", [
    ("query", "--limit", "0"), ("query", "--limit", "-5"), ("new", "--limit", "0"), ("feed", "--limit", "-1"),
    ("query", "--days", "-3"), ("stats", "--days", "-1"), ("digest", "--days", "-7"), ("feed", "--days", "0"),
    ("query", "--limit", "many"), ("query", "--level", "national"),
])
def test_bad_counts_and_choices_are_one_line(store, args):
    code, out, err = cli(*args)
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "error:" in err, err
    assert "Traceback" not in err and "usage:" not in err


def test_new_without_a_cursor_shows_a_page_and_says_how_many_more(store, monkeypatch):
    monkeypatch.setenv("NEWSMON_PAGE_SIZE", "5")
    docs = [article(store, f"区块链第{i}条", province="浙江", ago=100 - i) for i in range(8)]
    code, out, err = cli("new", "--settle", "0")
    assert code == 0, err
    shown = [d["title"] for d in docs if d["title"] in out]
    assert shown == [d["title"] for d in docs[:5]]                           # oldest first, one page
    assert "3 more new article(s) after these 5" in out and "5 article(s)" in out
    code, out, err = cli("new", "--settle", "0", "--json")
    assert code == 0 and [json.loads(x)["title"] for x in out.splitlines()] == [d["title"] for d in docs[5:]]
    assert "more" not in err                                                 # the rest fitted
    assert cli("new", "--settle", "0", "--json")[1] == ""
    code, out, err = cli("new", "--consumer", "bob", "--settle", "0", "--limit", "2", "--json", "--peek")
    assert len(out.splitlines()) == 2 and "6 more new article(s)" in err and out.startswith("{")  # JSON stays clean
    assert len(cli("new", "--consumer", "bob", "--settle", "0", "--all", "--json")[1].splitlines()) == 8


def test_json_on_every_command_that_prints_data(filled):
    for args in (("query",), ("new", "--settle", "0", "--peek"), ("query", "--format", "json")):
        code, out, err = cli(*args, "--json") if args[-1] != "json" else cli(*args)
        rows = [json.loads(x) for x in out.splitlines()]
        assert code == 0 and len(rows) == 4 and all("place" in r for r in rows), err
    code, out, _ = cli("stats", "--json")
    assert code == 0 and json.loads(out)["total"] == 4
    code, out, err = cli("digest", "--days", "2", "--json", "--no-commentary")
    data = json.loads(out)
    assert code == 0 and data["total"] == 4 and data["sections"] and "headline" in data["sections"][0]["entries"][0], err
    assert cli("runs", "--json")[0] == 0 and cli("sources", "--json")[0] == 0


def test_csv_has_a_bom_and_local_times_and_the_place_is_the_same_everywhere(filled):
    zj, cn = filled["zj"], filled["cn"]
    code, out, _ = cli("query", "--format", "csv")
    assert code == 0 and out.startswith("\ufeff")
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(out[1:]))}
    local = zj["first_seen"].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    assert rows[zj["title"]]["first_seen"] == local
    assert rows[zj["title"]]["place"] == "浙江·杭州" and rows[cn["title"]]["place"] == "中央"
    assert rows[filled["sd"]["title"]]["place"] == "山东"
    rows_json = {r["title"]: r for r in map(json.loads, cli("query", "--json")[1].splitlines())}
    assert rows_json[zj["title"]]["place"] == "浙江·杭州" and rows_json[cn["title"]]["place"] == "中央"
    table = cli("query")[1]
    md = cli("query", "--format", "md")[1]
    assert next(ln for ln in table.splitlines() if zj["title"] in ln).split()[5] == "浙江·杭州"  # date, time, source, category, level, place
    assert f"| 浙江·杭州 | [{zj['title']}]" in md and f"| 中央 | [{cn['title']}]" in md


def test_watch_filters_are_normalised_the_same_way(tmp_path, monkeypatch):
    from newsmon import config
    from newsmon.errors import ConfigError

    path = tmp_path / "watches.yaml"
    monkeypatch.setenv("NEWSMON_WATCHES_FILE", str(path))
    path.write_text("watches:\n  - name: zj\n    filters: {province: [浙江省, 浙江], region: [华东地区]}\n"
                    "    channels: [{webhook: 'https://hooks.example.cn/x'}]\n", encoding="utf-8")
    filters = config.watches(config.get_settings()).watches[0].filters
    assert filters.province == ["浙江"] and filters.region == ["华东"]
    path.write_text("watches:\n  - name: zj\n    filters:\n      province: [火星]\n"
                    "    channels: [{webhook: 'https://hooks.example.cn/x'}]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config.watches(config.get_settings())
    assert "watches.yaml line 4" in str(err.value) and "unknown province '火星'; provinces: 北京" in str(err.value)
