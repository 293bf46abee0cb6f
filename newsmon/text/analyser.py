"""Segment + label: one article in, a JSON-able dict of labels out.

An :class:`Analyser` holds one configuration's lexicon and tokenizer (built once
per process by the config layer). Order matters for speed: segment once
(doc.build), walk the tokens once (scan), then every labeller reads those hits;
the only passes over the raw text are a few str.find calls for blockchain terms,
one regex for sentence ends and one for document numbers.
"""

from __future__ import annotations

from pathlib import Path

from newsmon.text import LABEL_KEYS, actors, category, documents, mentions, scan, top_words
from newsmon.text import doc as doc_mod
from newsmon.text.lexicon import Lexicon
from newsmon.text.people import PeopleFinder
from newsmon.text.tokenizer import build_tokenizer

__all__ = ["Analyser", "LABEL_KEYS", "top_words"]


class Analyser:
    """Tokens and labels with one configuration's dictionary, rules and gazetteer."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path | None = None):
        self.lexicon = lexicon
        self.tokenizer = build_tokenizer(lexicon.jieba_words, cache_dir)
        self.people = PeopleFinder(lexicon, self.tokenizer.FREQ)

    def segment(self, text: str) -> list[str]:
        """Tokens of text (jieba precise mode with HMM), whitespace tokens dropped."""
        return [t for t in self.tokenizer.lcut(text or "") if not t.isspace()]

    def doc(self, title: str, text: str) -> doc_mod.Doc:
        return doc_mod.build(title, text, self.tokenizer.lcut)

    def analyse(self, title: str, text: str) -> dict:
        """Labels of one article with their evidence, plus its tokens and top words.

        Labels come from the words alone, so the outlet never decides the level.
        docs/labels.md lists the keys.
        """
        d = self.doc(title, text)
        result = self.label_doc(d)
        words = d.words()
        result["tokens"] = words
        result["top_words"] = top_words(words)
        return result

    def segment_article(self, title: str, text: str) -> list[str]:
        """Tokens of title and text as analyse() sees them (whitespace dropped)."""
        return self.doc(title, text).words()

    def label_article(self, title: str, text: str, tokens: list[str] | None = None) -> dict:
        """The labels only, reusing tokens from segment_article() when they still fit the text."""
        d = doc_mod.from_words(title, text, tokens) if tokens else None
        return self.label_doc(d or self.doc(title, text))

    def label_doc(self, d: doc_mod.Doc) -> dict:
        return _label(d, self.lexicon, self.people)


def _label(d, lexicon, people_finder) -> dict:
    hits = scan.scan(d.tokens, lexicon)
    org_at = {i: c for i, c in hits.orgs}

    def org_before(offset: int) -> str | None:
        i = d.token_at(offset)
        if i <= 0 or d.starts[i] != offset:
            return None
        return d.tokens[i - 1] if (i - 1) in org_at else None

    people = people_finder.find(d, hits, org_before)
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
