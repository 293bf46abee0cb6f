"""Character shingles, a MinHash signature and its LSH bands (pure functions, stable across processes).

* Shingles: every run of ``SHINGLE`` consecutive characters of the folded body
  (CJK characters, letters, digits), hashed with CRC-32. Character shingles need
  no dictionary and treat a Chinese text the same whatever a segmenter thinks.
* Signature: one-permutation MinHash (Li, Owen & Zhang 2012): each shingle is
  mixed once and lands in one of ``BINS`` bins, and the bin keeps its smallest
  value; empty bins borrow from the next non-empty bin (rotation densification,
  Shrivastava & Li 2014). The share of bins two signatures agree on estimates the
  Jaccard similarity of their shingle sets. One pass over the shingles, so a long
  article costs a millisecond or two.
* Bands: the ``BINS`` values are cut into ``BANDS`` bands of ``ROWS`` values; two
  articles share a band key with probability about J**ROWS per band, so
  1 - (1 - J**ROWS)**BANDS is the chance a near duplicate is found as a
  candidate at all (0.73 at J=0.5, 0.94 at J=0.6, 0.99 at J=0.7 for 20 x 4),
  while unrelated articles (J of a few percent) almost never share a key.

Every value here is stored in MongoDB: changing SHINGLE, BINS, BANDS, ROWS or the
mixing means re-indexing stored articles (``SCHEME`` names the current one).
"""

from __future__ import annotations

import hashlib
import struct
import zlib

SHINGLE = 5
BANDS = 20
ROWS = 4
BINS = BANDS * ROWS
SCHEME = f"oph{BINS}-k{SHINGLE}-b{BANDS}x{ROWS}"

_MASK64 = (1 << 64) - 1
_MUL = 0x9E3779B97F4A7C15
_SALT = 0x5BD1E9955BD1E995
_EMPTY = 1 << 40  # larger than any stored value
_OFFSET = 0x1000193  # added per step when an empty bin borrows from a later one


def shingles(folded: str, k: int = SHINGLE) -> set[int]:
    """CRC-32 of every k-character run (the whole string when it is shorter)."""
    if not folded:
        return set()
    data = folded
    if len(data) <= k:
        return {zlib.crc32(data.encode("utf-8"))}
    return {zlib.crc32(data[i:i + k].encode("utf-8")) for i in range(len(data) - k + 1)}


def signature(hashes: set[int] | list[int], bins: int = BINS) -> list[int]:
    """One-permutation MinHash of a set of 32-bit hashes: ``bins`` values < 2**32 (empty set: [])."""
    if not hashes:
        return []
    mins = [_EMPTY] * bins
    for h in hashes:
        v = ((h ^ _SALT) * _MUL) & _MASK64
        v ^= v >> 29
        b = v % bins
        val = (v >> 24) & 0xFFFFFFFF
        if val < mins[b]:
            mins[b] = val
    # rotation densification: an empty bin takes the next non-empty bin's value, shifted by the distance
    if _EMPTY in mins:
        out = list(mins)
        for i in range(bins):
            if mins[i] == _EMPTY:
                for step in range(1, bins):
                    j = (i + step) % bins
                    if mins[j] != _EMPTY:
                        out[i] = (mins[j] + step * _OFFSET) & 0xFFFFFFFF
                        break
        return out
    return mins


def band_keys(sig: list[int], bands: int = BANDS, rows: int = ROWS) -> list[str]:
    """One short hex key per band (empty signature: no keys)."""
    if not sig:
        return []
    keys = []
    for b in range(bands):
        chunk = struct.pack(f"<{rows}I", *sig[b * rows:(b + 1) * rows])
        keys.append(hashlib.blake2b(chunk, digest_size=6, person=b"newsmon-lsh").hexdigest())
    return keys


def estimate(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity: the share of bins on which two signatures agree."""
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    return sum(1 for x, y in zip(sig_a, sig_b) if x == y) / len(sig_a)
