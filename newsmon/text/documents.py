"""Government documents: the document number (文号) and the document type.

文号 come from one regex (rules.yaml ``documents.number_pattern``) and are written
back in the standard form 国办发〔2019〕39号 whatever brackets the page used. The
type is the longest configured type ending the document's name: 《…指导意见》,
关于…的通知, or the name right before the number.
"""

from __future__ import annotations

import re

# where a 文号 may be: 〔2019〕39号 in any bracket style; the configured pattern then reads the issuer
_ANCHOR = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
_DOC_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_ABOUT = re.compile(r"关于[^，。；\n]{2,60}?的([\u4e00-\u9fa5]{1,6})")


def doc_number(full: str, lexicon) -> tuple[str | None, int]:
    """The first 文号 in the text, normalised, and where it starts (-1 if none)."""
    if "号" not in full:
        return None, -1
    stop = lexicon.rules["documents"].get("prefix_stop") or ""
    for anchor in _ANCHOR.finditer(full):
        m = lexicon.doc_number.search(full, max(0, anchor.start() - 12), anchor.end())
        if m is None:
            continue
        prefix = m.group(1)
        cut = max((prefix.rfind(ch) for ch in stop), default=-1)
        prefix = prefix[cut + 1:]
        if prefix:
            return f"{prefix}〔{m.group(2)}〕{m.group(3)}号", m.start()
    return None, -1


def type_of(name: str, types) -> str | None:
    """The document type a name ends with (longest match first)."""
    name = name.strip()
    for t in types:  # sorted longest first
        if name.endswith(t):
            return t
    return None


def doc_type(doc, lexicon, number_at: int, lead_end: int) -> tuple[str | None, str | None]:
    """(type, the name it came from) for the document this article is or reports on."""
    types = lexicon.doc_types
    places = []
    if number_at >= 0:  # the name usually sits on the line(s) before the number
        places.append(doc.full[max(0, number_at - 120):number_at])
    places += [doc.title, doc.full[:lead_end]]
    for text in places:
        for m in _DOC_TITLE.finditer(text):
            t = type_of(m.group(1), types)
            if t:
                return t, f"《{m.group(1)}》"
        for m in _ABOUT.finditer(text):
            t = next((t for t in types if m.group(1).startswith(t)), None)
            if t:
                return t, m.group(0)
    return None, None
