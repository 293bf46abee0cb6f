"""Rebuild train/dev/test.jsonl of the labelled benchmark set from sources/ alone.

  .venv/bin/python benchmarks/data/labels/build.py [--check]

Steps (README.md explains each): load the staging sets and the new items in
sources/; keep items whose headline or lead names blockchain; normalise labels
(municipalities, 雄安新区) and apply decisions.py; merge exact and near
duplicates (character 5-gram Jaccard over title + text); bind items that must
share a split (same publisher x month, same source page, same story); assign
whole units to train/dev/test (about 60/20/20, stratified by category and
central/local, seeded; units holding an item of an earlier build keep that item's split,
sources/pinned_splits.json); write the three files and the statistics section of
README.md. --check rebuilds in memory and fails when the files on disk differ.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import random
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE))
import decisions  # noqa: E402

SOURCES = ["labels_digests", "labels_articles", "labels_more", "labels_central", "labels_xwlb", "labels_local",
           "labels_new", "labels_extra"]
# Splits of the items of an earlier build: a unit holding one of them stays in that split, so
# adding sources never moves an old item (and never leaks an old test item into train).
PINNED = HERE / "sources" / "pinned_splits.json"
SPLITS = ("train", "dev", "test")
TARGET = {"train": 0.6, "dev": 0.2, "test": 0.2}
SEED = 13
TRIALS = 400
MERGE_JACCARD = 0.6      # reprints: one item
MERGE_CONTAINED = 0.8    # a headline-only item whose title is (almost) inside another item
BIND_JACCARD = 0.3       # same story in other words: same split
BIND_CONTAINED = 0.4
MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}
# Terms beyond config/keywords.yaml that name blockchain-based crypto-assets (see README).
EXTRA_TERMS = ["ICO", "代币", "虚拟资产", "通证"]
STATS_BEGIN, STATS_END = "<!-- stats:begin -->", "<!-- stats:end -->"

# Traditional -> simplified for the characters that occur in these sources; used only to
# compare texts (dedupe, term check, publisher names), never to rewrite an item.
_T = ("區塊鏈鍊虛擬貨幣資產數穩賬約聯佈號說術發際業務應證網條億萬與於為來這個們時對會經進過還後點開關問題實現學體頭將場"
      "國門東華廣歐陽書長雲麗灣臺台灣愛戰義鄉報導記錄該區際監管幾們與產萬專業務標準規範劃計劃統計權構織組導領"
      "協議農業機關處理辦務區縣鎮鐵路線銀行險費價貸債務幣兌匯質證券買賣環境動態總結論題試點範圍圖傳訊轉讓網絡"
      "電腦視頻遠聲響應觀點認識設計師員會議決策選舉參與創辦興建築開發區級優勢齊濟寧陝蘇浙閩貴雲瀋遼黑龍江嶗"
      "島濱廳鄭衛營習並儲藥醫療稅財額達運輸鍵碼據庫歷屆團隊軍講話語請讀寫檢測驗審訂畫豐擔責續紅綠變儀禮羣裡鑑鑒啟佔週")
_S = ("区块链链虚拟货币资产数稳账约联布号说术发际业务应证网条亿万与于为来这个们时对会经进过还后点开关问题实现学体头将场"
      "国门东华广欧阳书长云丽湾台台湾爱战义乡报导记录该区际监管几们与产万专业务标准规范划计划统计权构织组导领"
      "协议农业机关处理办务区县镇铁路线银行险费价贷债务币兑汇质证券买卖环境动态总结论题试点范围图传讯转让网络"
      "电脑视频远声响应观点认识设计师员会议决策选举参与创办兴建筑开发区级优势齐济宁陕苏浙闽贵云沈辽黑龙江崂"
      "岛滨厅郑卫营习并储药医疗税财额达运输键码据库历届团队军讲话语请读写检测验审订画丰担责续红绿变仪礼群里鉴鉴启占周")
T2S = str.maketrans(_T, _S)

PUBLISHER_ALIASES = {
    "央视新闻联播": "央视网", "央视网": "央视网",
    "链塔智库/金色财经等": "链塔智库", "链塔智库等": "链塔智库",
    "国际在线江苏": "国际在线", "星岛头条": "星岛头条", "星島头条": "星岛头条",
    "同花顺财经": "同花顺", "每日最新头条": "pttnews.cc",
}


def simplify(s: str) -> str:
    return (s or "").translate(T2S)


def canon_publisher(raw: str) -> str:
    """Publisher name for grouping: parenthesised remarks dropped, script and aliases unified."""
    name = re.sub(r"[（(][^（）()]*[）)]", "", simplify(raw)).strip()
    name = re.sub(r"\s+", " ", name)
    return PUBLISHER_ALIASES.get(name, name) or simplify(raw).strip()


def norm_text(s: str) -> str:
    return re.sub(r"[\W_]+", "", simplify(s).lower())


def grams(s: str, n: int = 5) -> frozenset:
    t = norm_text(s)
    return frozenset(t[i:i + n] for i in range(max(1, len(t) - n + 1))) if t else frozenset()


def similarity(a: frozenset, b: frozenset) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two 5-gram sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def load_terms() -> list[str]:
    cfg = yaml.safe_load((ROOT / "config" / "keywords.yaml").read_text(encoding="utf-8"))
    return list(cfg["terms"]) + EXTRA_TERMS


def names_blockchain(text: str, terms: list[str]) -> list[str]:
    s = simplify(text)
    hits = []
    for t in terms:
        if re.fullmatch(r"[A-Za-z0-9. ]+", t):
            if re.search(r"(?<![A-Za-z])" + re.escape(t) + r"(?![A-Za-z])", s, re.I):
                hits.append(t)
        elif t in s:
            hits.append(t)
    return hits


class UnionFind:
    def __init__(self, keys):
        self.parent = {k: k for k in keys}

    def find(self, k):
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def load_sources() -> list[dict]:
    items = []
    for name in SOURCES:
        for line in (HERE / "sources" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                it = json.loads(line)
                it["_set"] = name
                items.append(it)
    return items


def source_licence(it: dict) -> str:
    if it.get("licence"):
        return it["licence"]
    at = it["found_at"]
    if "china-data/xwlb" in at or "DuckBurnIncense/xin-wen-lian-bo" in at:
        return "MIT (repo LICENSE); transcripts are CCTV/央视网 text"
    if "cailianshe-daily-archive" in at:
        return "no licence file; archive states research use"
    if "chainreactors/picker" in at:
        return "GPL-3.0 covers the repo's code; archived articles belong to their publishers"
    if at.startswith("http"):
        return "none stated in the stored page excerpt"
    return "unknown (see the source set's SOURCES.md)"


def normalise_labels(labels: dict) -> dict:
    lab = dict(labels)
    for k in ("province", "city", "district"):
        if lab.get(k) is not None:
            lab[k] = simplify(lab[k]).strip() or None
    if lab.get("district") == "雄安新区" or lab.get("city") == "雄安新区":
        lab.update(province="河北", city="保定", district="雄安新区")
    if lab.get("province") in MUNICIPALITIES:
        lab["city"] = lab["province"]
    return lab


CATEGORY_WORDS = [("policy", ("政策", "规划", "規劃")), ("application", ("应用", "應用")),
                  ("voice", ("声音", "聲音", "观点", "觀點"))]


def grouping_category(group: str | None) -> str | None:
    for cat, words in CATEGORY_WORDS:
        if group and any(w in group for w in words):
            return cat
    return None


def to_record(it: dict) -> dict:
    labels = normalise_labels(it["labels"])
    notes = [it.get("note") or ""]
    if it["id"] in decisions.FIX:
        change, why = decisions.FIX[it["id"]]
        labels.update(change)
        labels = normalise_labels(labels)
        notes.append(f"relabelled by definition: {why}")
    by_group = grouping_category(it.get("publisher_group"))
    if by_group and by_group == labels["category"]:
        labelled_by = "publisher grouping"
    else:
        labelled_by = "newsmon helper by definition"
        if by_group:
            notes.append(f"publisher grouping '{it['publisher_group']}' suggests {by_group}; label kept by definition")
    url = it.get("url") or it["found_at"]
    return {
        "id": it["id"],
        "title": it["title"],
        "text": it["text"],
        "date": it["date"],
        "publisher": canon_publisher(it["publisher"]),
        "outlet": it.get("outlet_original"),
        "url": url,
        "found_at": it["found_at"],
        "found_via": it["found_via"],
        "labels": labels,
        "labelled_by": labelled_by,
        "split_group": None,
        "split_unit": None,
        "note": " | ".join(n for n in notes if n),
        "provenance": {
            "source_set": it["_set"],
            "source_id": it["id"],
            "publisher_as_recorded": it["publisher"],
            "publisher_group": it.get("publisher_group"),
            "date_from": it.get("date_from"),
            "licence": source_licence(it),
            "merged": [],
        },
    }


def page_key(found_at: str) -> str:
    return re.sub(r"[#?].*$", "", found_at).rstrip("/")


def dedupe(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """Merge exact and near duplicates; returns (kept, merge log)."""
    g = {r["id"]: grams(r["title"] + "\n" + r["text"]) for r in records}
    gt = {r["id"]: grams(r["title"]) for r in records}
    uf = UnionFind([r["id"] for r in records])
    log = []
    for a, b in itertools.combinations(records, 2):
        j, c = similarity(g[a["id"]], g[b["id"]])
        exact = norm_text(a["title"] + a["text"]) == norm_text(b["title"] + b["text"])
        short = a if not a["text"] else b if not b["text"] else None
        contained = False
        if short is not None:
            other = b if short is a else a
            inter = len(gt[short["id"]] & g[other["id"]])
            contained = bool(gt[short["id"]]) and inter / len(gt[short["id"]]) >= MERGE_CONTAINED
        if exact or j >= MERGE_JACCARD or contained:
            uf.union(a["id"], b["id"])
            log.append({"a": a["id"], "b": b["id"], "jaccard": round(j, 3), "contained": round(c, 3),
                        "why": "exact" if exact else "jaccard" if j >= MERGE_JACCARD else "headline contained"})
    clusters = collections.defaultdict(list)
    for r in records:
        clusters[uf.find(r["id"])].append(r)
    kept = []
    for members in clusters.values():
        # keep the copy with a lead, then the longer text, then source order
        best = sorted(members, key=lambda r: (not r["text"], -len(r["text"]), SOURCES.index(r["provenance"]["source_set"]),
                                              r["id"]))[0]
        others = [m for m in members if m is not best]
        if others:
            best["provenance"]["merged"] = [{"id": m["id"], "publisher": m["publisher"], "date": m["date"],
                                             "url": m["url"], "title": m["title"]} for m in others]
            best["note"] += " | duplicates merged into this item: " + ", ".join(
                f"{m['id']} ({m['publisher']}, {m['date']})" for m in others)
        kept.append(best)
    kept.sort(key=lambda r: r["id"])
    return kept, log


def bind_units(records: list[dict]) -> tuple[dict, list[dict]]:
    ids = [r["id"] for r in records]
    uf = UnionFind(ids)
    alias = {r["id"]: r["id"] for r in records}
    for r in records:
        for m in r["provenance"]["merged"]:
            alias[m["id"]] = r["id"]
    by_group = collections.defaultdict(list)
    by_page = collections.defaultdict(list)
    for r in records:
        by_group[r["split_group"]].append(r["id"])
        by_page[page_key(r["found_at"])].append(r["id"])
        for m in r["provenance"]["merged"]:
            by_page[page_key(m["url"])].append(r["id"])
    links = []
    for members in list(by_group.values()) + list(by_page.values()):
        for a in members[1:]:
            uf.union(members[0], a)
    for members, why in decisions.SAME_STORY:
        present = [alias[m] for m in members if m in alias]
        missing = [m for m in members if m not in alias]
        if missing:
            raise SystemExit(f"decisions.SAME_STORY names unknown or dropped items {missing} ({why})")
        for a in present[1:]:
            uf.union(present[0], a)
        links.append({"ids": list(members), "why": why, "auto": False})
    g = {r["id"]: grams(r["title"] + "\n" + r["text"]) for r in records}
    for a, b in itertools.combinations(ids, 2):
        j, c = similarity(g[a], g[b])
        if j >= BIND_JACCARD or c >= BIND_CONTAINED:
            uf.union(a, b)
            links.append({"ids": [a, b], "why": f"similar text (jaccard {j:.2f}, contained {c:.2f})", "auto": True})
    units = {i: uf.find(i) for i in ids}
    return units, links


def strata(r: dict) -> tuple[str, str]:
    return r["labels"]["category"], r["labels"]["level"]


def added_cost(s: str, count: collections.Counter, size: int, v: collections.Counter, m: int,
               total: collections.Counter, n: int) -> float:
    """Growth of the squared deviation from split s's target when a unit (strata v, m items) joins it."""
    c = 0.0
    for key, want_all in total.items():
        want = TARGET[s] * want_all
        c += ((count[key] + v[key] - want) ** 2 - (count[key] - want) ** 2) / max(1.0, want)
    want = TARGET[s] * n
    return c + 3 * ((size + m - want) ** 2 - (size - want) ** 2) / want


