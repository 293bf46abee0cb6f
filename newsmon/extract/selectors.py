"""Per-site overrides: a source's ``selectors:`` (CSS, or XPath when it starts with "/" or "(").

Keys: title, date, body, source, author. A selector that matches nothing, or is
invalid, falls back to the generic extraction for that field.
"""

from __future__ import annotations

import logging

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from newsmon.extract.dom import clean, text_of

log = logging.getLogger(__name__)
KEYS = ("title", "date", "body", "outlet", "author")


def is_xpath(expr: str) -> bool:
    return expr.lstrip().startswith(("/", "("))


def select(tree, expr: str | None) -> list:
    """Elements or strings matched by expr; [] when it is empty, invalid or matches nothing."""
    if not expr or not expr.strip():
        return []
    try:
        if is_xpath(expr):
            found = tree.xpath(expr)
            return found if isinstance(found, list) else [found]
        return CSSSelector(expr)(tree)
    except (etree.XPathError, SelectorError, ValueError) as exc:
        log.warning("ignoring invalid selector %r: %s", expr, exc)
        return []


def text(tree, expr: str | None) -> str:
    """Text of everything expr matches, joined with spaces."""
    parts = []
    for item in select(tree, expr):
        value = text_of(item) if hasattr(item, "tag") else str(item)
        value = clean(value)
        if value:
            parts.append(value)
    return " ".join(parts)


def elements(tree, expr: str | None) -> list:
    return [item for item in select(tree, expr) if hasattr(item, "tag")]
