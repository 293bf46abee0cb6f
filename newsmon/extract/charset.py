"""Decode page bytes: the bytes decide, declarations only break ties.

Chinese sites often declare gb2312 while serving UTF-8 (or the reverse), and
GBK/GB2312 pages use characters outside GB2312, so the GB family is always
decoded as GB18030 (a superset of both). Invalid byte runs become U+FFFD
instead of aborting the page.
"""

from __future__ import annotations

import codecs
import re

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "gb_2312", "csgb2312", "euc-cn", "cp936", "ms936",
              "windows-936", "hz-gb-2312", "x-euc-cn", "chinese"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_ASCII = bytes(range(0x80))
SAMPLE = 200_000          # bytes looked at when the encoding is in doubt
UTF8_BAD_RATIO = 0.01     # broken UTF-8 sequences per non-ASCII byte still read as UTF-8


def normalise_name(name: str | None) -> str | None:
    """Python codec name for a declared charset, GB family mapped to gb18030."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in ("gb2312", "gbk", "hz") else codec


def declared_charset(body: bytes, header: str | None = None) -> str | None:
    """The charset the server or the page claims (HTTP header first, then meta / XML decl)."""
    if header:
        got = normalise_name(header)
        if got:
            return got
    head = body[:4096]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return normalise_name(m.group(1).decode("ascii", "ignore")) if m else None


def _bad_ratio(sample: bytes, codec: str) -> float:
    try:
        text = sample.decode(codec, errors="replace")
    except LookupError:
        return 1.0
    return text.count("\ufffd") / max(1, len(text))


# A well-formed multi-byte UTF-8 sequence: GB bytes rarely line up into one by chance.
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
UTF8_SEQ_PER_BAD = 8      # valid sequences per broken one that still make a page UTF-8


def _mostly_utf8(sample: bytes, bad: int) -> bool:
    """A small UTF-8 page with a few stray bytes (a GBK snippet pasted in) is still UTF-8."""
    return len(_UTF8_SEQ.findall(sample)) >= UTF8_SEQ_PER_BAD * max(bad, 1)


def decode(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises; invalid runs become U+FFFD."""
    if not body:
        return "", "utf-8"
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec.replace("-sig", "")
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken runs (truncated downloads, a GBK snippet pasted in):
    # GB18030 would decode such bytes "cleanly" into nonsense, so UTF-8 is tested first.
    sample = body[:SAMPLE]
    non_ascii = len(sample.translate(None, _ASCII)) or 1
    utf8_bad = sample.decode("utf-8", errors="replace").count("\ufffd")
    if utf8_bad / non_ascii < UTF8_BAD_RATIO or _mostly_utf8(sample, utf8_bad):
        return body.decode("utf-8", errors="replace"), "utf-8"
    declared = declared_charset(body, header_charset)
    candidates = [c for c in (declared, "gb18030") if c and c not in ("utf-8", "ascii")]
    best, best_ratio = "gb18030", 1.0
    for codec in dict.fromkeys(candidates):
        ratio = _bad_ratio(sample, codec)
        if ratio < best_ratio:
            best, best_ratio = codec, ratio
        if ratio == 0:
            break
    if best_ratio > 0.02:
        try:
            from charset_normalizer import from_bytes

            guess = from_bytes(sample).best()
            if guess and guess.encoding:
                codec = normalise_name(guess.encoding) or guess.encoding
                if _bad_ratio(sample, codec) < best_ratio:
                    best = codec
        except Exception:  # a detector failure must not lose the page
            pass
    return body.decode(best, errors="replace"), best
