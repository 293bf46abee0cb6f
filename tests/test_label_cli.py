"""`newsmon label`: JSON lines in, one labels line out per input, errors in place, order kept."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from newsmon.cli import main
from newsmon.text import LABEL_KEYS

from conftest import run_cli

LINES = [
    json.dumps({"title": "南京市上线基于区块链的网上祭扫平台", "text": "南京市上线网上祭扫平台，平台运用区块链、大数据等技术。",
                "url": "http://example.cn/a.html", "source": "demo"}, ensure_ascii=False),
    "{not json",
    "",
    json.dumps(["a", "list"]),
    json.dumps({"title": "外汇局：积极运用跨境金融区块链平台", "text": "外汇局副局长宣昌能在发布会上表示，积极运用跨境金融区块链平台。",
                "id": 7}, ensure_ascii=False),
    json.dumps({"title": 5, "text": "x"}),
]


def _check(outputs: list[dict]) -> None:
    assert len(outputs) == 5  # the blank line is no input
    first, bad_json, not_object, second, bad_type = outputs
    assert first["url"] == "http://example.cn/a.html"
    assert (first["category"], first["level"], first["province"], first["city"]) == ("application", "city", "江苏", "南京")
    assert set(LABEL_KEYS) <= set(first) and "tokens" not in first
    assert bad_json["line"] == 2 and "not valid JSON" in bad_json["error"]
    assert not_object["line"] == 4 and "JSON object" in not_object["error"]
    assert second["id"] == 7 and second["level"] == "central" and second["organizations"] == ["国家外汇管理局"]
    assert second["people"] == ["宣昌能（外汇局副局长）"]
    assert bad_type["line"] == 6 and "'title' must be a string" in bad_type["error"]
    for out in (first, second):
        for key in ("category", "level", "province", "city", "district", "region", "doc_number", "doc_type"):
            assert out[key] is None or isinstance(out[key], str)
        for key in ("organizations", "people", "domains", "technologies", "mentions"):
            assert isinstance(out[key], list)


def test_label_in_process_keeps_order_and_reports_bad_lines(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(LINES) + "\n"))
    code = main(["label"])
    out, err = capsys.readouterr()
    assert code == 1
    _check([json.loads(line) for line in out.splitlines()])
    assert "3 line(s) could not be labelled" in err


def test_label_tokens_option(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(LINES[0] + "\n"))
    assert main(["label", "--tokens"]) == 0
    (out,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out["tokens"][:2] == ["南京市", "上线"] and out["top_words"]


def test_label_with_a_broken_config_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config"
    shutil.copytree(Path(__file__).resolve().parent.parent / "config", config)
    places = config / "text" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("  山东: 山东省", "  山东: {山东省", 1), encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO(LINES[0] + "\n"))
    assert main(["label"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("newsmon: error: config file ") and "places.yaml line" in err
    assert err.count("\n") == 1


def test_label_as_a_real_command():
    result = run_cli("newsmon", "label", input="\n".join(LINES) + "\n", timeout=120)
    assert result.returncode == 1, result.stderr
    _check([json.loads(line) for line in result.stdout.splitlines()])
    assert "Building prefix dict" not in result.stderr  # jieba's chatter stays out of the console


def test_deeply_nested_json_is_an_error_line_and_the_next_lines_are_labelled():
    deep = "[" * 200_000 + "]" * 200_000
    result = run_cli("newsmon", "label", input=deep + "\n" + LINES[0] + "\n", timeout=120)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert out[0] == {"line": 1, "error": "JSON nested too deeply to be an article"} and out[1]["category"]
