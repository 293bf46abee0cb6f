"""Charset handling on real bytes: GBK as GB18030, declarations that lie, broken byte runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.extract import extract
from newsmon.extract.charset import declared_charset, decode, normalise_name

FIX = Path(__file__).parent / "fixtures" / "extract"
SNAPSHOT = Path(__file__).parent.parent / "snapshot"
GBK_PAGE = FIX / "cx-extractor_163finance" / "1.html"            # raw GBK bytes, declares gb2312
UTF8_DECLARED_GB = SNAPSHOT / "culture.people.com.cn/n1/2019/0615/c1013-31137001.html"  # declares gb2312, UTF-8 bytes
GB_DECLARED_UTF8 = FIX / "trafilatura_zh" / "archive.org.he.xinhuanet.com.25340717.html"


@pytest.mark.parametrize("name", ["gb2312", "GBK", "x-gbk", "GB_2312-80", "cp936", "gb18030"])
def test_gb_family_is_read_as_gb18030(name):
    assert normalise_name(name) == "gb18030"


def test_gbk_bytes_decode_as_gb18030_and_extract():
    body = GBK_PAGE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text, encoding = decode(body)
    assert encoding == "gb18030"
    assert "\ufffd" not in text[:20000]
    ex = extract(body)
    assert ex.encoding == "gb18030"
    assert ex.title == "八部委如何玩转互联网+：打造万物互联新生态"
    assert ex.outlet == "21世纪经济报道"
    assert "地方政府对于拥抱互联网+的热情" in ex.content


def test_gb2312_declaration_on_utf8_bytes_loses_to_the_bytes():
    body = UTF8_DECLARED_GB.read_bytes()
    assert declared_charset(body) == "gb18030"
    ex = extract(body)
    assert ex.encoding == "utf-8"
    assert ex.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"


def test_utf8_declaration_on_gb2312_bytes_loses_to_the_bytes():
    body = GB_DECLARED_UTF8.read_bytes()
    first = body.lower().index(b"charset=")
    assert body[first:first + 16].lower().startswith(b'charset="utf-8"')   # the first declaration says utf-8
    ex = extract(body)
    assert ex.encoding == "gb18030"
    assert ex.title == "话剧《约定无期限》河北各市巡演结束"
    assert "一个约定，信守15年，感人至深" in ex.content


def test_header_charset_that_contradicts_the_bytes_loses():
    ex = extract(UTF8_DECLARED_GB.read_bytes(), header_charset="gbk")
    assert ex.encoding == "utf-8" and ex.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"


def test_invalid_byte_runs_in_utf8_do_not_abort_the_page():
    body = UTF8_DECLARED_GB.read_bytes()
    cut = body.index("郑板桥".encode()) + 3000
    broken = body[:cut] + b"\xff\xfe\xc3\x28\xa0\xa1" + body[cut:] + b"\xe4\xb8"   # stray bytes and a truncated sequence
    ex = extract(broken)
    assert ex.reason is None
    assert ex.encoding == "utf-8"
    assert ex.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆"
    assert len(ex.content) > 500


def test_invalid_byte_runs_in_gbk_do_not_abort_the_page():
    body = GBK_PAGE.read_bytes()
    cut = len(body) // 2
    ex = extract(body[:cut] + b"\xff\xff\x80\x80" + body[cut:])
    assert ex.encoding == "gb18030"
    assert ex.title == "八部委如何玩转互联网+：打造万物互联新生态"


def test_bom_decides():
    text, encoding = decode("\ufeff<p>区块链</p>".encode("utf-8"))
    assert encoding == "utf-8" and text.endswith("区块链</p>")
