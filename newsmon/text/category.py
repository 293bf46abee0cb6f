"""Category: policy, application, voice or other, from weighted cue words.

Each cue word (rules.yaml ``category.cues``) found in a sentence adds its weight
times where it stands (title x3, lead x2, body x1), once per word and sentence.
Statement verbs count for voice only in a sentence that names a person; a title
opened by a speaker (李克强：…) and a 《document title》 add fixed bonuses. The best
score wins; below ``min_score`` the article is other. The scores and the signals
seen on the way (a speaker opens the title, a named person states something in
title or lead, a 《document》 …) are also the rule features of the model (model.py).
"""

from __future__ import annotations

import re

from newsmon.text.documents import type_of

OTHER = "other"
PRONOUNS = frozenset("他她")
STATEMENT = 3     # voice cues this heavy are statements (表示, 说); lighter ones (讲话, 提出) only add
REPORTED = 0.5    # cue words inside a named person's statement count this much
_DOC_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_SPEAKER = re.compile(r"^([^：:，,。]{2,24})[：:]")
# a section tag before the headline proper: 【观察】, 声音 | , 关注丨
_TAG = re.compile(r"^\s*(?:【[^】]{1,10}】|[^|｜丨：:【]{1,6}\s*[|｜丨])\s*")


def categorise(doc, hits, people, lexicon) -> tuple[str, dict[str, float], list[str], list[str]]:
    """(category, scores, evidence, signals) by the rules alone."""
    rules = lexicon.rules["category"]
    weights = rules["weights"]
    lead_n, body_n = int(rules["lead_sentences"]), int(rules["body_sentences"])
    spoken = {doc.sentence_at(p.start) for p in people}
    # 政协委员建议 / 专家认为: a role right before a statement verb speaks, named or not
    for i, cat_, weight, _ in hits.cues:
        if cat_ == "voice" and weight >= 2 and i - 1 in hits.titles:
            spoken.add(doc.sentence_of(i))
    # "Speaker：" opening the title (after a section tag): what follows the colon is the speaker's
    tag = _TAG.match(doc.title)
    head = doc.title[tag.end():] if tag else doc.title
    m = _SPEAKER.match(head)
    offset = len(doc.title) - len(head)
    speaker = bool(m) and (any(p.start < offset + m.end() for p in people) or _titled(m.group(1), lexicon))
    said_from = offset + m.end() if speaker else None
    for s in range(1, doc.sentence_count):  # 他强调 … continues the person named just before
        if s - 1 in spoken and doc.full[doc.sentence_starts[s]:doc.sentence_starts[s] + 1] in PRONOUNS:
            spoken.add(s)
    meeting = set(rules.get("meeting_words") or [])

    def zone(sentence: int) -> str | None:
        if sentence == 0:
            return "title"
        if sentence <= lead_n:
            return "lead"
        return "body" if sentence <= body_n else None

    scores = {c: 0.0 for c in rules["tie_order"]}
    evidence: dict[str, list[tuple[float, str]]] = {c: [] for c in scores}
    seen: set[tuple[str, int]] = set()
    speaker_bonus = float(rules.get("speaker_sentence") or 0)
    said_at: dict[int, int] = {}  # sentence -> token of the first statement verb of a named person
    signals: set[str] = set()
    if any(doc.sentence_at(p.start) == 0 for p in people):
        signals.add("person_title")
    if any(0 < doc.sentence_at(p.start) <= lead_n for p in people):
        signals.add("person_lead")
    if not doc.text.strip():
        signals.add("headline_only")
    for i, category, weight, _ in hits.cues:
        if category == "voice" and weight >= STATEMENT and doc.sentence_of(i) in spoken:
            said_at.setdefault(doc.sentence_of(i), i)
    if any(s <= lead_n for s in said_at):
        signals.add("person_says")
    for i, category, weight, word in hits.cues:
        s = doc.sentence_of(i)
        z = zone(s)
        if z is None or (word, s) in seen:
            continue
        if category == "voice" and s not in spoken:
            if i == 0 or doc.tokens[i - 1] not in meeting:
                continue
            category = "policy"  # 会议强调/会议指出: a meeting's directive, not a person's voice
            signals.add("meeting")
        elif category == "voice" and weight >= STATEMENT and ("voice", s) not in seen:
            seen.add(("voice", s))  # a named person states something here: once per sentence
            scores["voice"] += speaker_bonus * weights[z]
        elif category != "voice" and ((s in said_at and i > said_at[s])
                                       or (said_from is not None and (s > 0 or doc.starts[i] >= said_from))):
            signals.add("reported")
            weight *= REPORTED  # what the person said is their voice, not the article's action
        seen.add((word, s))
        scores[category] += weight * weights[z]
        evidence[category].append((weight * weights[z], f"{word} ({z})"))

    # a document's name in 《》 in the title or lead
    lead_end = doc.sentence_starts[lead_n + 1] if lead_n + 1 < doc.sentence_count else len(doc.full)
    for m in _DOC_TITLE.finditer(doc.full, 0, lead_end):
        if type_of(m.group(1), lexicon.doc_types):
            z = "title" if m.start() < len(doc.title) else "lead"
            bonus = float(rules["document_title"]) * weights[z]
            scores["policy"] += bonus
            evidence["policy"].append((bonus, f"《{m.group(1)}》 ({z})"))
            signals.add("document_" + z)
            break

    if m:
        signals.add("title_colon")
    if speaker:
        scores["voice"] += float(rules["title_speaker"])
        evidence["voice"].append((float(rules["title_speaker"]), f"{m.group(1)}： (title)"))
        signals.add("speaker_title")

    best = max(scores, key=lambda c: (scores[c], -rules["tie_order"].index(c)))
    if scores[best] < float(rules["min_score"]):
        return OTHER, scores, [f"no category reaches {rules['min_score']:g}: " +
                               ", ".join(f"{c} {v:g}" for c, v in scores.items())], sorted(signals)
    top = [text for _, text in sorted(evidence[best], key=lambda e: -e[0])[:8]]
    return best, scores, [f"{best} {scores[best]:g}: " + ", ".join(top)], sorted(signals)


def _titled(speaker: str, lexicon) -> bool:
    """银保监会副主席 / 交通部负责人: the part before the colon ends with a person's title."""
    titles = lexicon.rules["people"]["titles"]
    return any(speaker.endswith(t) for t in titles)
