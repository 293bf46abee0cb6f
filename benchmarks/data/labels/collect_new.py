"""Write sources/labels_new.jsonl: the items this helper added to the staging sets.

  python benchmarks/data/labels/collect_new.py [--mirror /work/.mirror]

Run once by hand; build.py never calls it. Titles and texts are read from the
git objects of public repositories mirrored with the search tool's `fetch`, at
the commits named below, so nothing is retyped; the one item from a stored web
page (`pages`) is copied from the excerpt the search tool returned. The labels
are hand labels by the definitions in README.md, written here as data.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "sources" / "labels_new.jsonl"

XWLB = ("china-data/xwlb", "710ba229765c537beb474d9eb272fbc097981bc0",
        "MIT (repo LICENSE, (c) 2021 china-data); transcripts are CCTV/央视网 text")
CLS = ("echo-stacker/cailianshe-daily-archive", "8fe1fd6f12a95dee176a0e102487742b4aa360a8",
       "no licence file; manifests/source_registry.json: public web roll feed, normalized archive for research use")
PICKER = ("chainreactors/picker", "d5b075c60281c370c7ff93cd5b419c255d672843",
          "GPL-3.0 covers the repo's code; the listed WeChat headlines belong to their publishers")
RMRB = ("xiayudershu/PeopleDailyHeadline", "809a98df072770b7bbe02b254d5625dc9cfedc10",
        "no licence stated; 人民日报 headlines (titles only) as listed by the repo")


def L(category, level, province=None, city=None, district=None):
    return {"category": category, "level": level, "province": province, "city": city, "district": district}


class Mirror:
    def __init__(self, root: Path):
        self.root = root

    def show(self, repo: str, commit: str, path: str) -> str:
        gd = self.root / repo.replace("/", "+") / "repo"
        out = subprocess.run(["git", "--git-dir", str(gd), "show", f"{commit}:{path}"],
                             capture_output=True, check=True)
        return out.stdout.decode("utf-8")


def lead(paragraphs: list[str], min_chars: int = 100) -> str:
    """First paragraph; paragraphs are appended while the lead is shorter than min_chars."""
    out = ""
    for p in paragraphs:
        out += p
        if len(out) >= min_chars:
            break
    return out


def xwlb(m: Mirror, day: str, title_has: str):
    repo, commit, _ = XWLB
    path = f"assets/{day[:4]}/{day}.json"
    data = json.loads(m.show(repo, commit, path))
    for v in data["videoList"]:
        if title_has in v["video_title"]:
            content = (v.get("video_detail") or {}).get("content") or ""
            ps = [html.unescape(re.sub("<[^>]+>", "", p)).strip() for p in re.split(r"</p>|<br\s*/?>", content)]
            ps = [p for p in ps if p]
            ps[0] = re.sub(r"^央视网消息[（(]新闻联播[）)]：", "", ps[0])
            text = lead(ps)
            assert "区块链" in text, (day, title_has)
            return (v["video_title"].replace("[视频]", "").strip(), text, v["pub_date"][:10],
                    f"{repo}:{path}@{commit}")
    raise KeyError(day + title_has)


def flash(m: Mirror, src: str, day: str, iid: str):
    repo, commit, _ = CLS
    path = f"sources/{src}/data/{day[:4]}/{day}.jsonl"
    for line in m.show(repo, commit, path).splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if str(r["id"]) == iid:
            title = (r.get("title") or "").strip()
            text = (r.get("content") or "").strip()
            if title and text.startswith("【" + title + "】"):
                text = text[len(title) + 2:].strip()
            assert "区块链" in title + text, iid
            return title, text, r["date"], f"{repo}:{path}@{commit}"
    raise KeyError(iid)


def _walk(o, needle: str, found: list, feed=None) -> None:
    """Collect (title, url, feed) for every title -> url entry containing needle."""
    if isinstance(o, dict):
        for k, v in o.items():
            if needle in k and isinstance(v, str):
                found.append((k, v, feed))
            _walk(v, needle, found, k if isinstance(v, dict) else feed)


def picker_title(m: Mirror, day: str, needle: str):
    """A headline listed in picker's daily archive (json map title -> url, or markdown list)."""
    repo, commit, _ = PICKER
    y, mo, d = day.split("-")
    for path in (f"archive/{y}/{mo}/{d}/daily.json", f"archive/{y}/{mo}/{d}/daily.md"):
        try:
            raw = m.show(repo, commit, path)
        except subprocess.CalledProcessError:
            continue
        if path.endswith(".json"):
            found: list[tuple] = []
            _walk(json.loads(raw), needle, found)
            if found:
                title, url, feed = found[0]
                return title.strip(), url.split("&chksm=")[0], feed, f"{repo}:{path}@{commit}"
        else:
            for mt in re.finditer(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)", raw):
                if needle in mt.group(1):
                    return (mt.group(1).strip(), mt.group(2).split("&chksm=")[0], None,
                            f"{repo}:{path}@{commit}")
    raise KeyError(day + needle)


