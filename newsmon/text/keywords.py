"""Blockchain terms (config/keywords.yaml), compiled once into one regex.

"Keywords" in newsmon means these terms and nothing else: the words of an
article's TF-IDF summary are its ``top_words``, the words a site search is asked
for are a discovery's ``search_terms``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


def _is_latin(term: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in term)


@dataclass(frozen=True)
class Keywords:
    terms: tuple[str, ...]
    pattern: re.Pattern

    @classmethod
    def from_terms(cls, terms: list[str]) -> "Keywords":
        # Longest first so 区块链服务网络 wins over 区块链 at the same position.
        parts = []
        for term in sorted(set(terms), key=len, reverse=True):
            escaped = re.escape(term)
            parts.append(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])" if _is_latin(term) else escaped)
        return cls(tuple(terms), re.compile("|".join(parts), re.IGNORECASE))

    def find(self, text: str) -> Counter:
        """Count each term occurrence in text, keyed by the configured spelling."""
        canon = {t.lower(): t for t in self.terms}
        return Counter(canon.get(m.group(0).lower(), m.group(0)) for m in self.pattern.finditer(text or ""))

    def mentions(self, *texts: str) -> bool:
        return any(self.pattern.search(t or "") for t in texts)
