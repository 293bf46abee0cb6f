"""Regular expressions for bylines and boilerplate lines, compiled once, kept as data.

Chinese news pages put the date, 来源 and 作者 on one "byline" right under the
headline and the editor at the end; these patterns read those lines. Names are
2-4 Han characters (· allowed for minority and foreign names) or a short Latin handle.
"""

import re

CJK = re.compile(r"[\u4e00-\u9fff]")
PUNCT = re.compile(r"[，。！？；：、“”（）《》,.!?;]")

# "来源：新华网", "来源于：东区办事处", "本文来源于北京商报", "稿件来源： 河北日报", "来源 | 南方都市报"
SOURCE_LABEL = re.compile(
    r"(?:本文来源于|文章来源|稿件来源|信息来源|新闻来源|稿源|来源于|来源|出处|转载自|来自)\s*(?:[:：|｜]\s*|(?<=来源于))"
)
# Where an outlet name stops.
SOURCE_STOP = re.compile(
    r"\s{2,}|\s*(?:[|｜]|作者|编辑|责任编辑|责编|记者|时间|日期|发布|浏览|阅读|点击|字号|分享|打印|参与互动|【|】|\[|（\s*(?:记者|作者)|"
    r"(?:19|20)\d\d[-年/.]|\d{1,2}:\d\d|$)"
)
SOURCE_JUNK = re.compile(r"^(?:本站|本网|网络|互联网|未知|null|none)$|^\W+$", re.I)
# Text next to the date that is page furniture, not an outlet.
UI_TEXT = re.compile(
    r"^(?:分享|收藏|举报|打印|评论|字号|字体|放大|缩小|关注|订阅|点赞|扫一扫|返回|首页|正文|更多|纠错|下载客户端|"
    r"微信|微博|QQ空间|播报文章|语音播报|发布于|用微信|关闭|我要|独家抢先看|腾讯微博|新浪微博|人人网|豆瓣|Facebook|Twitter|Google\+|LinkedIn|"
    r"视力保护|保护视力|护眼|无障碍|长者模式|关怀版|繁体|简体|加入收藏|浏览次数|点击数|阅读数|【|\[)"
    r"|^(?:A-|A\+|大|中|小|默认|原创|阅读|浏览|来自\S{0,8}|发布于\S{0,8}|[\d,.万]+|\W*|(?:发布|更新|发表|发稿)?(?:时间|日期)[:：]?)$"
    r"|次阅读|人参与|条评论|官方账号|(?:小|大|中)字号",
    re.I,
)

# --- outlets ---
NAME_SLASH_OUTLET = re.compile(r"^([\u4e00-\u9fff]{2,4})\s*/\s*([\u4e00-\u9fff·]{2,15})$")   # "石佳/中国青年报"
TRAILING_PAREN = re.compile(r"\s*[（(\[【][^（）()\[\]【】]*[）)\]】]?\s*$")             # "Wind资讯 (www.wind.com.cn)"
NOT_OUTLET = re.compile(r"[：:#!！。？?，,；;“”]|\d{1,2}:\d\d")                            # sentences, labels, times
PARAGRAPH_LIKE = re.compile(r"[，。；！？!?]")

