"""Generic article extraction with optional per-site selectors (first version)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

import lxml.html
from lxml import etree

from crawler.extract import xpaths
from crawler.extract.charset import decode
from crawler.extract.dates import LABELLED, date_from_url, parse_date

MAX_BYTES = 8 * 1024 * 1024  # beyond this only the head is parsed
_NOISE = re.compile(xpaths.NOISE_CLASS_PATTERN, re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[，。！？；：、“”（）《》]")
_WS = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
_TITLE_SPLIT = re.compile(xpaths.TITLE_SPLIT)
_SOURCE_RE = re.compile(r"来源\s*[:：]\s*([^\s|｜/，,　<>]{2,30})")
_AUTHOR_RE = re.compile(r"(?:作者|记者|文|撰文|通讯员)\s*[:：]?\s*((?:[\u4e00-\u9fff·]{2,4}[\s、，,]*){1,4})")
_EDITOR_RE = re.compile(r"[（(]?\s*责任编辑\s*[:：]\s*([\u4e00-\u9fff·、，,\s]{2,20})[)）]?|[（(]\s*责编\s*[:：]\s*([^）)]{2,30})[)）]")
_TAIL_NOISE = re.compile(r"^(?:[（(]?\s*责任编辑|[（(]\s*责编|分享到|扫一扫|打印本页|关闭窗口|【我要纠错】|版权所有|Copyright|©)", re.I)
BLOCK_TAGS = {"p", "div", "section", "article", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table", "ul", "ol", "center", "dd", "dt"}


@dataclass
class Extraction:
    title: str = ""
    published_at: dt.datetime | None = None
    published_precision: str | None = None
    source: str = ""
    authors: list[str] = field(default_factory=list)
    content: str = ""
    lang: str = "zh"
    encoding: str = ""
    reason: str | None = None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["published_at"] = self.published_at.isoformat() if self.published_at else None
        return d


def _clean(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def _first(tree, exprs) -> str:
    for expr in exprs:
        for value in tree.xpath(expr):
            value = _clean(str(value))
            if value:
                return value
    return ""


def _looks_binary(body: bytes) -> bool:
    head = body[:2048]
    return head.count(b"\x00") > 8 or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04"))


def extract(body: bytes, url: str = "", *, header_charset: str | None = None, selectors: dict | None = None) -> Extraction:
    """Extract one article from raw response bytes. Never raises."""
    try:
        return _extract(body or b"", url, header_charset, selectors or {})
    except Exception as exc:  # a page must never abort a crawl
        return Extraction(reason=f"extraction failed: {type(exc).__name__}: {exc}")


def _extract(body: bytes, url: str, header_charset, selectors) -> Extraction:
    if not body.strip():
        return Extraction(reason="empty page")
    if _looks_binary(body):
        return Extraction(reason="not an HTML page (binary content)")
    if len(body) > MAX_BYTES:
        body = body[:MAX_BYTES]
    text, encoding = decode(body, header_charset)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return Extraction(encoding=encoding, reason="no HTML document in the page")
    out = Extraction(encoding=encoding)
    lang = _first(tree, ["/html/@lang", "//meta[@http-equiv='Content-Language']/@content"])
    out.lang = "zh" if not lang or lang.lower().startswith("zh") or _CJK.search(text[:5000]) else lang.split("-")[0].lower()

    out.title = _by_selector(tree, selectors.get("title")) or _title(tree)
    for bad in tree.xpath("//" + "|//".join(xpaths.DROP_TAGS)):
        bad.drop_tree()
    body_el = _by_selector_el(tree, selectors.get("body")) or _body_element(tree)
    out.content = _paragraphs(body_el) if body_el is not None else ""
    page_text = _clean(" ".join(tree.xpath("//body//text()")))[:20000]
    head_text = _head_text(tree, out.title, page_text)

    date = None
    sel_date = _by_selector(tree, selectors.get("date"))
    if sel_date:
        date = parse_date(sel_date)
    if not date:
        date = parse_date(_first(tree, xpaths.DATE_META))
    if not date:
        m = LABELLED.search(head_text)
        date = parse_date(head_text[m.end():m.end() + 40]) if m else None
    if not date:
        date = parse_date(head_text)
    if not date:
        date = date_from_url(url)
    if date:
        out.published_at, out.published_precision = date

    source = _by_selector(tree, selectors.get("source")) or _first(tree, xpaths.SOURCE_META)
    m = _SOURCE_RE.search(source) or _SOURCE_RE.search(head_text)
    out.source = m.group(1) if m else (source if source and len(source) <= 30 else "")
    out.authors = _authors(head_text, page_text)
    out.content = _strip_tail(out.content)
    if not out.content:
        out.reason = "no article body found (a list page or an empty page?)"
    return out


def _by_selector_el(tree, expr):
    if not expr:
        return None
    found = tree.cssselect(expr) if not expr.startswith(("/", "(")) else tree.xpath(expr)
    return found[0] if found else None


def _by_selector(tree, expr) -> str:
    el = _by_selector_el(tree, expr)
    if el is None:
        return ""
    return _clean(el if isinstance(el, str) else el.text_content())


def _title(tree) -> str:
    page_title = _clean(" ".join(tree.xpath("//title//text()")))
    meta = _first(tree, xpaths.TITLE_META)
    head = _TITLE_SPLIT.split(page_title)[0] if page_title else ""
    for h in tree.xpath("//h1|//h2|//*[contains(@class,'title')]"):
        text = _clean(h.text_content())
        if 4 <= len(text) <= 120 and (text in page_title or (head and head in text) or (meta and text == meta)):
            return text
    return meta or head or page_title


def _link_density(el) -> float:
    total = len(_clean(el.text_content())) or 1
    links = sum(len(_clean(a.text_content())) for a in el.iter("a"))
    return links / total


def _is_noise(el) -> bool:
    if el.tag in xpaths.STRUCTURAL_NOISE_TAGS:
        return True
    attrs = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(attrs.strip()) and bool(_NOISE.search(attrs))


def _body_element(tree):
    """The element whose paragraphs carry the most prose (readability-style scoring)."""
    scores: dict = {}
    for el in tree.iter("p", "div", "td", "section", "article", "span", "font"):
        if el.tag in ("div", "td", "section", "article") and any(c.tag in BLOCK_TAGS for c in el):
            continue  # only leaf-ish blocks carry their own score
        text = _clean(el.text_content())
        if len(text) < 20 or not _CJK.search(text):
            continue
        if _link_density(el) > 0.5:
            continue
        score = len(_PUNCT.findall(text)) * 3 + min(len(text), 600) / 10
        parent = el.getparent()
        if parent is None:
            continue
        for anc, share in ((parent, 1.0), (parent.getparent(), 0.4)):
            if anc is None or anc.tag in ("body", "html"):
                continue
            scores[anc] = scores.get(anc, 0) + score * share
    best, best_score = None, 0.0
    for el, score in scores.items():
        if any(_is_noise(a) for a in el.iterancestors()) or _is_noise(el):
            score *= 0.2
        score *= 1 - min(0.9, _link_density(el))
        if score > best_score:
            best, best_score = el, score
    return best


def _paragraphs(el) -> str:
    lines: list[str] = []
    for node in _blocks(el):
        text = _clean(node)
        if text:
            lines.append(text)
    return "\n".join(lines)


def _blocks(el):
    """Paragraph texts of el in document order; <br> and block tags split paragraphs."""
    buf: list[str] = []

    def flush():
        if buf:
            yield "".join(buf)
            buf.clear()

    def walk(node):
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                buf.append(node.tail)
            return
        if _is_noise(node) and node is not el:
            if node.tail:
                buf.append(node.tail)
            return
        block = node.tag in BLOCK_TAGS or node.tag == "br"
        if block:
            yield from flush()
        if node.tag == "a" and _link_density(node.getparent()) > 0.6 and node.getparent() is not el:
            pass
        if node.text and node.tag != "br":
            buf.append(node.text)
        for child in node:
            yield from walk(child)
        if block:
            yield from flush()
        if node.tail and node is not el:
            buf.append(node.tail)

    yield from walk(el)
    yield from flush()


def _strip_tail(content: str) -> str:
    lines = content.split("\n")
    while lines and (_TAIL_NOISE.search(lines[-1]) or len(lines[-1]) < 2):
        lines.pop()
    return "\n".join(line for line in lines if not _TAIL_NOISE.search(line))


def _head_text(tree, title: str, page_text: str) -> str:
    """Text right after the title, where the date / 来源 / 作者 line usually sits."""
    if title:
        pos = page_text.find(title[:20])
        if pos >= 0:
            return page_text[pos + len(title[:20]): pos + 400]
    return page_text[:400]


def _authors(head_text: str, page_text: str) -> list[str]:
    names: list[str] = []
    m = _AUTHOR_RE.search(head_text)
    if m:
        names += [n for n in re.split(r"[\s、，,]+", m.group(1)) if 2 <= len(n) <= 4]
    for m in _EDITOR_RE.finditer(page_text[-3000:]):
        names += [n for n in re.split(r"[\s、，,]+", m.group(1) or m.group(2) or "") if 2 <= len(n) <= 4]
    return list(dict.fromkeys(names))
