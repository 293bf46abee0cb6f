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

# A forum's subject label before the headline: "主题: 标题".
TITLE_LABEL = re.compile(r"^(?:主题|标题|题目)\s*[:：]\s*")

# --- dates (read by dates.py and published.py) ---
# Full-width digits and separators are read as ASCII (one character for one, so offsets stay).
FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")
_WEEKDAY = r"(?:[（(]?(?:星期|礼拜|周|週)[一二三四五六日天][）)]?\s*)"
_DAYPART = r"(?P<dp>上午|下午|中午|晚上|早上|凌晨|夜里|傍晚)"
_AMPM = r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))"
# A time of day: 10:30[:05], 17时35分, 20点20分, 上午8:21, 9:23:57 PM.
_TIME = (rf"{_DAYPART}?\s*(?P<H>[0-2]?\d)\s*(?::|：|时|点)\s*(?P<M>[0-5]\d|\d(?=分))"
         rf"(?:\s*(?::|：|分)\s*(?P<S>[0-5]\d)(?:\.\d+)?)?(?!\d){_AMPM}?")
# 2019年8月9日 10:30[:05] | 2019-08-09T10:30:05+08:00 | 2019/8/9 | 2019.08.09 | 2012年12月10日, 格林尼治标准时间10:41
# | 2024年5月22日週三 上午8:21 | 2024年5月15日星期三 20点20分 | 2005年09月07日 11:57 AM
DATE_RE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    rf"(?:\s*[,，]?\s*{_WEEKDAY}?(?P<sep>T|\s|-(?=[0-2]?\d:))?\s*(?P<zw>北京时间|格林尼治标准时间|格林威治标准时间)?\s*"
    rf"{_TIME})?"
    r"\s*(?P<tz>Z\b|[+-]\d{2}:?\d{2}\b|GMT|UTC)?"
)
# qq.com and news.cn write "2019 09/07 19:02" (year in its own element).
YEAR_APART_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+(?P<m>\d{1,2})/(?P<d>\d{1,2})\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?!\d)"
)
# Year last: US "7/5/2005 9:23:57 PM", European "06/02/2022 - 13:48". Which number is the month is
# decided in dates.py (a number over 12, AM/PM = US order, else the page's own metadata date).
YEAR_LAST_RE = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
    rf"(?:\s*(?:-\s*)?{_TIME})?"
)
# English month names (WordPress and other blog themes): "Saturday, September 10th, 2005 10:56 am", "10 Sep 2005".
_MONTHS = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?"
           r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ENGLISH_DATE_RE = re.compile(
    r"(?<![A-Za-z])(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?"
    rf"(?:{_MONTHS}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTHS.replace('mon>', 'mon2>')},?)"
    r"\s+(?P<y>(?:19|20)\d{2})(?!\d)"
    rf"(?:\s*(?:,|at|@)?\s*{_TIME})?"
    r"\s*(?P<tz>[+-]\d{2}:?\d{2}\b|GMT|UTC)?",
    re.I,
)
# Chinese numerals: 二〇二〇年三月五日 (newspaper mastheads, documents).
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL_DATE_RE = re.compile(
    r"(?P<y>[一二][〇○零ＯO一二三四五六七八九]{3})\s*年\s*(?P<m>十[一二]?|[一二三四五六七八九])\s*月"
    r"\s*(?P<d>三十[一]?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
)
# A day without its year (and month): "02日14:25", "5月7日 21:23"; completed from the page's metadata or URL date.
PARTIAL_DATE_RE = re.compile(
    r"(?<![\d年月/.-])(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日\s*" + _TIME
)
# After a 发布时间 label only: "18-03-08 23:16" (two-digit year) and "10-08 12:00" (no year; baijiahao).
SHORT_DATE_RE = re.compile(
    r"^(?:(?P<y>\d{2})-)?(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?!\d)"
)
# /201908/t20190809_123.html, /2024-04/24/, /n1/2024/0424/, /20240509/, /2019_09_07_516923.shtml
URL_DATE_RES = [
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})[-_/]?(\d{2})[-_/](\d{2})(?:/|_)"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
]
# Labels that introduce a date; PUBLISHED_LABEL ones name the publication itself and win over others
# (gov.cn policy pages show 成文日期 before 发布日期).
LABELLED = re.compile(
    r"(?:发布时间|发布日期|发布于|发表时间|发表日期|发表于|发稿时间|发帖时间|发布(?=\s*[:：])|更新时间|录入时间|添加时间|上传时间|"
    r"成文日期|来源时间|时间|日期|posted\s*(?:@|on|at))\s*[:：]?\s*", re.I
)
PUBLISHED_LABEL = re.compile(r"^(?:发布|发表|发稿|posted)", re.I)
# "本贴由 大卫 于2005年8月12日16:12:21在〖 论坛 〗发表", "于 2023-03-12 13:08:03 发布": a post's own statement.
POSTED_BEFORE = re.compile(r"于\s*$")
POSTED_AFTER = re.compile(r"^\s*(?:在.{0,40}?)?(?:发表|发布|发贴|发帖|贴出)")
# A date that belongs to something else: another article ("最新推荐文章于 …", "上一篇 …"), the site
# clock ("今天是2024年5月22日"), or a boundary ("查看旧版(2007年11月18号以前)", "2022年2月10日起施行").
OTHER_DATE_BEFORE = re.compile(
    r"(?:推荐|相关(?:文章|新闻|阅读|报道|链接)|上一篇|下一篇|上篇|下篇|热门(?:文章|新闻)|热点新闻|往期|排行)\D{0,8}$"
    r"|(?:今天是|今天|今日|现在是|现在时间|当前时间|当前日期)\s*[:：]?\s*$"   # the site clock
)
OTHER_DATE_AFTER = re.compile(r"^\s*[号日]?\s*(?:以前|之前|以后|之后|以来|起施行|起实施|截止|为止|前发布)")
# A relative date ("1 月前", "11个月前", "3 days ago"): the absolute value is in the element's title/datetime.
RELATIVE_DATE = re.compile(r"^\W*(?:\d+\s*(?:秒|分钟|小时|天|日|周|星期|个?月|年)\s*前|刚刚|昨天|前天|今天|\d+\s*\w+\s+ago)\W*$", re.I)
# Headings (not links) after which only other articles or comments follow: the byline zone ends there.
LIST_HEADING = re.compile(
    r"^\W{0,2}(?:相关报道|相关新闻|相关文章|相关阅读|相关链接|延伸阅读|推荐阅读|热点推荐|热门推荐|热门文章|最新文章|猜你喜欢|"
    r"精彩推荐|网友评论|最新评论|热门评论|评论列表|全部评论|相关评论)\W{0,4}$"
)
# WeChat: var ct = "1659274471"; other sites: "publish_time": 1581517074
TIMESTAMP_RE = re.compile(r"""(?:\bvar\s+ct|["']?(?:publish_?time|pubtime|ptime)["']?)\s*[=:]\s*["']?(\d{10})(?:\d{3})?["']?""")
SCRIPT_DATE_RE = re.compile(r"""["']?(?:publish_?time|pubtime|pubDate|datePublished)["']?\s*[=:]\s*["']([^"']{8,40})["']""")
