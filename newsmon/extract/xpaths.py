"""Tag lists, class/id patterns and <meta> keys the extractor uses, kept as data apart from the logic.

Order matters in the tuples of keys: earlier entries win. Per-site overrides
(a source's ``selectors:`` in config/sources.yaml) beat all of these.
"""

# Elements that never hold article text; dropped before anything else. Not <form>: ASP.NET sites wrap whole pages in one.
DROP_TAGS = ("script", "style", "noscript", "iframe", "button", "select", "textarea", "svg",
             "canvas", "template", "object", "embed", "audio", "video", "input", "link", "meta")
# Page chrome by tag name.
STRUCTURAL_NOISE_TAGS = frozenset({"nav", "footer", "aside", "header"})
# Tags that end a paragraph when the body is turned into text.
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "pre", "tr", "table", "ul", "ol", "center", "dd", "dt", "dl", "figure",
                        "figcaption", "br", "hr", "main", "tbody", "caption"})
# Elements scored as paragraphs when looking for the body.
PARAGRAPH_TAGS = ("p", "div", "td", "section", "article", "span", "font", "pre", "blockquote")
CONTAINER_TAGS = frozenset({"div", "td", "section", "article", "blockquote"})
# A container with one of these children is not a paragraph itself (<br> does not count).
NESTED_BLOCK_TAGS = BLOCK_TAGS - {"br", "hr"}

# class/id fragments of page chrome: navigation, share bars, related lists, footers, comments.
NOISE_CLASS_PATTERN = (
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|copyright|share|sharebar|bshare|social|related|relate|"
    r"recommend|tuijian|xgxw|xgwz|hot|rank|paihang|sidebar|side|aside|breadcrumb|crumb|position|location|"
    r"comment|comments|pinglun|advert|ads?|banner|topbar|toolbar|login|search|subscribe|qrcode|ewm|erweima|"
    r"pagination|pager|page-?nav|tags?|keywords?|editor-?info|more-?news|list-?news|news-?list)(?:$|[\s_-]|\d)"
    r"|isAd\b|adbox|ad_box|guanggao"
)
# class/id of elements that hold the outlet or account name next to the date.
SOURCE_CLASS_PATTERN = (
    r"(?:^|[\s_-])(?:source|src|source-?name|media-?name|account|author-?name|user-?name|nickname|js_name|"
    r"weibo_user|jgname|from|ly|wemedia)(?:$|[\s_-]|\d)"
)

# <meta> keys (name, property or itemprop, lower-cased), first present wins.
TITLE_META = ("og:title", "articletitle", "twitter:title", "title")
# Headline candidates: these tags, and any element with one of TITLE_CLASS_WORDS in its class or id.
TITLE_TAGS = frozenset({"h1", "h2", "h3"})
TITLE_CLASS_WORDS = ("title", "heading", "headline")
# Without <title> or og:title to agree with: an element classed as a headline (<div class="Heading">) after <h1>.
HEADLINE_CLASS_PATTERN = r"(?:^|[\s_-])(?:heading|headline)(?:$|[\s_-])"

DATE_META = ("article:published_time", "datepublished", "pubdate", "publishdate", "firstpublishedtime",
             "publish_time", "og:release_date", "og:time", "apub:time", "datecreated", "dateupdate")
SOURCE_META = ("source", "contentsource")
AUTHOR_META = ("og:article:author", "author")
# Pagination after the headline in <title>: "标题(页 1)", "标题（第2页）".
TITLE_PAGE_SUFFIX = r"\s*[(（]\s*(?:第\s*\d+\s*页|页\s*\d+)\s*[)）]\s*$"
# Site-name suffixes in <title>: "标题--时政--人民网", "标题_新华网", "标题 - 中国政府网".
TITLE_SPLIT = r"\s*(?:--|__|_|\s[-|–—]\s|-(?=[^-]{2,12}$)|｜(?=[^｜]{2,20}$)|\|(?=[^|]{0,40}$))\s*"
