"""The analyse stage sets tokens, top words and labels, in the crawl process or in worker processes alike."""

from __future__ import annotations

import asyncio

from newsmon.testing.crawler import crawler_for
from newsmon.testing.text import analyse
from newsmon.text import LABEL_KEYS
from newsmon.workers import worker_count
from pipelines.analyse import AnalysePipeline

TITLE = "外汇局：积极运用跨境金融区块链平台，便利中小企业开展贸易融资"
CONTENT = "国新办今日举行发布会，外汇局副局长宣昌能在发布会上表示，积极运用跨境金融区块链平台等技术手段。"
OTHER = ("南京市上线区块链电子证照平台", "南京市政务服务管理办公室日前宣布，基于区块链的电子证照共享平台正式上线。")


def run(stage, items):
    async def all_items():
        return await asyncio.gather(*(stage.process_item(dict(i)) for i in items))

    return asyncio.run(all_items())


def test_every_field_is_set_once_in_the_crawl_process():
    crawler = crawler_for({"NEWSMON_WORKERS": 0})
    (item,) = run(AnalysePipeline.from_crawler(crawler), [{"title": TITLE, "content": CONTENT, "url": "http://example.cn/1"}])
    expected = analyse(TITLE, CONTENT)
    assert item["tokens"] == expected["tokens"] and item["top_words"] == expected["top_words"]
    for key in LABEL_KEYS:
        assert item[key] == expected[key], key
    assert item["category"] == "application" and item["level"] == "central"
    assert crawler.stats.get_value("newsmon/segmented") == 1
    assert crawler.stats.get_value("newsmon/labelled/application") == 1
    assert crawler.stats.get_value("newsmon/workers") is None


def test_worker_processes_give_the_same_result_and_start_only_after_the_first_articles():
    crawler = crawler_for({"NEWSMON_WORKERS": 2, "NEWSMON_WORKERS_AFTER": 2})
    stage = AnalysePipeline.from_crawler(crawler)
    items = [{"title": t, "content": c} for t, c in [(TITLE, CONTENT), OTHER] * 3]
    try:
        out = run(stage, items)
        assert crawler.stats.get_value("newsmon/workers") == 2
        pool = stage.workers.pool
        assert pool is not None and len({p.pid for p in pool._processes.values()}) == 2
    finally:
        stage.workers.close()
    for item, given in zip(out, items):
        expected = analyse(given["title"], given["content"])
        assert {k: item[k] for k in ("tokens", "top_words", *LABEL_KEYS)} == \
            {k: expected[k] for k in ("tokens", "top_words", *LABEL_KEYS)}
    assert out[1]["province"] == "江苏" and out[1]["city"] == "南京"


def test_worker_count_follows_the_cores():
    assert worker_count(0) == 0 and worker_count(3) == 3 and worker_count(-1) >= 1
