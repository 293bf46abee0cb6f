"""Accuracy of newsmon's labels and speed of the segment+label stage, in one run.

  .venv/bin/python benchmarks/labels.py [--gold PATH] [--corpus-set PATH] [-v]

Accuracy per label on two hand-labelled sets:
  * ../shared/gold/labels_dev.jsonl (the analysts' 14 items);
  * benchmarks/data/labels_corpus.jsonl (items from real articles of
    ../shared/corpus, labelled by hand; ``holdout`` items were labelled after the
    rules were tuned and are also scored on their own).
A category counts when it equals the gold category or one of category_also; a gold
level "local" counts when the prediction is provincial, city or district; province
is scored on the items whose gold has one (the target), region likewise, city on
items whose gold states it (null included).

Throughput: bare ``jieba.lcut(title + "\\n" + text)`` and the whole stage
the whole analyser (``analyse(title, text)``) on the same real corpus articles, interleaved
article by article after one warm-up pass and averaged over several passes;
articles per second and the ratio printed side by side.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import sys
import time
from pathlib import Path

from benchmarks.results import recorded

ROOT = Path(__file__).resolve().parent.parent

GOLD = ROOT.parent / "shared" / "gold" / "labels_dev.jsonl"
CORPUS_SET = ROOT / "benchmarks" / "data" / "labels_corpus.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"
TARGETS = {"category": 0.90, "level": 0.95, "province": 0.95}
MAX_RATIO = 1.5
LOCAL = {"provincial", "city", "district"}


def load_items(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def judge(pred: dict, gold: dict) -> dict[str, bool | None]:
    """Per label: True/False, or None when the gold does not score that label."""
    level = gold.get("level")
    out = {
        "category": pred["category"] == gold["category"] or pred["category"] in (gold.get("category_also") or []),
        "level": (pred["level"] in LOCAL) if level == "local" else pred["level"] == level,
        "level_exact": None if level == "local" else pred["level"] == level,
        "province": pred["province"] == gold["province"] if gold.get("province") else None,
        "region": pred["region"] == gold["region"] if gold.get("region") else None,
        "city": pred["city"] == gold["city"] if "city" in gold else None,
    }
    return out


COLUMNS = ("category", "level", "province", "region", "city", "level_exact")


def score(items: list[dict], analyse, verbose: bool) -> dict[str, tuple[int, int]]:
    totals = {c: [0, 0] for c in COLUMNS}
    for item in items:
        pred = analyse(item.get("title") or "", item.get("text") or "")
        for label, ok in judge(pred, item["gold"]).items():
            if ok is None:
                continue
            totals[label][0] += bool(ok)
            totals[label][1] += 1
            if verbose and not ok:
                gold = item["gold"].get(label if label != "level_exact" else "level")
                print(f"  miss {item['id']:<6} {label:<11} got {pred[label if label != 'level_exact' else 'level']!s:<10} "
                      f"want {gold!s:<10} {(item.get('title') or item.get('text'))[:40]}")
    return {c: (ok, n) for c, (ok, n) in totals.items()}


def fmt(ok_n: tuple[int, int]) -> str:
    ok, n = ok_n
    return f"{ok / n:.3f} ({ok}/{n})" if n else "-"


def corpus_articles(limit: int | None = None) -> list[tuple[str, str]]:
    """(title, body) of every article page in ../shared/corpus, extracted as the crawler does."""
    from newsmon.extract import extract

    index = CORPUS / "INDEX.tsv"
    if not index.exists():
        return []
    out = []
    with index.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["kind"] != "article":
                continue
            body = (CORPUS / row["path"]).read_bytes()
            if row["path"].endswith(".gz"):
                body = gzip.decompress(body)
            e = extract(body, "")
            if e.content:
                out.append((" ".join(e.title.split()), e.content))
    return out[:limit] if limit else out


def throughput(texts: list[tuple[str, str]], analyse, passes: int) -> tuple[float, float]:
    """Seconds for bare jieba.lcut and for analyse over all texts, summed over passes.

    The two run article by article, interleaved, so a busy machine slows both alike.
    """
    from newsmon.text.tokenizer import build_tokenizer

    lcut, clock = build_tokenizer({}).lcut, time.perf_counter  # bare jieba: its own dictionary only
    for title, text in texts:  # warm-up: dictionaries and caches
        lcut(title + "\n" + text)
        analyse(title, text)
    bare = stage = 0.0
    for _ in range(passes):
        for title, text in texts:
            t0 = clock()
            lcut(title + "\n" + text)
            t1 = clock()
            analyse(title, text)
            t2 = clock()
            bare += t1 - t0
            stage += t2 - t1
    return bare / passes, stage / passes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="analysts' gold file (default %(default)s)")
    parser.add_argument("--corpus-set", type=Path, default=CORPUS_SET, help="our hand-labelled set")
    parser.add_argument("--passes", type=int, default=3, help="timed passes for throughput (averaged)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    logging.getLogger("jieba").setLevel(logging.WARNING)

    from newsmon.testing.text import analyse

    t = time.perf_counter()
    analyse("", "预热")  # load jieba, the domain dictionary and config/text once
    load_s = time.perf_counter() - t

    sets = []
    if args.gold.exists():
        sets.append((f"gold {args.gold.name}", load_items(args.gold)))
    else:
        print(f"note: {args.gold} not found, gold set skipped")
    corpus_items = load_items(args.corpus_set)
    sets.append((f"corpus {args.corpus_set.name}", corpus_items))
    holdout = [i for i in corpus_items if i.get("holdout")]
    if holdout:
        sets.append(("  of which hold-out", holdout))

    print(f"newsmon labels benchmark (setup: jieba + config/text loaded in {load_s:.2f}s)\n")
    print(f"{'set':<34}{'items':>6}  " + "  ".join(f"{c:<16}" for c in COLUMNS))
    verdicts = []
    for name, items in sets:
        if args.verbose:
            print(f"{name}:")
        result = score(items, analyse, args.verbose)
        print(f"{name:<34}{len(items):>6}  " + "  ".join(f"{fmt(result[c]):<16}" for c in COLUMNS))
        if not name.startswith("  "):
            for label, target in TARGETS.items():
                ok, n = result[label]
                verdicts.append((name, label, ok / n if n else 1.0, target))

    texts = corpus_articles() or [(i.get("title") or "", i["text"]) for _, items in sets for i in items]
    chars = sum(len(a) + len(b) + 1 for a, b in texts)
    bare, stage = throughput(texts, analyse, args.passes)
    ratio = stage / bare
    print(f"\nthroughput on {len(texts)} corpus articles ({chars} chars), mean of {args.passes} interleaved passes after a warm-up:")
    print(f"  {'bare jieba.lcut':<26}{bare:8.3f}s  {len(texts) / bare:8.1f} articles/s")
    print(f"  {'segment+label (analyse)':<26}{stage:8.3f}s  {len(texts) / stage:8.1f} articles/s")
    print(f"  {'ratio stage / bare':<26}{ratio:8.2f}   (target <= {MAX_RATIO})")

    print("\ntargets:")
    for name, label, value, target in verdicts:
        print(f"  {name:<32} {label:<9} {value:.3f} >= {target:.2f}  {'met' if value >= target else 'NOT MET'}")
    print(f"  {'throughput':<32} {'ratio':<9} {ratio:.2f} <= {MAX_RATIO:.2f}  {'met' if ratio <= MAX_RATIO else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    with recorded("labels", "Labels"):
        code = main()
    sys.exit(code)
