"""Drifted pages: a real page after a template change, for the drift tests and benchmark.

``drift(body)`` renames every class and id (consistently: equal names stay
equal) and rebuilds lists from div and p (ul/ol -> div, li -> p, or div when
the item holds blocks), the way redesigns break configured selectors.
"""

from __future__ import annotations

import hashlib

import lxml.html

from newsmon.extract.charset import decode

BLOCKS = {"div", "p", "ul", "ol", "table", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "form", "section", "article",
          "header", "footer", "nav", "aside", "blockquote", "pre", "figure"}


def rename(token: str, salt: str = "drift") -> str:
    """A new, consistent name for a class or id (the same token always gets the same name)."""
    return "x" + hashlib.sha1(f"{salt}:{token}".encode()).hexdigest()[:7]


def drift(body: bytes, salt: str = "drift") -> bytes:
    """The page after a template change: classes and ids renamed, lists rebuilt from div and p (UTF-8 bytes)."""
    text, _ = decode(body, None)
    tree = lxml.html.document_fromstring(text.replace("\x00", ""), parser=lxml.html.HTMLParser(huge_tree=True))
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("class"):
            el.set("class", " ".join(rename(c, salt) for c in el.get("class").split()))
        if el.get("id"):
            el.set("id", rename(el.get("id"), salt))
    for el in list(tree.iter("ul", "ol", "li")):
        if el.tag in ("ul", "ol"):
            el.tag = "div"
        else:
            holds_blocks = any(isinstance(d.tag, str) and d.tag in BLOCKS for d in el.iterdescendants())
            el.tag = "div" if holds_blocks else "p"
    for meta in tree.iter("meta"):  # the bytes are UTF-8 now
        if meta.get("charset"):
            meta.set("charset", "utf-8")
        if "charset" in (meta.get("content") or "").lower():
            meta.set("content", "text/html; charset=utf-8")
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")
