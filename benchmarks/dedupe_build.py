"""Build benchmarks/data/dedupe_set.jsonl from the shared corpus (run by ``benchmarks/dedupe.py --build``).

Rows (one JSON object a line):
  role      original | reprint | negative
  id        unique id; a reprint's ``of`` is the id of its original
  group     where the text comes from (corpus folder, or gold for the analysts' digest)
  edits     for reprints: the edits applied; for negatives: how it was made
  title, content, url, source, outlet, published_at

Originals are real article bodies (human-annotated where the corpus has it,
else the upstream extractor's output or ours, frozen here). Reprints are those
bodies with the edits other sites make; negatives are different articles on
the same topic. Everything is seeded: the same corpus gives the same file.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

EDIT_KINDS = ("chrome", "source_line", "editor", "caption", "cut", "reorder", "resplit", "dateline", "related", "typo",
              "editor_note", "title")

CHROME_TOP = [
    "首页 > 新闻中心 > 国内新闻 > 正文",
    "当前位置：首页 > 财经频道 > 宏观经济",
    "您当前的位置：首页 > 时政 > 滚动新闻",
    "{date} 09:12:01 来源：{outlet} 作者：{person}",
    "发布时间：{date} 10:35 来源：{outlet}",
    "{date} 14:20 来源：{outlet} 编辑：{person} 字号：大 中 小",
    "字号：大 中 小",
    "分享到：微信 微博 QQ空间",
    "{date}   来源：{outlet}   浏览次数：1024",
]
CHROME_BOTTOM = [
    "扫一扫在手机打开当前页",
    "分享到：",
    "分享让更多人看到",
    "打开APP阅读全文",
    "【纠错】 【责任编辑：{person}】",
    "版权声明：凡注明“来源：{outlet}”的作品，版权均属{outlet}所有，未经授权不得转载。",
    "声明：本文仅代表作者个人观点，与本网无关。",
    "【我要纠错】 责任编辑：{person}",
    "打印本页 关闭窗口",
    "点击进入专题：热点关注",
    "相关阅读：",
]
SOURCE_LINES = ["来源：{outlet}", "（来源：{outlet}）", "本文来源：{outlet}", "文章来源：{outlet}", "来源：{outlet} 作者：{person}",
                "原标题：{title}", "转自：{outlet}"]
EDITOR_LINES = ["（责任编辑：{person}）", "责任编辑：{person}", "责编：{person}", "编辑：{person} 审核：{person2}",
                "（编辑：{person}）", "[责任编辑:{person}]", "责任编辑：{person} SF146"]
CAPTIONS = ["▲ 活动现场。新华社记者 {person} 摄", "图为会议现场。（图片来源：视觉中国）", "资料图", "（新华社记者 {person} 摄）",
            "图为相关负责人在发布会上介绍情况。{outlet}记者 {person} 摄", "图片来源：网络", "▲ 资料图片（图源：{outlet}）",
            "图：{person}/摄"]
OUTLETS = ["新华社", "人民网", "中国新闻网", "央视新闻", "人民日报", "经济日报", "光明网", "澎湃新闻", "中国经济网", "新浪财经",
           "每日经济新闻", "21世纪经济报道", "证券时报", "北京日报", "新京报", "中国网", "环球网", "央广网"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宇浩凯健俊帆鹏飞晨阳雪琳晶莹婷睿哲"
REPRINT_HOSTS = ["news.example-portal-{n}.cn", "www.example-daily-{n}.com.cn", "m.example-finance-{n}.com"]
DATELINE = re.compile(r"^(?:新华社|中新社|中新网|人民网|央视网|本报讯|本报)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日(?:电|讯)?\s*(?:[（(][^）)]{0,30}[）)])?\s*")


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _fill(rnd, template: str, title: str) -> str:
    return template.format(outlet=rnd.choice(OUTLETS), person=_person(rnd), person2=_person(rnd), title=title,
                           date=f"20{rnd.randint(15, 24)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _sentences(par: str) -> list[str]:
    parts = re.split(r"(?<=[。！？!?；])", par)
    return [s for s in parts if s.strip()]


# --- loading the corpus -------------------------------------------------------------
def _clean_title(title: str) -> str:
    return re.split(r"\s*[_|｜\-－—]{1,2}\s*(?=[^_|｜\-－—]*$)", title or "")[0].strip() if title else ""


def load_originals(corpus: Path, gold: Path) -> list[dict]:
    from newsmon.dedupe import fold
    from newsmon.extract import extract

    index = {}
    for line in (corpus / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 7:
            index[cols[0]] = {"kind": cols[5], "title": cols[6]}
    rows: list[dict] = []

    def add(group, path, url, title, content, outlet=""):
        content = "\n".join(_paragraphs(content))
        if len(fold(content)) < 100:
            return  # not an article body (a slideshow caption, a stub)
        rows.append({"group": group, "path": path, "url": url, "title": _clean_title(title), "content": content,
                     "outlet": outlet})

    # magic-html: human-annotated bodies
    base = json.loads((corpus / "magic-html_zh/base_zh_subset.json").read_text(encoding="utf-8"))
    for sha, v in sorted(base.items()):
        rel = f"magic-html_zh/htmls/{sha}.html"
        if len(v["content"]) > 12000:
            continue  # a whole book chapter list, not a news article
        add("magic-html_zh", rel, v["url"], index.get(rel, {}).get("title", ""), v["content"])
    # cx-extractor: 163 money articles (c. 2015), the upstream extractor's bodies (GBK)
    for txt in sorted((corpus / "cx-extractor_163finance/Text").glob("*.txt"), key=lambda p: int(p.stem)):
        rel = f"cx-extractor_163finance/RawHtml/{txt.stem}.html"
        add("cx-extractor_163finance", rel, f"http://money.163.com/cx-extractor/{txt.stem}.html",
            index.get(rel, {}).get("title", ""), txt.read_bytes().decode("gb18030", errors="replace"))
    # pages with no usable reference body: our extractor's output, frozen here
    for rel, meta in sorted(index.items()):
        if meta["kind"] != "article" or not rel.startswith(("gne/", "gerapy_autoextractor/", "trafilatura_zh/",
                                                                 "readability/", "newspaper4k/", "fundus_people/",
                                                                 "htmltotext-benchmark_zh/")):
            continue
        raw = (corpus / rel).read_bytes()
        if rel.endswith(".gz"):
            raw = gzip.decompress(raw)
        ex = extract(raw, "http://corpus.invalid/" + rel)
        add(rel.split("/")[0], rel, "http://corpus.invalid/" + rel, ex.title or meta["title"], ex.content, ex.outlet)
    # the analysts' seed digest: 14 real blockchain news items of one week, and the digest itself
    for line in (gold / "labels_dev.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rows.append({"group": "gold", "path": f"gold/labels_dev.jsonl#{item['id']}", "url": f"http://gold.invalid/{item['id']}",
                     "title": item["title"], "content": item["text"], "outlet": ""})
    digest = (gold.parent / "seed_example_digest.txt")
    if digest.exists():
        text = digest.read_text(encoding="utf-8")
        rows.append({"group": "gold", "path": "seed_example_digest.txt", "url": "http://gold.invalid/digest",
                     "title": text.splitlines()[0], "content": "\n".join(_paragraphs(text)[1:]), "outlet": ""})
        for n, par in enumerate(p for p in _paragraphs(text) if p.startswith("●解读")):
            rows.append({"group": "gold", "path": f"seed_example_digest.txt#解读{n}", "url": f"http://gold.invalid/analysis{n}",
                         "title": f"解读 {n}", "content": par, "outlet": ""})
    return rows


def drop_duplicate_originals(rows: list[dict]) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The corpus holds a few copies of one article (two datasets saved the same page): keep the first."""
    from newsmon.dedupe import compare, fingerprint

    kept, fps, dropped = [], [], []
    for row in rows:
        fp = fingerprint(row["content"])
        dup = next((k for k, kfp in zip(kept, fps) if compare(kfp, fp).reprint), None)
        if dup is not None:
            dropped.append((row["path"], dup["path"], compare(fps[kept.index(dup)], fp).reason))
            continue
        kept.append(row)
        fps.append(fp)
    return kept, dropped


