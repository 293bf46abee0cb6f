"""Verdicts of ``newsmon sources check``: does a discovery endpoint work, and if not, why.

Pure: a status, the bytes and what the discovery parsing found, in; one word
out. The markers of block and challenge pages are data in verdict_patterns.
"""

from __future__ import annotations

import re

from crawler.discovery import verdict_patterns as P
from newsmon.extract.charset import decode

VERDICTS = ("ok", "drifted", "empty", "blocked", "needs-javascript", "unreachable")
# Which verdict a source gets when its discoveries disagree: the first that occurs.
SEVERITY = ("unreachable", "blocked", "needs-javascript", "empty", "drifted", "ok")
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S | re.I)


def page_verdict(status: int, body: bytes, found, header_charset: str | None = None,
                 javascript: bool = False, auto: bool = False) -> tuple[str, str]:
    """(verdict, reason) of one discovery response; ``found`` is crawler.discovery.entries.Found."""
    text = ""
    if body:
        text, _ = decode(body[:300_000], header_charset)
    if status in P.BLOCKED_STATUS or (status >= 400 and P.CHALLENGE.search(text)):
        return "blocked", f"HTTP {status}" + (" (a WAF or challenge page)" if P.CHALLENGE.search(text) else "")
    if status >= 400:
        return "unreachable", f"HTTP {status}"
    if found.entries or found.children:
        if found.drifted:
            return "drifted", (f"the configured selector or article_pattern found nothing; "
                               f"the {found.how} fallback found {len(found.entries)} link(s)")
        return "ok", ""
    if P.CHALLENGE.search(text) and len(_TAGS.sub("", text).strip()) < 2000:
        return "blocked", "a WAF or JavaScript challenge page"
    visible = len(re.sub(r"\s+", "", _TAGS.sub("", text)))
    scripted = "<script" in text.lower()
    if P.NEEDS_SCRIPT.search(text) or (scripted and visible < P.SHELL_TEXT) or javascript:
        why = "configured javascript: true; checked without a browser" if javascript else \
            "the page is built by JavaScript (no links in its HTML)"
        return "needs-javascript", why
    if auto:
        return "empty", ("the front page declares no feed and has no list of articles (a crawl also tries "
                         "robots.txt's sitemaps and the common feed and sitemap addresses)")
    return "empty", "the page answered but announced no article"


def source_verdict(verdicts: list[str]) -> str:
    """One verdict for a source: ok only when every discovery is ok."""
    if not verdicts:
        return "empty"
    for verdict in SEVERITY:
        if verdict in verdicts:
            return verdict
    return "empty"
