"""Render a Digest as Markdown, as plain text (the seed's own form), or as one self-contained HTML file.

HTML embeds its charts and map as SVG and names installed CJK fonts (Noto Sans CJK
from the Debian package fonts-noto-cjk first), so it needs no network and no script;
its print style makes the PDF (`newsmon digest --format pdf`).
"""

from __future__ import annotations

import datetime as dt
from html import escape

from newsmon.digest.charts import bar_chart, stacked_columns
from newsmon.digest.chinamap import choropleth
from newsmon.digest.model import Digest, Entry, Group
from newsmon.vocab import SHANGHAI

EMPTY = "这段时间没有新的相关报道。"


def _day(value: dt.datetime | None) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d") if value else "日期不详"


def _summary(d: Digest) -> str:
    return (f"{d.start:%Y-%m-%d} 至 {d.end:%Y-%m-%d} · {d.total} 篇"
            + (f" · 另有 {d.reprints} 次转载已合并" if d.reprints else ""))


def _reach(e: Entry, names: bool = True) -> str:
    """2 家媒体刊发：人民网、中国政府网 (pages counted too when a site ran it twice)."""
    if e.outlets <= 1:
        return ""
    out = f"{e.outlets} 家媒体刊发"
    if e.reach.pages > e.outlets:
        out += f"，共 {e.reach.pages} 个网页"
    if names:
        out += "：" + "、".join(e.reprinted_by[:6]) + ("等" if len(e.reprinted_by) > 6 else "")
    return out


# --- Markdown ----------------------------------------------------------------------
def _md_seed_entry(e: Entry, out: list[str]) -> None:
    out.append(f"### {e.headline}")
    out.append("")
    meta = f"*{_day(e.date)} · [{e.source or '来源'}]({e.url})" + (f" · {_reach(e)}" if e.outlets > 1 else "") + "*"
    out.append(f"{e.lead}  " if e.lead else meta)
    if e.lead:
        out.append(meta)
    out.append("")


def _md_nested_entry(e: Entry) -> str:
    line = f"- **{e.headline}**（{_day(e.date)}，[{e.source or '来源'}]({e.url})）"
    if e.lead:
        line += f" {e.lead}"
    if e.outlets > 1:
        line += f" *（{_reach(e)}）*"
    return line


def _md_nested_group(g: Group, depth: int, cats: dict[str, str], out: list[str]) -> None:
    out.append(f"{'#' * depth} {g.name}")
    for cat, entries in g.by_category.items():
        out.append(f"{'#' * (depth + 1)} {cats[cat]}")
        out.extend(_md_nested_entry(e) for e in entries)
    for child in g.children:
        _md_nested_group(child, depth + 1, cats, out)


def to_markdown(d: Digest) -> str:
    out = [f"# {d.title}", ""]
    if d.opening:
        out += [d.opening, ""]
    out += [_summary(d), ""]
    if not d.sections:
        out.append(EMPTY)
    for section in d.sections:
        if d.layout == "seed":
            out += [f"## {section.name}", ""]
            for e in section.entries:
                _md_seed_entry(e, out)
        else:
            _md_nested_group(section, 2, d.categories, out)
            out.append("")
        if section.note:
            out += [section.note, ""]
    return "\n".join(out).rstrip() + "\n"


# --- plain text (as the analysts' own digest) -------------------------------------------
def _text_entry(e: Entry) -> list[str]:
    meta = "，".join(p for p in (_day(e.date), e.source, e.url, _reach(e)) if p)
    return [e.headline, f"{e.lead}（{meta}）" if e.lead else f"（{meta}）"]


def _text_group(g: Group, path: list[str], cats: dict[str, str], out: list[str]) -> None:
    here = [*path, g.name]
    for cat, entries in g.by_category.items():
        out.append(" · ".join([*here, cats[cat]]))
        for e in entries:
            out.extend(_text_entry(e))
    for child in g.children:
        _text_group(child, here, cats, out)


def to_text(d: Digest) -> str:
    """Heading lines, then per item its headline line and its lead line, then ●解读: the seed's form."""
    out = [d.title]
    if d.opening:
        out.append(d.opening)
    out.append(_summary(d))
    if not d.sections:
        out.append(EMPTY)
    for section in d.sections:
        if d.layout == "seed":
            out.append(section.name)
            for e in section.entries:
                out.extend(_text_entry(e))
        else:
            _text_group(section, [], d.categories, out)
        if section.note:
            out.append(section.note)
    return "\n".join(out) + "\n"


# --- HTML --------------------------------------------------------------------------
FONT_STACK = ('"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Source Han Sans CN","PingFang SC",'
              '"Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","WenQuanYi Zen Hei",sans-serif')
