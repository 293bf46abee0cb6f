"""Score newsmon, trafilatura and GNE side by side on the shared corpus, in one run.

    python -m benchmarks.extraction [--only newsmon] [--details] [--json FILE]

Body: character F1 (multiset of non-space characters) against every page of the
corpus that has a body truth, one row per dataset, labelled with the strength of
its truth (human / regression / extractor output: never compare rows of
different strengths as if they were the same). Lines of the truth or of an
extractor's output that are just the page title are dropped on both sides, so
an extractor is neither rewarded nor punished for repeating the title in the
body (the magic-html truths sometimes start with it).

Metadata: title exact match, date to the day, date to the minute (pages whose
gold date has a time), source and authors, against the hand-checked gold file
benchmarks/gold/extraction_gold.jsonl. Speed: pages per second of each
extractor over the same pages (all pages scored above), in the same process.

Unseen templates: the same date and title scores on benchmarks/data/extract_unseen
(real pages of sites the corpus does not have), per split. Rules were developed
against the dev split only; test is reported, never tuned on, and --details
never prints a test page.

The corpus is read from $NEWSMON_CORPUS, default <repo>/../shared/corpus.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import json
import logging
import os
import re
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.results import recorded

ROOT = Path(__file__).resolve().parent.parent

from newsmon.extract import extract  # noqa: E402
from newsmon.extract.dates import SHANGHAI, parse_date  # noqa: E402

CORPUS = Path(os.environ.get("NEWSMON_CORPUS") or ROOT.parent / "shared" / "corpus")
GOLD = ROOT / "benchmarks" / "gold" / "extraction_gold.jsonl"
UNSEEN = ROOT / "benchmarks" / "data" / "extract_unseen"
SPLITS = ("dev", "test")
EXTRACTORS = ("newsmon", "trafilatura", "gne")
HUMAN, REGRESSION, WEAK = "human", "regression", "extractor output"
_SPACE = re.compile(r"\s+")


@dataclass
class Page:
    path: str                      # relative to the corpus
    url: str = ""
    dataset: str = ""
    strength: str = ""             # strength of the body truth
    body: str | None = None        # body truth
    snippets: dict | None = None   # trafilatura_zh: {"with": [...], "without": [...]}
    gold: dict | None = None       # hand-checked metadata


@dataclass
class Result:
    title: str = ""
    date: tuple[dt.datetime, str] | None = None   # (aware datetime, precision)
    source: str = ""
    authors: list[str] = field(default_factory=list)
    content: str = ""


# --- corpus ------------------------------------------------------------------
def _read_text(path: Path, encoding: str = "utf-8") -> str:
    return path.read_bytes().decode(encoding, errors="replace")


def _html_text(path: Path) -> str:
    import lxml.html

    tree = lxml.html.fromstring(_read_text(path))
    blocks = tree.xpath("//p|//h1|//h2|//h3|//h4|//li|//pre|//blockquote")
    return "\n".join(b.text_content().strip() for b in blocks if b.text_content().strip())


def load_pages(corpus: Path = CORPUS) -> list[Page]:
    """Every corpus page that has a body truth or a gold record."""
    pages: dict[str, Page] = {}

    def add(rel: str, **kw) -> None:
        page = pages.setdefault(rel, Page(path=rel))
        for k, v in kw.items():
            if v is not None:
                setattr(page, k, v)

    magic = json.loads(_read_text(corpus / "magic-html_zh" / "base_zh_subset.json"))
    for sha, item in magic.items():
        add(f"magic-html_zh/htmls/{sha}.html", url=item.get("url", ""), dataset="magic-html_zh", strength=HUMAN,
            body=item.get("content") or "")
    cctv = "htmltotext-benchmark_zh/benchmarkdata/zh"
    for html in sorted((corpus / cctv / "html").glob("*.html")):
        txt = corpus / cctv / "text" / (html.stem + ".txt")
        if txt.exists():
            add(f"{cctv}/html/{html.name}", dataset="htmltotext-benchmark_zh", strength=HUMAN, body=_read_text(txt))
    for name in ("gmw", "qq", "youth"):
        base = corpus / "readability" / "test" / "test-pages" / name
        if base.exists():
            add(f"readability/test/test-pages/{name}/source.html", dataset="readability", strength=REGRESSION,
                body=_html_text(base / "expected.html"))
    fundus = corpus / "fundus_people" / "tests" / "resources" / "parser" / "test_data" / "cn"
    if fundus.exists():
        truth = json.loads(_read_text(fundus / "People.json"))["V1"]["body"]
        paras = [p for s in truth["sections"] for p in s["headline"] + s["paragraphs"]]
        meta = json.loads(_read_text(fundus / "meta.info"))
        add(str((fundus / "People_2024_04_24.html.gz").relative_to(corpus)), dataset="fundus_people",
            strength=REGRESSION, body="\n".join(paras), url=meta["People_2024_04_24.html.gz"]["url"])
    n4k = corpus / "newspaper4k" / "tests" / "data"
    for html in sorted((n4k / "html").glob("chinese_article*.html")):
        meta = n4k / "metadata" / (html.stem + ".json")
        url = json.loads(_read_text(meta)).get("url", "") if meta.exists() else ""
        add(f"newspaper4k/tests/data/html/{html.name}", dataset="newspaper4k", strength=REGRESSION,
            body=_read_text(n4k / "txt" / (html.stem + ".txt")), url=url or None)
    gne_results = _read_text(corpus / "gne" / "result.txt")
    for m in re.finditer(r">{5,}(tests/\S+?)>{5,}\n(.*?)\n<{5,}", gne_results, re.S):
        add(f"gne/{m[1]}", dataset="gne", strength=WEAK, body=json.loads(m[2]).get("content", ""))
    cx = corpus / "cx-extractor_163finance"
    for txt in sorted((cx / "Text").glob("*.txt"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        add(f"cx-extractor_163finance/RawHtml/{txt.stem}.html", dataset="cx-extractor_163finance", strength=WEAK,
            body=_read_text(txt, "gb18030"))
    traf = json.loads(_read_text(corpus / "trafilatura_zh" / "evaldata_zh_subset.json"))
    for url, item in traf.items():
        add(f"trafilatura_zh/{item['file']}", url=url, dataset="trafilatura_zh", strength=HUMAN,
            snippets={"with": item["with"], "without": item["without"]})
    if GOLD.exists():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                add(rec["path"], gold=rec, url=rec.get("url") or None)
    return [p for p in pages.values() if (corpus / p.path).exists()]


def load_unseen(split: str | None = None) -> list[dict]:
    """The gold records of the unseen-template set (one split, or all), in file order."""
    recs = [json.loads(line) for line in (UNSEEN / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in recs if split is None or r["split"] == split]


def read_bytes(corpus: Path, rel: str) -> bytes:
    data = (corpus / rel).read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


# --- extractors -------------------------------------------------------------
def run_newsmon(body: bytes, url: str) -> Result:
    ex = extract(body, url)
    date = (ex.published_at, ex.published_precision) if ex.published_at else None
    return Result(ex.title, date, ex.outlet, ex.authors, ex.content)


def _their_date(value) -> tuple[dt.datetime, str] | None:
    """Normalise another extractor's date string (naive times are Asia/Shanghai)."""
    if not value:
        return None
    got = parse_date(str(value))
    if got and got[0].tzinfo is None:
        got = (got[0].replace(tzinfo=SHANGHAI), got[1])
    return got


