"""An item's lead: the two or three sentences of the article an analyst would keep.

Analysts keep the facts: amounts (项目总体投资额预计10亿元), counts (不少于300名),
who acted and who spoke for the body (外汇局副局长宣昌能). So each sentence of the
body is scored for figures, for the article's named organisations and people
(its labels), for mentioning blockchain, and for coming first; the best are taken
while they fit the length bound and printed in the order of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?")
# money and shares weigh most, then counted things; dates and years are not facts of this kind
_MONEY = re.compile(r"\d+(?:[.,]\d+)*\s*(?:多|余)?\s*(?:万亿|亿|万|千)?\s*(?:元|美元|港元|欧元|人民币)"
                    r"|\d+(?:\.\d+)?\s*[%％]|百分之[零〇一二两三四五六七八九十百]+")
_COUNT = re.compile(r"\d+(?:[.,]\d+)*\s*(?:多|余)?\s*(?:万亿|亿|万|千)?\s*"
                    r"(?:个|家|名|项|座|人|件|台|套|平方米|亩|公里|千米|吨|户|笔|次|倍|条|种|所|批|类|张|份|元)")
_DATE = re.compile(r"\d{4}\s*[-—–~～至]\s*\d{4}\s*年?|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2}月|\d{1,2}日")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BOILERPLATE = re.compile(r"^[（(【\[]?\s*(?:责任编辑|责编|编辑|来源|记者|通讯员|原标题|本文来源|图片来源)\s*[:：]")
_CLAUSE_END = "，；、：,;"


@dataclass(frozen=True)
class LeadRules:
    max_sentences: int = 3
    max_chars: int = 240


def sentences(text: str) -> list[str]:
    """The sentences of a body (terminal punctuation kept), boilerplate lines left out."""
    out = []
    for m in _SENTENCE.finditer(text or ""):
        s = m.group(0).strip()
        if s and not _BOILERPLATE.match(s):
            out.append(s)
    return out


def _names(doc: dict) -> tuple[set[str], set[str]]:
    """Organisation and people names as they may be written in the text (labels and their evidence)."""
    orgs = {o for o in doc.get("organizations") or [] if o}
    people = set()
    for p in doc.get("people") or []:
        if p:
            people.add(re.split(r"[（(]", p, maxsplit=1)[0].strip())
    evidence = doc.get("evidence") or {}
    for line in evidence.get("organizations") or []:
        orgs.update(part.strip() for part in str(line).split("→") if part.strip())
    for line in evidence.get("people") or []:
        people.add(str(line).strip())
    return {o for o in orgs if len(o) >= 2}, {p for p in people if len(p) >= 2}


def score(sentence: str, position: int, orgs: set[str], people: set[str], terms: tuple[str, ...]) -> float:
    """How much of what an analyst keeps a sentence holds."""
    undated = _DATE.sub(" ", sentence)
    money = len(_MONEY.findall(undated))
    counts = max(0, len(_COUNT.findall(undated)) - money)
    numbers = max(0, len(_NUMBER.findall(undated)) - money - counts)
    s = 4.0 * money + 2.5 * counts + 0.5 * min(numbers, 4)
    s += 2.0 * min(3, sum(1 for o in orgs if o in sentence))
    s += 3.0 * min(2, sum(1 for p in people if p in sentence))
    s += 1.5 if any(t in sentence for t in terms) else 0.0
    s += (2.5, 1.0)[position] if position < 2 else 0.0
    if len(sentence) < 10:
        s -= 2.0
    return s


def _cut(sentence: str, limit: int) -> str:
    """A sentence longer than the bound, cut after its last clause that fits."""
    if len(sentence) <= limit:
        return sentence
    head = sentence[:limit - 1]
    at = max(head.rfind(c) for c in _CLAUSE_END)
    return (head[:at] if at > limit // 3 else head) + "…"


def lead(doc: dict, rules: LeadRules = LeadRules(), terms: tuple[str, ...] = ("区块链",)) -> str:
    """The lead of a stored article: its best sentences in text order, at most ``rules.max_chars`` long."""
    body = sentences(doc.get("content") or "")
    title = (doc.get("title") or "").strip()
    body = [s for s in body if s.rstrip("。！？!?") != title.rstrip("。！？!?")]
    if not body:
        mentions = [m for m in doc.get("mentions") or [] if m and m != title]
        body = sentences("\n".join(mentions))
    if not body:
        return ""
    orgs, people = _names(doc)
    terms = tuple(dict.fromkeys([*terms, *(doc.get("matched_terms") or {})]))
    ranked = sorted(range(len(body)), key=lambda i: (-score(body[i], i, orgs, people, terms), i))
    if len(body[ranked[0]]) > rules.max_chars:     # the best sentence alone is too long: its head
        return _cut(body[ranked[0]], rules.max_chars)
    chosen, used = [], 0
    for i in ranked:
        if len(chosen) >= rules.max_sentences:
            break
        if used + len(body[i]) <= rules.max_chars:
            chosen.append(i)
            used += len(body[i])
    return "".join(body[i] for i in sorted(chosen))
