"""Top keywords of an article by TF-IDF over the tokens we already have.

jieba.analyse.extract_tags would segment the text a second time; this uses the same
IDF table (jieba/analyse/idf.txt, read once) on our own tokens instead. The table is
read directly: importing ``jieba.analyse`` also loads jieba's part-of-speech tables
(about 2 s per process, measured), which newsmon never uses.
"""

from __future__ import annotations

import heapq
import importlib.util
import statistics
from collections import Counter
from operator import itemgetter
from pathlib import Path

_table: tuple[dict[str, float], float] | None = None
STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it this then at have all "
    "not one has or 的 了 和 是 就 都 而 及 与 着 或 一个 没有 "
    "我们 他们 你们 这个 那个 这些 那些 一个 没有 不是 就是 还是 已经 以及 进行 通过 其中 目前 表示 "
    "可以 今年 去年 记者 相关 有关 工作 发展 推动 推进 加快 积极 进一步 同时 此外 以来 方面 情况 问题 "
    "主要 重要 全面 不断 持续 实现 提供 开展 建设 加强 坚持 关于 作为 对于 由于 因为 所以 但是 如果".split())


def _idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table (word -> idf) and its median, read once per process."""
    global _table
    if _table is None:
        spec = importlib.util.find_spec("jieba")
        path = Path(list(spec.submodule_search_locations)[0]) / "analyse" / "idf.txt"
        freq: dict[str, float] = {}
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, _, value = line.rstrip("\n").rpartition(" ")
                if word:
                    freq[word] = float(value)
        _table = (freq, statistics.median(freq.values()))
    return _table


_weight_cache: dict[str, float] = {}


def _weight(token: str) -> float:
    """IDF of a token worth ranking (2+ chars, a letter or Han character, no stop word), else 0."""
    weight = _weight_cache.get(token)
    if weight is None:
        weight = 0.0
        if len(token) >= 2 and not token.isdigit() and any(ch.isalpha() for ch in token) \
                and token.lower() not in STOP_WORDS:
            table, median = _idf_table()
            weight = table.get(token, median)
        if len(_weight_cache) > 500_000:
            _weight_cache.clear()
        _weight_cache[token] = weight
    return weight


def top_words(tokens: list[str], k: int = 10, boost: set[str] | frozenset = frozenset()) -> list[str]:
    """The k tokens with the highest tf*idf; words in boost (domain terms) count double."""
    counts = Counter(tokens)  # count first (C speed), then weigh distinct words only
    get = _weight_cache.get
    for w in [w for w in counts if get(w) is None]:
        _weight(w)
    scores = {w: n * get(w, 0.0) for w, n in counts.items()}
    for w in boost & scores.keys():
        scores[w] *= 2.0
    return [w for w, s in heapq.nlargest(k, scores.items(), key=itemgetter(1)) if s > 0]
