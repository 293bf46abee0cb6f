"""`newsmon extract FILE_OR_URL [--url URL]`: one JSON object, from a file or over real HTTP on loopback."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from newsmon.cli import main

FIX = Path(__file__).parent / "fixtures" / "extract"
SNAPSHOT = Path(__file__).parent.parent / "snapshot"
PEOPLE = SNAPSHOT / "culture.people.com.cn/n1/2019/0615/c1013-31137001.html"  # UTF-8 bytes declaring gb2312
GBK = FIX / "cx-extractor_163finance" / "1.html"
KEYS = {"url", "title", "published_at", "published_precision", "outlet", "authors", "content", "lang", "encoding", "reason",
        "canonical", "og_url"}


def _run(capsys, *argv):
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_file(capsys):
    code, out, err = _run(capsys, str(PEOPLE))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == KEYS
    assert data["title"] == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    assert data["published_at"] == "2019-06-15T08:18:00+08:00" and data["published_precision"] == "minute"
    assert data["outlet"] == "人民网-文化频道" and data["authors"] == ["汤诗瑶", "丁涛"]
    assert data["encoding"] == "utf-8" and data["lang"] == "zh" and data["reason"] is None
    assert data["url"] is None


def test_file_with_its_original_url(capsys, tmp_path):
    page = tmp_path / "notice.html"
    page.write_text("""<html><head><meta charset="utf-8"><title>关于区块链试点的通知_某市政府</title></head><body>
    <h1>关于区块链试点的通知</h1><div class="content"><p>各区人民政府：为加快区块链技术和产业创新发展，经市政府同意，决定开展试点工作。</p>
    <p>请各单位高度重视，认真组织申报，按时报送材料，确保试点工作取得实效。</p></div></body></html>""", encoding="utf-8")
    code, out, _ = _run(capsys, str(page), "--url", "http://www.example.gov.cn/zwgk/201908/t20190809_1.html", "--compact")
    data = json.loads(out)
    assert code == 0 and len(out.strip().splitlines()) == 1
    assert data["url"] == "http://www.example.gov.cn/zwgk/201908/t20190809_1.html"
    assert data["published_at"] == "2019-08-09T00:00:00+08:00" and data["published_precision"] == "day"
    assert data["title"] == "关于区块链试点的通知"


def test_selector_option(capsys):
    code, out, _ = _run(capsys, str(PEOPLE), "--selector", "title=//title")
    assert code == 0
    assert json.loads(out)["title"] == "女儿出嫁，郑板桥画了几笔兰花当嫁妆--文化--人民网"


@pytest.mark.parametrize("argv, fragment, exit_code", [
    (["/no/such/page.html"], "is not a file", 2),
    ([str(PEOPLE), "--selector", "colour=red"], "FIELD=EXPR", 2),
])
def test_user_errors_are_one_line(capsys, argv, fragment, exit_code):
    code, out, err = _run(capsys, *argv)
    assert code == exit_code and out == ""
    assert fragment in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


class _Site(http.server.BaseHTTPRequestHandler):
    pages = {"/gbk.html": (GBK.read_bytes(), "text/html; charset=gbk"),
             "/people.html": (PEOPLE.read_bytes(), "text/html")}

    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/people.html")
            self.end_headers()
            return
        body, ctype = self.pages.get(self.path, (None, None))
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_over_http(capsys, site):
    code, out, err = _run(capsys, f"{site}/gbk.html")
    assert code == 0, err
    data = json.loads(out)
    assert data["url"] == f"{site}/gbk.html"
    assert data["encoding"] == "gb18030"
    assert data["title"] == "八部委如何玩转互联网+：打造万物互联新生态"
    assert data["published_at"] == "2015-05-21T05:03:58+08:00"


def test_redirect_is_followed_and_reported(capsys, site):
    code, out, _ = _run(capsys, f"{site}/moved")
    data = json.loads(out)
    assert code == 0 and data["url"] == f"{site}/people.html" and data["title"] == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"


def test_http_error_is_one_line(capsys, site):
    code, out, err = _run(capsys, f"{site}/missing.html")
    assert code == 4 and out == ""
    assert "HTTP 404" in err and "Traceback" not in err


def test_unreachable_host_is_one_line(capsys):
    import socket

    with socket.socket() as sock:   # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = _run(capsys, f"http://127.0.0.1:{port}/x.html", "--timeout", "5")
    assert code == 4 and "could not fetch" in err and len(err.strip().splitlines()) == 1
