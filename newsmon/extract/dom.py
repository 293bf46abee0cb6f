"""Parse a page once and measure it once: text and link lengths per element, noise flags, text nodes in order.

Every later step (title, body, byline) reads these tables instead of calling
``text_content()`` on subtrees, so the whole extraction stays linear in the
size of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from newsmon.extract import xpaths
from newsmon.extract.patterns import CJK, PUNCT

_NOISE = re.compile(xpaths.NOISE_CLASS_PATTERN, re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
HIDDEN_MAX_TEXT = 500   # hidden blocks larger than this may be a body shown by script (WeChat): kept


def clean(text: str | None) -> str:
    """Collapse every kind of whitespace (incl. U+3000 and nbsp) to one space."""
    if not text:
        return ""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


@dataclass
class Node:
    """One non-blank text node, in document order."""

    text: str          # whitespace-collapsed
    owner: object      # the element the text belongs to
    pos: float         # document-order key, comparable with Page.span()


@dataclass
class Page:
    tree: object                                  # the parsed document (chrome already dropped)
    head: dict = field(default_factory=dict)      # <title>, metas, lang, JSON-LD, script text: read before cleaning
    elements: list = field(default_factory=list)  # pre-order
    index: dict = field(default_factory=dict)     # element -> pre-order index
    last: list = field(default_factory=list)      # pre-order index -> index of its last descendant
    depth: list = field(default_factory=list)     # nesting depth under <body>
    text_len: list = field(default_factory=list)  # non-space characters under each element
    link_len: list = field(default_factory=list)  # of which inside <a>
    punct: list = field(default_factory=list)     # Chinese/Latin sentence punctuation under each element
    cjk: list = field(default_factory=list)       # Han characters under each element
    noisy: list = field(default_factory=list)     # element or an ancestor is page chrome
    own_noise: list = field(default_factory=list) # the element itself is page chrome
    own_len: list = field(default_factory=list)   # characters directly in the element (text + children's tails)
    own_punct: list = field(default_factory=list)
    title_candidates: list = field(default_factory=list)  # h1-h3 and elements with "title" & co. in class/id
    nodes: list = field(default_factory=list)     # [Node]

    def span(self, el) -> tuple[float, float]:
        """Document-order range covered by el and its descendants (their tails included, el's own tail not)."""
        i = self.index[el]
        return float(i), self.last[i] + 0.5 + 0.4 / (self.depth[i] + 1.5)


# huge_tree: libxml2 otherwise stops at 256 levels of nesting and loses the rest of the page
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)


def parse(text: str):
    """lxml document (plain etree elements: lxml.html's per-element class lookup costs a third of
    the run time) or None when the text holds no HTML document."""
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")  # lxml refuses a string holding NUL
    if not text.strip():
        return None
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def text_of(el) -> str:
    """All text under el (etree's version of lxml.html's text_content)."""
    return "".join(el.itertext())


def drop(el) -> None:
    """Remove el but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def read_head(tree) -> dict:
    """What must be read before scripts and metas are dropped: one pass over <meta>, <title>, <script>."""
    metas: dict[str, str] = {}
    for m in tree.iter("meta"):
        content = clean(m.get("content"))
        if not content:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = (m.get(attr) or "").strip().lower()
            if key:
                metas.setdefault(key, content)
    title_el = tree.find(".//title")
    jsonld, scripts = [], []
    for s in tree.iter("script"):
        if not s.text or len(s.text) > 300_000:
            continue
        if (s.get("type") or "").lower() == "application/ld+json":
            jsonld.append(s.text)
        scripts.append(s.text)
    canonical = next((clean(link.get("href")) for link in tree.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split() and clean(link.get("href"))), "")
    pick = lambda keys: next((metas[k] for k in keys if metas.get(k)), "")  # noqa: E731
    return {"title": clean(text_of(title_el)) if title_el is not None else "",
            "canonical": canonical, "og_url": metas.get("og:url", ""),
            "lang": (tree.get("lang") or metas.get("content-language") or "").strip(),
            "jsonld": jsonld, "scripts": "\n".join(scripts),
            "meta_title": pick(xpaths.TITLE_META), "meta_date": pick(xpaths.DATE_META),
            "meta_source": pick(xpaths.SOURCE_META), "meta_author": pick(xpaths.AUTHOR_META)}


def strip_chrome(tree) -> None:
    """Drop scripts, styles, forms, comments and hidden elements: nothing there is article text."""
    etree.strip_elements(tree, *xpaths.DROP_TAGS, with_tail=False)
    for el in tree.xpath("//*[@style][contains(@style,'none')]"):
        if _HIDDEN.search(el.get("style", "")) and el.getparent() is not None and len(text_of(el)) < HIDDEN_MAX_TEXT:
            drop(el)


def measure(tree) -> Page:
    """One walk over <body>: parents from a stack, text and link totals summed on the way back up,
    text nodes recorded in document order. No getparent() or XPath per element."""
    page = Page(tree=tree)
    root = tree.find("body")
    if root is None:
        root = tree
    elements, index, parent_of, last, own, depth = [], {}, [], [], [], []
    text_len, link_len, punct, cjk = [], [], [], []
    noisy, own_noise, candidates, nodes = [], [], [], []
    stack: list[int] = []
    search_noise, title_tags = _NOISE.search, xpaths.TITLE_TAGS
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            i = len(elements)
            p = stack[-1] if stack else -1
            elements.append(el)
            index[el] = i
            parent_of.append(p)
            last.append(i)
            depth.append(len(stack))
            cls, ident = el.get("class"), el.get("id")
            attrs = f"{cls or ''} {ident or ''}" if (cls is not None or ident is not None) else ""
            mine = el.tag in xpaths.STRUCTURAL_NOISE_TAGS or (bool(attrs) and search_noise(attrs) is not None)
            own_noise.append(mine)
            noisy.append(mine or (p >= 0 and noisy[p]))
            if el.tag in title_tags or (attrs and any(w in attrs.lower() for w in xpaths.TITLE_CLASS_WORDS)):
                candidates.append(i)
            text = el.text or ""
            own.append(text)
            if text and not text.isspace():
                nodes.append(Node(clean(text), el, i + 0.25))
            text_len.append(0), link_len.append(0), punct.append(0), cjk.append(0)
            stack.append(i)
            continue
        i = stack.pop()
        last[i] = len(elements) - 1
        text = own[i]
        if text and not text.isspace():
            squeezed = "".join(text.split())
            n, pu, cj = len(squeezed), len(PUNCT.findall(squeezed)), len(CJK.findall(squeezed))
        else:
            n = pu = cj = 0
        text_len[i] += n
        punct[i] += pu
        cjk[i] += cj
        own[i] = (n, pu)
        if el.tag == "a":
            link_len[i] = text_len[i]
        if stack:
            p = stack[-1]
            text_len[p] += text_len[i]
            link_len[p] += link_len[i]
            punct[p] += punct[i]
            cjk[p] += cjk[i]
            tail = el.tail
            if tail:
                own[p] += tail
                if not tail.isspace():
                    # after el's subtree; deeper tails first, so a tail is inside its parent's span only
                    nodes.append(Node(clean(tail), elements[p], last[i] + 0.5 + 0.4 / (depth[i] + 1)))
    page.elements, page.index, page.last, page.depth = elements, index, last, depth
    page.text_len, page.link_len, page.punct, page.cjk = text_len, link_len, punct, cjk
    page.noisy, page.own_noise, page.nodes = noisy, own_noise, nodes
    page.own_len = [o[0] for o in own]
    page.own_punct = [o[1] for o in own]
    page.title_candidates = [elements[i] for i in candidates]
    return page
