"""Generic article-link detection: the main list of a list page, without a selector.

Used when a source's configured selector (and its ``article_pattern``) find
nothing because the site changed its template. Pure and fast: an lxml tree in,
entries out, no network, no config. The rules (URL shapes, navigation words,
headline lengths) are data in :mod:`crawler.discovery.generic_patterns`.

How it finds the list, in four steps:

1. **candidates**: every link outside page furniture (nav, footer, search
   and login forms …; a form holding many links wraps a page or a table)
   whose text could be a headline and whose URL is not a channel, paging or
   account page;
2. **families**: links whose element paths from the root are the same (tag,
   plus the classes of containers that do not repeat; a repeated element's
   classes vary item by item — odd/even, active — and are ignored) are one
   family: the rows of one list, even when it is split over several blocks;
3. **items**: inside a family, the level at which links stop sharing
   ancestors is the list item (``li``, ``tr``, a card ``div``); one link per
   item is kept (the one shaped like an article URL, else the longest text),
   and differently built items of the same container join in (a photo row in a
   text list);
4. **score**: the family with the most headline-like, article-shaped, dated
   items wins; sidebars and navigation lose on size, text length and dates, a
   portal's channel boxes (many small blocks, each leading to another host)
   count only the blocks of their main section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from crawler.discovery import Entry
from crawler.discovery import generic_patterns as P
from newsmon.extract.dates import date_from_url, parse_date

_WS = re.compile(r"\s+")


@dataclass
class _Link:
    a: object
    url: str
    text: str
    path: tuple
    good: bool
    shaped: bool


def _text(el) -> str:
    return _WS.sub(" ", el.text_content()).strip()


def _title_of(a) -> str:
    text = _text(a)
    if len(text) < P.MIN_TITLE:
        alt = (a.get("title") or "").strip()
        if not alt:
            img = next(a.iter("img"), None)
            alt = (img.get("alt") or "").strip() if img is not None else ""
        if len(alt) > len(text):
            text = _WS.sub(" ", alt)
    return text


def _length(text: str) -> int:
    """Headline length: CJK characters count one each, a Latin word one."""
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    words = len(re.findall(r"[A-Za-z0-9]+", text))
    return cjk + words


class _Paths:
    """Element paths from the root, with each level's key computed once."""

    def __init__(self):
        self.keys: dict = {}
        self.counts: dict = {}

    def key(self, el) -> str:
        got = self.keys.get(el)
        if got is None:
            parent = el.getparent()
            repeated = False
            if parent is not None:
                counts = self.counts.get(parent)
                if counts is None:
                    counts = {}
                    for child in parent:
                        if isinstance(child.tag, str):
                            counts[child.tag] = counts.get(child.tag, 0) + 1
                    self.counts[parent] = counts
                repeated = counts.get(el.tag, 0) >= P.MIN_ITEMS
            classes = "" if repeated else ".".join(sorted((el.get("class") or "").split()))
            got = f"{el.tag}.{classes}" if classes else el.tag
            self.keys[el] = got
        return got

    def path(self, el) -> tuple:
        out = []
        node = el
        while node is not None and isinstance(node.tag, str):
            if node.tag != "tbody":  # saved browser DOMs insert tbody, servers often do not
                out.append(self.key(node))
            node = node.getparent()
        return tuple(reversed(out))


def _furniture(a, forms: dict) -> bool:
    for node in a.iterancestors():
        if node.tag in P.FURNITURE_TAGS:
            return True
        if node.tag == "form":
            small = forms.get(node)
            if small is None:
                small = forms[node] = sum(1 for _ in node.iter("a")) < P.FORM_LIST_LINKS
            if small:
                return True
    return False


def candidates(tree, base_url: str, paths: _Paths | None = None) -> list[_Link]:
    """Every link that could belong to a list, with its path and whether it reads like a headline."""
    paths = paths or _Paths()
    base = base_url.split("#", 1)[0]
    out = []
    forms: dict = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not url.startswith(("http://", "https://")) or url == base or _furniture(a, forms):
            continue
        text = _title_of(a)
        n = _length(text)
        good = (P.MIN_TITLE <= n <= P.MAX_TITLE and not P.NAV_TEXT.match(text)
                and not P.NOT_ARTICLE_URL.search(url))
        out.append(_Link(a, url, text, paths.path(a), good, bool(P.ARTICLE_URL.search(url))))
    return out


def _ancestors(el) -> list:
    """el and its ancestors, root last."""
    return [el, *el.iterancestors()]


def _item_level(links: list[_Link]) -> int:
    """How many levels above the link its list item is (0: the link itself)."""
    n = len(links)
    chains = [_ancestors(x.a) for x in links]
    depth = min(len(c) for c in chains)
    best = 0
    for level in range(1, depth):
        distinct = len({id(c[level]) for c in chains})
        if distinct >= 0.45 * n and distinct >= P.MIN_ITEMS:
            best = level
        else:
            break
    return best


