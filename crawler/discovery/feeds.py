"""RSS 2.0 / RSS 1.0 / Atom feeds, in whatever encoding the site serves them."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from lxml import etree

from crawler.discovery import Entry
from newsmon.extract.charset import decode
from newsmon.extract.dates import SHANGHAI, parse_date

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_date_any(text: str | None) -> dt.datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom) or a Chinese date; naive means Asia/Shanghai."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    except (TypeError, ValueError, IndexError):
        pass
    got = parse_date(text)
    return got[0] if got else None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, *names: str) -> str:
    for child in el:
        if _local(child.tag) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
            href = child.get("href")
            if href:
                return href.strip()
    return ""


def parse_xml(body: bytes, header_charset: str | None = None):
    """Parse XML from bytes: decode by the bytes first, then drop the stale declaration."""
    text, _ = decode(body, header_charset)
    text = _XML_DECL.sub("", text, count=1)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(text.encode("utf-8"), parser)
    return root


def parse_feed(body: bytes, header_charset: str | None = None) -> list[Entry]:
    """Entries of an RSS or Atom feed; an unparseable feed gives []."""
    try:
        root = parse_xml(body, header_charset)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        link = _child_text(el, "link", "guid")
        if name == "entry":
            for child in el:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    link = child.get("href").strip()
                    break
        if not link.startswith(("http://", "https://")):
            continue
        date = parse_date_any(_child_text(el, "pubdate", "published", "updated", "date", "issued"))
        entries.append(Entry(link, _child_text(el, "title"), date))
    return entries
