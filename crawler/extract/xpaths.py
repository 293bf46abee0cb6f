"""Expressions the extractor uses, kept as data apart from the logic.

Order matters: earlier entries win. Per-site overrides in config/sources.yaml
(``selectors:``) take precedence over all of these.
"""

# Elements that never hold article text.
DROP_TAGS = ["script", "style", "noscript", "iframe", "form", "button", "select", "textarea", "svg", "canvas", "template"]
STRUCTURAL_NOISE_TAGS = ["nav", "footer", "aside", "header"]

# class/id fragments of page chrome: navigation, share bars, related lists, footers.
NOISE_CLASS_PATTERN = (
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|copyright|share|sharebar|bshare|social|related|relate|"
    r"recommend|tuijian|xgxw|xgwz|hot|rank|paihang|sidebar|side|aside|breadcrumb|crumb|position|location|"
    r"comment|pinglun|advert|ads?|banner|topbar|toolbar|login|search|subscribe|qrcode|ewm|erweima|"
    r"pagination|pager|page-?nav|tags?|keywords?|editor-?info)(?:$|[\s_-]|\d)"
)

TITLE_META = [
    "//meta[@property='og:title']/@content",
    "//meta[@name='ArticleTitle']/@content",
    "//meta[@name='title']/@content",
]
DATE_META = [
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='PubDate']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publishdate']/@content",
    "//meta[@name='firstpublishedtime']/@content",
    "//meta[@name='publish_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='og:release_date']/@content",
]
SOURCE_META = [
    "//meta[@name='source']/@content",
    "//meta[@name='ContentSource']/@content",
    "//meta[@property='article:author']/@content",
]
AUTHOR_META = [
    "//meta[@name='author']/@content",
    "//meta[@name='Author']/@content",
]
# Site-name suffixes in <title>: "标题--时政--人民网", "标题_新华网", "标题 - 中国政府网".
TITLE_SPLIT = r"\s*(?:--|_|\s[-|–—]\s|｜|\|)\s*"
