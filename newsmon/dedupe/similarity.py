"""Fingerprints of article bodies and the decision "is B a reprint of A?".

The decision is made on exact shingle sets (the MinHash bands only pick the
candidates), with three measures:

* Jaccard J = |A∩B| / |A∪B|: the two texts are mostly the same text.
* Containment C = |A∩B| / min(|A|, |B|) with the size ratio R = min/max: one is
  the other with paragraphs cut (or added), as long as the shorter keeps a fair
  share of the longer. A short news item quoted whole inside a long digest, or a
  flash that grew into a full report, has a small R and stays a separate article.
* The numbers guard: the figures (runs of digits) of the two bodies must agree
  about as well as their wording does. Two releases written on one template (monthly CPI, a daily market
  close, a list of appointments) share their words but not their figures; a
  reprint copies the figures with the words.

Two different reports on one topic (the same press conference, the same policy,
the same day) share words and phrases, but few 5-character runs: their J and C
stay far below the thresholds (see docs/dedupe.md for the measured spread).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field

from newsmon.dedupe import minhash
from newsmon.dedupe.text import fold

MIN_EXACT_CHARS = 20     # folded bodies shorter than this are never called duplicates
MIN_NEAR_CHARS = 50      # ... nor near duplicates
JACCARD_MIN = 0.60
CONTAINMENT_MIN = 0.80
SIZE_RATIO_MIN = 0.55
FIGURES_MIN = 4          # the numbers guard applies when both bodies hold this many distinct figures
FIGURES_LAG_MAX = 0.35   # figure containment may trail word containment by this much
CANDIDATE_ESTIMATE_MIN = 0.20  # signature estimate below which a band candidate is not verified


_FIGURE = re.compile(r"[0-9]+")


@dataclass
class Fingerprint:
    folded: str
    hash: str
    shingles: set[int] = field(repr=False)
    words: set[int] = field(repr=False)      # the shingles without a digit
    figures: set[str] = field(repr=False)    # runs of digits
    sig: list[int] = field(repr=False)
    bands: list[str] = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.shingles)

    @property
    def exact_ok(self) -> bool:
        return len(self.folded) >= MIN_EXACT_CHARS

    @property
    def near_ok(self) -> bool:
        return len(self.folded) >= MIN_NEAR_CHARS


def _split_shingles(folded: str, k: int = minhash.SHINGLE) -> tuple[set[int], set[int]]:
    """(all shingles, shingles without a digit); the first equals minhash.shingles(folded)."""
    if not folded:
        return set(), set()
    if len(folded) <= k:
        h = {zlib.crc32(folded.encode("utf-8"))}
        return h, (set() if any("0" <= c <= "9" for c in folded) else set(h))
    prefix = [0]  # digits before each position, to tell in O(1) whether a window holds one
    for c in folded:
        prefix.append(prefix[-1] + ("0" <= c <= "9"))
    every, words = set(), set()
    for i in range(len(folded) - k + 1):
        h = zlib.crc32(folded[i:i + k].encode("utf-8"))
        every.add(h)
        if prefix[i + k] == prefix[i]:
            words.add(h)
    return every, words


def fingerprint(content: str) -> Fingerprint:
    """The fingerprint of an article body (raw text, one paragraph a line)."""
    return from_folded(fold(content))


def from_folded(folded: str) -> Fingerprint:
    """The fingerprint of an already folded body (what :func:`newsmon.dedupe.text.fold` returns)."""
    every, words = _split_shingles(folded)
    sig = minhash.signature(every) if len(folded) >= MIN_NEAR_CHARS else []
    return Fingerprint(
        folded=folded,
        hash=hashlib.sha1(folded.encode("utf-8")).hexdigest(),
        shingles=every,
        words=words,
        figures=set(_FIGURE.findall(folded)),
        sig=sig,
        bands=minhash.band_keys(sig),
    )


@dataclass
class Similarity:
    jaccard: float
    containment: float
    size_ratio: float
    word_containment: float
    figure_containment: float | None
    reprint: bool
    reason: str

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _contain(a: set, b: set) -> float:
    small = min(len(a), len(b))
    return len(a & b) / small if small else 0.0


def compare(a: Fingerprint, b: Fingerprint) -> Similarity:
    """How alike two bodies are, and whether one is a reprint of the other (symmetric)."""
    sa, sb = a.shingles, b.shingles
    inter = len(sa & sb)
    union = len(sa) + len(sb) - inter
    jac = inter / union if union else 0.0
    small, large = sorted((len(sa), len(sb)))
    cont = inter / small if small else 0.0
    ratio = small / large if large else 0.0
    wc = _contain(a.words, b.words)
    fc = _contain(a.figures, b.figures) if min(len(a.figures), len(b.figures)) >= FIGURES_MIN else None

    def verdict(ok: bool, reason: str) -> Similarity:
        return Similarity(jac, cont, ratio, wc, fc, ok, reason)

    if a.hash == b.hash and a.exact_ok:
        return verdict(True, "same normalised body")
    if not (a.near_ok and b.near_ok):
        return verdict(False, "body too short to compare")
    if jac >= JACCARD_MIN:
        why = f"jaccard {jac:.2f}"
    elif cont >= CONTAINMENT_MIN and ratio >= SIZE_RATIO_MIN:
        why = f"containment {cont:.2f} at size ratio {ratio:.2f}"
    else:
        return verdict(False, f"different text (jaccard {jac:.2f}, containment {cont:.2f}, size ratio {ratio:.2f})")
    if fc is not None and fc < wc - FIGURES_LAG_MAX:
        return verdict(False, f"same wording, different figures (figures {fc:.2f} vs wording {wc:.2f} in common)")
    return verdict(True, why)
