"""jieba segmentation with the domain dictionary, loaded once per process.

jieba builds its prefix dictionary on first use (about a second) and caches it in a
file; that cache goes under the data directory (``data/jieba/``) instead of the
shared temp directory, so several users or test runs never share or clobber it.
The domain words (config/text/) are added on top, so 分布式账本, 雄安新区 or
外汇局 come out as one token.
"""

from __future__ import annotations

import logging
import threading

import jieba

from newsmon.paths import data_dir

log = logging.getLogger(__name__)
# jieba sets its own logger to DEBUG with a stderr handler when imported; its
# "Building prefix dict" lines would mix into `newsmon label` output on the console.
jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
MIN_FREQ = 1000  # frequency of a new domain word (jieba's common words have thousands)
_tokenizer: jieba.Tokenizer | None = None


def cache_dir():
    path = data_dir() / "jieba"
    path.mkdir(parents=True, exist_ok=True)
    return path


def prepare(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """Point a tokenizer's cache at the data directory and build its dictionary."""
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()
    return tokenizer


def get_tokenizer() -> jieba.Tokenizer:
    """The process-wide tokenizer with the domain dictionary (built on first call)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                from newsmon.text.lexicon import load_lexicon

                lexicon = load_lexicon()
                tok = prepare(jieba.Tokenizer())
                added = 0
                for word, freq in lexicon.jieba_words.items():
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
                _tokenizer = tok
    return _tokenizer


def segment(text: str) -> list[str]:
    """Tokens of text (jieba precise mode with HMM), whitespace tokens dropped."""
    return [t for t in get_tokenizer().lcut(text or "") if not t.isspace()]


def reset() -> None:
    """Forget the tokenizer (tests that change config or the data dir)."""
    global _tokenizer
    with _lock:
        _tokenizer = None
