"""Build snapshot/: the people.com.cn pages `NEWSMON_OFFLINE=1` replays.

Run from the repository root with the shared corpus next to it:
    .venv/bin/python snapshot/build.py [--corpus ../shared/corpus]

What it writes (see the README it generates for provenance):
- real people.com.cn article pages copied byte for byte from the corpus;
- constructed article pages: the real people.com.cn article template (the corpus
  page from flairNLP/fundus) with title, date line, 来源 and body replaced by the
  text of real news items from the analysts' seed digest (gold/labels_dev.jsonl);
- constructed RSS 2.0 feeds and a Google News sitemap at the addresses
  people.com.cn publishes, listing those articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "snapshot"

REAL_PAGES = [
    # (corpus path, URL it was saved from, where the URL comes from)
    ("fundus_people/tests/resources/parser/test_data/cn/People_2024_04_24.html.gz",
     "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html", "fundus meta.info"),
    ("magic-html_zh/htmls/1e20e0271231de85fba26cef6db2bedebf916402368a4602c5adb5b2acf722e1.html",
     "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", "magic-html base_zh_subset.json"),
    ("magic-html_zh/htmls/45fcfa7d6741f4361646905a7fdbd1928f6c00e8d4ff29c44c9a51e40b6b2607.html",
     "http://health.people.com.cn/n1/2024/0517/c14739-40237861.html", "magic-html base_zh_subset.json"),
    ("gne/tests/people/1.html",
     "http://culture.people.com.cn/n1/2019/0615/c1013-31137001.html", "not recorded upstream; assigned"),
]

# Where each constructed item is published: people.com.cn local channel by province,
# finance channel for central items. Dates follow the seed digest (March 2020).
CHANNELS = {
    "山东": ("sd", "c386900"), "黑龙江": ("hlj", "c220024"), "湖南": ("hn", "c356883"), "四川": ("sc", "c345167"),
    "甘肃": ("gs", "c183283"), "江苏": ("js", "c360300"), "陕西": ("sn", "c186331"), "河北": ("he", "c192235"),
    "宁夏": ("nx", "c192482"), None: ("finance", "c1004"),
}
DAYS = {"s0-00": 23, "s0-01": 22, "s0-02": 20, "s0-03": 20, "s0-04": 21, "s0-05": 19, "s0-06": 18, "s0-07": 17,
        "s0-08": 16, "s0-09": 21, "s0-10": 22, "s0-11": 20, "s0-12": 19, "s0-13": 18}
OUTLETS = {None: "人民网-金融频道"}


def find_real(corpus: Path, rel: str) -> Path:
    path = corpus / rel
    if path.exists():
        return path
    # magic-html files are named by sha256; match on the prefix we recorded
    stem = Path(rel).name.split(".")[0][:10]
    matches = sorted((corpus / Path(rel).parent).glob(stem + "*"))
    if not matches:
        raise SystemExit(f"corpus file not found: {path}")
    return matches[0]


def page_for(template: str, item: dict, url: str, when: dt.datetime, outlet: str) -> str:
    title = item["title"]
    paras = [p for p in re.split(r"(?<=。)(?=[^”’）])", item["text"]) if p.strip()]
    # two or three sentences per paragraph, as people.com.cn articles run
    grouped, buf = [], ""
    for sentence in paras:
        buf += sentence
        if len(buf) > 90:
            grouped.append(buf)
            buf = ""
    if buf:
        grouped.append(buf)
    body = "".join(f"<p>\u3000\u3000{html.escape(p)}</p>" for p in grouped)
    out = template
    out = re.sub(r"<title>.*?</title>", f"<title>{html.escape(title)}--{outlet.split('-')[0]}--人民网 </title>", out, count=1, flags=re.S)
    out = re.sub(r'(<meta name="description" content=")[^"]*', lambda m: m.group(1) + html.escape(item["text"][:80]), out, count=1)
    out = re.sub(r'(<meta name="keywords" content=")[^"]*', lambda m: m.group(1) + "区块链", out, count=1)
    out = re.sub(r'(<meta name="publishdate" content=")[^"]*', lambda m: m.group(1) + when.strftime("%Y-%m-%d"), out, count=1)
    out = re.sub(r'(<meta name="contentid" content=")[^"]*', lambda m: m.group(1) + url.rsplit("-", 1)[-1][:-5], out, count=1)
    out = re.sub(r'(<meta name="source" content=")[^"]*', lambda m: m.group(1) + "来源：" + outlet, out, count=1)
    out = re.sub(r"<h1>.*?</h1>", f"<h1>{html.escape(title)}</h1>", out, count=1, flags=re.S)
    out = re.sub(r"\d{4}年\d{2}月\d{2}日\d{2}:\d{2} \| 来源：<a [^>]*>[^<]*</a>",
                 f"{when:%Y年%m月%d日%H:%M} | 来源：<a href=\"{url}\" target=\"_blank\">{outlet}</a>", out, count=1)
    start = out.index('<div class="box_pic"></div>', out.index("rm_txt_con")) + len('<div class="box_pic"></div>')
    end = out.index('<div class="zdfy clearfix">', start)
    out = out[:start] + "\n\t\t\t\t" + body + " " + out[end:]
    out = re.sub(r'<div class="edit cf">\(责编：[^)]*\)</div>', '<div class="edit cf">(责编：王震、刘洋)</div>', out, count=1)
    return out


def rss(channel_title: str, link: str, items: list[tuple[str, str, dt.datetime, str]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
        f"<title>{html.escape(channel_title)}</title>\n<link>{link}</link>\n",
        f"<description>{html.escape(channel_title)}</description>\n<language>zh-cn</language>\n",
        "<generator>www.people.com.cn</generator>\n",
    ]
    for title, url, when, desc in items:
        parts.append(
            f"<item>\n<title><![CDATA[{title}]]></title>\n<link>{url}</link>\n"
            f"<pubDate>{when:%Y-%m-%d %H:%M:%S}</pubDate>\n<description><![CDATA[{desc}]]></description>\n</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)


def news_sitemap(items: list[tuple[str, str, dt.datetime]]) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n']
    for title, url, when in items:
        parts.append(
            f"<url><loc>{url}</loc><news:news><news:publication><news:name>人民网</news:name>"
            f"<news:language>zh</news:language></news:publication>"
            f"<news:publication_date>{when.isoformat()}</news:publication_date>"
            f"<news:title>{html.escape(title)}</news:title></news:news></url>\n"
        )
    parts.append("</urlset>\n")
    return "".join(parts)


def save(manifest: dict, url: str, data: bytes, content_type: str) -> None:
    parts = urlsplit(url)
    rel = Path(parts.hostname) / parts.path.lstrip("/")
    (OUT / rel).parent.mkdir(parents=True, exist_ok=True)
    (OUT / rel).write_bytes(data)
    manifest[url] = {"file": str(rel), "status": 200, "headers": {"Content-Type": content_type}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "labels_dev.jsonl")
    args = ap.parse_args()
    for child in OUT.glob("*"):
        if child.is_dir():
            shutil.rmtree(child)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest: dict = {}
    tz = dt.timezone(dt.timedelta(hours=8))

    real_entries = []
    for rel, url, _ in REAL_PAGES:
        path = find_real(args.corpus, rel)
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        # people.com.cn serves its pages with no charset in the header; the pages declare GB2312.
        save(manifest, url, data, "text/html")
        m = re.search(r"/n1/(\d{4})/(\d{2})(\d{2})/", url)
        real_entries.append((re.search(rb"<title>(.*?)</title>", data, re.S).group(1).decode("utf-8", "replace").split("--")[0].strip(),
                             url, dt.datetime(int(m[1]), int(m[2]), int(m[3]), 8, 0, tzinfo=tz), ""))

    template = gzip.decompress(find_real(args.corpus, REAL_PAGES[0][0]).read_bytes()).decode("utf-8")
    made = []
    for n, line in enumerate(args.gold.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        province = item["gold"]["province"]
        host, cat = CHANNELS.get(province, CHANNELS[None])
        when = dt.datetime(2020, 3, DAYS.get(item["id"], 20), 9 + n % 8, 5 * n % 60, tzinfo=tz)
        url = f"http://{host}.people.com.cn/n1/2020/{when:%m%d}/{cat}-99{when:%m%d}{n:03d}.html"
        outlet = OUTLETS.get(province) or ("人民网-" + {"sd": "山东", "hlj": "黑龙江", "hn": "湖南", "sc": "四川", "gs": "甘肃",
                                                     "js": "江苏", "sn": "陕西", "he": "河北", "nx": "宁夏"}[host] + "频道")
        page = page_for(template, item, url, when, outlet)
        save(manifest, url, page.encode("utf-8"), "text/html")
        made.append((item["title"], url, when, item["text"][:60]))

    politics = made[:7] + real_entries[:1] + real_entries[3:]
    society = made[7:] + real_entries[1:3]
    save(manifest, "http://www.people.com.cn/rss/politics.xml",
         rss("时政新闻", "http://politics.people.com.cn", politics).encode("utf-8"), "text/xml")
    save(manifest, "http://www.people.com.cn/rss/society.xml",
         rss("社会新闻", "http://society.people.com.cn", society).encode("utf-8"), "text/xml")
    save(manifest, "https://politics.people.com.cn/news_sitemap.xml",
         news_sitemap([(t, u, w) for t, u, w, _ in made[::2] + real_entries]).encode("utf-8"), "text/xml")
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"wrote {len(manifest)} URLs to {OUT}")


if __name__ == "__main__":
    main()