# --- authors ---
# Role words that introduce names; "记者"-like roles may run straight into the name (记者邹伟).
ROLES = r"责任编辑|责编|编辑|作者|撰文|执笔|采写|文"
LABELLED_ROLE = re.compile(rf"(?:{ROLES})\s*[:：/丨|︱｜]\s*")                      # "作者：", "文/", "编辑|", "作者︱"
SPACED_ROLE = re.compile(rf"(?:^|[\s《》】\]])(?:{ROLES})\s+(?=[\u4e00-\u9fffA-Za-z])")   # "作者 王之言" (short lines only)
REPORTER = re.compile(r"(?:见习|特约|职工)?(?:记者|通讯员|实习生)\s*[:：]?\s*")
BARE_ROLE = re.compile(r"(?:^|[|｜\s])(?:作者|编辑|责任编辑|责编|记者|撰文|文)\s*$")         # label whose name is the next element
ROLE_WORD = re.compile(r"^(?:责任编辑|责编|编辑|作者|撰文|执笔|采写|文|记者|通讯员|实习生|见习记者|特约记者|本报记者)$")
# A name: Latin handle ("kingname", "Demi Xia"), a name with "·", or a run of Han characters (length checked in code).
NAME_TOKEN = re.compile(
    r"[A-Za-z][A-Za-z0-9_.]{1,19}(?: [A-Z][a-z]+)?|[\u4e00-\u9fff]{1,4}[·•][\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]+"
)
NAME_GAP = re.compile(r"[\s、，,&/和及;；]*")
MAX_NAME = 5               # Han characters in a name or pen name (棒棒不是糖)
TITLE_WORD = re.compile(r"(?:评论员|记者|作者|通讯员|主笔|编辑|研究员|教授|专栏作家)$")   # "特约评论员 韩涵": skip, then the name
PHOTO_CREDIT = re.compile(r"图片?记者|摄影记者|摄像记者|(?:摄|摄影|供图)\W{0,2}$")
PHOTO_AFTER = re.compile(r"\s*(?:摄|翻摄|拍摄|/摄)")
TRAILING_CODE = re.compile(r"(?:_[A-Za-z]*\d+|\s+[A-Z]{1,4}\d{2,})")             # "韩保林 PK155", "杨倩_NF4425"
NOT_AUTHOR_ROLE = re.compile(r"摄影|摄|选稿|校对|审核|审校|监制|排版|审读|设计|制图|海报|视频|统筹|出品|策划|配音|剪辑")
# "新华社乌鲁木齐5月9日电（记者邹伟）", "新华社北京5月19日电（刘艺、杨吉）", "长江网10月4日讯（记者陈智 整合）"
DATELINE = re.compile(r"(?:电|讯|报道)\s*[（(]\s*(?P<body>[^（）()]{2,40})[）)]")
# "（记者宋晨、田中全）", "（总台央视记者 奚丹霓 张赛）", "(责编：汤诗瑶、丁涛)", "【责任编辑:王頔】", "[责任编辑：韩保林 PK155]"
BRACKETED = re.compile(r"[（(【\[]\s*(?P<body>[^（）()【】\[\]]{2,60})[）)】\]]")
# Suffixes that are editor codes or IDs: "杨倩_NF4425", "韩保林 PK155", "支全明 SF099"
EDITOR_CODE = re.compile(r"(?:_[A-Za-z]*\d+|\s+[A-Z]{1,4}\d{2,})$")
PURE_CODE = re.compile(r"^[A-Z]{1,4}\d{2,}$")
# Name-slot words that are not people: outlets, 未知, 网络整理 ...
NOT_A_NAME = re.compile(
    r"(?:报|网|社|台|部|局|委|厅|办|中心|支部|公司|集团|新闻|日报|晚报|周刊|杂志|整理|整合|编辑部|客户端|未知|佚名|本站|"
    r"本网|网络|综合|原创|编译|报道|了解|获悉|表示|发现|采访|调查|近日|今天|转载|注明|出处|声明)$"
    r"|^(?:未知|佚名|本站|本网|网络|综合|原创|记者|编辑|作者|通讯员|来源|获悉|了解|近日|日前|今天|昨天|今年|目前|"
    r"他们|我们|转载|本文|此文|请勿|调查|看到|发现|表示|看|在|对|从|走访|探访|实地|注意到|来到|前往)"
)
# A line that is only an editor/credit line: dropped from the body.
CREDIT_LINE = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|责编|编辑|校对|审核|审校|监制|排版|审读|选稿|值班编辑|统筹|作者|文|来源|本文来源|稿源|原标题)"
    r"\s*[:：|丨/︱｜ ]"
    r"|^[（(【\[]\s*(?:责任编辑|责编|编辑)"
)
# Advertising and stray symbols inside the body ("广告通知：…", "×").
AD_LINE = re.compile(
    r"^(?:广告|推广|赞助商?)|^\W{0,3}$"
    r"|^(?:展开|收起|展开全文|阅读全文|查看全文|加载中|正在加载|点击播放|重播|正在为您切换.*|您的浏览器(?:暂时)?(?:不支持|无法播放).*)$"
)
# A line that is only the article's date ("时间：2019-09-24 17:08"): byline, not body.
DATE_LINE = re.compile(r"^(?:发布时间|发布日期|发稿时间|更新时间|时间|日期)\s*[:：]\s*"
                       r"(?:19|20)\d\d[-年/.]\S*(?:\s+\d{1,2}:\d\d(?::\d\d)?)?\s*$")
# Lines of page furniture that can sit at the edges of the body: phrases that never open prose, and
# single words only when they stand alone ("收藏" yes, "收藏家认为…" no).
EDGE_NOISE = re.compile(
    r"^\W{0,2}(?:分享到|分享至|扫一扫|打印本页|关闭窗口|我要纠错|返回搜狐|返回顶部|版权所有|版权声明|Copyright|©|"
    r"免责声明|特别声明|平台声明|相关阅读|相关新闻|相关链接|相关文章|延伸阅读|推荐阅读|热点推荐|责任编辑|\(责编|（责编|"
    r"上一篇|下一篇|阅读下一篇|查看原图|播报文章|语音播报|Play Video|用微信扫|微信扫一扫|Video Player|\d+:\d\d/\d+:\d\d)"
    r"|^\W{0,2}(?:纠错|举报|收藏|点赞|字号|字体|小字号|大字号|关键字|关键词|标签|声明)(?:[\s:：|】\]]|$)"
    r"|ICP备|ICP证|公网安备|网安备\d|All Rights Reserved",
    re.I,
)
# A list entry: "(2020-08-16 21:32:12)[国际] 标题", "标题 2024-05-24"
LIST_LINE = re.compile(r"(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}")