def _split_authors(value) -> list[str]:
    if not value or value in ("未知", "None"):
        return []
    return [a.strip() for a in re.split(r"[;；,，、\s]+", str(value)) if a.strip()]


def run_trafilatura(body: bytes, url: str) -> Result:
    import trafilatura
    from trafilatura.settings import set_date_params

    # trafilatura's own date defaults, asking only for the time of day as well
    params = {**set_date_params(), "outputformat": "%Y-%m-%d %H:%M:%S"}
    doc = trafilatura.bare_extraction(body, url=url or None, with_metadata=True, date_extraction_params=params)
    if doc is None:
        return Result()
    date = _their_date(doc.date)
    if date and date[0].hour == 0 and date[0].minute == 0 and date[0].second == 0:
        date = (date[0], "day")   # htmldate pads a day-only date with 00:00:00
    return Result(doc.title or "", date, "", _split_authors(doc.author), doc.text or "")


def _decode_for_gne(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def run_gne(body: bytes, url: str) -> Result:
    from gne import GeneralNewsExtractor

    try:
        got = GeneralNewsExtractor().extract(_decode_for_gne(body))
    except Exception:  # GNE raises on pages it cannot parse; that is a miss, not a crash
        return Result()
    return Result(got.get("title") or "", _their_date(got.get("publish_time")), "",
                  _split_authors(got.get("author")), got.get("content") or "")


RUNNERS = {"newsmon": run_newsmon, "trafilatura": run_trafilatura, "gne": run_gne}


# --- scoring ----------------------------------------------------------------
def norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def drop_title_lines(text: str, title: str) -> str:
    t = norm(title)
    return "\n".join(line for line in (text or "").split("\n") if not t or norm(line) != t)


def char_f1(pred: str, truth: str) -> float:
    p = collections.Counter(norm(pred))
    t = collections.Counter(norm(truth))
    if not p and not t:
        return 1.0
    common = sum((p & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def snippet_score(content: str, snippets: dict) -> float:
    text = norm(content)
    hits = [(norm(s) in text) for s in snippets["with"]] + [(norm(s) not in text) for s in snippets["without"]]
    return sum(hits) / len(hits)


def gold_date(value: str | None) -> tuple[dt.datetime, str] | None:
    if not value:
        return None
    precision = "day" if len(value) == 10 else ("second" if value.count(":") >= 3 or re.search(r"T\d\d:\d\d:\d\d", value) else "minute")
    when = dt.datetime.fromisoformat(value)
    return (when if when.tzinfo else when.replace(tzinfo=SHANGHAI)), precision


def date_scores(pred, gold) -> tuple[bool | None, bool | None]:
    """(correct to the day, correct to the minute or None when the gold has no time)."""
    if gold is None:
        return (pred is None), None
    g, gp = gold
    if pred is None:
        return False, (False if gp != "day" else None)
    p, pp = pred
    day = p.astimezone(SHANGHAI).date() == g.astimezone(SHANGHAI).date()
    if gp == "day":
        return day, None
    minute = pp in ("minute", "second") and p.astimezone(SHANGHAI).replace(second=0) == g.astimezone(SHANGHAI).replace(second=0)
    return day, minute


def unseen_scores(rec: dict, result: Result) -> dict:
    """Day / minute / title correctness of one extractor's result on one unseen-set page.

    A page whose only date is in an HTML comment (zone "meta") may also be left without a date, and is
    scored to the day only.
    """
    day, minute = date_scores(result.date, gold_date(rec.get("published_at")))
    if rec.get("zone") == "meta":
        day, minute = day or result.date is None, None
    return {"day": day, "minute": minute, "title": norm(result.title) == norm(rec["title"])}


def _authors_equal(pred: list[str], gold: list[str]) -> bool:
    return {norm(a) for a in pred if norm(a)} == {norm(a) for a in gold if norm(a)}


# --- the run ----------------------------------------------------------------
def run(corpus: Path, only: list[str], details: bool) -> dict:
    pages = load_pages(corpus)
    data = {p.path: read_bytes(corpus, p.path) for p in pages}
    logging.disable(logging.CRITICAL)   # trafilatura / GNE log per page
    results: dict[str, dict[str, Result]] = {}
    seconds: dict[str, float] = {}
    for name in only:
        runner = RUNNERS[name]
        runner(data[pages[0].path], pages[0].url)   # warm-up: imports, compiled patterns
        out, total = {}, 0.0
        for p in pages:
            start = time.perf_counter()
            out[p.path] = runner(data[p.path], p.url)
            total += time.perf_counter() - start
        results[name], seconds[name] = out, total
    logging.disable(logging.NOTSET)

    report: dict = {"pages": len(pages), "corpus": str(corpus), "body": [], "snippets": [], "gold": {}, "speed": {}}
    datasets: dict[tuple[str, str], list[Page]] = collections.defaultdict(list)
    for p in pages:
        if p.body is not None and norm(p.body):
            datasets[(p.dataset, p.strength)].append(p)
    for (ds, strength), group in sorted(datasets.items(), key=lambda kv: (kv[0][1] != HUMAN, kv[0][1] != REGRESSION, kv[0][0])):
        row = {"dataset": ds, "truth": strength, "pages": len(group)}
        for name in only:
            f1s = []
            for p in group:
                title = (p.gold or {}).get("title") or results[name][p.path].title
                f1 = char_f1(drop_title_lines(results[name][p.path].content, title), drop_title_lines(p.body, title))
                f1s.append(f1)
                if details and name == only[0]:
                    print(f"  {f1:.3f} {p.path}", file=sys.stderr)
            row[name] = statistics.mean(f1s)
        report["body"].append(row)
    snip = [p for p in pages if p.snippets]
    if snip:
        report["snippets"].append({"dataset": "trafilatura_zh", "truth": HUMAN, "pages": len(snip),
                                   **{n: statistics.mean(snippet_score(results[n][p.path].content, p.snippets) for p in snip) for n in only}})
    gold = [p for p in pages if p.gold]
    for name in only:
        title_ok, day_ok, minute_ok, source_ok, author_ok = [], [], [], [], []
        for p in gold:
            g, r = p.gold, results[name][p.path]
            undecided = set(g.get("undecided") or [])
            wrong = []
            if "title" not in undecided:
                title_ok.append(norm(r.title) == norm(g["title"]))
                if not title_ok[-1]:
                    wrong.append(f"title {r.title!r} gold {g['title']!r}")
            if "published_at" not in undecided:
                day, minute = date_scores(r.date, gold_date(g.get("published_at")))
                day_ok.append(day)
                if minute is not None:
                    minute_ok.append(minute)
                if not day or minute is False:
                    wrong.append(f"date {r.date and r.date[0].isoformat()} ({r.date and r.date[1]}) gold {g.get('published_at')}")
            if "source" not in undecided:
                source_ok.append(norm(r.source) == norm(g.get("source") or ""))
                if not source_ok[-1] and name == "newsmon":
                    wrong.append(f"source {r.source!r} gold {g.get('source')!r}")
            if "authors" not in undecided:
                author_ok.append(_authors_equal(r.authors, g.get("authors") or []))
                if not author_ok[-1]:
                    wrong.append(f"authors {r.authors} gold {g.get('authors')}")
            if details and name == only[0] and wrong:
                print(f"  {p.path}: " + " | ".join(wrong), file=sys.stderr)
        rate = lambda xs: (sum(xs) / len(xs)) if xs else None  # noqa: E731
        report["gold"][name] = {"title": rate(title_ok), "date_day": rate(day_ok), "date_minute": rate(minute_ok),
                                "source": rate(source_ok) if name == "newsmon" else None, "authors": rate(author_ok),
                                "n": {"title": len(title_ok), "day": len(day_ok), "minute": len(minute_ok),
                                      "source": len(source_ok), "authors": len(author_ok)}}
    for name in only:
        report["speed"][name] = len(pages) / seconds[name] if seconds[name] else None
    if UNSEEN.exists():
        report["unseen"] = run_unseen(only, details)
    return report


def run_unseen(only: list[str], details: bool) -> dict:
    """Date and title scores per split on the unseen-template set; --details shows dev pages only."""
    recs = load_unseen()
    data = [read_bytes(UNSEEN / "pages", r["path"]) for r in recs]
    logging.disable(logging.CRITICAL)
    got = {name: [RUNNERS[name](body, r.get("url") or "") for r, body in zip(recs, data)] for name in only}
    logging.disable(logging.NOTSET)
    scored = {name: [unseen_scores(r, res) for r, res in zip(recs, got[name])] for name in only}
    rate = lambda xs: (sum(xs) / len(xs)) if xs else None  # noqa: E731
    out: dict = {"sites": len({r["site"] for r in recs}), "splits": {}}
    for split in SPLITS:
        idx = [i for i, r in enumerate(recs) if r["split"] == split]
        row: dict = {"pages": len(idx), "sites": len({recs[i]["site"] for i in idx}),
                     "minute_pages": sum(scored[only[0]][i]["minute"] is not None for i in idx)}
        for name in only:
            mine = [scored[name][i] for i in idx]
            by_site: dict[str, list[bool]] = collections.defaultdict(list)
            for i in idx:
                by_site[recs[i]["site"]].append(scored[name][i]["day"])
            row[name] = {"day": rate([x["day"] for x in mine]),
                         "minute": rate([x["minute"] for x in mine if x["minute"] is not None]),
                         "title": rate([x["title"] for x in mine]),
                         "day_per_site": statistics.mean(rate(v) for v in by_site.values())}
        out["splits"][split] = row
    for i, r in enumerate(recs):
        first = scored[only[0]][i]
        if details and r["split"] == "dev" and (not first["day"] or first["minute"] is False or not first["title"]):
            shown = "; ".join(f"{n} {g[i].date and g[i].date[0].isoformat()} {g[i].title[:30]!r}" for n, g in got.items())
            print(f"  unseen dev {r['path']}: gold {r['published_at']} {r['title'][:30]!r} | {shown}", file=sys.stderr)
    return out


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def render(report: dict, only: list[str]) -> str:
    head = "| " + " | ".join(only) + " |"
    sep = "|---:" * len(only) + "|"
    lines = [f"Corpus: {report['corpus']} ({report['pages']} pages scored)", "",
             "Body character F1 (mean per page; multiset of non-space characters):", "",
             "| dataset | truth | pages " + head, "|---|---|---:" + sep]
    for row in report["body"]:
        lines.append(f"| {row['dataset']} | {row['truth']} | {row['pages']} | " + " | ".join(_fmt(row[n]) for n in only) + " |")
    for row in report["snippets"]:
        lines.append(f"| {row['dataset']} (must / must-not snippets, share right) | {row['truth']} | {row['pages']} | "
                     + " | ".join(_fmt(row[n]) for n in only) + " |")
    if any(report["gold"][n]["n"]["title"] for n in only):
        n = report["gold"][only[0]]["n"]
        lines += ["", f"Metadata against the hand-checked gold file ({GOLD.relative_to(ROOT)}; human, checked by hand for this project):", "",
                  "| field | pages " + head, "|---|---:" + sep]
        for key, label in (("title", "title exact"), ("date_day", "date to the day"), ("date_minute", "date to the minute (gold has a time)"),
                           ("source", "source (来源)"), ("authors", "authors (set equal)")):
            count = n[{"date_day": "day", "date_minute": "minute"}.get(key, key)]
            lines.append(f"| {label} | {count} | " + " | ".join(_fmt(report['gold'][x][key]) for x in only) + " |")
    lines += ["", "| speed | pages " + head, "|---|---:" + sep,
              f"| pages per second (same pages, one process) | {report['pages']} | "
              + " | ".join(f"{report['speed'][n]:.1f}" for n in only) + " |"]
    if report.get("unseen"):
        lines += render_unseen(report["unseen"], only)
    return "\n".join(lines)


def render_unseen(unseen: dict, only: list[str]) -> list[str]:
    head = "| " + " | ".join(only) + " |"
    sep = "|---:" * len(only) + "|"
    lines = ["", f"Unseen templates ({UNSEEN.relative_to(ROOT)}; {sum(r['pages'] for r in unseen['splits'].values())} pages, "
             f"{unseen['sites']} sites, split by site; rules developed on dev only, test never tuned on):", "",
             "| split | field | pages | " + head[2:], "|---|---|---:" + sep]
    for split, row in unseen["splits"].items():
        for key, label, count in (("day", "date to the day", row["pages"]),
                                  ("minute", "date to the minute (gold has a time)", row["minute_pages"]),
                                  ("day_per_site", f"date to the day, mean over {row['sites']} sites", row["pages"]),
                                  ("title", "title exact", row["pages"])):
            lines.append(f"| {split} | {label} | {count} | " + " | ".join(_fmt(row[n][key]) for n in only) + " |")
    if "newsmon" in only and "gne" in only:
        for split, row in unseen["splits"].items():
            lines.append(f"\n{split}: newsmon − gne, date to the day: {row['newsmon']['day'] - row['gne']['day']:+.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", choices=EXTRACTORS, help="run only these extractors (repeatable)")
    parser.add_argument("--details", action="store_true",
                        help="per-page body F1 and metadata mismatches of the first extractor on stderr (unseen set: dev pages only)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"corpus not found at {CORPUS}; set NEWSMON_CORPUS", file=sys.stderr)
        return 2
    only = args.only or list(EXTRACTORS)
    report = run(CORPUS, only, args.details)
    print(render(report, only))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    with recorded("extraction", "Extraction"):
        code = main()
    sys.exit(code)
