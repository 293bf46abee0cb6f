"""Named people: a title followed by a name (副局长宣昌能), or a listed leader.

A name is a surname from config/text/surnames.txt and one or two more characters,
followed by something that cannot be part of a name (a statement verb, a title,
punctuation, 在/对/就 ...). It is looked for right after each title token and right
before each statement verb that opens a clause (王凯介绍，…), so the cost grows with
the number of titles and verbs, not with the length of the text. Candidates that
are common words (单位 after 会长) or known places and bodies are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsmon.text.lexicon import BODY, ORG, PLACE, Lexicon

COMMON_WORD_FREQ = 300  # a jieba word this frequent is not a person's name
STATEMENT = 3           # voice cues this heavy are statement verbs (表示, 介绍)
_CLAUSE_START = frozenset("，。；：:\n“”、 ")


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    start: int          # offset of the title (or the name, without one) in doc.full
    org: str | None = None

    def label(self) -> str:
        return f"{self.name}（{(self.org or '') + self.title}）" if self.title else self.name


class PeopleFinder:
    def __init__(self, lexicon: Lexicon, word_freq: dict[str, int]):
        rules = lexicon.rules["people"]
        titles = sorted(rules["titles"], key=len, reverse=True)
        surnames = sorted(lexicon.surnames, key=len, reverse=True)
        voice = lexicon.rules["category"]["cues"].get("voice", {})
        self.statements = frozenset(w for w, wt in voice.items() if wt >= STATEMENT)
        end = "[" + re.escape(rules["name_end"]) + "]"
        self.titled = re.compile(
            "(?P<title>" + "|".join(map(re.escape, titles)) + ")"
            "(?P<name>(?:" + "|".join(map(re.escape, surnames)) + r")[\u4e00-\u9fa5]{1,2}?)"
            "(?=" + end + "|" + "|".join(map(re.escape, sorted(voice, key=len, reverse=True) + titles)) + "|$)")
        self.surname = re.compile("(?:" + "|".join(map(re.escape, surnames)) + r")[\u4e00-\u9fa5]{1,2}$")
        self.lexicon = lexicon
        self.word_freq = word_freq
        self.leaders = frozenset(rules.get("central") or [])

    def _plausible(self, name: str) -> bool:
        if name in self.leaders:
            return True
        if self.word_freq.get(name, 0) > COMMON_WORD_FREQ:
            return False
        return not any(kind in (PLACE, ORG, BODY) for kind, _ in self.lexicon.index.get(name, ()))

    def find(self, doc, hits, org_before) -> list[Person]:
        """People in doc.full, in order; org_before(offset) names the body right before a title."""
        full, starts = doc.full, doc.starts
        found: list[Person] = []
        covered: set[int] = set()
        for i in sorted(hits.titles):
            at = starts[i] - 1 if starts[i] and full[starts[i] - 1] == "副" else starts[i]  # 副 / 部长
            m = self.titled.match(full, at)
            if m and self._plausible(m.group("name")):
                found.append(Person(m.group("name"), m.group("title"), m.start(), org_before(m.start())))
                covered.add(m.end())
        for i, _category, _weight, word in hits.cues:  # 王凯介绍，…
            if word not in self.statements:
                continue
            s = starts[i]
            if s in covered:
                continue
            for k in (4, 3, 2):
                if s - k < 0 or (s - k > 0 and full[s - k - 1] not in _CLAUSE_START):
                    continue
                name = full[s - k:s]
                if self.surname.match(name) and self._plausible(name):
                    found.append(Person(name, "", s - k))
                    break
        for i, name in hits.leaders:
            if not any(p.start <= starts[i] < p.start + len(p.title) + len(p.name) for p in found):
                found.append(Person(name, "", starts[i]))
        found.sort(key=lambda p: p.start)
        return found