def load_pins() -> dict:
    return json.loads(PINNED.read_text(encoding="utf-8"))["splits"] if PINNED.exists() else {}


def pinned_units(members: dict, pins: dict) -> dict:
    """Unit -> split for every unit holding an item (or a merged duplicate) of an earlier build."""
    fixed = {}
    for k, rs in members.items():
        ids = [r["id"] for r in rs] + [m["id"] for r in rs for m in r["provenance"]["merged"]]
        splits = {pins[i] for i in ids if i in pins}
        if len(splits) > 1:
            raise SystemExit(f"unit {k} binds items pinned to different splits: "
                             + ", ".join(f"{i}={pins[i]}" for i in ids if i in pins)
                             + " (a new binding joins two earlier units; resolve it in decisions.py)")
        if splits:
            fixed[k] = splits.pop()
    return fixed


def assign(records: list[dict], units: dict) -> tuple[dict, int, float]:
    members = collections.defaultdict(list)
    for r in records:
        members[units[r["id"]]].append(r)
    total = collections.Counter(strata(r) for r in records)
    cats = collections.Counter(r["labels"]["category"] for r in records)
    n = len(records)
    fixed = pinned_units(members, load_pins())
    best = None
    for trial in range(TRIALS):
        rng = random.Random(SEED * 1000 + trial)
        keys = sorted(k for k in members if k not in fixed)
        tie = {k: rng.random() for k in keys}
        order = sorted(keys, key=lambda k: (-len(members[k]), tie[k]))
        count = {s: collections.Counter() for s in SPLITS}
        size = dict.fromkeys(SPLITS, 0)
        place = {}
        for k, s in fixed.items():
            place[k] = s
            count[s] += collections.Counter(strata(r) for r in members[k])
            size[s] += len(members[k])
        for k in order:
            v = collections.Counter(strata(r) for r in members[k])
            m = len(members[k])

            s = min(SPLITS, key=lambda s: (added_cost(s, count[s], size[s], v, m, total, n), SPLITS.index(s)))
            place[k] = s
            count[s] += v
            size[s] += m
        ok = all(all(sum(x for (c, _), x in count[s].items() if c == cat) >= 3 for cat in ("policy", "application", "voice"))
                 and sum(x for (_, lv), x in count[s].items() if lv == "central") >= 3
                 and sum(x for (_, lv), x in count[s].items() if lv != "central") >= 3
                 and (cats["other"] < 3 or sum(x for (c, _), x in count[s].items() if c == "other") >= 1)
                 for s in SPLITS)
        score = sum(abs(count[s][key] - TARGET[s] * total[key]) for s in SPLITS for key in total) \
            + 2 * sum(abs(size[s] - TARGET[s] * n) for s in SPLITS)
        if ok and (best is None or score < best[2] - 1e-9):
            best = (place, trial, score)
    if best is None:
        raise SystemExit("no assignment met the split constraints")
    return best


