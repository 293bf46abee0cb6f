"""Dedupe benchmark: precision and recall on reprints of real articles, and time per new article vs store size.

    .venv/bin/python benchmarks/dedupe.py            # both parts (about 5-10 minutes on 2 cores)
    .venv/bin/python benchmarks/dedupe.py --quick    # 1k and 10k only
    .venv/bin/python benchmarks/dedupe.py --build    # rebuild the test set from ../shared/corpus first

Accuracy: benchmarks/data/dedupe_set.jsonl (built by benchmarks/dedupe_build.py from
the shared corpus; see benchmarks/data/dedupe_ORIGIN.md) goes through the real
stages normalize -> dedupe -> store on a fresh embedded store: first every
original (real corpus articles, and the analysts' week of blockchain items), then
their reprints and the hard negatives, shuffled. A merge is correct when a reprint
joins its own original; every other merge is a false positive.

Time: three databases on one embedded nx-27017 server hold 1k, 10k and 100k
synthetic articles (bodies of real corpus sentences, shuffled; indexed and keyed exactly as
the store stage does). Then the same kind of new articles (half new, half
reprints of a stored one) go through dedupe + store against each database in
turns, so load from other processes hits every size alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

from benchmarks import dedupe_build
from benchmarks.results import recorded
from newsmon.testing.servers import free_port

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "benchmarks" / "data" / "dedupe_set.jsonl"
SHARED = ROOT.parent / "shared"




def load_set() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_set(corpus: Path, gold: Path) -> None:

    rows, stats = dedupe_build.build(corpus, gold)
    DATA.parent.mkdir(parents=True, exist_ok=True)
    with open(DATA, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {DATA.relative_to(ROOT)}: {stats['originals']} originals, {stats['reprints']} reprints, "
          f"{stats['negatives']} negatives ({stats['held_out']} articles held out as negative bodies)")
    for path, kept, why in stats["dropped_duplicates"]:
        print(f"  corpus duplicate left out: {path} = {kept} ({why})")


class Env:
    """An embedded server in a temporary directory, and settings pointing at one database on it."""

    def __init__(self):
        from newsmon.storage.embedded import EmbeddedServer

        self.tmp = Path(tempfile.mkdtemp(prefix="newsmon-dedupe-bench-"))
        self.server = EmbeddedServer(self.tmp / "server", port=free_port())
        self.info = self.server.ensure_running(timeout=60)
        os.environ["NEWSMON_DATA_DIR"] = str(self.tmp / "data")
        os.environ["MONGO_URI"] = self.info.uri
        os.environ.pop("NEWSMON_OFFLINE", None)

    def settings(self, db: str):
        from newsmon.config import get_settings

        return get_settings({"MONGO_URI": self.info.uri, "MONGO_DATABASE": db, "MONGO_TIMEOUT_MS": 20000,
                             "NEWSMON_SPILL_FILE": str(self.tmp / "data" / f"spill-{db}.jsonl")})

    def close(self):
        from newsmon.storage import forget_stores

        forget_stores()
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def stages_for(settings, names=("pipelines.normalize.NormalizePipeline", "pipelines.dedupe.DedupePipeline",
                                 "pipelines.store.StorePipeline")):
    """The real stages, built as a crawl builds them (from_crawler), for one database."""
    from scrapy.utils.misc import load_object

    from newsmon.testing.crawler import crawler_for

    crawler = crawler_for({k: settings[k] for k in ("MONGO_URI", "MONGO_DATABASE", "MONGO_TIMEOUT_MS", "NEWSMON_SPILL_FILE")})
    stages = [load_object(n).from_crawler(crawler) for n in names]
    for st in stages:
        if hasattr(st, "open_spider"):
            st.open_spider()
    return stages, crawler.stats


def run_item(stages, row: dict) -> dict:
    """One item through the stages, each called directly (``handle``: no crawl to keep going here)."""
    item = {"url": row["url"], "fetched_url": row["url"], "title": row.get("title") or "", "content": row["content"],
            "source": row.get("source") or "bench", "outlet": row.get("outlet") or "", "kind": "media",
            "published_at": None, "discovered_via": "manual"}
    for st in stages:
        item = st.handle(item) if hasattr(st, "handle") else st.process_item(item)
    return item


# --- accuracy -------------------------------------------------------------------------------
def accuracy(env: Env, rows: list[dict]) -> dict:
    settings = env.settings("accuracy")
    stages, _ = stages_for(settings)
    originals = [r for r in rows if r["role"] == "original"]
    variants = [r for r in rows if r["role"] != "original"]
    random.Random(7).shuffle(variants)
    article_of: dict[str, str] = {}
    wrong: list[str] = []
    t0 = time.perf_counter()
    for row in originals:
        item = run_item(stages, row)
        if item.get("duplicate_of"):
            wrong.append(f"original {row['id']} ({row['path']}) merged into {item['duplicate_of']}: {item['dedupe'].get('reason')}")
        else:
            article_of[row["id"]] = item["article_id"]
    owner = {v: k for k, v in article_of.items()}
    tp, fn = 0, []
    by_recipe: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    neg_kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in variants:
        item = run_item(stages, row)
        dup = item.get("duplicate_of")
        if row["role"] == "reprint":
            key = "+".join(row["edits"])
            by_recipe[key][1] += 1
            if dup and dup == article_of.get(row["of"]) and item.get("store_outcome") in ("merged", "already"):
                tp += 1
                by_recipe[key][0] += 1
            else:
                fn.append(f"reprint {row['id']} of {row['of']} ({key}): "
                          + (f"merged into {owner.get(dup, dup)}" if dup else "stored as new"))
                if dup:
                    wrong.append(f"reprint {row['id']} of {row['of']} merged into {owner.get(dup, dup)}")
        else:
            kind = row["edits"][0]
            neg_kinds[kind][1] += 1
            if dup:
                neg_kinds[kind][0] += 1
                wrong.append(f"negative {row['id']} ({kind}, about {row['about']}) merged into {owner.get(dup, dup)}: "
                             f"{item['dedupe'].get('reason')}")
    elapsed = time.perf_counter() - t0
    for st in stages:
        if hasattr(st, "close_spider"):
            st.close_spider()
    # what the store holds agrees with what the stages reported
    from newsmon.storage import open_store

    store = open_store(settings)
    docs = list(store.db.articles.find({}, {"reprint_count": 1, "also_at": 1}))
    entries = sum(len(d.get("also_at") or []) for d in docs)
    counts = sum(d.get("reprint_count") or 0 for d in docs)
    n_rep = sum(1 for r in variants if r["role"] == "reprint")
    precision = tp / (tp + len(wrong)) if tp + len(wrong) else 1.0
    recall = tp / n_rep if n_rep else 1.0
    return {"originals": len(originals), "reprints": n_rep, "negatives": len(variants) - n_rep, "tp": tp,
            "wrong": wrong, "missed": fn, "precision": precision, "recall": recall, "by_recipe": dict(by_recipe),
            "neg_kinds": dict(neg_kinds), "articles": len(docs), "also_at_entries": entries, "reprint_counts": counts,
            "seconds": elapsed, "items": len(rows)}


# --- time per article --------------------------------------------------------------------------
_SENTENCES: list[str] = []


def _init_pool(sentences):
    global _SENTENCES
    _SENTENCES = sentences


def synthetic(i: int) -> tuple[int, str, str, dict]:
    """Article i of the synthetic collection: real corpus sentences, shuffled; and its index summary."""
    from newsmon.dedupe import fingerprint
    from newsmon.storage.reprints import summary

    rnd = random.Random(1_000_003 * i + 17)
    n = rnd.randint(8, 16)
    sents = [rnd.choice(_SENTENCES) for _ in range(n)]
    cuts = sorted(rnd.sample(range(1, n), k=min(n - 1, rnd.randint(2, 5))))
    pars, last = [], 0
    for c in cuts + [n]:
        pars.append("".join(sents[last:c]))
        last = c
    content = "\n".join(p for p in pars if p)
    title = sents[0][:28].rstrip("，。；：") or f"synthetic {i}"
    return i, title, content, summary(fingerprint(content))


def corpus_sentences(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        if r["role"] != "original":
            continue
        for par in r["content"].split("\n"):
            for s in re.split(r"(?<=[。！？])", par):
                if 12 <= len(s) <= 160:
                    out.append(s)
    return sorted(set(out))


def article_doc(i: int, title: str, content: str, oid, at) -> dict:
    from newsmon.dedupe import fingerprint

    return {"_id": oid, "url": f"https://synthetic.example.cn/{i // 1000}/{i}.html",
            "fetched_url": f"https://synthetic.example.cn/{i // 1000}/{i}.html", "source": "synthetic",
            "source_title": "synthetic", "kind": "media", "title": title, "content": content,
            "content_hash": fingerprint(content).hash, "published_at": at, "first_seen": at, "run_id": "bench-fill",
            "matched_terms": {"区块链": 1}, "also_at": [], "reprint_count": 0,
            "lang": "zh", "encoding": "utf-8", "outlet": "", "authors": [],
            "discovered_via": "list", "listed_title": title}


def fill(env: Env, sizes: list[int], sentences: list[str], keep: int) -> tuple[dict, dict]:
    """Fill one database per size; return {size: seconds} and {size: sample of stored (i, title, content)}."""
    from bson import ObjectId

    from newsmon.storage import keys, open_store, reprints

    stores = {n: open_store(env.settings(f"t{n}")) for n in sizes}
    for s in stores.values():
        s.ensure_indexes()
    top = max(sizes)
    rnd = random.Random(99)
    samples = {n: set(rnd.sample(range(n), min(keep, n))) for n in sizes}
    kept: dict[int, list] = {n: [] for n in sizes}
    took: dict[int, float] = dict.fromkeys(sizes, 0.0)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    batch: list = []
    t_start = time.perf_counter()

    def flush():
        for n, store in stores.items():
            part = [b for b in batch if b[0] < n]
            if not part:
                continue
            t = time.perf_counter()
            store.db.articles.insert_many([store.stamp(dict(doc)) for _, doc, _ in part], ordered=False)
            keys.add_many(store, [{"_id": keys.url_key(doc["url"]), "a": doc["_id"], "r": "article"} for _, doc, _ in part])
            reprints.add_index_docs(store, [dict(ix) for _, _, ix in part if ix])
            took[n] += time.perf_counter() - t

    with Pool(2, initializer=_init_pool, initargs=(sentences,)) as pool:
        for i, title, content, summ in pool.imap(synthetic, range(top), chunksize=250):
            at = base + dt.timedelta(seconds=i)
            oid = ObjectId()
            doc = article_doc(i, title, content, oid, at)
            batch.append((i, doc, reprints.index_document(oid, summ, at)))
            for n in sizes:
                if i in samples[n]:
                    kept[n].append((i, title, content))
            if len(batch) >= 1000:
                flush()
                batch = []
                if (i + 1) % 10000 == 0:
                    print(f"  filled {i + 1:,} of {top:,} ({time.perf_counter() - t_start:.0f}s)", flush=True)
        if batch:
            flush()
    return took, kept


def timing(env: Env, rows: list[dict], sizes: list[int], probes: int, rounds: int) -> dict:

    from newsmon.storage import reprints

    sentences = corpus_sentences(rows)
    _init_pool(sentences)
    print(f"  synthetic bodies from {len(sentences):,} distinct sentences of the test set's original articles", flush=True)
    t = time.perf_counter()
    took, kept = fill(env, sizes, sentences, keep=probes)
    print(f"  filled in {time.perf_counter() - t:.0f}s (inserting: "
          + ", ".join(f"{n:,}: {took[n]:.0f}s" for n in sizes) + ")", flush=True)
    per_size = {}
    for n in sizes:
        settings = env.settings(f"t{n}")
        stages, stats = stages_for(settings)
        per_size[n] = {"stages": stages, "stats": stats, "ms": [], "lookup_ms": [], "cands": [], "merged": 0, "reprints": 0,
                       "new_ok": 0, "news": 0, "fill_s": took[n]}
    rnd = random.Random(5)
    # probe articles: the same recipe at every size
    plan = []
    for k in range(probes):
        if k % 2 == 0:
            plan.append(("new", 10_000_000 + k))
        else:
            plan.append(("reprint", k))
    chunk = max(1, probes // rounds)
    for start in range(0, probes, chunk):
        for n in sizes:
            ps = per_size[n]
            for kind, k in plan[start:start + chunk]:
                if kind == "new":
                    _, title, content, _ = synthetic(k + 1000 * n)
                    row = {"url": f"https://probe.example.cn/{n}/{k}.html", "title": title, "content": content}
                else:
                    i, title, content = kept[n][k % len(kept[n])]
                    rep = dedupe_build.make_reprint(rnd, {"title": title, "content": content},
                                                    list(dedupe_build.RECIPES[k % len(dedupe_build.RECIPES)]),
                                                    [{"title": title, "content": content}] * 3)
                    row = {"url": f"https://probe-reprint.example.cn/{n}/{k}.html", "title": rep["title"], "content": rep["content"]}
                # the band lookup alone, on the same article (what must not grow with the collection)
                from newsmon.dedupe import fingerprint

                store = ps["stages"][1].gateway.store()
                fp = fingerprint(row["content"])
                t0 = time.perf_counter()
                c = reprints.candidates(store, fp)
                ps["lookup_ms"].append((time.perf_counter() - t0) * 1000)
                ps["cands"].append(len(c))
                t0 = time.perf_counter()
                item = run_item(ps["stages"], row)
                ps["ms"].append((time.perf_counter() - t0) * 1000)
                if kind == "new":
                    ps["news"] += 1
                    ps["new_ok"] += item.get("store_outcome") == "stored"
                else:
                    ps["reprints"] += 1
                    ps["merged"] += item.get("store_outcome") == "merged"
    return per_size


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="store_true", help="rebuild the test set from the shared corpus first")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold")
    ap.add_argument("--sizes", default="1000,10000,100000", help="stored articles to time at (comma-separated)")
    ap.add_argument("--quick", action="store_true", help="time at 1k and 10k only")
    ap.add_argument("--probes", type=int, default=200, help="new articles timed per size")
    ap.add_argument("--rounds", type=int, default=10, help="turns the probes are split into, across sizes")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args(argv)
    if args.build or not DATA.exists():
        build_set(args.corpus, args.gold)
    rows = load_set()
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    from importlib.metadata import version

    from newsmon.dedupe import minhash, similarity

    print(f"newsmon dedupe benchmark, {dt.date.today()}, Python {platform.python_version()}, nx-27017 {version('nx-27017')}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"scheme {minhash.SCHEME}; merge when jaccard >= {similarity.JACCARD_MIN} or containment >= "
          f"{similarity.CONTAINMENT_MIN} at size ratio >= {similarity.SIZE_RATIO_MIN}, figures agreeing")
    env = Env()
    ok = True
    try:
        if not args.no_accuracy:
            roles = Counter(r["role"] for r in rows)
            print(f"\nAccuracy: {DATA.relative_to(ROOT)}: {roles['original']} originals (real corpus articles), "
                  f"{roles['reprint']} reprints, {roles['negative']} hard negatives")
            res = accuracy(env, rows)
            print(f"  {res['items']} items through normalize -> dedupe -> store in {res['seconds']:.1f}s")
            print(f"  merges: {res['tp']} correct, {len(res['wrong'])} wrong; reprints not merged: "
                  f"{res['reprints'] - res['tp']} of {res['reprints']}")
            print(f"  precision {res['precision']:.4f}   recall {res['recall']:.4f}   (targets: >= 0.99, >= 0.95)")
            for recipe, (hit, tot) in sorted(res["by_recipe"].items()):
                print(f"    reprints {recipe:<48} {hit:>4}/{tot:<4} recall {hit / tot:.3f}")
            negs = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(res["neg_kinds"].items()))
            print(f"  hard negatives merged: {sum(v[0] for v in res['neg_kinds'].values())} of {res['negatives']} ({negs}); "
                  f"originals merged into another original: {sum(1 for w in res['wrong'] if w.startswith('original'))} "
                  f"of {res['originals']}")
            print(f"  store: {res['articles']} articles, {res['also_at_entries']} also_at entries, "
                  f"reprint_count total {res['reprint_counts']}")
            for line in (res["wrong"] + res["missed"])[:12]:
                print(f"    - {line}")
            ok &= res["precision"] >= 0.99 and res["recall"] >= 0.95
        if not args.no_timing:
            print(f"\nTime per new article (dedupe + store, {args.probes} per size: half new, half reprints of a stored one)")
            per = timing(env, rows, sizes, args.probes, args.rounds)
            print(f"  {'stored':>8} {'fill s':>7} {'mean ms':>8} {'median ms':>9} {'p90 ms':>7} {'lookup ms':>9} "
                  f"{'cands':>6} {'merged':>8} {'new kept':>8}")
            for n in sizes:
                ps = per[n]
                ms = sorted(ps["ms"])
                print(f"  {n:>8,} {ps['fill_s']:>7.0f} {statistics.mean(ms):>8.1f} {statistics.median(ms):>9.1f} "
                      f"{ms[int(len(ms) * 0.9)]:>7.1f} {statistics.median(ps['lookup_ms']):>9.1f} "
                      f"{statistics.mean(ps['cands']):>6.2f} {ps['merged']:>4}/{ps['reprints']:<3} {ps['new_ok']:>4}/{ps['news']:<3}")
            lo, hi = sizes[0], sizes[-1]
            r_mean = statistics.mean(per[hi]["ms"]) / statistics.mean(per[lo]["ms"])
            r_med = statistics.median(per[hi]["ms"]) / statistics.median(per[lo]["ms"])
            r_look = statistics.median(per[hi]["lookup_ms"]) / statistics.median(per[lo]["lookup_ms"])
            print(f"  ratio {hi:,} / {lo:,} stored: mean {r_mean:.2f}, median {r_med:.2f}, candidate lookup median {r_look:.2f}"
                  "   (target: <= 1.2)")
            ok &= r_mean <= 1.2 and r_med <= 1.2
    finally:
        env.close()
    print("\nall targets met" if ok else "\nTARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    with recorded("dedupe", "Dedupe"):
        code = main()
    sys.exit(code)