def _better(x: _Link, y: _Link) -> bool:
    """Is x the item's headline rather than y (article-shaped URL first, then the longer text)?"""
    return (x.shaped, _length(x.text)) > (y.shaped, _length(y.text))


def _family_items(family: list[_Link], all_links: list[_Link]) -> list[tuple[object, _Link]]:
    """(item element, its headline link) of a family, plus same-container items built differently."""
    level = _item_level(family)
    items: dict = {}
    order = []
    for x in family:
        item = _ancestors(x.a)[level]
        if item not in items:
            items[item] = x
            order.append(item)
        elif _better(x, items[item]):
            items[item] = x
    containers = {}
    for item in order:
        parent = item.getparent()
        if parent is not None:
            containers.setdefault(parent, set()).add(item.tag)
    # differently built items of the same containers (a photo row in a text list)
    for x in all_links:
        if not x.good:
            continue
        for node in _ancestors(x.a)[:level + 4]:
            parent = node.getparent()
            if parent in containers and node.tag in containers[parent]:
                if node not in items:
                    items[node] = x
                    order.append(node)
                break
    position = {id(x.a): i for i, x in enumerate(all_links)}
    return sorted(((item, items[item]) for item in order), key=lambda pair: position[id(pair[1].a)])


def _item_date(item):
    text = _text(item)
    if len(text) > P.MAX_TEXT_PER_LINK:
        return None
    got = parse_date(text)
    return got[0] if got else None


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def _one_section(pairs: list[tuple[object, _Link]]) -> list[tuple[object, _Link]]:
    """Portal channel boxes (many small blocks, each leading to its own section) keep only their blocks
    of the main section; a list split over blocks, or over big blocks, is left whole."""
    blocks: dict = {}
    for item, x in pairs:
        blocks.setdefault(item.getparent(), []).append(x)
    if len(blocks) < P.MIN_ITEMS or len(pairs) >= P.SMALL_BLOCK * len(blocks):
        return pairs
    section = {}
    for block, links in blocks.items():
        hosts = [_host(x.url) for x in links]
        section[block] = max(set(hosts), key=hosts.count)
    counts = list(section.values())
    main = max(set(counts), key=counts.count)
    return [(item, x) for item, x in pairs if section[item.getparent()] == main]


def _score(pairs: list[tuple[object, _Link]]) -> float:
    pairs = _one_section(pairs)
    urls = {x.url for _, x in pairs}
    n = len(urls)
    if n < P.MIN_ITEMS:
        return 0.0
    title = sum(min(_length(x.text), 30) / 30 for _, x in pairs) / len(pairs)
    shaped = sum(x.shaped for _, x in pairs) / len(pairs)
    dated = sum(_item_date(item) is not None for item, _ in pairs[:50]) / min(len(pairs), 50)
    long_titles = sum(_length(x.text) >= P.GOOD_TITLE for _, x in pairs) / len(pairs)
    return n * (0.2 + title) * (0.4 + shaped) * (1 + 0.5 * dated) * (0.5 + long_titles)


def _tags(path: tuple) -> tuple:
    return tuple(key.split(".", 1)[0] for key in path)


def _kin(best: list[_Link], families: dict, paths: _Paths) -> list[_Link]:
    """The best family plus families of the same shape in the same kind of container.

    Cells of a list's first rows often carry a class of their own (a top-three
    highlight), and some blocks of one list lack a column: their links differ
    from the rest only below the container, so they are the same list.
    """
    level = _item_level(best)
    container = _ancestors(best[0].a)[level].getparent()
    if container is None:
        return best
    prefix = paths.path(container)
    shape = _tags(best[0].path)
    out = list(best)
    for path, family in families.items():
        if path != best[0].path and _tags(path) == shape and path[:len(prefix)] == prefix:
            out.extend(family)
    return out


def detect(tree, base_url: str) -> list[Entry]:
    """The entries of the page's main list (how="generic"), in page order; [] when there is none."""
    if tree is None:
        return []
    paths = _Paths()
    links = candidates(tree, base_url, paths)
    families: dict[tuple, list[_Link]] = {}
    for x in links:
        if x.good:
            families.setdefault(x.path, []).append(x)
    best, best_family, best_score = None, None, 0.0
    for family in families.values():
        if len({x.url for x in family}) < P.MIN_ITEMS:
            continue
        pairs = _family_items(family, links)
        score = _score(pairs)
        if score > best_score:
            best, best_family, best_score = pairs, family, score
    if not best:
        return []
    kin = _kin(best_family, families, paths)
    if len(kin) > len(best_family):
        position = {id(x.a): i for i, x in enumerate(links)}
        best = _family_items(sorted(kin, key=lambda x: position[id(x.a)]), links)
    out, seen = [], set()
    for item, x in best:
        if x.url in seen:
            continue
        seen.add(x.url)
        date = _item_date(item)
        if date is None:
            got = date_from_url(x.url)
            date = got[0] if got else None
        out.append(Entry(x.url, x.text, date, how="generic"))
    return out