# --- edits ---------------------------------------------------------------------------
def make_reprint(rnd: random.Random, orig: dict, edits: list[str], others: list[dict]) -> dict:
    title = orig["title"]
    pars = _paragraphs(orig["content"])
    top: list[str] = []
    bottom: list[str] = []
    applied = []
    for edit in edits:
        if edit == "cut":  # one paragraph (or the last sentences) cut, at most a third of the text
            total = sum(len(p) for p in pars)
            cuttable = [i for i in range(1, len(pars)) if len(pars[i]) <= total / 3]  # editors keep the lede
            if cuttable:
                del pars[rnd.choice(cuttable)]
            else:
                j = max(range(len(pars)), key=lambda k: len(pars[k]))
                sents = _sentences(pars[j])
                n = 0
                while len(sents) > 2 and len(sents[-1]) + n <= total / 3:
                    n += len(sents.pop())
                if not n:
                    continue
                pars[j] = "".join(sents)
        elif edit == "reorder":
            if len(pars) < 3:
                continue
            i, j = rnd.sample(range(1, len(pars)), 2) if len(pars) > 3 else (1, 2)
            pars[i], pars[j] = pars[j], pars[i]
        elif edit == "resplit":  # another page's markup breaks paragraphs elsewhere
            new = []
            for p in pars:
                sents = _sentences(p)
                if len(sents) >= 4 and rnd.random() < 0.5:
                    k = rnd.randrange(1, len(sents))
                    new += ["".join(sents[:k]), "".join(sents[k:])]
                elif new and rnd.random() < 0.3:
                    new[-1] += p
                else:
                    new.append(p)
            pars = new
        elif edit == "dateline":  # drop or replace the agency's dateline
            m = DATELINE.match(pars[0])
            if m:
                pars[0] = pars[0][m.end():]
            else:
                pars[0] = f"{rnd.choice(OUTLETS)}讯 " + pars[0]
        elif edit == "caption":
            for _ in range(rnd.choice((1, 2))):
                pars.insert(rnd.randrange(0, len(pars) + 1), _fill(rnd, rnd.choice(CAPTIONS), title))
        elif edit == "chrome":
            top += [_fill(rnd, t, title) for t in rnd.sample(CHROME_TOP, 2)]
            bottom += [_fill(rnd, t, title) for t in rnd.sample(CHROME_BOTTOM, 2)]
        elif edit == "source_line":
            (top if rnd.random() < 0.5 else bottom).append(_fill(rnd, rnd.choice(SOURCE_LINES), title))
        elif edit == "editor":
            bottom.append(_fill(rnd, rnd.choice(EDITOR_LINES), title))
        elif edit == "related":  # headlines of other articles leak in from a "related news" box
            bottom.append("相关新闻：")
            bottom += [o["title"] for o in rnd.sample(others, 3) if o["title"]]
        elif edit == "typo":  # an editor's corrections: a few characters changed
            for _ in range(2):
                i = rnd.randrange(len(pars))
                p = pars[i]
                spots = [k for k, c in enumerate(p) if "\u4e00" <= c <= "\u9fff"]
                if len(spots) > 10:
                    k = rnd.choice(spots)
                    pars[i] = p[:k] + rnd.choice("的了和在是有为与") + p[k + 1:]
        elif edit == "editor_note":  # the reprinter's own lead-in: 编者按 and a sentence (at most 80 characters)
            other = rnd.choice(others)
            sents = [x for x in _sentences(other["content"].replace("\n", "")) if 10 <= len(x) <= 80] or ["本文转载自合作媒体。"]
            pars.insert(0, "编者按：" + rnd.choice(sents))
        elif edit == "title":
            title = rnd.choice(["【独家】", "关注｜", "", "重磅！"]) + (title[: max(6, len(title) * 2 // 3)] if rnd.random() < 0.5 else title)
        applied.append(edit)
    return {"title": title, "content": "\n".join(top + pars + bottom), "edits": applied}


RECIPES = [
    ["chrome", "source_line", "editor", "title"],                     # another site's page around it
    ["cut", "editor", "caption", "source_line"],                      # a paragraph cut, captions added
    ["reorder", "resplit", "dateline", "caption", "chrome"],          # reordered and re-broken
    ["cut", "related", "editor", "typo", "chrome"],                   # cut, related-news box, small corrections
    ["source_line", "resplit", "caption", "cut", "title", "editor"],  # everything at once
    ["dateline", "cut", "editor_note", "caption", "related", "chrome"],  # cut, with the reprinter's own lead-in
]


def _change_numbers(rnd: random.Random, text: str) -> str:
    def repl(m):
        s = m.group(0)
        while True:
            new = "".join(str(rnd.randint(1 if i == 0 and len(s) > 1 else 0, 9)) for i in range(len(s)))
            if new != s:
                return new
    return re.sub(r"\d+", repl, text)


def build(corpus: Path, gold: Path, seed: int = 20240521) -> tuple[list[dict], dict]:
    rnd = random.Random(seed)
    originals, dropped = drop_duplicate_originals(load_originals(corpus, gold))
    for n, row in enumerate(originals):
        row.update(role="original", id=f"o{n:03d}", edits=[], source=row["group"])
    # hold some originals out: they are never stored, and lend their bodies to the negatives
    pool = [o for o in originals if o["group"] != "gold"]
    held = set(o["id"] for o in rnd.sample(pool, 60))
    stored = [o for o in originals if o["id"] not in held]
    held_rows = [o for o in originals if o["id"] in held]
    out = [dict(o) for o in stored]
    # reprints: three per original, recipes in rotation
    r = 0
    for o in stored:
        for v in range(3):
            recipe = RECIPES[(int(o["id"][1:]) + v) % len(RECIPES)]
            rep = make_reprint(rnd, o, list(recipe), stored)
            host = REPRINT_HOSTS[r % len(REPRINT_HOSTS)].format(n=r % 7)
            out.append({"role": "reprint", "id": f"r{r:04d}", "of": o["id"], "group": o["group"], "path": o["path"],
                        "url": f"https://{host}/a/{o['id']}-{v}.html", "source": f"reprinter{r % 7}",
                        "outlet": rnd.choice(OUTLETS), **rep})
            r += 1
    # negatives: different articles on one topic
    neg = 0

    def add_neg(kind, base, title, content, about):
        nonlocal neg
        out.append({"role": "negative", "id": f"n{neg:03d}", "group": base["group"], "path": base["path"], "edits": [kind],
                    "about": about, "url": f"https://news.example-negative.cn/{neg}.html", "source": "negatives",
                    "outlet": rnd.choice(OUTLETS), "title": title, "content": content})
        neg += 1

    by_group: dict[str, list[dict]] = {}
    for o in stored:
        by_group.setdefault(o["group"], []).append(o)
    for n, h in enumerate(held_rows):  # each held-out body makes one negative, so no two negatives share one
        mates = by_group.get(h["group"]) or stored
        if n % 2 == 0:
            # same event, another report: a held-out body that opens with a stored article's lede
            x = rnd.choice(mates)
            lede = _paragraphs(x["content"])[0]
            add_neg("shared_lede", h, h["title"], lede + "\n" + h["content"], x["id"])
        else:
            # ... or that quotes a stored article's background paragraph (a press release both reports use)
            y = rnd.choice([m for m in mates if len(_paragraphs(m["content"])) >= 3] or stored)
            bg = max(_paragraphs(y["content"])[1:], key=len)
            hp = _paragraphs(h["content"])
            hp.insert(min(1, len(hp)), bg)
            add_neg("shared_paragraph", h, h["title"], "\n".join(hp), y["id"])
    # same template, different figures: next month's release, another day's market close
    for o in stored:
        if len(re.findall(r"\d+", o["content"])) >= 12 and rnd.random() < 0.5:
            add_neg("template_figures", o, _change_numbers(rnd, o["title"]), _change_numbers(rnd, o["content"]), o["id"])
    # blockchain policy items of one week (the analysts' digest), three to a round-up: a
    # round-up that quotes three items is a different article from each of them
    gold_items = [o for o in stored if o["path"].startswith("gold/labels_dev")]
    for i in range(0, len(gold_items) - 2, 3):
        parts = gold_items[i:i + 3]
        add_neg("roundup_of_three", parts[0], "；".join(p["title"] for p in parts),
                "\n".join(p["content"] for p in parts), "+".join(p["id"] for p in parts))
    stats = {"originals": len(stored), "held_out": len(held_rows), "dropped_duplicates": dropped, "reprints": r, "negatives": neg}
    return out, stats
