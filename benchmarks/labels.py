"""Accuracy of newsmon's labels and speed of the segment+label stage, in one run.

  .venv/bin/python benchmarks/labels.py [--gold PATH] [--corpus-set PATH] [--folds K] [-v]

The labelled set of issue 13 (benchmarks/data/labels/): the test split (never
tuned on) and the analysts' labels_dev.jsonl get category accuracy, per-class
precision / recall / F1, the confusion matrix, level (exact, central vs local),
province and city; train+dev get K-fold cross-validated figures, the category
model retrained on each fold's other parts (folds by split unit, so one story's
reprints stay in one fold). Targets on the test split: see TARGETS_13.

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
LABELS_DIR = ROOT / "benchmarks" / "data" / "labels"
CLASSES = ("policy", "application", "voice", "other")
TARGETS_13 = {"category accuracy": 0.90, "category macro-F1": 0.85, "voice recall": 0.85,
              "central vs local": 0.97, "province": 0.97}
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


# --- issue 13: the labelled set ---------------------------------------------------------------------
def as_gold(item: dict) -> dict:
    """One gold form for both files: labels (labelled set) or gold (labels_dev.jsonl)."""
    g = item.get("labels") or item["gold"]
    return {"category": g["category"], "also": list(g.get("category_also") or []), "level": g.get("level"),
            "province": g.get("province"), "city": g.get("city"), "has_city": "city" in g}


def category_report(pairs: list[tuple[str, str, list]], name: str) -> dict[str, float]:
    """Print accuracy, per-class P/R/F1 and the confusion matrix of (gold, predicted, also) pairs."""
    n = len(pairs)
    pairs = [(p if p in also else g, p, also) for g, p, also in pairs]  # an accepted other category counts as gold
    ok = sum(p == g for g, p, _ in pairs)
    print(f"  category accuracy {ok / n:.3f} ({ok}/{n})")
    print(f"  {'class':<12}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}{'said':>6}")
    f1s, out = [], {"category accuracy": ok / n}
    for c in CLASSES:
        tp = sum(g == c and p == c for g, p, _ in pairs)
        said = sum(p == c for _, p, _ in pairs)
        gold = sum(g == c for g, _, _ in pairs)
        prec = tp / said if said else 0.0
        rec = tp / gold if gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if gold:
            f1s.append(f1)
        out[f"{c} recall"] = rec
        print(f"  {c:<12}{prec:>10.3f}{rec:>8.3f}{f1:>7.3f}{gold:>6}{said:>6}")
    out["category macro-F1"] = sum(f1s) / len(f1s)
    print(f"  macro-F1 {out['category macro-F1']:.3f} (over the {len(f1s)} classes present)")
    print("  confusion, rows gold, columns said: " + "".join(f"{c:>12}" for c in CLASSES))
    for g in CLASSES:
        row = [sum(gg == g and p == c for gg, p, _ in pairs) for c in CLASSES]
        print(f"  {'':<24}{g:<12}" + "".join(f"{v:>12}" for v in row))
    return out


def place_report(rows: list[tuple[dict, dict]]) -> dict[str, float]:
    """Level exact, central vs local, province and city of (gold, predicted) rows."""
    def share(pairs):
        pairs = list(pairs)
        return (sum(pairs), len(pairs))

    exact = share(p["level"] == g["level"] for g, p in rows if g["level"] in ("central", *LOCAL))
    cvl = share((p["level"] == "central") == (g["level"] == "central") and p["level"] is not None
                for g, p in rows if g["level"])
    prov = share(p["province"] == g["province"] for g, p in rows if g["province"])
    prov_all = share(p["province"] == g["province"] for g, p in rows)
    city = share(p["city"] == g["city"] for g, p in rows if g["has_city"])
    for label, v in (("level exact", exact), ("central vs local", cvl), ("province (gold has one)", prov),
                     ("province (all items, null = null)", prov_all), ("city (null = null)", city)):
        print(f"  {label:<34}{fmt(v)}")
    return {"central vs local": cvl[0] / cvl[1] if cvl[1] else 1.0, "province": prov[0] / prov[1] if prov[1] else 1.0}


def labelled_report(name: str, items: list[dict], label, verbose: bool) -> dict[str, float]:
    print(f"\n{name}: {len(items)} items")
    pairs, rows = [], []
    for item in items:
        gold, pred = as_gold(item), label(item.get("title") or "", item.get("text") or "")
        pairs.append((gold["category"], pred["category"], gold["also"]))
        rows.append((gold, pred))
        if verbose and pred["category"] != gold["category"] and pred["category"] not in gold["also"]:
            print(f"    miss {item['id']:<7} category got {pred['category']:<12} want {gold['category']:<12} "
                  f"{(item.get('title') or item.get('text'))[:40]}")
    out = category_report(pairs, name)
    out.update(place_report(rows))
    return out


def folds_of(items: list[dict], k: int) -> list[list[dict]]:
    """k folds of whole split units (largest first, each into the smallest fold): deterministic."""
    units: dict[str, list[dict]] = {}
    for item in items:
        units.setdefault(item.get("split_unit") or item["id"], []).append(item)
    folds: list[list[dict]] = [[] for _ in range(k)]
    for _, members in sorted(units.items(), key=lambda u: (-len(u[1]), u[0])):
        min(folds, key=len).extend(members)
    return folds


def cross_validate(items: list[dict], k: int) -> dict[str, float]:
    """Retrain the category model on k-1 folds, label the held-out fold; figures over all folds."""
    from newsmon import config
    from newsmon.text import model
    from newsmon.vocab import ALL_CATEGORIES

    settings = config.get_settings()
    options = config.model_options(settings)  # as the next `newsmon label --train` would train
    rules = config.rules_analyser(settings)
    feats = {item["id"]: rules.category_features(item["title"], item["text"], options) for item in items}
    pairs, rows, rule_ok = [], [], 0
    for j, held in enumerate(folds_of(items, k)):
        train = [(feats[i["id"]], i["labels"]["category"]) for f, fold in enumerate(folds_of(items, k)) if f != j
                 for i in fold]
        fold_analyser = rules.with_model(model.train(train, list(ALL_CATEGORIES), options))
        for item in held:
            gold, pred = as_gold(item), fold_analyser.label_article(item["title"], item["text"])
            pairs.append((gold["category"], pred["category"], []))
            rows.append((gold, pred))
            rule_ok += rules.label_article(item["title"], item["text"])["category"] == gold["category"]
    print(f"\n{k}-fold cross-validation on train+dev ({len(items)} items, folds by split unit, model retrained per fold)")
    out = category_report(pairs, "cv")
    out.update(place_report(rows))
    print(f"  rules alone, same items: category accuracy {rule_ok / len(items):.3f} ({rule_ok}/{len(items)})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="analysts' gold file (default %(default)s)")
    parser.add_argument("--corpus-set", type=Path, default=CORPUS_SET, help="our hand-labelled set")
    parser.add_argument("--passes", type=int, default=3, help="timed passes for throughput (averaged)")
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation on train+dev")
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

    from newsmon import config

    label = config.analyser(config.get_settings()).label_article
    test = load_items(LABELS_DIR / "test.jsonl")
    print("\n== issue 13: the labelled set (benchmarks/data/labels), category model + rules ==")
    on_test = labelled_report("test split (never tuned on)", test, label, args.verbose)
    if args.gold.exists():
        labelled_report(f"analysts' {args.gold.name}", load_items(args.gold), label, args.verbose)
    cv = cross_validate(load_items(LABELS_DIR / "train.jsonl") + load_items(LABELS_DIR / "dev.jsonl"), args.folds)

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
    print("\nissue 13 targets on the test split (cross-validated train+dev beside it):")
    for label_name, target in TARGETS_13.items():
        key = label_name
        value = on_test[key]
        gap = "" if value >= target else f"  short by {target - value:.3f}"
        print(f"  {label_name:<20} {value:.3f} >= {target:.2f}  {'met' if value >= target else 'NOT MET'}{gap}"
              f"   (cv {cv[key]:.3f})")
    print(f"  {'segment+label':<20} {ratio:.2f}x bare jieba <= {MAX_RATIO:.2f}  {'met' if ratio <= MAX_RATIO else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    with recorded("labels", "Labels"):
        code = main()
    sys.exit(code)
