"""The segment + label stage: one article in, a JSON-able dict of labels out.

Order matters for speed: segment once (doc.build), walk the tokens once (scan),
then every labeller reads those hits; the only passes over the raw text are a few
str.find calls for blockchain terms, one regex for sentence ends and one for
document numbers.
"""

from __future__ import annotations

import threading

from newsmon.text import actors, category, doc as doc_mod, documents, mentions, scan, tfidf
from newsmon.text.lexicon import load_lexicon
from newsmon.text.people import PeopleFinder
from newsmon.text.tokenizer import get_tokenizer

KEYWORDS_TOP = 10
LABEL_KEYS = ("category", "level", "province", "city", "district", "region", "organizations", "people",
              "domains", "technologies", "doc_number", "doc_type", "relevance", "mentions", "evidence")
_lock = threading.Lock()
_people: PeopleFinder | None = None


def _people_finder(lexicon) -> PeopleFinder:
    global _people
    if _people is None or _people.lexicon is not lexicon:
        with _lock:
            if _people is None or _people.lexicon is not lexicon:
                _people = PeopleFinder(lexicon, get_tokenizer().FREQ)
    return _people


def analyse(title: str, text: str, *, url: str | None = None, source: str | None = None) -> dict:
    """Labels of one article with their evidence, plus its tokens and top keywords.

    url and source are accepted for callers that have them; labels come from the
    words alone, so the outlet never decides the level. docs/labels.md lists the keys.
    """
    d = doc_mod.build(title, text)
    result = label_doc(d)
    words = d.words()
    result["tokens"] = words
    result["keywords"] = keywords(words)
    return result


def segment_article(title: str, text: str) -> list[str]:
    """Tokens of title and text as analyse() sees them (whitespace dropped)."""
    return doc_mod.build(title, text).words()


def keywords(words: list[str], k: int = KEYWORDS_TOP) -> list[str]:
    """Top k keywords by TF-IDF over the tokens (no second segmentation)."""
    return tfidf.top_keywords(words, k)


def label_article(title: str, text: str, tokens: list[str] | None = None) -> dict:
    """The labels only, reusing tokens from segment_article() when they still fit the text."""
    d = doc_mod.from_words(title, text, tokens) if tokens else None
    return label_doc(d or doc_mod.build(title, text))


def label_doc(d) -> dict:
    lexicon = load_lexicon()
    hits = scan.scan(d.tokens, lexicon)
    org_at = {i: c for i, c in hits.orgs}

    def org_before(offset: int) -> str | None:
        i = d.token_at(offset)
        if i <= 0 or d.starts[i] != offset:
            return None
        return d.tokens[i - 1] if (i - 1) in org_at else None

    people = _people_finder(lexicon).find(d, hits, org_before)
    cat, _scores, cat_evidence = category.categorise(d, hits, people, lexicon)
    where = actors.locate(d, hits, lexicon)
    found = mentions.find_mentions(d, lexicon.keywords, lexicon.rules["relevance"])
    number, number_at = documents.doc_number(d.full, lexicon)
    lead_n = int(lexicon.rules["category"]["lead_sentences"])
    lead_end = d.sentence_starts[lead_n + 1] if lead_n + 1 < d.sentence_count else len(d.full)
    doc_type, doc_name = (None, None)
    if number or cat == "policy":
        doc_type, doc_name = documents.doc_type(d, lexicon, number_at, lead_end)

    evidence = dict(where.evidence)
    evidence["category"] = cat_evidence
    if people:
        evidence["people"] = list(dict.fromkeys(d.full[p.start:p.start + len(p.title) + len(p.name)]
                                                if p.title else p.name for p in people))
    if hits.domains:
        evidence["domains"] = [f"{', '.join(dict.fromkeys(s))} → {c}" for c, s in hits.domains.items()]
    if hits.techs:
        evidence["technologies"] = [f"{', '.join(dict.fromkeys(s))} → {c}" for c, s in hits.techs.items()]
    if number:
        evidence["doc_number"] = [number]
    if doc_type:
        evidence["doc_type"] = [doc_name]
    if found.terms:
        evidence["relevance"] = found.evidence()
        evidence["mentions"] = [f"{t} x{n}" for t, n in found.terms.items()]
    return {
        "category": cat,
        "level": where.level,
        "province": where.province,
        "city": where.city,
        "district": where.district,
        "region": where.region,
        "organizations": where.organizations,
        "people": list(dict.fromkeys(p.label() for p in people)),
        "domains": list(hits.domains),
        "technologies": list(hits.techs),
        "doc_number": number,
        "doc_type": doc_type,
        "relevance": found.relevance,
        "mentions": found.sentences,
        "evidence": evidence,
    }
