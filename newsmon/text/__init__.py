"""Text analysis for newsmon: jieba segmentation, blockchain mentions and labels.

Public API (used by the pipelines and ``newsmon label``):

* ``segment(text) -> list[str]``: tokens, with the domain dictionary of config/text/.
* ``analyse(title, text, *, url=None, source=None) -> dict``: category, level,
  province, city, district, region, organizations, people, domains, technologies,
  doc_number, doc_type, relevance, mentions, evidence, tokens, keywords.

The item pipelines split the same work in two without segmenting twice:
``segment_article`` + ``keywords`` (pipelines/segment.py), then ``label_article``
with those tokens (pipelines/label.py).

Everything heavy (jieba, config) loads on first use, once per process.
"""

from newsmon.text.stage import LABEL_KEYS, analyse, keywords, label_article, segment_article
from newsmon.text.tokenizer import segment

__all__ = ["LABEL_KEYS", "analyse", "keywords", "label_article", "segment", "segment_article"]
