"""The blockchain terms of config/keywords.yaml, compiled once into one regex."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsmon.config import require


def _is_latin(term: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in term)


@dataclass(frozen=True)
class Keywords:
    terms: tuple[str, ...]
    pattern: re.Pattern

    @classmethod
    def from_config(cls, data, label: str) -> "Keywords":
        require(isinstance(data, dict) and "terms" in data, label, "expected a mapping with a 'terms' list")
        terms = data["terms"]
        require(isinstance(terms, list) and terms, label, "'terms' must be a non-empty list of strings")
        for i, term in enumerate(terms):
            require(isinstance(term, str) and term.strip(), label, f"terms[{i}] must be a non-empty string, got {term!r}")
        return cls.from_terms([t.strip() for t in terms])

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
