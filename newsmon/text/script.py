"""Traditional characters folded to simplified, one character for one, before labelling.

Cue words, gazetteer names and bodies are listed in simplified script; news from
Hong Kong, Macau and Taiwan (and reposts of it) uses traditional. Folding only
single characters keeps every offset of the text, so tokens, sentences and
quotes still line up with what was published. The table is zhconv's zh-Hans
character entries, built once per process.
"""

from __future__ import annotations

import functools
import json
import pkgutil


@functools.lru_cache(maxsize=1)
def table() -> dict[int, int]:
    """str.translate table: traditional code point -> simplified code point."""
    data = json.loads(pkgutil.get_data("zhconv", "zhcdict.json"))
    return {ord(k): ord(v) for k, v in data["zh2Hans"].items() if len(k) == 1 and len(v) == 1 and k != v}


def fold(text: str) -> str:
    """text in simplified characters, same length."""
    return text.translate(table()) if text else text
