"""Template drift: how much of a list page's real article list survives a redesign.

    .venv/bin/python -m benchmarks.drift            # every page, both splits
    .venv/bin/python -m benchmarks.drift --show PATH_PART   # the links found on one page

Input: the hand-made gold set in benchmarks/data/listpages/ (15 real list pages,
each with the links of its main article list, judged by hand; see its README)
whose pages live in the shared corpus (NEWSMON_CORPUS, default ../shared/corpus)
or in benchmarks/data/listpages/pages/.

Every page is *drifted* the way template changes go: every class and id renamed,
the list's tags changed (ul/ol -> div, li -> p, or div when the item holds
blocks), and the configured selector (the gold's own item XPath, which names
classes) kept as it was, now stale. On the drifted page the benchmark runs

* **baseline**: the configured selector only (what newsmon did before drift
  fallback: a stale selector finds nothing), and
* **fallback**: the spider's own list parsing (crawler.discovery.entries), which
  falls back from a selector that matches nothing to the generic detector,

and scores each against the page's gold links: recall (share of the gold links
found) and precision (share of the found links that are gold). The split is
fixed: five pages drawn at random (seed 14) are held out and were never looked
at while the detector's rules were written; both splits are reported. Since
the second round of rules (forms that wrap a list, portal channel boxes) the
held-out split is no longer blind: its two failing pages (gne 163/1, a portal
home page; netease_forum/1, a forum board) were read to find which *kind* of
page defeated the detector; the rules were then written and checked on the
tuning split and on synthetic pages of those kinds (tests/test_drift.py), not
fitted to those two pages.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from crawler.discovery.entries import list_entries
from crawler.discovery.listpages import parse_list
from newsmon.testing.drift import drift

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "listpages"
CORPUS = Path(os.environ.get("NEWSMON_CORPUS", ROOT.parent / "shared" / "corpus"))
# random.Random(14).sample(sorted(paths), 5): not tuned on; 163/1 and netease_forum/1 were read once to see
# which kind of page failed (see the docstring), so the split is no longer blind
HELD_OUT = {
    "corpus:gerapy_autoextractor/samples/list/hrfund_announcement.html",
    "corpus:gerapy_autoextractor/samples/list/zhihu_search_result.html",
    "corpus:gne/test_list_page/163/1.html",
    "corpus:gne/test_list_page/163/2.html",
    "corpus:gne/test_list_page/netease_forum/1.html",
}
TARGET = 0.90
def page_file(path: str) -> Path:
    kind, rel = path.split(":", 1)
    return CORPUS / rel if kind == "corpus" else DATA / "pages" / rel


def stale_selector(row: dict) -> str:
    """The configured selector of the page: the gold's item XPath (it names the old classes)."""
    return row["main_xpath"]["items"]


def score(found: list[str], gold: set[str]) -> tuple[float, float, int]:
    got = set(found)
    hit = len(got & gold)
    recall = hit / len(gold) if gold else 0.0
    precision = hit / len(got) if got else 0.0
    return recall, precision, len(got)


def rows() -> list[dict]:
    return [json.loads(line) for line in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]


def evaluate(row: dict) -> dict:
    body = page_file(row["path"]).read_bytes()
    drifted = drift(body)
    gold = set(row["articles"])
    selector = stale_selector(row)
    out = {"path": row["path"], "split": "held-out" if row["path"] in HELD_OUT else "tuning", "gold": len(gold)}
    before = parse_list(body, row["url"], links=selector)
    out["original_selector"] = score([e.url for e in before], gold)
    base = parse_list(drifted, row["url"], links=selector)
    out["baseline"] = score([e.url for e in base], gold)
    start = time.perf_counter()
    found = list_entries(drifted, row["url"], links=selector, article_re=None)
    out["ms"] = (time.perf_counter() - start) * 1000
    out["fallback"] = score([e.url for e in found.entries], gold)
    out["how"] = found.how
    plain = list_entries(body, row["url"], links="//nothing[@matches]", article_re=None)
    out["generic_original"] = score([e.url for e in plain.entries], gold)
    out["found"] = found.entries
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", metavar="PATH_PART", help="print the links found on the matching page(s)")
    args = parser.parse_args(argv)
    results = [evaluate(r) for r in rows()]
    if args.show:
        gold = {r["path"]: set(r["articles"]) for r in rows()}
        for res in results:
            if args.show in res["path"]:
                for e in res["found"]:
                    print(("  " if e.url in gold[res["path"]] else "X ") + f"{e.url}  {e.title[:40]}")
        return 0
    from benchmarks.results import recorded

    with recorded("drift", "Template drift"):
        report(results)
    return 0


def report(results: list[dict]) -> None:
    print(f"{len(results)} real list pages (gold: benchmarks/data/listpages), drifted: classes and ids renamed, "
          "ul/ol/li rebuilt as div/p, configured selector stale.")
    print("orig sel R = the configured selector's recall on the page before drift; gen R/P = the generic detector on it")
    print("baseline = the configured selector only, on the drifted page; fallback = crawler.discovery.entries "
          "(selector, then the generic detector), on the drifted page")
    print(f"target: recall >= {TARGET:.2f} and precision >= {TARGET:.2f} on every page")
    print("held-out: never tuned on; its two pages that failed the first rules (163/1, netease_forum/1) were read to "
          "find the kind of page at fault, so it is no longer a blind test\n")
    for split in ("tuning", "held-out"):
        part = [r for r in results if r["split"] == split]
        print(f"## {split} split ({len(part)} pages)")
        print(f"{'page':58} {'gold':>5} | {'orig sel R':>10} {'gen R':>5} {'gen P':>5} | {'base R':>6} {'base P':>6} | "
              f"{'fb R':>5} {'fb P':>5} {'found':>5} {'how':>8} {'ms':>6} | ok")
        for r in part:
            name = r["path"].split(":", 1)[1][-58:]
            o, g, b, f = r["original_selector"], r["generic_original"], r["baseline"], r["fallback"]
            ok = "yes" if f[0] >= TARGET and f[1] >= TARGET else "NO"
            print(f"{name:58} {r['gold']:>5} | {o[0]:>10.2f} {g[0]:>5.2f} {g[1]:>5.2f} | {b[0]:>6.2f} {b[1]:>6.2f} | "
                  f"{f[0]:>5.2f} {f[1]:>5.2f} {f[2]:>5} {r['how'] or '-':>8} {r['ms']:>6.1f} | {ok}")
        n = len(part)
        met = sum(r["fallback"][0] >= TARGET and r["fallback"][1] >= TARGET for r in part)
        print(f"{'mean':58} {'':>5} | {sum(r['original_selector'][0] for r in part) / n:>10.2f} "
              f"{sum(r['generic_original'][0] for r in part) / n:>5.2f} {sum(r['generic_original'][1] for r in part) / n:>5.2f} | "
              f"{sum(r['baseline'][0] for r in part) / n:>6.2f} {sum(r['baseline'][1] for r in part) / n:>6.2f} | "
              f"{sum(r['fallback'][0] for r in part) / n:>5.2f} {sum(r['fallback'][1] for r in part) / n:>5.2f}")
        print(f"pages meeting the target: {met} of {n}\n")


if __name__ == "__main__":
    raise SystemExit(main())
