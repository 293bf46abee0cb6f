"""The category model: trained by one command, deterministic, loaded once, corrections retrain it.

All tests share one data directory so jieba is loaded once for the module; each
writes its own config directory holding only text/model.yaml and its data (every
other file falls back to the shipped config/).
"""

from __future__ import annotations

import io
import json

import pytest

from newsmon import config
from newsmon.cli import main
from newsmon.config.settings import PROJECT_ROOT as ROOT
from newsmon.text import model

TRAIN = ROOT / "benchmarks" / "data" / "labels" / "train.jsonl"
# a kind the rules alone get wrong: a province's headline sums up a document its government issued,
# in application words (建设 … 平台); the lead says who issued what
DOCUMENT_HEADLINE = ("湖北：加快区块链技术应用 建设一批数字化平台",
                     "新华社武汉6月1日电，湖北省人民政府发布《关于加快数字经济发展的实施意见》，提出建设区块链公共服务平台。")


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory):
    return tmp_path_factory.mktemp("model-data")


@pytest.fixture(autouse=True)
def _one_jieba(_isolated_env, shared_data, monkeypatch):
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(shared_data))


def _config_dir(tmp_path, items: list[dict], corrections: list[str] | None = None, model_file="text/m.json"):
    cfg = tmp_path / "cfg"
    (cfg / "text").mkdir(parents=True)
    (cfg / "items.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    (cfg / "text" / "model.yaml").write_text(
        f"model_file: {model_file}\ntraining: [{cfg / 'items.jsonl'}]\ncorrections: text/corrections.jsonl\n"
        "options: {epochs: 10}\n", "utf-8")
    if corrections is not None:
        (cfg / "text" / "corrections.jsonl").write_text("# analysts\n" + "\n".join(corrections) + "\n", "utf-8")
    return cfg


def _items(n: int) -> list[dict]:
    rows = [json.loads(line) for line in TRAIN.read_text("utf-8").splitlines() if line.strip()]
    return [{"id": r["id"], "title": r["title"], "text": r["text"], "labels": r["labels"]} for r in rows[:n]]


