"""Normalise an article body for duplicate detection.

Reprints of one story differ in what surrounds it, not in the story: another
site's chrome that leaked into the extracted body (share bars, breadcrumbs,
"扫一扫"), a 来源 / 责任编辑 / 编辑 line, image captions, full-width or
half-width punctuation, paragraph breaks. ``body_lines`` drops those lines and
``fold`` keeps only the letters, digits and CJK characters of what is left, so
two copies of one story fold to (nearly) the same string.

Traditional and simplified characters are left as they are: a story converted
from one script to the other is a translation, not a copy.
"""

from __future__ import annotations

import re
import unicodedata

# Lines that are the page's or the reprinter's furniture, not the story.
_META_LABELS = (
    r"来源|来源于|本文来源|文章来源|稿件来源|信息来源|新闻来源|转自|转载自|原文链接|原文地址|原标题|"
    r"责任编辑|责编|编辑|主编|值班编辑|审核|审校|校对|终审|初审|复审|监制|制作|策划|统筹|签发|出品|"
    r"作者|撰文|文|记者|通讯员|实习生|摄影|摄像|图片|图片来源|图源|题图|供图|视频|视频来源|字号|浏览|阅读|"
    r"发布时间|发布日期|发布|时间|日期|更新时间|点击|点击数|访问量|分享|分享到|关键词|标签|相关阅读|相关新闻|延伸阅读|"
    r"热点推荐|推荐阅读|版权声明|免责声明|声明|打印|纠错"
)
_META_LINE = re.compile(rf"^[\s【\[（(]*(?:{_META_LABELS})\s*[:：|｜]")
_EDITOR_PAREN = re.compile(r"[（(\[【]\s*(?:责任编辑|责编|编辑|来源|作者|记者|审核|校对|编审|原标题)\s*[:：][^）)\]】]{0,60}[）)\]】]")
_CHROME_LINE = re.compile(
    r"^(?:分享到|分享至|分享让更多人看到|扫一扫|扫描二维码|微信扫一扫|用微信扫|手机看|手机扫码|打印本页|打印|关闭窗口|关闭|返回顶部|"
    r"【我要纠错】|【纠错】|纠错|收藏|评论|字号[：:]?\s*[大中小]|[大中小]\s*[大中小]\s*[大中小]|首页\s*[>＞/›»]|当前位置|"
    r"您当前的位置|你的位置|版权所有|Copyright|©|All Rights Reserved|ICP|京ICP|网络传播视听节目许可证|"
    r"违法和不良信息举报|举报电话|下载客户端|下载APP|打开APP|APP内打开|点击进入|点击查看|点击阅读|展开全文|"
    r"阅读全文|查看原文|上一篇|下一篇|相关阅读|相关新闻|延伸阅读|推荐阅读|热点推荐|更多精彩|更多内容|"
    r"本文为.{0,20}原创|未经授权.{0,10}转载|欢迎转发|[0-9]+人参与|[0-9]+条评论|责任编辑|微信|微博|QQ空间)",
    re.I,
)
# A caption: short line saying what a picture shows, with a photographer's credit or a 图 prefix.
_CAPTION = re.compile(
    r"^(?:[▲△▼▽↑↓●◆■]\s*|图[为：:]|图\s*\d|图片[：:为]|资料图|视频截图|截图|配图|示意图|\(图\)|（图）)"
    r"|(?:[（(]\s*)?(?:新华社|中新社|人民网|人民日报|央视|本报|特约)?\s*(?:记者|通讯员)?\s*[\u4e00-\u9fff·]{0,12}\s*(?:摄|供图|/摄|拍摄)\s*[）)]?\s*$"
    r"|^[（(]?\s*(?:图片来源|图源|图片由|图/|图：)"
)
_DATE_ONLY = re.compile(
    r"^[\s\d年月日时分秒:：\-/.\sAPMapm]*$"
    r"|^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*.{0,40}?(?:来源|作者|编辑|字号|浏览|阅读|点击|发布|分享)"
)
# A "related news" box: its header, then a list of other articles' headlines.
_RELATED_HEADER = re.compile(
    r"^[【\[]?\s*(?:相关新闻|相关阅读|相关文章|相关报道|相关链接|延伸阅读|推荐阅读|热点推荐|热门推荐|猜你喜欢|更多精彩|往期回顾|往期推荐)"
    r"\s*[】\]]?\s*[:：]?\s*$"
)
_HEADLINE_MAX = 50
_SENTENCE_END = re.compile(r"[。；;]")  # headlines may end in ！ or ？, rarely hold a 。
_SPACE = re.compile(r"\s+")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the page or the reprinter, not to the story."""
    s = line.strip()
    if not s:
        return True
    if _META_LINE.match(s) and len(s) <= 80:
        return True
    if len(s) <= 60 and _CHROME_LINE.match(s):
        return True
    if len(s) <= 70 and _CAPTION.search(s):
        return True
    if len(s) <= 80 and _DATE_ONLY.match(s):
        return True
    return False


def body_lines(text: str) -> list[str]:
    """The story's lines: NFKC-folded, trimmed, furniture and inline editor credits removed."""
    out = []
    in_related = False
    for raw in nfkc(text).replace("\r", "\n").split("\n"):
        line = _SPACE.sub(" ", raw).strip()
        if _RELATED_HEADER.match(line):
            in_related = True
            continue
        if in_related:
            if not line or (len(line) <= _HEADLINE_MAX and not _SENTENCE_END.search(line)):
                continue  # another article's headline
            in_related = False
        if is_furniture(line):
            continue
        line = _EDITOR_PAREN.sub("", line).strip()
        if line:
            out.append(line)
    return out


def fold(text: str) -> str:
    """Letters, digits and CJK characters of the story only, lower-cased: the string shingles are cut from."""
    return _KEEP.sub("", "\n".join(body_lines(text)).lower())
