"""Inline SVG charts with axes and values: no script, no external file, so the digest opens offline anywhere."""

from __future__ import annotations

import datetime as dt
import math
from html import escape

PALETTE = {"policy": "#c0392b", "application": "#2471a3", "voice": "#d68910", "other": "#7f8c8d"}
NATIONAL_FILL = "#95a5a6"


def ticks(top: int, most: int = 5) -> list[int]:
    """Round axis values from 0 to at least ``top`` (1-2-5 steps, at most ``most`` + 1 of them)."""
    if top <= most:
        return list(range(0, max(top, 1) + 1))
    raw = top / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 5, 10) if s * mag >= raw)
    return list(range(0, int(math.ceil(top / step) * step) + 1, int(step)))


def _svg(title: str, width: int, height: int, body: list[str], css_class: str = "chart") -> str:
    return (f'<svg class="{css_class}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<text x="0" y="16" class="chart-title">{escape(title)}</text>' + "".join(body) + "</svg>")


def bar_chart(rows: list[tuple[str, int]], *, title: str, extra: list[tuple[str, int]] = (), note: str = "",
              width: int = 380, bar: int = 18) -> str:
    """Horizontal bars (label, value), largest first, on a value axis; ``extra`` rows (e.g. 中央 and
    国家职能部门 items, which belong to no province) are drawn below a rule in grey and explained by ``note``."""
    extra = [(k, v) for k, v in extra if v]
    if not rows and not extra:
        return ""
    values = [v for _, v in [*rows, *extra]]
    axis = ticks(max(values))
    label_w, pad, head, right = 78, 6, 28, 34
    gap = 10 if rows and extra else 0
    plot_w = width - label_w - right
    n = len(rows) + len(extra)
    plot_h = n * (bar + pad) + gap
    height = head + plot_h + 26 + (18 if note else 0)
    scale = plot_w / axis[-1]
    body = []
    for t in axis:                      # grid lines and axis values
        x = label_w + t * scale
        body.append(f'<line x1="{x:.1f}" y1="{head - 2}" x2="{x:.1f}" y2="{head + plot_h}" class="grid"/>'
                    f'<text x="{x:.1f}" y="{head + plot_h + 14}" text-anchor="middle" class="tick">{t}</text>')
    body.append(f'<line x1="{label_w}" y1="{head + plot_h}" x2="{label_w + plot_w}" y2="{head + plot_h}" class="axis"/>'
                f'<line x1="{label_w}" y1="{head - 2}" x2="{label_w}" y2="{head + plot_h}" class="axis"/>'
                f'<text x="{label_w + plot_w}" y="{head + plot_h + 26}" text-anchor="end" class="tick">篇</text>')
    y = head + pad / 2
    for i, (label, value) in enumerate([*rows, *extra]):
        national = i >= len(rows)
        if national and i == len(rows) and rows:
            y += gap
            body.append(f'<line x1="0" y1="{y - gap / 2 - pad / 2:.1f}" x2="{width - right}" y2="{y - gap / 2 - pad / 2:.1f}" '
                        f'class="rule"/>')
        w = max(1.0, value * scale)
        fill = NATIONAL_FILL if national else "#2471a3"
        body.append(f'<text x="{label_w - 6}" y="{y + bar * 0.75:.1f}" text-anchor="end">{escape(str(label))}</text>'
                    f'<rect class="bar{" national" if national else ""}" x="{label_w}" y="{y:.1f}" width="{w:.1f}" '
                    f'height="{bar}" fill="{fill}"><title>{escape(str(label))}: {value}</title></rect>'
                    f'<text x="{label_w + w + 4:.1f}" y="{y + bar * 0.75:.1f}" class="value">{value}</text>')
        y += bar + pad
    if note:
        body.append(f'<text x="0" y="{height - 4}" class="note">{escape(note)}</text>')
    return _svg(title, width, height, body)


def stacked_columns(series: dict[str, dict[str, int]], categories: dict[str, str], *, title: str,
                    width: int = 640, height: int = 280) -> str:
    """One column per week (every week of the range, empty ones too), stacked by category, on a count axis;
    each column carries its total; weeks are labelled by their Monday, with the year under the first and at each new year."""
    if not series:
        return ""
    weeks = list(series)
    totals = [sum(series[w].values()) for w in weeks]
    axis = ticks(max(totals))
    shown = [k for k in categories if any(series[w].get(k) for w in weeks)] or list(categories)[:1]
    left, right, head, bottom = 36, 8, 48, 44
    plot_w, plot_h = width - left - right, height - head - bottom
    step = plot_w / len(weeks)
    col_w = min(48.0, step * 0.7)
    every = max(1, math.ceil(len(weeks) / 12))          # at most about 12 week labels
    body = []
    x_leg = left + 16
    for key in shown:
        body.append(f'<rect x="{x_leg}" y="26" width="12" height="12" fill="{PALETTE.get(key, "#555")}"/>'
                    f'<text x="{x_leg + 16}" y="37">{escape(categories[key])}</text>')
        x_leg += 24 + 14 * len(categories[key])
    for t in axis:
        y = head + plot_h - t / axis[-1] * plot_h
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>'
                    f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" class="tick">{t}</text>')
    body.append(f'<line x1="{left}" y1="{head + plot_h}" x2="{left + plot_w}" y2="{head + plot_h}" class="axis"/>'
                f'<line x1="{left}" y1="{head - 4}" x2="{left}" y2="{head + plot_h}" class="axis"/>'
                f'<text x="{left - 5}" y="{head - 8}" text-anchor="end" class="tick">篇</text>')
    year = None
    for i, week in enumerate(weeks):
        monday = dt.date.fromisoformat(week)
        x = left + i * step + (step - col_w) / 2
        y = head + plot_h
        for key in categories:
            n = series[week].get(key, 0)
            if not n:
                continue
            h = n / axis[-1] * plot_h
            y -= h
            body.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE.get(key, "#555")}"><title>{week} {escape(categories[key])}: {n}</title></rect>')
        body.append(f'<text x="{x + col_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" class="value">{totals[i]}</text>')
        if i % every == 0 or monday.year != year:
            cx = x + col_w / 2
            body.append(f'<text x="{cx:.1f}" y="{head + plot_h + 14}" text-anchor="middle" class="tick">'
                        f'{monday.month}/{monday.day}</text>')
            if monday.year != year:
                body.append(f'<text x="{cx:.1f}" y="{head + plot_h + 28}" text-anchor="middle" class="tick year">'
                            f'{monday.year}年</text>')
                year = monday.year
    body.append(f'<text x="{left + plot_w}" y="{height - 2}" text-anchor="end" class="tick">每周（周一起）</text>')
    return _svg(title, width, height, body)