def _train(capsys) -> str:
    assert main(["label", "--train"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("category model: ")
    return out


def test_training_is_one_command_and_deterministic(tmp_path, monkeypatch, capsys):
    cfg = _config_dir(tmp_path, _items(30))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    _train(capsys)
    first = (cfg / "text" / "m.json").read_bytes()
    _train(capsys)
    assert (cfg / "text" / "m.json").read_bytes() == first  # same data, same bytes
    data = json.loads(first)
    assert (data["format"], data["version"], data["classes"]) == (model.FORMAT, model.VERSION,
                                                                 ["policy", "application", "voice", "other"])
    rows = [(i["title"], i["text"], i["labels"]["category"]) for i in _items(30)]
    assert data["data_sha256"] == model.data_hash(rows) and data["examples"] == 30
    assert len(first) < 1_000_000


def test_shipped_model_is_loaded_once_and_decides_where_the_rules_fail():
    settings = config.get_settings()
    analyser = config.analyser(settings)
    assert config.analyser(config.get_settings()) is analyser  # once per process and configuration
    assert analyser.model is config.category_model(settings) is not None
    rules = config.rules_analyser(settings)
    assert rules.label_article(*DOCUMENT_HEADLINE)["category"] == "application"
    got = analyser.analyse(*DOCUMENT_HEADLINE)
    assert got["category"] == "policy"
    model_line, rules_line = got["evidence"]["category"]
    assert model_line.startswith("policy ") and "(model)" in model_line and "r:policy" in model_line
    assert rules_line.startswith("rules: application")


def test_workers_build_the_same_labeller_from_plain_settings():
    try:  # the worker pool's module: newsmon/workers.py on newer main, pipelines/workers.py before
        from newsmon import workers
    except ImportError:
        from pipelines import workers

    workers._init(workers._plain(config.get_settings()))  # what each worker process runs first
    got = workers._analyse(*DOCUMENT_HEADLINE)
    assert got["category"] == "policy" and "(model)" in got["evidence"]["category"][0]


def test_corrections_by_id_and_by_text_retrain_the_model(tmp_path, monkeypatch, capsys, store):
    from newsmon.storage.reprints import as_oid, new_article_id

    article_id = new_article_id()
    store.insert_article({"_id": as_oid(article_id), "url": "http://www.example.gov.cn/a.html",
                          "title": "人民大学教授：区块链落地要重视数据安全",
                          "content": "人民大学教授王某表示，区块链应用要守住数据安全底线。", "source": "demo"})
    items = _items(30)
    cfg = _config_dir(tmp_path, items)
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    _train(capsys)
    before = json.loads((cfg / "text" / "m.json").read_text("utf-8"))
    corrections = [json.dumps({"id": article_id, "labels": {"category": "voice", "level": "central"}}),
                   json.dumps({"title": items[0]["title"], "text": items[0]["text"],
                               "labels": {"category": "other"}}, ensure_ascii=False)]
    (cfg / "text" / "corrections.jsonl").write_text("\n".join(corrections) + "\n", "utf-8")
    out = _train(capsys)
    after = json.loads((cfg / "text" / "m.json").read_text("utf-8"))
    assert "31 items" in out and after["examples"] == 31  # the id is added, the text line replaces item 0
    assert after["per_class"]["voice"] == before["per_class"]["voice"] + 1
    assert after["per_class"]["other"] == before["per_class"]["other"] + 1
    assert after["data_sha256"] != before["data_sha256"]
    # an id the store does not hold: one line, exit 2
    (cfg / "text" / "corrections.jsonl").write_text(json.dumps({"id": "0" * 24, "labels": {"category": "voice"}}))
    assert main(["label", "--train"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "is not in the store" in err and "corrections.jsonl:1" in err


def test_a_malformed_correction_line_names_file_and_line(tmp_path, monkeypatch, capsys):
    cfg = _config_dir(tmp_path, _items(3), corrections=['{"title": "x", "labels": {"category": "opinion"}}'])
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    assert main(["label", "--train"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "corrections.jsonl line 2" in err and "labels.category" in err


@pytest.mark.parametrize("content, says", [
    ("{not json", "not valid JSON"),
    ('{"format": "newsmon-category-model", "version": 99, "classes": [], "weights": {}}', "'version' 99"),
    ('{"format": "newsmon-category-model", "version": 1, "classes": ["policy", "application", "voice", "other"],'
     ' "weights": {"b": [1, 2]}}', "weights['b'] must be a list of 4 numbers"),
])
def test_a_malformed_model_file_is_one_config_error_line(tmp_path, monkeypatch, capsys, content, says):
    cfg = _config_dir(tmp_path, _items(3))
    (cfg / "text" / "m.json").write_text(content, "utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "南京市上线区块链平台"}\n'))
    assert main(["label"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "m.json" in err and says in err


@pytest.mark.parametrize("title, text, level, province, city, district", [
    ("港府完成發售代幣化綠色債券", "", "provincial", "香港", None, None),                  # a body standing for its place
    ("全国政协委员、陕西省高级人民法院副院长某某：建议制订区块链法", "", "provincial", "陕西", None, None),
    ("北京市长会见国际金融组织负责人", "", "provincial", "北京", "北京", None),           # a municipality's city office
    ("海南自贸区区块链试验区设立", "", "provincial", "海南", None, None),                 # 海南 is no municipality
    ("杭州未来科技城管委会启动区块链产业园", "", "district", "浙江", "杭州", "未来科技城"),
    ("多部门明确防范非法集资风险重点", "", "central", None, None, None),                   # nobody local named
    ("國家互聯網信息辦公室發布《區塊鏈信息服務管理規定》", "", "central", None, None, None),  # traditional script
])
def test_who_acts_decides_the_level(title, text, level, province, city, district):
    got = config.analyser(config.get_settings()).analyse(title, text)
    assert (got["level"], got["province"], got["city"], got["district"]) == (level, province, city, district)


def test_traditional_text_is_labelled_but_kept_as_published():
    got = config.analyser(config.get_settings()).analyse("國家互聯網信息辦公室發布《區塊鏈信息服務管理規定》", "")
    assert got["category"] == "policy" and got["organizations"] == ["国家互联网信息办公室"]
    assert got["mentions"] == ["國家互聯網信息辦公室發布《區塊鏈信息服務管理規定》"] and "區塊鏈" in "".join(got["tokens"])
