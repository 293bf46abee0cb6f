"""The shipped config/sources.yaml: structural rules the schema cannot see, checked on the real file.

The loader already refuses unknown keys, bad selectors and regexes, a discovery URL
outside ``allowed_domains`` and duplicate names. These tests catch the mistakes that
still load: a city dropped from coverage, two discoveries that are the same request
(they would share one listing state and the duplicate filter drops the second's
pages), a page template or API link on a host the crawl never admits, a pattern that
no longer matches the article URLs its notes cite, an entry without its evidence.
No network; the whole file is read once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from crawler.listings import listing_key
from newsmon import config
from newsmon.config.settings import PROJECT_ROOT

EVIDENCE = PROJECT_ROOT / "benchmarks" / "data" / "sources_evidence.tsv"

MIN_ENABLED = 110
# Places users read about (issue 14): each needs an enabled source of its own.
# (field, value): the source's city, or words of its title for new areas and the free-trade port.
CHECKLIST = {
    "深圳": ("city", "深圳"), "广州": ("city", "广州"), "杭州": ("city", "杭州"), "南京": ("city", "南京"),
    "成都": ("city", "成都"), "武汉": ("city", "武汉"), "西安": ("city", "西安"), "青岛": ("city", "青岛"),
    "厦门": ("city", "厦门"), "宁波": ("city", "宁波"), "大连": ("city", "大连"), "沈阳": ("city", "沈阳"),
    "长春": ("city", "长春"), "哈尔滨": ("city", "哈尔滨"), "济南": ("city", "济南"), "苏州": ("city", "苏州"),
    "重庆两江新区": ("title", "两江新区"), "雄安新区": ("city", "雄安新区"), "海南自由贸易港": ("title", "海南自由贸易港"),
    "衡水": ("city", "衡水"), "娄底": ("city", "娄底"), "焦作": ("city", "焦作"), "北京市海淀区": ("title", "海淀区"),
}
# Registrable suffixes: as an allowed domain they would admit every portal or company site.
TOO_BROAD = {"cn", "com", "net", "org", "info", "gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn"}
# "Article form(s) …" sentences in notes cite the article URLs a pattern must accept.
ARTICLE_SENTENCE = re.compile(r"[Aa]rticle (?:URL )?forms?\b(.*?)(?:\.\s|\.$|$)")
ARTICLE_URL = re.compile(r"^(?:https?://[^/\s]+|(?:[a-z0-9-]+\.)+(?:cn|com|info|net))?/\S*\.s?html?$", re.I)


@pytest.fixture(scope="module")
def sources():
    return config.sources(config.get_settings())


def within(host: str, domains) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def cited_articles(source) -> list[str]:
    """Concrete article URLs cited in the notes (placeholders such as <32 hex> or … are skipped)."""
    out = []
    for sentence in ARTICLE_SENTENCE.finditer(" ".join(source.notes.split())):
        for token in sentence.group(1).split():
            token = token.strip("(),;'\"").rstrip(".")
            if "…" in token or "<" in token or ">" in token or not ARTICLE_URL.match(token):
                continue
            if token.startswith("/"):
                token = "https://" + source.allowed_domains[0] + token
            out.append(token if token.startswith("http") else "https://" + token)
    return out


def test_enough_enabled_sources(sources):
    # `scrapy list` names disabled sources too, so the coverage figure counts enabled ones.
    enabled = [s for s in sources if s.enabled]
    assert len(enabled) >= MIN_ENABLED, f"only {len(enabled)} enabled sources"


@pytest.mark.parametrize("place", sorted(CHECKLIST))
def test_every_checklist_place_has_an_enabled_source(sources, place):
    field, value = CHECKLIST[place]
    found = [s.name for s in sources if s.enabled and s.kind == "gov" and s.level != "central"
             and value in (getattr(s, field) or "")]
    assert found, f"no enabled source covers {place}"


def test_local_sources_say_where_they_are(sources):
    for s in sources:
        if s.level != "central":
            assert s.province, f"{s.name}: a {s.level} source needs province"
        if s.level in ("city", "district"):
            assert s.city, f"{s.name}: a {s.level} source needs city"


def test_allowed_domains_are_hosts_not_suffixes(sources):
    for s in sources:
        broad = [d for d in s.allowed_domains if d in TOO_BROAD]
        assert not broad, f"{s.name}: allowed_domains {broad} would admit every site under it"


def test_paged_discoveries_are_requests_of_their_own(sources):
    # Two entries reading different parts of one response (thepaper's sidebar) are fine read once
    # each; paged, they share one listing mark and the duplicate filter drops the second's pages.
    for s in sources:
        seen: dict[str, int] = {}
        for i, d in enumerate(s.discovery):
            key = listing_key(s.name, d, None)
            if key in seen:
                pair = (s.discovery[seen[key]], d)
                assert all(x.opt("max_pages") <= 1 for x in pair), \
                    f"{s.name}: discovery[{seen[key]}] and [{i}] are the same request and paged"
            seen.setdefault(key, i)


def test_page_templates_and_api_links_stay_within_allowed_domains(sources):
    for s in sources:
        for i, d in enumerate(s.discovery):
            for what in ("pages", "link_template"):
                template = getattr(d, what, None)
                if template and template.startswith("http"):
                    host = urlsplit(re.sub(r"\{[^}]*\}", "", template)).hostname or ""
                    assert within(host, s.allowed_domains), \
                        f"{s.name}: discovery[{i}].{what} host {host} is outside allowed_domains (dropped as off-site)"


def test_cited_article_urls_match_the_pattern_and_the_domains(sources):
    checked = 0
    for s in sources:
        for url in cited_articles(s):
            checked += 1
            assert within(urlsplit(url).hostname or "", s.allowed_domains), \
                f"{s.name}: cited article {url} is outside allowed_domains"
            if s.article_pattern:
                assert re.search(s.article_pattern, url), f"{s.name}: article_pattern does not match cited {url}"
    assert checked >= 40  # the notes do cite examples; a parser that finds none would check nothing


def test_every_source_keeps_its_evidence(sources):
    for s in sources:
        assert len(s.notes) >= 80, f"{s.name}: notes must say where the structure comes from"
        if not s.enabled:
            assert s.notes.startswith("DISABLED"), f"{s.name}: a disabled source's notes start with DISABLED and why"


def test_every_source_has_one_evidence_row_with_a_confidence():
    rows = [line.split("\t") for line in EVIDENCE.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    names = [r[0] for r in rows]
    assert all(len(r) == 4 and r[3].split()[0] in ("high", "medium", "low") for r in rows), "name, evidence, established, confidence"
    assert len(names) == len(set(names)), "a source has two evidence rows"
    configured = {s.name for s in config.sources(config.get_settings())}
    assert configured == set(names), f"no row: {sorted(configured - set(names))}; no source: {sorted(set(names) - configured)}"
