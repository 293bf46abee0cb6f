"""Segment + label: one article in, a JSON-able dict of labels out.

An :class:`Analyser` holds one configuration's lexicon and tokenizer (built once
per process by the config layer). Order matters for speed: segment once
(doc.build), walk the tokens once (scan), then every labeller reads those hits;
the only passes over the raw text are a few str.find calls for blockchain terms,
one regex for sentence ends and one for document numbers. With a category model
(model.py, loaded once by the config layer) the rules' scores become features of
the model, which decides the category; the model adds only a few dict look-ups.
"""

from __future__ import annotations

from pathlib import Path

from newsmon.text import LABEL_KEYS, actors, category, documents, mentions, scan, top_words
from newsmon.text import doc as doc_mod
from newsmon.text import model as model_mod
from newsmon.text.lexicon import Lexicon
from newsmon.text.people import PeopleFinder
from newsmon.text.tokenizer import build_tokenizer

__all__ = ["Analyser", "LABEL_KEYS", "top_words"]


class Analyser:
    """Tokens and labels with one configuration's dictionary, rules and gazetteer."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path | None = None, model: model_mod.Model | None = None):
        self.lexicon = lexicon
        self.model = model
        self.tokenizer = build_tokenizer(lexicon.jieba_words, cache_dir)
        self.people = PeopleFinder(lexicon, self.tokenizer.FREQ)

    def with_model(self, model: model_mod.Model | None) -> "Analyser":
        """The same lexicon and tokenizer (jieba loaded once) with another category model."""
        other = object.__new__(Analyser)
        other.__dict__.update(self.__dict__)
        other.model = model
        return other

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
        return _label(d, self.lexicon, self.people, self.model)

    def category_features(self, title: str, text: str, options: dict | None = None) -> dict[str, float]:
        """The model's features of one article (training and the benchmark's folds use these)."""
        d = self.doc(title, text)
        hits = scan.scan(d.tokens, self.lexicon)
        people = self.people.find(d, hits, _org_before(d, hits))
        cat, scores, _ev, signals = category.categorise(d, hits, people, self.lexicon)
        return _features(d, cat, scores, signals, self.lexicon, options)


def _org_before(d, hits):
    org_at = {i: c for i, c in hits.orgs}

    def org_before(offset: int) -> str | None:
        i = d.token_at(offset)
        if i <= 0 or d.starts[i] != offset:
            return None
        return d.tokens[i - 1] if (i - 1) in org_at else None

    return org_before


def _features(d, cat, scores, signals, lexicon, options) -> dict[str, float]:
    lead_n = int(lexicon.rules["category"]["lead_sentences"])
    title_end = len(d.title)
    lead_end = d.sentence_starts[lead_n + 1] if lead_n + 1 < d.sentence_count else len(d.full)
    title_tokens, lead_tokens = [], []
    for tok, at in zip(d.tokens, d.starts):
        if at >= lead_end:
            break
        (title_tokens if at < title_end else lead_tokens).append(tok)
    return model_mod.features(d.title, title_tokens, lead_tokens, scores, cat, signals, options)


def _label(d, lexicon, people_finder, model=None) -> dict:
    hits = scan.scan(d.tokens, lexicon)
    people = people_finder.find(d, hits, _org_before(d, hits))
    cat, scores, cat_evidence, signals = category.categorise(d, hits, people, lexicon)
    if model is not None:
        options = model.meta.get("options") or {}
        chosen, prob, top = model.predict(_features(d, cat, scores, signals, lexicon, options))
        shown = ", ".join(f"{name} {value:+.2f}" for name, value in top) or "bias only"
        floor = float(options.get("min_confidence", model_mod.DEFAULTS["min_confidence"]))
        if chosen == cat or prob >= floor:  # the model decides when it is sure, else the rules do
            cat_evidence = [f"{chosen} {prob:.2f} (model): {shown}", f"rules: {cat_evidence[0]}"]
            cat = chosen
        else:
            cat_evidence = [f"{cat_evidence[0]} (rules; model {chosen} {prob:.2f} < {floor:g}: {shown})"]
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
