"""The article body: the container whose own paragraphs carry the most prose.

Readability-style: every paragraph-like block with Chinese prose scores its
parent (and, less, its grandparent) by punctuation and length; chrome
(nav, share bars, related lists, comments) counts for little. The winner is
turned into text one paragraph per line, skipping link lists inside it, and
credit lines (责任编辑 …) and furniture at its edges are cut.
"""

from __future__ import annotations

from newsmon.extract import xpaths
from newsmon.extract.dom import Page, clean
from newsmon.extract.patterns import AD_LINE, CREDIT_LINE, DATE_LINE, EDGE_NOISE, LIST_LINE, PARAGRAPH_LIKE

MIN_BLOCK = 20            # characters of a block that counts as a paragraph
MAX_LINK_DENSITY = 0.5    # blocks more linked than this are lists, not prose
LIST_LINK_DENSITY = 0.6   # sub-blocks of the body more linked than this are skipped
MIN_PROSE = 40            # non-link characters below which a page has no article body
MIN_PUNCT = 2
CREDIT_MAX = 60           # a credit line is short
MIN_CONTENT = 50          # characters of body text below which the page is not an article
LIST_MIN_LINES = 5        # dated lines that make a body a list of links
LIST_SHARE = 0.4


def choose(page: Page):
    """The element holding the article body, or None (list pages, empty pages)."""
    scores: dict[int, float] = {}
    elements, index = page.elements, page.index
    for i, el in enumerate(elements):
        if el.tag not in xpaths.PARAGRAPH_TAGS:
            continue
        if el.tag in xpaths.CONTAINER_TAGS and any(isinstance(c.tag, str) and c.tag in xpaths.NESTED_BLOCK_TAGS for c in el):
            # a container scores only the text written directly in it ("text<br>text<div><img></div>text")
            length, punct = page.own_len[i], page.own_punct[i]
            if length < MIN_BLOCK * 5 or punct < 3:
                continue
            targets = (el, el.getparent())
        else:
            length, punct = page.text_len[i], page.punct[i]
            if length < MIN_BLOCK or not page.cjk[i]:
                continue
            if page.link_len[i] / length > MAX_LINK_DENSITY:
                continue
            parent = el.getparent()
            targets = (parent, parent.getparent() if parent is not None else None)
        score = punct * 3 + min(length, 600) / 10
        for anc, share in zip(targets, (1.0, 0.4)):
            if anc is None or anc.tag in ("body", "html"):
                continue
            j = index.get(anc)
            if j is not None:
                scores[j] = scores.get(j, 0.0) + score * share
    best, best_score = None, 0.0
    for j, score in scores.items():
        if page.noisy[j]:
            score *= 0.2
        density = page.link_len[j] / page.text_len[j] if page.text_len[j] else 1.0
        score *= 1 - min(0.9, density)
        if score > best_score:
            best, best_score = elements[j], score
    if best is None:
        return None
    j = index[best]
    if page.text_len[j] - page.link_len[j] < MIN_PROSE or page.punct[j] < MIN_PUNCT:
        return None
    return best


def prose_start(page: Page, el) -> float:
    """Document position of the first prose paragraph inside el (its end when it has none)."""
    start, end = page.span(el)
    return next((n.pos for n in page.nodes if start <= n.pos <= end and len(n.text) >= MIN_BLOCK
                 and PARAGRAPH_LIKE.search(n.text)), end)


def paragraphs(page: Page, el) -> list[str]:
    """Text of el, one entry per paragraph, in document order; <br> and block tags split paragraphs."""
    lines: list[str] = []
    buf: list[str] = []

    def flush():
        if buf:
            text = clean("".join(buf))
            if text:
                lines.append(text)
            buf.clear()

    stack = [(el, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if node.tag in xpaths.BLOCK_TAGS:
                flush()
            if node is not el and node.tail:
                buf.append(node.tail)
            continue
        if not isinstance(node.tag, str):
            if node.tail:
                buf.append(node.tail)
            continue
        if node is not el:
            i = page.index.get(node)
            if i is not None and _skip(page, i, node):
                if node.tail:
                    buf.append(node.tail)
                continue
        if node.tag in xpaths.BLOCK_TAGS:
            flush()
        if node.text:
            buf.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return lines


def _skip(page: Page, i: int, node) -> bool:
    """Chrome inside the body: noisy blocks and link lists."""
    if page.own_noise[i]:
        return True
    if node.tag in xpaths.BLOCK_TAGS and node.tag != "br" and page.text_len[i] >= 4:
        return page.link_len[i] / page.text_len[i] > LIST_LINK_DENSITY
    return False


def trim(lines: list[str], title: str, byline_texts: set[str]) -> list[str]:
    """Cut title/byline repeats and furniture at the edges, and credit, date and ad lines anywhere."""
    plain_title = "".join(title.split())
    out = [ln for ln in lines if not (len(ln) <= CREDIT_MAX and (CREDIT_LINE.search(ln) or DATE_LINE.match(ln)
                                                                   or AD_LINE.search(ln) or EDGE_NOISE.search(ln)))]
    while out and ("".join(out[0].split()) == plain_title or EDGE_NOISE.search(out[0])
                   or (out[0] in byline_texts and not PARAGRAPH_LIKE.search(out[0]))):
        out.pop(0)
    while out and (EDGE_NOISE.search(out[-1]) or len(out[-1]) < 2 or out[-1] in byline_texts):
        out.pop()
    return out


def is_list(lines: list[str]) -> bool:
    """Too little text to be an article, or mostly dated one-line entries (an index page)."""
    total = sum(len(ln) for ln in lines)
    if total < MIN_CONTENT:
        return True
    dated = sum(1 for ln in lines if len(ln) <= 80 and LIST_LINE.search(ln))
    return dated >= LIST_MIN_LINES and dated >= LIST_SHARE * len(lines)
