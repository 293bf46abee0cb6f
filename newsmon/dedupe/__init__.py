"""Duplicate detection, pure functions (no I/O): one article, however many sites reprint it.

* :mod:`newsmon.dedupe.text`: normalise a body (drop 来源 / 责任编辑 lines, captions,
  leaked page chrome; fold to letters, digits and CJK characters).
* :mod:`newsmon.dedupe.minhash`: character shingles, a MinHash signature and its
  LSH band keys, so a new article is compared only with candidates.
* :mod:`newsmon.dedupe.similarity`: fingerprints and the reprint decision on
  exact shingle sets (Jaccard, containment with a size ratio, a numbers guard).

The MongoDB side (band index, merging a reprint into its canonical article) is
:mod:`newsmon.storage.reprints`; the pipeline stage is ``pipelines/dedupe.py``.
"""

from newsmon.dedupe.similarity import Fingerprint, Similarity, compare, fingerprint, from_folded
from newsmon.dedupe.text import body_lines, fold

__all__ = ["Fingerprint", "Similarity", "compare", "fingerprint", "from_folded", "body_lines", "fold"]
