#!/usr/bin/env python3
"""Apply the hand-written XPaths in spec.py and write gold.jsonl.

Usage: build_gold.py [--show PATH_SUBSTR]   (--show prints every gold link with its anchor text
for review)."""
import json, re, sys, os
from urllib.parse import urljoin, urldefrag
from lxml import html as LH

sys.path.insert(0, os.path.dirname(__file__))
import spec

OUT = "/work/staging/listpages/gold.jsonl"


def local_file(p):
    kind, rel = p.split(":", 1)
    return {"corpus": spec.CORPUS, "extra": spec.EXTRA}[kind] + rel


def decode(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("gb18030", errors="replace")


def pick(item, xps):
    for xp in xps:
        r = item.xpath(xp)
        if r:
            return r[0]
    return None


def collect(doc, base, items_xp, link_xps):
    out, seen, texts, missing = [], set(), [], 0
    slots = 0
    for it in doc.xpath(items_xp):
        a = pick(it, link_xps)
        if a is None:
            missing += 1
            continue
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:")) or href.startswith("#"):
            missing += 1
            continue
        slots += 1
        u = urldefrag(urljoin(base, href))[0]
        if u not in seen:
            seen.add(u)
            out.append(u)
            texts.append(re.sub(r"\s+", " ", a.text_content()).strip()[:40])
    return out, texts, slots, missing


def main():
    show = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--show" else None
    rows = []
    for p in spec.PAGES:
        doc = LH.fromstring(decode(open(local_file(p["path"]), "rb").read()))
        arts, texts, slots, missing = collect(doc, p["url"], p["items"], p["link"])
        others = []
        for o in p["other"]:
            links, _, _, _ = collect(doc, p["url"], o["items"], o["link"])
            others.append({"name": o["name"], "container": o["items"], "links": links})
        note = p["notes"]
        if slots != len(arts):
            note += f" [{slots} item slots, {len(arts)} unique URLs]"
        if missing:
            note += f" [{missing} selected item(s) had no usable link]"
        rows.append({
            "path": p["path"], "url": p["url"], "url_source": p["url_source"], "kind": p["kind"],
            "articles": arts, "other_lists": others, "main_container": p["main_container"],
            "main_xpath": {"items": p["items"], "link": p["link"]},
            "upstream_expected_count": p["expected"], "notes": note,
        })
        print(f"{len(arts):4d} uniq {slots:4d} slots  miss {missing}  exp {p['expected']}  other {[len(o['links']) for o in others]}  {p['path']}")
        if show and show in p["path"]:
            for u, t in zip(arts, texts):
                print("     ", t, "|", u)
            for o in others:
                print("   OTHER", o["name"], len(o["links"]), o["links"][:3])
    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
