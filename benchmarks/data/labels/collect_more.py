"""Write sources/labels_extra.jsonl: the items the labelsmore helper added (issue 13, item 1).

  python benchmarks/data/labels/collect_more.py [--mirror /work/.mirror]

Run once by hand; build.py never calls it. Mirror items are read from the git objects of
public repositories mirrored with the search tool's `fetch`, at the commits named below, so
nothing is retyped; items from stored web pages (`pages`) are copied from the excerpt the
search tool returned (lookups.txt lists the queries). Labels are hand labels by the
definitions in README.md, written here as data, each with its reason.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

from collect_new import CLS, PICKER, RMRB, XWLB, L, Mirror, picker_title, rmrb_title, run

HERE = Path(__file__).resolve().parent
OUT = HERE / "sources" / "labels_extra.jsonl"

JIANGSU = ("jas0no7/local_spider_jason", "9efa6dbfd1cf9332a3fee5c23b085f9a23cb3a06",
           "no licence file; list pages of 江苏省工业和信息化厅 (gxt.jiangsu.gov.cn, column col80179) saved by the repo's spider")
UGLY = ("UglyDogIsDog/Blockchain-News-Classification", "2a8042f7eab837ea28ad80aec03da3dbe3f52a16",
        "Apache-2.0 (repo LICENSE) covers the repo; the news texts belong to their publishers (九个亿财经 ...)")
UGLY_FIX = "746bbdf6ee87238f224bda90b3ee6db4fafb3d55"   # later version of the same data set (prefix dropped)
PICKER_TODAY = "1ba0b8ea764ee2d9f71ca56e2ce68f18aa76eb15"  # today.md of 2025-10-15
PAGES = "none stated in the stored page excerpt"


def xwlb_subitem(m: Mirror, day: str, heading: str):
    """A 联播快讯 sub-item: its heading paragraph is the title, the next paragraph the lead."""
    repo, commit, _ = XWLB
    path = f"assets/{day[:4]}/{day}.json"
    data = json.loads(m.show(repo, commit, path))
    for v in data["videoList"]:
        content = (v.get("video_detail") or {}).get("content") or ""
        ps = [html.unescape(re.sub("<[^>]+>", "", p)).strip() for p in re.split(r"</p>|<br\s*/?>", content)]
        ps = [p for p in ps if p]
        for i, p in enumerate(ps[:-1]):
            if p == heading:
                return heading, ps[i + 1], v["pub_date"][:10], f"{repo}:{path}@{commit}"
    raise KeyError(day + heading)


def flash(m: Mirror, src: str, day: str, iid: str):
    """A 财联社 / 东方财富 / 同花顺 flash: title, text without its leading 【title】, date, found_at.

    Unlike collect_new.flash it does not insist on the word 区块链 (稳定币, 代币, 智能合约 are
    terms too); build.py applies the term check to every item.
    """
    repo, commit, _ = CLS
    path = f"sources/{src}/data/{day[:4]}/{day}.jsonl"
    for line in m.show(repo, commit, path).splitlines():
        if line.strip():
            r = json.loads(line)
            if str(r["id"]) == iid:
                title = (r.get("title") or "").strip()
                text = (r.get("content") or "").strip()
                if title and text.startswith("【" + title + "】"):
                    text = text[len(title) + 2:].strip()
                return title, text, r["date"], f"{repo}:{path}@{commit}"
    raise KeyError(iid)


def jiangsu_notice(m: Mirror, page: int, needle: str):
    """A headline in the saved list pages of 江苏省工业和信息化厅 (title, date, article url)."""
    repo, commit, _ = JIANGSU
    path = f"江苏省/page_{page}.xml"
    raw = m.show(repo, commit, path)
    for rec in re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", raw, re.S):
        mt = re.search(r'href="([^"]+)" title="([^"]+)".*?readlabel="([^"]+)"', rec, re.S)
        if mt and needle in mt.group(2):
            return (html.unescape(mt.group(2)).strip(), mt.group(3), "https://gxt.jiangsu.gov.cn" + mt.group(1),
                    f"{repo}:{path}@{commit}")
    raise KeyError(needle)


def picker_today(m: Mirror, needle: str):  # kept for the record; its one item is not taken (see build)
    repo, commit = PICKER[0], PICKER_TODAY
    raw = m.show(repo, commit, "today.md")
    day = re.search(r"每日安全资讯（(\d{4}-\d\d-\d\d)）", raw).group(1)
    for mt in re.finditer(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)", raw):
        if needle in mt.group(1):
            return mt.group(1).strip(), mt.group(2).split("&chksm=")[0], day, f"{repo}:today.md@{commit}"
    raise KeyError(needle)


def opening(passage: str, min_chars: int = 60) -> str:
    """The opening sentence(s) of a body kept without paragraph breaks, up to min_chars."""
    out = ""
    for sent in re.findall(r"[^。！？]*[。！？]", passage):
        out += sent
        if len(out) >= min_chars:
            break
    return out or passage


def ugly_item(m: Mirror, commit: str, path: str, title_has: str):
    repo = UGLY[0]
    for x in json.loads(m.show(repo, commit, path)):
        if isinstance(x, dict) and title_has in (x.get("title") or ""):
            return x["title"].strip(), opening(x["passage"].strip()), x["date"][:10], f"{repo}:{path}@{commit}"
    raise KeyError(title_has)


def build(m: Mirror) -> list[dict]:
    items: list[dict] = []

    def add(title, text, date, publisher, outlet, found_at, via, labels, note, licence, url=None,
            date_from="item", group=None, digest_title=None):
        it = {
            "id": "e-%04d" % (len(items) + 1), "title": title, "text": text, "date": date, "date_from": date_from,
            "publisher": publisher, "outlet_original": outlet, "found_at": found_at, "found_via": via,
            "url": url, "publisher_group": group, "labels": labels, "labelled_by": "hand", "note": note,
            "licence": licence,
        }
        if digest_title:
            it["digest_title"] = digest_title
        items.append(it)

    # --- 财联社 / 同花顺 / 东方财富 flashes (echo-stacker/cailianshe-daily-archive), not in earlier sets.
    for src, day, iid, publisher, outlet, labels, note in [
        ("cls", "2026-06-05", "2391789", "财联社", None, L("policy", "provincial", "香港"),
         "香港金管局成立代币化债券专家小组以探讨政策措施（监管机构设立机制 = policy）"),
        ("ths", "2026-06-09", "677333273", "同花顺", "第一财经", L("voice", "provincial", "香港"),
         "「职务+姓名：…」标题，金管局总裁余伟文接受采访表态（= voice）"),
        ("cls", "2026-06-11", "2396832", "财联社", None, L("voice", "provincial", "香港"),
         "「职务+姓名：…」标题，许正宇表示（= voice）；同一讲话的东方财富快讯见下一条（绑定同一划分）"),
        ("eastmoney", "2026-06-11", "202606113768011336", "东方财富", None, L("voice", "provincial", "香港"),
         "「职务+姓名：…」标题，许正宇表示（= voice）；与上一条同一讲话、不同文字"),
        ("cls", "2026-06-12", "2397891", "财联社", None, L("policy", "city", "广东", "深圳"),
         "深圳证监局发布风险提示（risk notice = policy）；证监会派出机构按所在地级市计 city"),
        ("ths", "2026-06-17", "677531507", "同花顺", "澎湃新闻", L("voice", "central"),
         "「机构+姓名：…」标题，人民银行研究局局长王信在陆家嘴论坛表示（= voice）；标题未点地名"),
        ("cls", "2026-07-09", "2421092", "财联社", None, L("policy", "central"),
         "商务部等9部门印发意见（= policy）；导语提到数字人民币智能合约"),
    ]:
        t, x, d, at = flash(m, src, day, iid)
        add(t, x, d, publisher, outlet, at, "mirror", labels, note, CLS[2])

    # --- 江苏省工业和信息化厅 notices: headlines from the saved list pages (no lead in the list).
    for page, needle, note in [
        (3, "2023年江苏省区块链产业发展试点示范项目", "省工信厅公布试点示范项目名单（公布名单的通知 = policy）"),
        (3, "2022年度江苏省区块链技术创新与应用试验区", "省工信厅公布评估名单（= policy）"),
        (3, "首批通过江苏省区块链产业人才培训基地", "省工信厅公布评估名单（= policy）"),
        (3, "江苏省区块链产业发展集聚区、区块链技术创新应用试验区评估名单", "省工信厅公布评估名单（= policy）"),
        (3, "江苏省2021年大数据、区块链产业发展试点示范项目", "省工信厅公布试点示范项目（= policy）"),
        (3, "江苏省区块链产业发展行动计划", "省工信厅印发行动计划（= policy）；同一文件见 d-0004（绑定同一划分）"),
    ]:
        try:
            title, date, url, at = jiangsu_notice(m, page, needle)
        except KeyError:
            title = None
            for p in (1, 2, 4, 5):
                try:
                    title, date, url, at = jiangsu_notice(m, p, needle)
                    break
                except KeyError:
                    continue
            if title is None:
                raise
        add(title, "", date, "江苏省工业和信息化厅", None, at, "mirror", L("policy", "provincial", "江苏"),
            "headline only (the saved list page has no lead); " + note, JIANGSU[2], url=url)

    # --- 新闻联播 联播快讯 sub-items (china-data/xwlb): heading = title, its paragraph = lead.
    for day, heading, labels, note in [
        ("20210418", "苏州警方打掉一投资类电信诈骗犯罪链条", L("policy", "city", "江苏", "苏州"),
         "苏州警方打击以“虚拟货币”投资为诱饵的诈骗（执法行动 = policy），地级市警方 = city"),
        ("20191227", "国际超级计算产业博览会在济南开幕", L("other", "city", "山东", "济南"),
         "博览会开幕、设区块链分论坛（活动，无决定 = other）；在济南举办，按举办地 city"),
        ("20191117", "第二十一届高交会闭幕", L("other", "central"),
         "高交会闭幕、区块链等技术亮相（活动 = other）；国家部委与深圳共同主办，标题未点地名 -> central 无地名"),
        ("20200917", "2020中关村论坛今天开幕", L("other", "central", "北京", "北京"),
         "论坛开幕、将发布区块链底层平台等成果（活动 = other）；科技部等与北京市共同主办，标题点名中关村 -> 北京"),
    ]:
        t, x, d, at = xwlb_subitem(m, day, heading)
        add(t, x, d, "央视网（新闻联播）", None, at, "mirror", labels, note, XWLB[2])

    # --- 人民日报 headlines (xiayudershu/PeopleDailyHeadline), titles only, not in labels_new.
    for month, needle, labels, note in [
        ("2018-09", "产业联盟”在海口成立", L("other", "central", "海南", "海口"),
         "全国性产业联盟成立（组织成立，非文件/上线 = other）；标题点名海口"),
        ("2019-04", "兴业银行首批试点全国跨境业务区块链平台", L("application", "central"),
         "全国性股份制银行总行参与外汇局全国平台试点（试点 = application）"),
        ("2021-02", "北京推动区块链技术体系研发", L("policy", "provincial", "北京", "北京"),
         "北京市部署推动研发（工作部署 = policy）"),
        ("2021-06", "北京布局区块链业务场景应用", L("policy", "provincial", "北京", "北京"),
         "北京市布局应用场景（规划部署 = policy）"),
    ]:
        title, date, at = rmrb_title(m, month, needle)
        add(title, "", date, "人民日报", None, at, "mirror", labels, "headline only (the repo lists titles only); " + note,
            RMRB[2])

    # --- picker archives (chainreactors/picker): WeChat headlines, no lead kept.
    for day, needle, publisher, labels, note in [
        ("2022-08-01", "萧山区首例虚拟货币", "微信公众号（安全圈）", L("policy", "district", "浙江", "杭州", "萧山区"),
         "义桥（萧山区）综合行政执法队破获虚拟货币挖矿案（执法 = policy）；镇级执法队按所在区 district"),
        ("2022-08-12", "国家网信办重拳出击", "微信公众号（安全圈）", L("policy", "central"),
         "国家网信办整治虚拟货币炒作（执法行动 = policy）"),
        ("2024-05-06", "首笔基于上海数交所场内交易信息", "微信公众号（Doonsec 聚合）", L("application", "provincial", "上海", "上海"),
         "首笔贷款落地（落地 = application），上海数据交易所 = 上海市属机构"),
        ("2025-04-13", "中国密码学会2025年区块链密码学术会议", "微信公众号（Doonsec 聚合）", L("other", "central"),
         "全国性学会发布会议通知（活动通知 = other）"),
        ("2024-02-25", "中国区块链创新应用发展报告", "微信公众号（Doonsec 聚合）", L("other", "central"),
         "全国性报告与案例集发布（report = other）；发布机构标题未点名，按全国性报告计 central"),
        ("2024-09-06", "山东区块链研究院", "微信公众号（Doonsec 聚合）", L("other", "provincial", "山东"),
         "省级研究院成果入选图谱（ranking/award = other）"),
        ("2025-09-20", "浦东新区运用区块链", "微信公众号（Doonsec 聚合）", L("other", "provincial", "上海", "上海"),
         "上海市地方性法规实施情况研讨会邀请（活动通知 = other）；法规为上海市制定 -> provincial"),
    ]:
        title, url, feed, at = picker_title(m, day, needle)
        add(title, "", day, publisher, None, at, "mirror", labels,
            f"headline only (the archive lists no lead); date = day of the picker archive that listed it; feed: {feed or 'daily.md'}; "
            + note, PICKER[2], url=url)
    # Not taken: today.md of 2025-10-15 lists the 第二十批 filing notice, but its headline differs from
    # n-0008's (第十四批) by two characters, so build.py would fold it into n-0008 as a duplicate.

    # --- 九个亿财经 items kept in an old version of a public classification data set
    # (UglyDogIsDog/Blockchain-News-Classification, 2019-05-18 and 2019-05-21 versions with title and date).
    for commit, path, needle, publisher, outlet, labels, note in [
        (UGLY[1], "train.json", "保交所区块链技术在多业务场景运用", "九个亿财经", None, L("application", "central"),
         "上海保交所（全国性保险交易所）区块链应用进展（应用 = application）；标题未点地名"),
        (UGLY_FIX, "test.json", "雄安新区采用区块链技术建设", "九个亿财经", None,
         L("application", "district", "河北", "保定", "雄安新区"), "雄安新区用区块链建设数字森林（= application）"),
        (UGLY_FIX, "test.json", "广东中山市将启用区块链社区矫正", "九个亿财经", "中山日报",
         L("application", "city", "广东", "中山"), "中山市司法局启用系统（上线 = application）"),
        (UGLY[1], "train.json", "区块链“国家队”再落子", "九个亿财经", "21世纪经济报道", L("application", "central"),
         "央行数字货币研究所设立子公司参与贸易金融区块链开发（设立/建设 = application）；标题未点地名"),
        (UGLY[1], "train.json", "腾讯农信运用区块链", "九个亿财经", None, L("application", "provincial", "浙江"),
         "浙江农信（省级）与腾讯签约合作（签约 = application）"),
        (UGLY[1], "train.json", "山西晋中农谷将打造", "九个亿财经", None, L("application", "city", "山西", "晋中"),
         "晋中“农谷”与企业达成区块链溯源平台合作（签约/建设 = application）"),
        (UGLY[1], "train.json", "民政部探索区块链技术", "九个亿财经", None, L("policy", "central"),
         "民政部印发行动方案（= policy）"),
        (UGLY[1], "test.json", "福建处非办", "九个亿财经", "东南网", L("policy", "provincial", "福建"),
         "福建省处非办发布风险提示（risk notice = policy）"),
        (UGLY[1], "train.json", "邮储银行完成首笔区块链福费廷", "九个亿财经", None, L("application", "central"),
         "邮储银行（国有大行总行）完成交易（落地 = application）"),
        (UGLY[1], "train.json", "蚂蚁金服助力杭州互联网法院", "九个亿财经", None, L("application", "city", "浙江", "杭州"),
         "杭州互联网法院司法区块链上线（= application），与 m-0003 同一事件（绑定同一划分）"),
        (UGLY[1], "train.json", "火币大学校长于佳宁", "九个亿财经", None, L("voice", "central"),
         "「职务+姓名：…」标题，于佳宁（原工信部信息中心研究所所长）预测（= voice）；专家表态按 central，标题未点地名"),
        (UGLY_FIX, "test.json", "刘强东表示促进区块链", "九个亿财经", None, L("voice", "central"),
         "全国政协委员刘强东在专题协商会上建议（具名表态 = voice）；无地方职务 -> central"),
        (UGLY_FIX, "test.json", "首届中国东盟沉香", "九个亿财经", None, L("other", "provincial", "广西"),
         "广西沉香协会主办研讨会（活动 = other），省级协会 = provincial"),
    ]:
        t, x, d, at = ugly_item(m, commit, path, needle)
        extra = "" if commit == UGLY[1] else ("; publisher: the 2019-05-21 version drops the '九个亿财经消息——' prefix "
                                              "that the 2019-05-18 version carries on the same items")
        add(t, x, d, publisher, outlet, at, "mirror", labels,
            "lead = opening sentence(s) of the body (the data set keeps no paragraph breaks); " + note + extra, UGLY[2])

    # --- Stored web pages (search tool, corpus pages), copied from the excerpts.
    digest = "盘点丨本周区块链大事件824-828"
    page = "http://hongfengye.com/infomation-375995.html"
    add("中共中央办公厅、国务院:推进区块链等技术在社会救助领域的运用",
        "825消息,近,中共中央办公厅、国务院办公厅印发了《关于改革完善社会救助制度的意见》,并发出通知,要求各地区各部门结合实际认真贯彻落实。"
        "意见提出,加强社会救助信息化,推进互联网、大数据、人工智能、区块链、5G等现代信息技术在社会救助领域的运用。",
        "2020-08-25", "区块链达人", None, page, "pages", L("policy", "central"),
        "digest item 1 with its 事件解读 paragraph; 中办国办印发意见（= policy）; page reposted 2023-06-09, events of 2020-08-24..28",
        PAGES, group="本周十大看点", digest_title=digest)
    for title, labels, note in [
        ("央行公示成都金融科技创新试点应用 包含基于区块链的安全代付服务", L("policy", "central", "四川", "成都"),
         "央行公示试点名单（= policy），标题点名成都；导语在摘录中被截断，只取标题"),
        ("福建:启动建设基于BSN的国家东南区域区块链主干网", L("application", "provincial", "福建"), "启动建设（= application）"),
        ("河北将举办数字经济重大项目签约活动,重点筛选区块链等项目", L("other", "provincial", "河北"), "活动预告（= other）"),
        ("江苏苏州:建设全国有影响力的区块链示范应用先行区", L("policy", "city", "江苏", "苏州"), "苏州提出建设目标（规划 = policy）"),
        ("甘肃省将通过区块链等技术手段实现食品安全信息追溯", L("policy", "provincial", "甘肃"), "省级部署（= policy）"),
        ("湖南大学区块链底层技术及应用湖南省重点实验室”揭牌", L("application", "provincial", "湖南"),
         "省重点实验室揭牌（labs opened = application）"),
    ]:
        add(title, "", "2020-08", "区块链达人", None, page, "pages", labels,
            "digest headline only (本周十大看点 list); date = the digest's week 2020-08-24..28; " + note, PAGES,
            date_from="digest", group="本周十大看点", digest_title=digest)
    add("2019年上半年,区块链应用缓步发展,相应的国内各省市的扶持政策也陆续推出,福州市便于5月推出了加快区块链产业发展的三条措施。", "",
        "2019-05", "互链脉搏", "bitpush.news（转载）", "https://www.bitpush.news/articles/513867", "pages",
        L("policy", "city", "福建", "福州"), "digest sentence (互链半年报); 福州市推出措施（= policy）", PAGES,
        date_from="digest", digest_title="互链半年报 | 中国区块链政策盘点:福建、云南对区块链友好度加强")
    add("“郑州链”建设实施方案(2023—2025年)",
        "为进一步加快我市区块链基础设施建设,加强区块链在政务服务领域的应用,引领带动区块链产业发展,根据《河南省人民政府办公厅关于印发“河南链”建设实施方案(2023—2025年)的通知》(豫政办〔2023〕11号)要求,结合我市实际情况,制定本实施方案。",
        "2023-10-21", "互联互通社区 (hulianhutongshequ.cn)", None,
        "http://hulianhutongshequ.cn/detail/8cfa1db7435443d0b3491d7234e6f52e", "pages", L("policy", "city", "河南", "郑州"),
        "郑州市实施方案（= policy）；date = 页面发布时间", PAGES, date_from="page")
    add("中央网信办信息化发展局副局长张望:区块链的前景为全球所看好",
        "在2017年数博会区块链主权管理与应用创新高峰论坛上,围绕“区块链给我们带来了什么”“发展将面临什么问题”“行业部门该如何做”等问题,中央网信办信息化发展局副局长张望作了精彩演讲。",
        "2017-05-28", "中国大数据产业观察 (cbdio.com)", None, "http://www.cbdio.com/BigData/2017-05/28/content_5528954.htm",
        "pages", L("voice", "central"), "「职务+姓名：…」标题、演讲（= voice）；date from the url", PAGES,
        date_from="url", group="2017数博会嘉宾对话")
    add("专访信通院张奕卉:中国区块链进入与实体经济融合的高质量发展阶段",
        "与区块链技术发达的国家相比,中国在区块链的核心技术上仍有差距,但在区块链的应用场景上,中国有发展潜力和市场。",
        "2021-06-15", "财经 (news.caijingmobile.com)", "链新", "https://news.caijingmobile.com/article/detail/436785?source_id=40",
        "pages", L("voice", "central"), "专访，信通院（国家级研究机构）专家表态（interview = voice）；导语为文章提要段", PAGES)
    add("海淀区先行 区块链上行政审批",
        "1621个区级政务服务事项全部使用区块链技术进行材料核验,在此基础上,海淀区近日又在全国领先一步,将区块链技术应用于行政审批环节。",
        "2020-04-21", "中国电子政务网 (e-gov.org.cn)", "北京日报", "http://e-gov.org.cn/article-171818.html", "pages",
        L("application", "district", "北京", "北京", "海淀区"),
        "海淀区将区块链用于审批（应用 = application）；导语为正文首段（副题和图片说明略去）；date = 页面更新时间", PAGES,
        date_from="page")
    return items


def main() -> None:
    run(build, OUT, __doc__)


if __name__ == "__main__":
    main()
