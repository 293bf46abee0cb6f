"""Segmentation: domain words come out whole, the cache sits in the data dir, no second jieba pass."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from newsmon.testing.text import analyse, analyser, segment, segment_article
from newsmon.text import doc as doc_mod
from newsmon.text import top_words
from newsmon.text.mentions import find_terms


def test_domain_dictionary_keeps_terms_places_and_bodies_whole():
    tokens = segment("外汇局积极运用跨境金融区块链平台，雄安新区和四川天府新区试点分布式账本与数字人民币，"
                     "浦东新区、海淀区跟进；银保监会表示支持联盟链。")
    for word in ("外汇局", "跨境金融区块链平台", "雄安新区", "天府新区", "分布式账本", "数字人民币",
                 "浦东新区", "海淀区", "银保监会", "联盟链"):
        assert word in tokens, word


def test_segment_drops_whitespace_and_keeps_text():
    text = "南京市 上线\n区块链平台。"
    tokens = segment(text)
    assert all(t.strip() for t in tokens)
    assert "".join(tokens) == "南京市上线区块链平台。"
    assert segment("") == []


def test_jieba_cache_lives_under_the_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "own-data"
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(data))
    tok = analyser().tokenizer
    assert Path(tok.tmp_dir) == data / "jieba"
    assert (data / "jieba" / "jieba.cache").is_file()
    assert Path(tok.tmp_dir) != Path(tempfile.gettempdir())
    assert analyser().tokenizer is tok  # loaded once per process and configuration


def test_analyse_stores_tokens_and_top_keywords_from_the_same_pass():
    title = "南京市上线基于区块链的网上祭扫平台"
    text = "南京市上线“宁思念”网上祭扫平台，平台运用区块链、大数据等技术。区块链平台可自动匹配逝者信息。"
    result = analyse(title, text)
    assert result["tokens"] == segment_article(title, text)
    assert result["tokens"][:3] == ["南京市", "上线", "基于"]
    assert 0 < len(result["top_words"]) <= 10
    assert set(result["top_words"]) <= set(result["tokens"])
    assert "区块链" in result["top_words"][:3]  # named four times, rare in general text
    assert not {"的", "，", "。"} & set(result["top_words"])
    assert top_words(result["tokens"], 3) == result["top_words"][:3]


@pytest.mark.parametrize("title, text", [
    ("国务院关于积极推进“互联网+”行动的指导意见", "国发 〔2015〕40号\n\n各省、自治区人民政府：\n  现提出以下意见。 "),
    ("", "  开头有空格\n\n第二段　全角空格。"),
    ("标题  有 多个空格", "正文"),
])
def test_stored_tokens_rebuild_the_same_doc_without_segmenting_again(title, text):
    built = analyser().doc(title, text)
    rebuilt = doc_mod.from_words(title, text, built.words())
    assert rebuilt is not None
    assert rebuilt.full == built.full
    assert [t for t in rebuilt.tokens if t.strip()] == built.words()
    assert rebuilt.sentence_starts == built.sentence_starts
    assert doc_mod.from_words(title, text + "新的句子", built.words()) is None  # text changed: segment again


def test_term_search_agrees_with_the_keywords_regex():
    from newsmon import config

    kw = config.keywords(config.get_settings())
    text = ("区块链服务网络和BSN以及blockchain、NFTA、区块链，Web3.0与web3，星火·链网；比特币挖矿活动。"
            "BSNL不是BSN，nft也算。")
    ours = [(s, e) for s, e, _ in find_terms(text, kw.terms)]
    regex = [(m.start(), m.end()) for m in kw.pattern.finditer(text)]
    assert ours == regex