def straddle(split_of: dict, records: list[dict], j_min: float, c_min: float) -> list[tuple]:
    g = {r["id"]: grams(r["title"] + "\n" + r["text"]) for r in records}
    out = []
    for a, b in itertools.combinations(sorted(g), 2):
        if split_of[a] == split_of[b]:
            continue
        j, c = similarity(g[a], g[b])
        if j >= j_min or c >= c_min:
            out.append((a, b, round(j, 3), round(c, 3)))
    return out


def max_cross(split_of: dict, records: list[dict]) -> tuple[float, float]:
    g = {r["id"]: grams(r["title"] + "\n" + r["text"]) for r in records}
    mj = mc = 0.0
    for a, b in itertools.combinations(sorted(g), 2):
        if split_of[a] != split_of[b]:
            j, c = similarity(g[a], g[b])
            mj, mc = max(mj, j), max(mc, c)
    return round(mj, 3), round(mc, 3)


def build() -> tuple[dict, str]:
    raw = load_sources()
    terms = load_terms()
    dropped = []
    records = []
    seen_ids = set()
    for it in raw:
        if it["id"] in seen_ids:
            raise SystemExit(f"duplicate id {it['id']} in sources")
        seen_ids.add(it["id"])
        if it["id"] in decisions.DROP:
            dropped.append((it["id"], decisions.DROP[it["id"]]))
            continue
        if not names_blockchain(it["title"] + "\n" + it["text"], terms):
            dropped.append((it["id"], "headline and lead name no blockchain term"))
            continue
        records.append(to_record(it))
    for key in list(decisions.FIX) + list(decisions.DROP):
        if key not in seen_ids:
            raise SystemExit(f"decisions.py names unknown item {key}")
    for r in records:
        r["split_group"] = f"{r['publisher']}|{(r['date'] or '????-??')[:7]}"
    kept, merges = dedupe(records)
    units, links = bind_units(kept)
    unit_name = {}
    for r in kept:
        unit_name.setdefault(units[r["id"]], None)
    for k in unit_name:
        unit_name[k] = "u-" + k
    for r in kept:
        r["split_unit"] = unit_name[units[r["id"]]]
    place, trial, score = assign(kept, units)
    out = {s: [] for s in SPLITS}
    split_of = {}
    for r in kept:
        s = place[units[r["id"]]]
        out[s].append(r)
        split_of[r["id"]] = s
    report = stats_markdown(raw, dropped, records, kept, merges, links, out, split_of, trial, score)
    return out, report