CSS = f"""
body{{font-family:{FONT_STACK};max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.7}}
h1{{font-size:1.6em;border-bottom:3px solid #c0392b;padding-bottom:.3em;margin-bottom:.4em}}
h2{{margin-top:1.8em;color:#c0392b;border-left:5px solid #c0392b;padding-left:.4em}}
h3{{font-size:1.05em;margin:1.1em 0 .2em}}h4,h5{{margin:1em 0 .3em}}
.summary{{color:#555;margin-top:0}}.lead{{margin:.2em 0}}.meta{{color:#666;font-size:.88em;margin:.1em 0 .6em}}
.outlets{{color:#a04000}}.generated{{background:#f7f4ee;border-left:4px solid #b9a27a;padding:.6em .8em;margin:1em 0}}
.generated .mark{{color:#8a6d3b;font-size:.85em}}
.charts{{display:flex;flex-wrap:wrap;gap:1.2em;align-items:flex-start;margin:1.2em 0}}
.chart text{{font-family:{FONT_STACK};font-size:12px;fill:#333}}.chart .chart-title{{font-size:14px;font-weight:bold}}
.chart .tick{{font-size:11px;fill:#555}}.chart .value{{font-size:11px;fill:#222}}.chart .note{{font-size:11px;fill:#666}}
.chart .grid{{stroke:#e4e4e4}}.chart .axis{{stroke:#888}}.chart .rule{{stroke:#bbb;stroke-dasharray:3 3}}
.map text{{font-size:20px}}.map .map-title{{font-size:26px;font-weight:bold}}
.map .map-label{{font-size:21px;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}}
.map .map-legend{{font-size:19px}}.map .map-note{{font-size:19px;fill:#555}}
ul{{padding-left:1.2em}}li{{margin:.4em 0}}a{{color:#1f618d}}
@page{{size:A4;margin:16mm 14mm}}
@media print{{
body{{max-width:none;margin:0;padding:0;font-size:10.5pt;line-height:1.55}}
h2{{break-after:avoid}}h3{{break-after:avoid}}.item,li,.generated{{break-inside:avoid}}
.charts{{break-inside:avoid}}.charts svg{{max-width:100%;height:auto}}
a{{color:inherit;text-decoration:none}}.meta a::after{{content:" " attr(href);font-size:7.5pt;color:#777;word-break:break-all}}
.generated{{background:none;border-left:2px solid #b9a27a}}
}}
"""


def _generated(text: str, mark: str, css_class: str) -> str:
    """A paragraph newsmon wrote, with its mark set apart."""
    body = escape(text)
    if mark:
        body = body.replace(escape(mark), f'<span class="mark">{escape(mark)}</span>', 1)
    return f'<p class="generated {css_class}">{body}</p>'


def _meta(e: Entry) -> str:
    out = f'{_day(e.date)} · <a href="{escape(e.url, quote=True)}">{escape(e.source or "来源")}</a>'
    if e.outlets > 1:
        out += f' · <span class="outlets">{escape(_reach(e))}</span>'
    return out


def _html_seed_entry(e: Entry) -> str:
    lead = f'<p class="lead">{escape(e.lead)}</p>' if e.lead else ""
    return f'<article class="item"><h3>{escape(e.headline)}</h3>{lead}<p class="meta">{_meta(e)}</p></article>'


def _html_nested_entry(e: Entry) -> str:
    out = (f'<li><strong>{escape(e.headline)}</strong> <span class="meta">（{_day(e.date)}，'
           f'<a href="{escape(e.url, quote=True)}">{escape(e.source or "来源")}</a>）</span>')
    if e.lead:
        out += f"<br>{escape(e.lead)}"
    if e.outlets > 1:
        out += f' <span class="outlets">（{escape(_reach(e))}）</span>'
    return out + "</li>"


def _html_nested_group(g: Group, depth: int, cats: dict[str, str], out: list[str]) -> None:
    h = min(depth, 6)
    out.append(f"<h{h}>{escape(g.name)}</h{h}>")
    for cat, entries in g.by_category.items():
        out.append(f"<h{min(h + 1, 6)}>{escape(cats[cat])}</h{min(h + 1, 6)}><ul>")
        out.extend(_html_nested_entry(e) for e in entries)
        out.append("</ul>")
    for child in g.children:
        _html_nested_group(child, depth + 1, cats, out)


def charts(d: Digest, geo: dict | None = None) -> list[str]:
    """The map, the province bars (with 中央 / 国家职能部门 items as their own rows) and the weekly columns."""
    if not d.total:
        return []
    year = f"{d.start.year}" if d.start.year == d.end.year else f"{d.start.year}–{d.end.year}"
    national = [(d.national_label.replace("、", "/"), d.national)] if d.national else []
    note = f"灰色：{d.national_label}的报道，不属于任何省份" if d.national else ""
    return [c for c in (
        choropleth(dict(d.per_province), title=f"各省份文章数（{d.start:%Y-%m-%d} 至 {d.end:%Y-%m-%d}）", national=d.national,
                   national_label=d.national_label, geo=geo),
        bar_chart(d.per_province, title="各省份文章数", extra=national, note=note),
        stacked_columns(d.per_week, d.categories, title=f"每周文章数（按类别，{year}年）"),
    ) if c]


def to_html(d: Digest, geo: dict | None = None) -> str:
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(d.title)} {d.start:%Y-%m-%d}–{d.end:%Y-%m-%d}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<header><h1>{escape(d.title)}</h1>", f'<p class="summary">{escape(_summary(d))}</p></header>']
    if d.opening:
        out.append(_generated(d.opening, d.mark, "opening"))
    figures = charts(d, geo)
    if figures:
        out.append('<div class="charts">' + "".join(figures) + "</div>")
    if not d.sections:
        out.append(f"<p>{EMPTY}</p>")
    for section in d.sections:
        out.append('<section class="part">')
        if d.layout == "seed":
            out.append(f"<h2>{escape(section.name)}</h2>")
            out.extend(_html_seed_entry(e) for e in section.entries)
        else:
            _html_nested_group(section, 2, d.categories, out)
        if section.note:
            out.append(_generated(section.note, d.mark, "commentary"))
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out)
