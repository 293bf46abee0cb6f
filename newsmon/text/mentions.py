"""Sentences that name a blockchain term, and how much the article is about it.

An article *about* blockchain names it in the title and in several sentences on
their own; a passing mention sits in an enumeration (大数据、云计算、区块链等).
The score adds those signals with the weights of config/text/rules.yaml
(``relevance``) and is capped at 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsmon.text.doc import Doc


@dataclass
class Mentions:
    sentences: list[str] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)
    focused: int = 0
    listed: int = 0
    title: str | None = None      # "focused" / "listed" when the title names a term
    relevance: float = 0.0

    def evidence(self) -> list[str]:
        if not self.terms:
            return []
        where = f"in the title ({self.title})" if self.title else "not in the title"
        return [f"{self.focused} mention(s) on their own, {self.listed} in an enumeration, {where}"]


def _is_latin(term: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in term)


def find_terms(full: str, terms) -> list[tuple[int, int, str]]:
    """(start, end, term) of every term in full, like Keywords.pattern but with str.find.

    Longest term wins at a position (区块链服务网络 over 区块链); Latin terms match
    case-insensitively as whole words. str.find runs in C, so a few dozen terms cost
    less than one pass of the alternation regex.
    """
    lower = full.lower()
    found = []
    for term in terms:
        latin = _is_latin(term)
        needle = term.lower() if latin else term
        hay = lower if latin else full
        pos = hay.find(needle)
        while pos >= 0:
            end = pos + len(needle)
            if not latin or ((pos == 0 or not hay[pos - 1].isascii() or not hay[pos - 1].isalnum())
                             and (end == len(hay) or not hay[end].isascii() or not hay[end].isalnum())):
                found.append((pos, end, term))
            pos = hay.find(needle, pos + 1)
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    kept, last_end = [], -1
    for m in found:
        if m[0] >= last_end:
            kept.append(m)
            last_end = m[1]
    return kept


def find_mentions(doc: Doc, keywords, rules: dict) -> Mentions:
    marks = set(rules.get("list_marks") or "、")
    result = Mentions()
    seen_sentences: list[int] = []
    full = doc.full
    for start, end, term in find_terms(full, keywords.terms):
        result.terms[term] = result.terms.get(term, 0) + 1
        before = full[start - 1] if start else ""
        after = full[end] if end < len(full) else ""
        listed = before in marks or after in marks or after == "等"
        sent = doc.sentence_at(start)
        if sent == 0 and result.title != "focused":
            result.title = "listed" if listed else "focused"
        if listed:
            result.listed += 1
        else:
            result.focused += 1
        if not seen_sentences or seen_sentences[-1] != sent:  # matches come in text order
            seen_sentences.append(sent)
    result.sentences = [doc.sentence(i) for i in seen_sentences]
    if result.terms:
        text_sentences = max(doc.sentence_count - 1, 1)
        share = len([s for s in seen_sentences if s > 0]) / text_sentences
        score = rules["title"] * {"focused": 1.0, "listed": 0.5, None: 0.0}[result.title]
        score += rules["focused"] * min(result.focused, 3) + rules["listed"] * min(result.listed, 3)
        score += rules["spread"] * min(1.0, 4 * share)
        result.relevance = round(min(1.0, score), 2)
    return result