def table(rows: list[list], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def stats_markdown(raw, dropped, records, kept, merges, links, out, split_of, trial, score) -> str:
    lines = [f"_Generated by build.py (seed {SEED}, best of {TRIALS} trials: trial {trial}, imbalance score {score:.1f})._", ""]
    by_set = collections.Counter(it["_set"] for it in raw)
    kept_set = collections.Counter(r["provenance"]["source_set"] for r in kept)
    lines += ["**Items per source set**", "", table(
        [[s, by_set[s], sum(1 for i, _ in dropped if any(it["id"] == i and it["_set"] == s for it in raw)),
          kept_set[s]] for s in SOURCES] + [["total", len(raw), len(dropped), len(kept)]],
        ["source set", "items", "dropped", "in the final set"]), ""]
    lines += [f"Dropped {len(dropped)}: " + "; ".join(f"{i} ({why})" for i, why in dropped) + ".", ""]
    merged_ids = [m["id"] for r in kept for m in r["provenance"]["merged"]]
    merge_list = ", ".join(f"{m['a']}~{m['b']} {m['why']}, J={m['jaccard']}" for m in merges) or "none"
    lines += [f"Duplicates merged: {len(merged_ids)} item(s) folded into another ({merge_list}).", ""]
    auto = [lk for lk in links if lk["auto"]]
    lines += [f"Same-story bindings: {len(links) - len(auto)} by hand (decisions.SAME_STORY), {len(auto)} automatic "
              f"(Jaccard >= {BIND_JACCARD} or containment >= {BIND_CONTAINED}): "
              + ("; ".join(f"{'~'.join(lk['ids'])} {lk['why']}" for lk in auto) or "none") + ".", ""]
    n_units = len({r["split_unit"] for r in kept})
    n_groups = len({r["split_group"] for r in kept})
    lines += [f"{len(kept)} items in {n_groups} publisher x month groups, bound into {n_units} split units.", ""]
    pins = load_pins()
    n_pinned = sum(1 for r in kept if r["id"] in pins)
    lines += [f"Pinned splits: {n_pinned} items keep the split they had in the earlier build "
              f"(sources/pinned_splits.json); the other {len(kept) - n_pinned} were placed by this build "
              "(joining the split of an earlier unit when bound to it).", ""]
    cats = ["policy", "application", "voice", "other"]
    levels = ["central", "provincial", "city", "district"]
    rows = []
    for s in SPLITS + ("all",):
        rs = kept if s == "all" else out[s]
        c = collections.Counter((r["labels"]["category"], r["labels"]["level"]) for r in rs)
        for cat in cats:
            rows.append([s, cat] + [c[(cat, lv)] for lv in levels] + [sum(c[(cat, lv)] for lv in levels)])
        rows.append([s, "**all**"] + [sum(c[(cat, lv)] for cat in cats) for lv in levels] + [len(rs)])
    lines += ["**Counts per split x category x level**", "", table(rows, ["split", "category"] + levels + ["total"]), ""]
    share = {s: f"{len(out[s])} ({100 * len(out[s]) / len(kept):.0f}%)" for s in SPLITS}
    lines += ["Split sizes: " + ", ".join(f"{s} {share[s]}" for s in SPLITS) + ".", ""]
    pubs = collections.Counter(r["publisher"] for r in kept)
    top, top_n = pubs.most_common(1)[0]
    months = len({(r["date"] or "")[:7] for r in kept})
    years = collections.Counter((r["date"] or "????")[:4] for r in kept)
    headline_only = sum(1 for r in kept if not r["text"])
    lines += [f"Largest publisher: {top} with {top_n} items ({100 * top_n / len(kept):.1f}%); {len(pubs)} publishers; "
              f"{months} distinct months; items per year: " + ", ".join(f"{y} {n}" for y, n in sorted(years.items()))
              + f". Headline-only items (no lead in the source): {headline_only}.", ""]
    by = collections.Counter(r["labelled_by"] for r in kept)
    lines += ["Labelled by: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())) + ".", ""]
    st = straddle(split_of, kept, BIND_JACCARD, BIND_CONTAINED)
    st_low = straddle(split_of, kept, 0.2, 0.3)
    mj, mc = max_cross(split_of, kept)
    lines += [f"Straddle check after splitting: {len(st)} pair(s) across splits at the binding thresholds "
              f"(Jaccard >= {BIND_JACCARD} or containment >= {BIND_CONTAINED}); {len(st_low)} at the looser "
              f"Jaccard >= 0.2 or containment >= 0.3"
              + (" (" + "; ".join(f"{a}~{b} J={j} C={c}" for a, b, j, c in st_low) + ")" if st_low else "")
              + f"; highest cross-split Jaccard {mj}, containment {mc}."]
    return "\n".join(lines)


def dump(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in sorted(records, key=lambda r: r["id"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail when the files on disk differ from a rebuild")
    args = ap.parse_args()
    out, report = build()
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"{STATS_BEGIN}\n{STATS_END}\n"
    if STATS_BEGIN not in text:
        text += f"\n{STATS_BEGIN}\n{STATS_END}\n"
    new_readme = re.sub(re.escape(STATS_BEGIN) + r".*?" + re.escape(STATS_END),
                        lambda _: f"{STATS_BEGIN}\n{report}\n{STATS_END}", text, flags=re.S)
    files = {HERE / f"{s}.jsonl": dump(out[s]) for s in SPLITS}
    files[readme] = new_readme
    if args.check:
        stale = [p.name for p, body in files.items() if not p.exists() or p.read_text(encoding="utf-8") != body]
        if stale:
            raise SystemExit(f"out of date: {', '.join(stale)} (run build.py)")
        print("up to date")
        return
    for p, body in files.items():
        p.write_text(body, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
