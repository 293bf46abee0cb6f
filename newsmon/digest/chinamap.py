"""A China map of articles per province, as inline SVG (a choropleth with a legend and labels).

The outlines are package data (data/china_provinces.json: Apache ECharts 4.9.0's
province shapes, projected and simplified once by data/build_china_map.py; see
data/README.md). They are read from the installed package, never from the network
or from config, so the digest draws its map offline.

中央 and 国家职能部门 items belong to no province: they are not coloured in, and
the map says how many there are.
"""

from __future__ import annotations

import functools
import json
from html import escape
from importlib import resources

# zero, then five classes from light to dark
ZERO = "#f0f0f0"
CLASSES = ("#fdd0c2", "#fc9f86", "#f4674f", "#d7301f", "#990000")
INSET = "南海诸岛"


@functools.lru_cache(maxsize=1)
def load_geo() -> dict:
    """The packaged province outlines ({"viewBox", "path_scale", "provinces": {name: {"d", "label"}}})."""
    return json.loads(resources.files("newsmon.digest").joinpath("data/china_provinces.json").read_text(encoding="utf-8"))


def classes(top: int) -> list[tuple[int, int]]:
    """Count ranges of the legend: one per value up to 5, else five equal steps up to ``top``."""
    if top <= len(CLASSES):
        return [(n, n) for n in range(1, max(top, 1) + 1)]
    step = -(-top // len(CLASSES))
    return [(1 + i * step, min(top, (i + 1) * step)) for i in range(len(CLASSES)) if 1 + i * step <= top]


def _fill(n: int, ranges: list[tuple[int, int]]) -> str:
    if n <= 0:
        return ZERO
    for i, (lo, hi) in enumerate(ranges):
        if lo <= n <= hi:
            return CLASSES[round(i * (len(CLASSES) - 1) / max(1, len(ranges) - 1))]
    return CLASSES[-1]


LABEL_EM = 21          # label font size in map units (the CSS of render.py)


def _free_spot(x: float, y: float, w: float, placed: list) -> float:
    """The label's y: at its point, else just above or below it, clear of the labels placed before it."""
    def box(cy: float) -> tuple[float, float, float, float]:
        return x - w / 2, cy - LABEL_EM + 5, x + w / 2, cy + 9

    for dy in (0, LABEL_EM + 2, -(LABEL_EM + 2), 2 * LABEL_EM + 4, -(2 * LABEL_EM + 4)):
        b = box(y + dy)
        if not any(b[0] < q[2] and q[0] < b[2] and b[1] < q[3] and q[1] < b[3] for q in placed):
            placed.append(b)
            return y + dy
    placed.append(box(y))
    return y


def choropleth(counts: dict[str, int], *, title: str, national: int = 0, national_label: str = "中央、国家职能部门",
               geo: dict | None = None, width: int = 560) -> str:
    """Provinces coloured by their number of articles, labelled where they have any, with a legend.

    ``counts``: short province names (山东, 内蒙古 …) to counts; names the map does not know
    (地点未明) and the ``national`` items are listed in the note under the map.
    """
    geo = geo or load_geo()
    shapes = geo["provinces"]
    _, _, vw, vh = (float(v) for v in geo["viewBox"].split())
    counts = {k: v for k, v in counts.items() if v}
    ranges = classes(max(counts.values(), default=0))
    legend_h = 110
    height_units = vh + legend_h
    height = round(width * height_units / vw)
    scale = geo.get("path_scale", 1)
    parts = [f'<svg class="chart map" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {vw:g} {height_units:g}">',
             f'<text x="0" y="34" class="map-title">{escape(title)}</text>',
             f'<g transform="scale({scale:g})" class="provinces">']
    for name, shape in shapes.items():
        if name == INSET:
            parts.append(f'<path d="{shape["d"]}" class="inset" fill="#b0b0b0"><title>{INSET}</title></path>')
            continue
        n = counts.get(name, 0)
        parts.append(f'<path d="{shape["d"]}" fill="{_fill(n, ranges)}" stroke="#ffffff" stroke-width="{0.8 / scale:g}" '
                     f'data-province="{escape(name)}" data-count="{n}"><title>{escape(name)}: {n}</title></path>')
    parts.append("</g>")
    placed: list[tuple[float, float, float, float]] = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if name in shapes and name != INSET:
            x, y = shapes[name]["label"]
            ty = _free_spot(x, y, len(name) * LABEL_EM + len(str(n)) * LABEL_EM * 0.6 + 6, placed)
            if ty != y:        # moved off a neighbour's label: a leader line to its province
                parts.append(f'<line x1="{x:g}" y1="{y:g}" x2="{x:g}" y2="{ty - 10 if ty > y else ty + 4:g}" class="leader" '
                             f'stroke="#555" stroke-width="1.2"/>')
            parts.append(f'<text x="{x:g}" y="{ty + 7:g}" text-anchor="middle" font-size="{LABEL_EM}" '
                         f'class="map-label">{escape(name)} {n}</text>')
    y0 = vh + 20
    parts.append(f'<text x="10" y="{y0 + 1:g}" class="map-legend">篇数</text>')
    x = 70
    for (lo, hi) in [(0, 0), *ranges]:
        label = str(lo) if lo == hi else f"{lo}–{hi}"
        parts.append(f'<rect x="{x}" y="{y0 - 18:g}" width="28" height="22" fill="{_fill(lo, ranges)}" stroke="#999" stroke-width="1"/>'
                     f'<text x="{x + 34}" y="{y0 + 1:g}" class="map-legend">{label}</text>')
        x += 44 + 13 * len(label)
    notes = []
    if national:
        notes.append(f"另有{national_label}报道{national}篇（全国性，不属于任何省份，未在地图上着色）")
    unknown = {k: v for k, v in counts.items() if k not in shapes}
    if unknown:
        notes.append("、".join(f"{k}{v}篇" for k, v in unknown.items()) + "（无法定位到省份）")
    if notes:
        parts.append(f'<text x="10" y="{y0 + 48:g}" class="map-note">{escape("；".join(notes))}</text>')
    parts.append("</svg>")
    return "".join(parts)
