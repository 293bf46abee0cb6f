"""Normalise an article: canonical URL, tidy whitespace, body hash for exact duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pipelines import Stage
from newsmon.urls import canonical_url

_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_ALL_SPACE = re.compile(r"\s+")


def tidy_text(text: str) -> str:
    """Trim every line, collapse runs of spaces, drop empty lines."""
    lines = (_SPACE.sub(" ", line).strip() for line in (text or "").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """sha1 of the body with all whitespace removed and width/compatibility forms folded."""
    folded = _ALL_SPACE.sub("", unicodedata.normalize("NFKC", text or ""))
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


class NormalizePipeline(Stage):
    def process_item(self, item, spider=None):
        item["url"] = canonical_url(item.get("url") or item.get("fetched_url") or "")
        item["title"] = _SPACE.sub(" ", (item.get("title") or "").replace("\n", " ")).strip()
        item["content"] = tidy_text(item.get("content") or "")
        item["authors"] = [a.strip() for a in item.get("authors") or [] if a and a.strip()]
        item["content_hash"] = content_hash(item["content"])
        return item