def rmrb_title(m: Mirror, month: str, needle: str):
    repo, commit, _ = RMRB
    path = f"src/assets/titles1/{month}.csv"
    for line in m.show(repo, commit, path).splitlines():
        if needle in line:
            parts = line.split(",")
            date = parts[-2]
            title = ",".join(parts[:-2])
            return title, date, f"{repo}:{path}@{commit}"
    raise KeyError(month + needle)


def build(m: Mirror) -> list[dict]:
    items: list[dict] = []

    def add(title, text, date, publisher, outlet, found_at, via, labels, note, licence, url=None):
        items.append({
            "id": "n-%04d" % (len(items) + 1), "title": title, "text": text, "date": date, "date_from": "item",
            "publisher": publisher, "outlet_original": outlet, "found_at": found_at, "found_via": via,
            "url": url, "publisher_group": None, "labels": labels, "labelled_by": "hand", "note": note,
            "licence": licence,
        })

    # 新闻联播 (china-data/xwlb): days not used by labels_central / labels_xwlb / labels_articles,
    # items whose lead (first paragraph, extended to >= 100 characters) names 区块链.
    t, x, d, at = xwlb(m, "20170526", "大数据产业博览会")
    add(t, x, d, "央视网（新闻联播）", None, at, "mirror", L("voice", "central"),
        "李克强在贺信中表示（国务院总理的讲话/贺信 = voice）；区块链在新技术列举中", XWLB[2])
    t, x, d, at = xwlb(m, "20230904", "智能产业博览会")
    add(t, x, d, "央视网（新闻联播）", None, at, "mirror", L("voice", "central"),
        "习近平贺信（习近平指出 = voice）；区块链在新技术列举中；博览会在重庆，标题未点地名", XWLB[2])

    # 财联社 / 东方财富 / 同花顺 flashes (echo-stacker/cailianshe-daily-archive), not in labels_xwlb.
    t, x, d, at = flash(m, "cls", "2026-08-19", "2458257")
    add(t, x, d, "财联社", None, at, "mirror", L("policy", "provincial", "上海", "上海"),
        "上海市政府办公厅印发规划（= policy）；同一文件的另一条快讯见 x-0022（同一发布者同月，同组）", CLS[2])
    t, x, d, at = flash(m, "cls", "2026-05-27", "2382609")
    add(t, x, d, "财联社", None, at, "mirror", L("policy", "provincial", "上海", "上海"),
        "上海市政府发布实施意见（= policy）；同一文件的另一条快讯见 x-0009", CLS[2])
    t, x, d, at = flash(m, "eastmoney", "2026-06-02", "202606023757467123")
    add(t, x, d, "东方财富", None, at, "mirror", L("policy", "provincial", "上海", "上海"),
        "上海市政府办公厅印发若干意见（= policy）；同一文件的财联社快讯见 x-0013（同一事件，绑定同一划分）", CLS[2])
    t, x, d, at = flash(m, "ths", "2026-05-26", "676990976")
    add(t, x, d, "同花顺", "北京发布", at, "mirror", L("voice", "provincial", "北京", "北京"),
        "北京市长殷勇会见并说（具名官员表态 = voice）；区块链在前沿技术列举中", CLS[2])

    # picker daily archives: headlines only (the archive keeps no body for these).
    for day, needle, publisher, labels, note in [
        ("2022-07-26", "第九批境内区块链信息服务", "中国信息安全（微信公众号）", L("policy", "central"),
         "国家网信办发布备案编号（= policy）"),
        ("2024-03-16", "第十四批境内区块链信息服务备案编号", "微信公众号（Doonsec 聚合）", L("policy", "central"),
         "国家网信办公告（= policy）；账号未记录，__biz 见 url"),
        ("2024-07-07", "国家数据局局长", "微信公众号（Doonsec 聚合）", L("voice", "central"),
         "「职务：…」标题（国家数据局局长）= voice；账号未记录，__biz 见 url"),
        ("2025-05-04", "北京市区块链创新应用发展行动计划", "微信公众号（Doonsec 聚合）",
         L("policy", "provincial", "北京", "北京"), "北京市科委等部门印发行动计划（= policy）"),
        ("2025-06-04", "第十九批境内区块链信息服务备案编号", "微信公众号（Doonsec 聚合）", L("policy", "central"),
         "国家网信办发布备案编号（= policy）；账号未记录，__biz 见 url"),
    ]:
        title, url, feed, at = picker_title(m, day, needle)
        add(title, "", day, publisher, None, at, "mirror", labels,
            f"headline only (the archive lists no lead); date = day of the picker archive that listed it; feed: {feed or 'daily.md'}; "
            + note, PICKER[2], url=url)

    # 人民日报 headlines (xiayudershu/PeopleDailyHeadline): titles only; commentary, explainers,
    # foreign news, company news and headlines whose actor is unclear were not taken.
    for month, needle, labels, note in [
        ("2017-01", "邮储银行上线区块链资产托管系统", L("application", "central"), "邮储银行（国有大行总行）上线系统"),
        ("2018-10", "区块链试验区设立", L("application", "provincial", "海南"), "海南试验区设立；同一事件见 a-0012"),
        ("2019-10", "全国性区块链服务基础设施平台发布", L("application", "central"), "区块链服务网络（BSN）发布"),
        ("2019-10", "把区块链作为核心技术自主创新重要突破口", L("voice", "central"),
         "习近平在政治局集体学习时的讲话；同一事件见 x-0003、a-0042"),
        ("2020-04", "互金协会发布区块链研究报告", L("other", "central"), "全国性协会发布研究报告（报告，不是规则 = other）"),
        ("2020-06", "广州建区块链先行示范区", L("application", "city", "广东", "广州"), "“建” = application；同一事件见 l-0011"),
        ("2020-07", "国网区块链技术实验室揭牌成立", L("application", "central"), "国家电网（央企）；同一事件见 d-0074"),
        ("2020-07", "北京发布政务服务领域区块链应用创新蓝皮书", L("policy", "provincial", "北京", "北京"),
         "北京市发布蓝皮书（发布文件 = policy）；同一事件见 d-0076"),
        ("2020-08", "河北出台区块链专项行动计划", L("policy", "provincial", "河北"), "同一文件见 d-0066"),
        ("2020-11", "工行直联跨境金融区块链服务平台", L("application", "central"), "工商银行（央企总行）接入外汇局平台"),
        ("2022-12", "全国首趟中老跨境区块链贸易班列", L("application", "district", "四川", "成都", "双流区"),
         "班列从成都双流发车；地点为双流区"),
    ]:
        title, date, at = rmrb_title(m, month, needle)
        add(title, "", date, "人民日报", None, at, "mirror", labels,
            "headline only (the repo lists titles only); " + note, RMRB[2])

    # One stored web page found with the search tool (corpus pages); copied from its excerpt.
    add("区块链遇上“政府商城”销量呈爆发式增长",
        "半年多时间,一家区域性的政府采购网上商城完成订单12393笔,采购金额达到1.6亿元。区块链应用范畴已对公共资源交易领域的创新服务产生巨大的价值。",
        "2017-07-21", "公共资源网", None, "http://www.ggzy2015.com/IndexXiangQServlet_2017GUSpMWeWLo.html", "pages",
        L("application", "city", "安徽", "合肥"),
        "副题：——“徽采商城”2017年上半年总结大会在合肥召开；商城由安徽合肥公共资源交易中心建设运营（= application, city）",
        "none stated in the stored excerpt")
    return items


def run(build, out: Path, doc: str) -> None:
    """The command line of a collect script: read the mirrors, write ``out`` (one JSON item per line)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--mirror", default="/work/.mirror", type=Path)
    args = ap.parse_args()
    items = build(Mirror(args.mirror))
    with out.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {out}")


def main() -> None:
    run(build, OUT, __doc__)


if __name__ == "__main__":
    main()
