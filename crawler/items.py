"""The article item: every field a spider or pipeline stage may set, in one place.

Fields are grouped by the stage that fills them; the store writes the item as the
article document (README.md documents the stored schema field by field).
"""

import scrapy
from scrapy import Field


class ArticleItem(scrapy.Item):
    # --- set by the spider -------------------------------------------------
    url = Field()                  # canonical URL (normalize stage), unique in the store
    fetched_url = Field()          # the URL the page was fetched from, after redirects
    canonical_link = Field()       # the page's <link rel="canonical"> (absolute), if any
    source = Field()               # source name in config/sources.yaml (= spider name)
    source_title = Field()         # human name of the source, e.g. 人民网
    kind = Field()                 # gov / media
    source_level = Field()         # central / provincial / city: who runs the site
    source_province = Field()      # province of the site, if any
    discovered_via = Field()       # rss / sitemap / list / search / manual
    listed_title = Field()         # title as the feed or list page gave it
    listed_date = Field()          # date as the feed or list page gave it (aware datetime)
    url_from = Field()             # how the URL was chosen: fetched / --url / rel=canonical / og:url / file
    frontier_key = Field()         # the canonical URL its listing announced (storage/frontier.py); not stored
    # --- set by extraction (crawler/articles.py) -------------------------------
    title = Field()
    published_at = Field()         # timezone-aware datetime
    published_precision = Field()  # day / minute / second
    outlet = Field()               # the publishing outlet (来源 line), e.g. 新华社
    authors = Field()              # list of names (作者 / 记者 / 责任编辑)
    content = Field()              # body text, paragraphs separated by newlines
    lang = Field()
    encoding = Field()
    extract_reason = Field()       # why extraction came back empty, if it did
    truncated = Field()            # what was cut to the NEWSMON_MAX_CONTENT_CHARS, _TOKENS, _MENTIONS limits: content / tokens / mentions
    # --- set by pipeline stages --------------------------------------------
    matched_terms = Field()        # {term: count} of config/keywords.yaml terms (mention filter)
    content_hash = Field()         # sha1 of the folded body (dedupe stage; exact duplicates)
    first_seen = Field()           # when newsmon first stored it (UTC)
    run_id = Field()               # crawl run that stored it
    # --- dedupe stage (newsmon/dedupe, newsmon/storage/reprints.py) ---------
    article_id = Field()           # the _id a new article gets
    dedupe = Field()               # fingerprint summary for the band index (+ pending during an outage)
    duplicate_of = Field()         # canonical article's _id (str) when this is a duplicate
    duplicate_kind = Field()       # url / exact / near
    store_outcome = Field()        # stored / merged / duplicate / spilled (set by the store stage)
    reprint_count = Field()        # on the canonical article: number of reprints merged into it
    also_at = Field()              # on the canonical article: [{url, source, published_at, first_seen, …}]
    # --- segment + label stages (newsmon.text; rules and gazetteer in config/text/) ---
    tokens = Field()               # jieba tokens of title and body (domain dictionary applied)
    top_words = Field()            # the article's top words by TF-IDF
    category = Field()             # policy / application / voice / other
    level = Field()                # central / provincial / city / district: who acts
    province = Field()             # short name (北京, 内蒙古 …) where the action takes place
    city = Field()
    district = Field()
    region = Field()               # 华北 东北 华东 华中 华南 西南 西北
    organizations = Field()        # canonical full names
    people = Field()               # names with titles
    domains = Field()              # application domains (政务服务, 供应链金融 …)
    technologies = Field()         # co-mentioned technologies (人工智能, 大数据 …)
    doc_number = Field()           # 文号 of a government document, e.g. 国办发〔2019〕39号
    doc_type = Field()             # 意见 / 通知 / 办法 / 规划 …
    relevance = Field()            # 0..1: about blockchain (1) vs a passing mention in a list
    mentions = Field()             # sentences that mention blockchain terms
    evidence = Field()             # {label: [matched terms or sentences]} behind each label
