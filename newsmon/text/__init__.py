"""Text analysis for newsmon: jieba segmentation, blockchain mentions and labels.

A pure library: it reads no files. The config layer builds one
:class:`~newsmon.text.analyser.Analyser` per process from config/text/ and
config/keywords.yaml (``newsmon.config.analyser(settings)``); pipelines,
``newsmon label`` and the benchmarks all use it:

* ``analyser.analyse(title, text) -> dict``: category, level, province, city,
  district, region, organizations, people, domains, technologies, doc_number,
  doc_type, relevance, mentions, evidence, tokens, top_words.
* ``analyser.segment_article`` + ``top_words``, then ``analyser.label_article``
  with those tokens: the same work in two steps, segmenting once.

In a crawl, pipelines/analyse.py calls ``analyse`` in worker processes
(newsmon/workers.py) so the reactor keeps downloading.
"""

# Light to import: jieba and its IDF table load with newsmon.text.analyser, only when a labeller is built.
LABEL_KEYS = ("category", "level", "province", "city", "district", "region", "organizations", "people",
              "domains", "technologies", "doc_number", "doc_type", "relevance", "mentions", "evidence")


def top_words(words: list[str], k: int = 10) -> list[str]:
    """Top k words by TF-IDF over the tokens (no second segmentation)."""
    from newsmon.text import tfidf

    return tfidf.top_words(words, k)
