"""Where the byline and the credits are: text nodes around the headline and after the body.

Only these zones are read for dates, outlets and names, so a date in a sidebar or
a name in a related-article list never wins over the article's own.
"""

from __future__ import annotations

from newsmon.extract.dom import Node, Page
from newsmon.extract.patterns import EDGE_NOISE, LIST_HEADING, PARAGRAPH_LIKE

HEADER_NODES = 60        # text nodes read after the headline (a link counts a fifth)
HEADER_SCAN = 300        # nodes looked at after the headline or the body, menus included
BEFORE_NODES = 8         # text nodes read before the headline (breadcrumb bylines)
TAIL_NODES = 25          # text nodes read after the body (editor lines)
BEFORE_BODY_NODES = 12   # without a headline: text nodes right above the body taken as the byline
BODY_LEAD_NODES = 8      # … and at most this many short lines opening the body


def _list_heading(n: Node) -> bool:
    """A heading such as 相关报道 or 网友评论 (a link with that text is a byline's action, not a heading)."""
    return n.owner.tag != "a" and LIST_HEADING.match(n.text) is not None


def zones(page: Page, title_at, body_el) -> tuple[list[Node], list[Node], list[Node]]:
    """(nodes just before the headline, byline nodes after it, credit nodes after the body).

    title_at is (start, end) document positions of the headline text, or None.
    """
    nodes = page.nodes
    before: list[Node] = []
    header: list[Node] = []
    tail: list[Node] = []
    b_start, b_end = page.span(body_el) if body_el is not None and body_el in page.index else (-1.0, -1.0)
    if title_at is not None:
        t_start, t_end = title_at
        k = next((i for i, n in enumerate(nodes) if n.pos > t_end), len(nodes))
        j = next((i for i, n in enumerate(nodes) if n.pos >= t_start), k)
        before = nodes[max(0, j - BEFORE_NODES):j]
        budget = float(HEADER_NODES)
        for n in nodes[k:k + HEADER_SCAN]:
            if len(n.text) > 60 and PARAGRAPH_LIKE.search(n.text):
                break   # the first paragraph
            if b_start <= n.pos <= b_end and len(n.text) >= 20 and PARAGRAPH_LIKE.search(n.text):
                break   # a short first paragraph of the body
            if _list_heading(n):
                break   # 相关报道, 网友评论: other articles' and comments' dates follow
            header.append(n)
            budget -= 0.2 if n.owner.tag == "a" else 1.0
            if budget <= 0:
                break
    elif b_start >= 0:
        # no headline found: the byline is usually the short lines right above the body, or the body's
        # own first short lines before its first paragraph
        j = next((i for i, n in enumerate(nodes) if n.pos >= b_start), len(nodes))
        header = [n for n in nodes[max(0, j - BEFORE_BODY_NODES):j] if not page.noisy[page.index.get(n.owner, 0)]]
        for n in nodes[j:j + BODY_LEAD_NODES]:
            if n.pos > b_end or (len(n.text) >= 20 and PARAGRAPH_LIKE.search(n.text)) or _list_heading(n):
                break
            header.append(n)
    if b_end >= 0:
        k = next((i for i, n in enumerate(nodes) if n.pos > b_end), len(nodes))
        budget = float(TAIL_NODES)
        for n in nodes[k:k + HEADER_SCAN]:
            if len(n.text) > 60 and PARAGRAPH_LIKE.search(n.text) and not EDGE_NOISE.search(n.text):
                break   # prose again: a related article or a comment, not credits
            if _list_heading(n):
                break
            tail.append(n)
            budget -= 0.2 if n.owner.tag == "a" else 1.0
            if budget <= 0:
                break
    return before, header, tail
