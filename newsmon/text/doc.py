"""One article as tokens with offsets and sentences, built from a single jieba pass.

Title and text are segmented separately and joined as ``title + "\\n" + text``; every
later stage (mentions, people, labels) works on this one structure, so nothing is
segmented twice and char offsets, tokens and sentences always agree. Traditional
characters are folded to simplified first (script.fold, one for one), so the rules
and the gazetteer see one script; sentences and stored words are cut from the text
as published (``shown``) at the same offsets. Offsets and
sentence starts are computed with C-speed helpers (accumulate, one regex); the
sentence of a token is looked up only for the few tokens that matter.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable

from newsmon.text.script import fold

# a sentence ends at 。！？； or a line break, but not at 。” (the speaker follows the quote)
_SENTENCE_END = re.compile(r"(?:[。！？!?；;](?![”’」])|\n)[\s”’」]*")


@dataclass
class Doc:
    title: str
    text: str
    full: str                 # title + "\n" + text
    tokens: list[str]         # every token, whitespace included
    starts: list[int]         # char offset of each token in full
    sentence_starts: list[int]  # sentence 0 is the whole title
    shown: str = ""           # full as published (before folding), same length

    @property
    def sentence_count(self) -> int:
        return len(self.sentence_starts)

    def sentence(self, index: int) -> str:
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.full)
        return (self.shown or self.full)[start:end].strip()

    def sentence_at(self, offset: int) -> int:
        return bisect_right(self.sentence_starts, offset) - 1

    def sentence_of(self, i: int) -> int:
        """Sentence index of token i."""
        return bisect_right(self.sentence_starts, self.starts[i]) - 1

    def token_at(self, offset: int) -> int:
        """Index of the token that covers char offset."""
        return bisect_right(self.starts, offset) - 1

    def words(self) -> list[str]:
        """Tokens without whitespace: what is stored as the article's tokens."""
        if not self.shown or self.shown == self.full:
            return list(filter(str.strip, self.tokens))
        shown = self.shown
        return [shown[a:a + len(t)] for t, a in zip(self.tokens, self.starts) if t.strip()]


def build(title: str, text: str, cut: Callable[[str], list[str]]) -> Doc:
    """Segment title and text (the one jieba pass, ``cut`` = a tokenizer's lcut) and index the result."""
    title = " ".join((title or "").split())
    text = text or ""
    shown = title + "\n" + text
    title, text = fold(title), fold(text)
    tokens = (cut(title) if title else []) + ["\n"] + (cut(text) if text else [])
    return _index(title, text, tokens, shown)


def from_words(title: str, text: str, words: list[str]) -> Doc | None:
    """Rebuild the Doc from stored tokens (whitespace dropped) without segmenting again.

    The words are found in order in the text; the whitespace between them comes back
    one character per token, as jieba yields it. None when they do not fit the text
    (it changed since it was segmented): the caller segments again.
    """
    title = " ".join((title or "").split())
    text = text or ""
    shown = title + "\n" + text
    title, text = fold(title), fold(text)
    full = title + "\n" + text
    tokens: list[str] = []
    pos = 0
    for word in map(fold, words):
        at = full.find(word, pos)
        if at < 0 or (at > pos and not full[pos:at].isspace()):
            return None
        tokens.extend(full[pos:at])
        tokens.append(word)
        pos = at + len(word)
    if pos < len(full) and not full[pos:].isspace():
        return None
    tokens.extend(full[pos:])
    return _index(title, text, tokens, shown)


def _index(title: str, text: str, tokens: list[str], shown: str = "") -> Doc:
    full = title + "\n" + text
    starts = [0, *accumulate(map(len, tokens))][:-1]
    body = len(title) + 1
    sentence_starts = [0, body]
    for m in _SENTENCE_END.finditer(full, body):
        if m.end() >= len(full):
            break
        if m.end() > sentence_starts[-1]:
            if m.start() <= sentence_starts[-1]:  # leading blank lines: move the start, no empty sentence
                sentence_starts[-1] = m.end()
            else:
                sentence_starts.append(m.end())
    return Doc(title, text, full, tokens, starts, sentence_starts, shown)
