#!/usr/bin/env python3
"""Validate gold.jsonl: paths exist, URLs absolute, no duplicate article URLs within a page,
extra pages carry LICENSE + ORIGIN.md with a matching sha256, and counts vs upstream."""
import hashlib, json, os, re, statistics, sys
from urllib.parse import urlsplit

ROOT = "/work/staging/listpages/"
CORPUS = "/work/shared/corpus/"
SNAPSHOT = "/work/main/tests/fixtures/snapshot/"
KINDS = {"gov", "media", "portal"}
REQUIRED = ["path", "url", "kind", "articles", "other_lists", "main_container", "notes"]


def resolve(p):
    kind, rel = p.split(":", 1)
    return {"corpus": CORPUS, "snapshot": SNAPSHOT, "extra": ROOT + "pages/"}[kind] + rel


def absolute(u):
    s = urlsplit(u)
    return s.scheme in ("http", "https") and bool(s.netloc)


def main():
    errors, counts, kinds = [], [], {}
    rows = [json.loads(l) for l in open(ROOT + "gold.jsonl", encoding="utf-8")]
    seen_paths = set()
    for r in rows:
        p = r.get("path", "?")
        for k in REQUIRED:
            if k not in r:
                errors.append(f"{p}: missing key {k}")
        if p in seen_paths:
            errors.append(f"{p}: duplicate page row")
        seen_paths.add(p)
        f = resolve(p)
        if not os.path.isfile(f):
            errors.append(f"{p}: file not found ({f})")
        if r["kind"] not in KINDS:
            errors.append(f"{p}: bad kind {r['kind']}")
        if not absolute(r["url"]):
            errors.append(f"{p}: page url not absolute: {r['url']}")
        arts = r["articles"]
        if not arts:
            errors.append(f"{p}: no articles")
        if len(arts) != len(set(arts)):
            errors.append(f"{p}: duplicate article URLs")
        for u in arts:
            if not absolute(u):
                errors.append(f"{p}: article URL not absolute: {u}")
        for o in r["other_lists"]:
            for u in o["links"]:
                if not absolute(u):
                    errors.append(f"{p}: other_lists URL not absolute: {u}")
        if p.startswith("extra:"):
            d = os.path.dirname(f)
            for need in ("LICENSE", "ORIGIN.md"):
                if not os.path.isfile(os.path.join(d, need)):
                    errors.append(f"{p}: {need} missing in {d}")
            h = hashlib.sha256(open(f, "rb").read()).hexdigest()
            if h not in open(os.path.join(d, "ORIGIN.md"), encoding="utf-8").read():
                errors.append(f"{p}: sha256 {h} not recorded in ORIGIN.md")
        counts.append(len(arts))
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        exp = r.get("upstream_expected_count")
        flag = "" if exp is None else ("  == upstream" if exp == len(arts) else f"  != upstream {exp}")
        placeholder = "  (placeholder base)" if r["url"].startswith("http://unknown.example/") else ""
        print(f"{len(arts):4d} articles  {sum(len(o['links']) for o in r['other_lists']):3d} other  {r['kind']:6s} {p}{flag}{placeholder}")
        if exp is not None and exp != len(arts) and "upstream" not in r["notes"].lower():
            errors.append(f"{p}: count differs from upstream {exp} but notes do not explain it")
    print(f"\npages {len(rows)}  kinds {kinds}")
    print(f"articles per page: min {min(counts)}  median {statistics.median(counts)}  max {max(counts)}  total {sum(counts)}")
    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
