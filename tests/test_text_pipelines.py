"""The segment and label item pipelines set their fields on a plain dict item."""

from __future__ import annotations

from newsmon.testing.crawler import crawler_for
from newsmon.testing.text import analyse
from newsmon.text import LABEL_KEYS
from pipelines.label import LabelPipeline
from pipelines.segment import SegmentPipeline

TITLE = "外汇局：积极运用跨境金融区块链平台，便利中小企业开展贸易融资"
CONTENT = "国新办今日举行发布会，外汇局副局长宣昌能在发布会上表示，积极运用跨境金融区块链平台等技术手段。"


def test_segment_then_label_sets_every_field_once():
    crawler = crawler_for()
    segment, label = SegmentPipeline.from_crawler(crawler), LabelPipeline.from_crawler(crawler)
    item = {"title": TITLE, "content": CONTENT, "url": "http://example.cn/1"}
    item = label.process_item(segment.process_item(item))
    expected = analyse(TITLE, CONTENT)
    assert item["tokens"] == expected["tokens"] and item["top_words"] == expected["top_words"]
    for key in LABEL_KEYS:
        assert item[key] == expected[key], key
    assert item["category"] == "application" and item["level"] == "central"
    assert crawler.stats.get_value("newsmon/segmented") == 1
    assert crawler.stats.get_value("newsmon/labelled/application") == 1


def test_label_alone_segments_the_article_itself():
    item = LabelPipeline.from_crawler(crawler_for()).process_item({"title": TITLE, "content": CONTENT})
    assert item["tokens"][:2] == ["外汇局", "："] and item["organizations"][0] == "国家外汇管理局"


def test_label_does_not_trust_tokens_of_a_changed_text():
    pipeline = LabelPipeline.from_crawler(crawler_for())
    stale = ["南京市", "上线", "平台"]
    item = pipeline.process_item({"title": TITLE, "content": CONTENT, "tokens": stale})
    assert item["level"] == "central" and item["province"] is None  # labelled from the text, not the stale tokens
