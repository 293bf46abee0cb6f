"""extract(): raw response bytes + URL -> Extraction. Orchestrates the steps; each lives in its own module.

decode (charset) -> parse & read <head> (dom) -> per-site selectors -> drop chrome
-> measure once (dom) -> body element (body) -> headline (title) -> byline and
credit zones around them (zones) -> date (published), outlet, authors ->
trimmed paragraphs (body).
``extract`` never raises: empty, binary, huge or list-only pages come back
with empty fields and a ``reason``.
"""

from __future__ import annotations

import re

from newsmon.extract import authors as authors_mod
from newsmon.extract import body as body_mod
from newsmon.extract import dates, outlet, published, zones
from newsmon.extract import selectors as sel_mod
from newsmon.extract import title as title_mod
from newsmon.extract.charset import decode
from newsmon.extract.dom import measure, parse, read_head, strip_chrome
from newsmon.extract.model import Extraction
from newsmon.extract.patterns import CJK, TITLE_LABEL

MAX_BYTES = 8 * 1024 * 1024      # larger responses are not article pages
NO_BODY = "no article body found (a list page, an index or an empty page)"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"Rar!", b"\x7fELF",
                 b"ID3", b"OggS", b"RIFF", b"\x00\x00\x01\x00", b"wOFF", b"\xd0\xcf\x11\xe0")
_NAMES_SPLIT = re.compile(r"[\s、，,;；/&|]+")
_LABEL = re.compile(r"^.*?[:：]")     # "责任编辑：张三、李四" -> "张三、李四"
_PRIMARY_LANG = re.compile(r"^([A-Za-z]{2,3})")


def extract(body: bytes, url: str = "", *, header_charset: str | None = None, selectors: dict | None = None) -> Extraction:
    """Extract one article from raw response bytes. Never raises."""
    try:
        return _extract(body or b"", url or "", header_charset, selectors or {})
    except Exception as exc:  # a page must never abort a crawl
        return Extraction(reason=f"extraction failed: {type(exc).__name__}: {exc}")


_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def looks_binary(body: bytes) -> bool:
    """A file format, not a page: known magic numbers, or control bytes in more than 2% of the start.

    A stray NUL in a page, or UTF-16 text with its byte-order mark, is text.
    """
    head = body[:4096]
    if head.startswith(_TEXT_BOMS):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return head.startswith(_BINARY_MAGIC) or controls > len(head) // 50


def _extract(body: bytes, url: str, header_charset, selectors: dict) -> Extraction:
    if not body.strip():
        return Extraction(reason="empty page")
    if looks_binary(body):
        return Extraction(reason="not an HTML page (binary content)")
    if len(body) > MAX_BYTES:
        return Extraction(reason=f"page too large ({len(body) / 1048576:.1f} MB; limit {MAX_BYTES // 1048576} MB)")
    text, encoding = decode(body, header_charset)
    tree = parse(text)
    if tree is None:
        return Extraction(encoding=encoding, reason="no HTML document in the page")
    head = read_head(tree)
    links = {"canonical": head["canonical"], "og_url": head["og_url"]}
    chosen = {key: sel_mod.text(tree, selectors.get(key)) for key in ("title", "date", "outlet", "author")}
    strip_chrome(tree)
    if tree.find("body") is None:
        return Extraction(encoding=encoding, lang=_lang(head, ""), reason="no <body> in the page", **links)
    page = measure(tree)
    page.head = head
    if not page.nodes:
        return Extraction(encoding=encoding, lang=_lang(head, ""), reason="the page has no text", **links)

    body_els = sel_mod.elements(tree, selectors.get("body"))
    body_els = [el for el in body_els if el in page.index]
    if not body_els:
        found = body_mod.choose(page)
        body_els = [found] if found is not None else []
    if not body_els:
        return Extraction(encoding=encoding, lang=_lang(head, ""), reason=NO_BODY, **links)
    lines = [line for el in body_els for line in body_mod.paragraphs(page, el)]

    title, title_at = title_mod.find(page)
    if not title:
        title, title_at = title_mod.above_byline(page, body_mod.prose_start(page, body_els[0]))
    if not title:
        title, title_at = title_mod.first_heading(page)
    title = chosen["title"] or TITLE_LABEL.sub("", title) or title_mod.fallback(page)
    before, header, tail = zones.zones(page, title_at, body_els[0])

    out = Extraction(title=title, encoding=encoding, **links)
    found = None
    if chosen["date"]:
        found = dates.parse_date(chosen["date"]) or dates.parse_short(chosen["date"], None)
    found = found or published.find_date(page, before, header, tail, url, [ln for ln in lines[-5:] if len(ln) <= 40], lines)
    if found:
        out.published_at, out.published_precision = found
    out.outlet = chosen["outlet"] or outlet.find_outlet(page, before, header, tail, title, lines[-3:])
    if chosen["author"]:
        out.authors = [n for n in _NAMES_SPLIT.split(_LABEL.sub("", chosen["author"])) if n]
    else:
        out.authors = authors_mod.find_authors(page, header, tail, lines, body_els[0])
    kept = body_mod.trim(lines, title, {n.text for n in header})
    if body_mod.is_list(kept):
        return Extraction(encoding=encoding, lang=_lang(head, title), reason=NO_BODY, **links)
    out.content = "\n".join(kept)
    out.lang = _lang(head, title + out.content[:500])
    return out


def _lang(head: dict, sample: str) -> str:
    declared = _PRIMARY_LANG.match(head.get("lang", "") or "")
    if CJK.search(sample):
        return "zh"
    return declared.group(1).lower() if declared else ""
