"""Render a Digest as Markdown or as one self-contained HTML file."""

from __future__ import annotations

import datetime as dt
from html import escape

from newsmon.digest.build import Digest, Entry, Group
from newsmon.digest.charts import bar_chart, stacked_columns
from newsmon.vocab import SHANGHAI


def _day(value: dt.datetime | None) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d") if value else "日期不详"


def _summary(d: Digest) -> str:
    return (f"{d.start:%Y-%m-%d} 至 {d.end:%Y-%m-%d} · {d.total} 篇"
            + (f" · 另有 {d.reprints} 次转载已合并" if d.reprints else ""))


# --- Markdown ----------------------------------------------------------------------
def _md_entry(e: Entry) -> str:
    line = f"- **{e.headline}**（{_day(e.date)}，[{e.source or '来源'}]({e.url})）"
    if e.sentence:
        line += f" {e.sentence}"
    if e.outlets > 1:
        line += f" *（{e.outlets} 家媒体刊发）*"
    return line


def _md_group(g: Group, depth: int, cats: dict[str, str], out: list[str]) -> None:
    out.append(f"{'#' * depth} {g.name}")
    for cat, entries in g.by_category.items():
        out.append(f"{'#' * (depth + 1)} {cats[cat]}")
        out.extend(_md_entry(e) for e in entries)
    for child in g.children:
        _md_group(child, depth + 1, cats, out)


def to_markdown(d: Digest) -> str:
    out = [f"# {d.title}", "", _summary(d), ""]
    if not d.sections:
        out.append("这段时间没有新的相关报道。")
    for section in d.sections:
        _md_group(section, 2, d.categories, out)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- HTML --------------------------------------------------------------------------
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{font-size:1.6em;border-bottom:3px solid #c0392b;padding-bottom:.3em}h2{margin-top:1.6em;color:#c0392b}
h3,h4,h5{margin:1em 0 .3em}.summary{color:#555}.charts{display:flex;flex-wrap:wrap;gap:1.5em;margin:1em 0}
.chart text{font-size:12px;fill:#333}.chart .chart-title{font-size:14px;font-weight:bold}.chart .tick{font-size:10px}
ul{padding-left:1.2em}li{margin:.4em 0}.meta{color:#666;font-size:.9em}.outlets{color:#a04000;font-size:.9em}
a{color:#1f618d}
"""


def _html_entry(e: Entry) -> str:
    out = (f'<li><strong>{escape(e.headline)}</strong> <span class="meta">（{_day(e.date)}，'
           f'<a href="{escape(e.url, quote=True)}">{escape(e.source or "来源")}</a>）</span>')
    if e.sentence:
        out += f"<br>{escape(e.sentence)}"
    if e.outlets > 1:
        out += f' <span class="outlets">（{e.outlets} 家媒体刊发：{escape("、".join(e.reprinted_by[:5]))}）</span>'
    return out + "</li>"


def _html_group(g: Group, depth: int, cats: dict[str, str], out: list[str]) -> None:
    h = min(depth, 6)
    out.append(f"<h{h}>{escape(g.name)}</h{h}>")
    for cat, entries in g.by_category.items():
        out.append(f"<h{min(h + 1, 6)}>{escape(cats[cat])}</h{min(h + 1, 6)}><ul>")
        out.extend(_html_entry(e) for e in entries)
        out.append("</ul>")
    for child in g.children:
        _html_group(child, depth + 1, cats, out)


def to_html(d: Digest) -> str:
    charts = [bar_chart(d.per_province, title="各省份文章数"),
              stacked_columns(d.per_week, d.categories, title="每周文章数（按类别）")]
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{escape(d.title)} {d.start:%Y-%m-%d}–{d.end:%Y-%m-%d}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{escape(d.title)}</h1>", f'<p class="summary">{escape(_summary(d))}</p>',
           '<div class="charts">' + "".join(c for c in charts if c) + "</div>"]
    if not d.sections:
        out.append("<p>这段时间没有新的相关报道。</p>")
    for section in d.sections:
        _html_group(section, 2, d.categories, out)
    out.append("</body></html>")
    return "\n".join(out)
