"""jieba with the domain dictionary: one tokenizer per configuration.

jieba builds its prefix dictionary on first use (about a second) and caches it in a
file; the caller says where (newsmon keeps it under the data directory, not the
shared temp directory, so several users or test runs never share or clobber it).
The domain words (config/text/) are added on top, so 分布式账本, 雄安新区 or
外汇局 come out as one token.
"""

from __future__ import annotations

import logging
from pathlib import Path

import jieba

log = logging.getLogger(__name__)
# jieba sets its own logger to DEBUG with a stderr handler when imported; its
# "Building prefix dict" lines would mix into `newsmon label` output on the console.
jieba.setLogLevel(logging.WARNING)
MIN_FREQ = 1000  # frequency of a new domain word (jieba's common words have thousands)


def build_tokenizer(words: dict[str, int | None], cache_dir: Path | None = None) -> jieba.Tokenizer:
    """A jieba tokenizer with these domain words (word -> frequency, None: as much as needed)."""
    tok = jieba.Tokenizer()
    if cache_dir is not None:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        tok.tmp_dir = str(cache_dir)
        tok.cache_file = "jieba.cache"
    tok.initialize()
    added = 0
    for word, freq in words.items():
        if len(word) < 2 or " " in word:
            continue
        if freq is None:
            if tok.FREQ.get(word, 0) >= MIN_FREQ:  # jieba knows it well: keep its frequency
                continue
            # enough to come out whole in context too (前海上线: 前海 / 上线, not 前 / 海上 / 线)
            freq = max(tok.suggest_freq(word, tune=False), MIN_FREQ)
        tok.add_word(word, freq)
        added += 1
    log.debug("jieba ready with %d domain words, cache in %s", added, tok.tmp_dir)
    return tok
