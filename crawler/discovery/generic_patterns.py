"""Rules of the generic article-link detector (crawler/discovery/generic.py), as data.

Everything here describes a *kind* of page (Chinese news, government and portal
list pages), never one site: the URL shapes CMSs give articles, the words of
navigation, paging and account links, and how long a headline is. Tune these,
not the detector's logic.
"""

from __future__ import annotations

import re

# Article URL shapes of Chinese CMSs and news sites (a bonus, never a requirement).
ARTICLE_URL = re.compile("|".join([
    r"/t\d{8}_\d+\.s?html?",                  # TRS WCM: /201908/t20190809_123.html
    r"content_\d+\.s?html?",                  # gov.cn, xinhua: content_123.htm
    r"/n\d?/\d{4}/\d{4}/c\d+-\d+\.html",      # people.com.cn: /n1/2020/0321/c1004-123.html
    r"c_\d+\.s?html?",                        # news.cn: c_1125.htm
    r"art_\d+_\d+\.html",                     # Hanweb: /art/2024/5/20/art_1229_123.html
    r"/\d{4}-\d{2}/\d{2}/",                   # dated paths /2020-03/21/
    r"/\d{4}/\d{1,2}/\d{1,2}/",               # /2020/3/21/
    r"/\d{4}/\d{4}/",                         # /2020/0321/
    r"/\d{6}/t",                              # /202003/t…
    r"/\d{6,8}/[^/]*\d{3,}[^/]*$",            # /20200709/12323944.shtml, /202004/…_3226.pdf
    r"/\d{2}/\d{4}/\d{2}/[0-9A-Z]{12,}\.html",  # 163: /20/0704/20/FGNHO51U0001899O.html
    r"/(?:omn|a|article|articles|detail|details|news|doc|docs|info|show|view|p|thread|question|answer)/"
    r"[^?#]*\d{4,}",
    r"thread-\d+",                            # forums (Discuz)
    r"(?:tid|aid|docid|articleid|newsid|contentid|id)=\d{3,}",
    r"[/_-]\d{5,}\.s?html?$",                 # …/12345.html, …_12345.shtml
    r"/\d{6,}/?$",                            # …/6401593389
    r"\.(?:pdf|docx?|xlsx?|wps)$",            # documents (公告 PDFs of disclosure lists)
]), re.I)

# URLs that are never articles: channel/index pages, paging, accounts, media files, tools.
NOT_ARTICLE_URL = re.compile("|".join([
    r"^[a-z]+://[^/]+/?$",                     # a site's front page
    r"/(?:index|default|list|more)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$",
    r"[?&](?:page|pageno|pagenum|pn|p)=\d+",
    r"(?:login|logon|signin|sign-in|register|signup|passport|logout|reg\.)",
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|mp3|mp4|css|js|exe|apk|zip|rar)$",
    r"/(?:search|tag|tags|author|user|users|people|member|ch|channel|column|topic|topics|special|zt)/?$",
    r"/(?:author|user|u|member|people|space)/[^/]+/?$",   # profile pages
]), re.I)

# Link texts of navigation, paging, account and boilerplate links (whole text).
NAV_TEXT = re.compile(r"^(?:" + "|".join([
    r"首\s*页", r"上一?页", r"下一?页", r"尾\s*页", r"末\s*页", r"前一?页", r"后一?页", r"第?\s*\d+\s*页?",
    r"更多\S{0,6}", r"more", r"查看更多", r"进入\S{0,6}", r"返回\S{0,6}", r"登\s*录", r"注\s*册", r"退出",
    r"关于我们", r"联系我们", r"网站地图", r"网站导航", r"版权\S*", r"隐私\S*", r"免责\S*", r"法律声明",
    r"English", r"繁體", r"繁体", r"无障碍\S*", r"设为首页", r"加入收藏", r"[«»›‹<>…\.]+", r"\d+",
    r"打印\S{0,4}", r"关闭\S{0,4}", r"分享\S{0,6}", r"收藏", r"评论\S{0,4}", r"点赞", r"举报\S{0,4}",
    r"全部\S{0,4}", r"下载\S{0,4}", r"详情", r"详细", r"阅读全文", r"查看全文", r"展开\S{0,4}",
]) + r")$", re.I)

# Elements whose links are never the main list (HTML5 page furniture, forms, scripts).
FURNITURE_TAGS = frozenset({"nav", "footer", "header", "aside", "select", "button", "noscript",
                            "script", "style", "template", "iframe", "marquee"})

# A form is a search or login box, unless it holds at least this many links: ASP.NET pages wrap the
# whole page in one form, forum software wraps its thread table in a moderation form.
FORM_LIST_LINKS = 10

# Portal channel boxes: a family spread over several small blocks (fewer than SMALL_BLOCK items each
# on average) whose blocks lead to different sections (hosts) is a home page's boxes, one per
# channel, not one list split over blocks; it counts only its blocks of the family's main section.
SMALL_BLOCK = 6

# Elements that can be list items (what repeats inside the list's container).
ITEM_TAGS = frozenset({"li", "tr", "tbody", "dd", "dt", "dl", "div", "p", "article", "section", "td", "h2", "h3",
                       "h4", "h5", "span", "em", "strong", "b", "font", "table", "ul", "ol", "a", "figure"})

# Headline length, in characters of text (CJK counts one, a Latin word about one).
MIN_TITLE = 5
GOOD_TITLE = 10
MAX_TITLE = 120

# A list: at least this many items in one family of repeated elements.
MIN_ITEMS = 3

# An item's text beyond its headline (a summary) may be long; a block whose text is
# longer than this many characters per link is prose, not a list.
MAX_TEXT_PER_LINK = 400
