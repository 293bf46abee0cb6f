"""Inline SVG charts: no script, no external file, so the digest opens offline anywhere."""

from __future__ import annotations

from html import escape

PALETTE = {"policy": "#c0392b", "application": "#2471a3", "voice": "#d68910", "other": "#7f8c8d"}


def bar_chart(rows: list[tuple[str, int]], *, title: str, width: int = 640, bar: int = 22) -> str:
    """Horizontal bars, one per row (label, value), largest first."""
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    label_w, pad, head = 90, 6, 30
    height = head + len(rows) * (bar + pad) + pad
    scale = (width - label_w - 50) / top
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<text x="0" y="18" class="chart-title">{escape(title)}</text>']
    for i, (label, value) in enumerate(rows):
        y = head + i * (bar + pad)
        w = max(1.0, value * scale)
        parts.append(f'<text x="{label_w - 8}" y="{y + bar * 0.72:.1f}" text-anchor="end">{escape(str(label))}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#2471a3">'
                     f'<title>{escape(str(label))}: {value}</title></rect>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + bar * 0.72:.1f}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(series: dict[str, dict[str, int]], categories: dict[str, str], *, title: str,
                    width: int = 640, height: int = 260) -> str:
    """One column per week, stacked by category, with a legend."""
    if not series:
        return ""
    weeks = list(series)
    totals = [sum(series[w].values()) for w in weeks]
    top = max(totals) or 1
    left, bottom, head = 40, 40, 50
    plot_h = height - head - bottom
    col_w = min(60, (width - left - 10) / len(weeks) * 0.7)
    step = (width - left - 10) / len(weeks)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<text x="0" y="18" class="chart-title">{escape(title)}</text>']
    x_leg = 0
    for key, name in categories.items():
        parts.append(f'<rect x="{x_leg}" y="28" width="12" height="12" fill="{PALETTE.get(key, "#555")}"/>'
                     f'<text x="{x_leg + 16}" y="39">{escape(name)}</text>')
        x_leg += 70
    parts.append(f'<line x1="{left}" y1="{head + plot_h}" x2="{width - 5}" y2="{head + plot_h}" stroke="#999"/>')
    parts.append(f'<text x="{left - 6}" y="{head + 10}" text-anchor="end">{top}</text>')
    for i, week in enumerate(weeks):
        x = left + i * step + (step - col_w) / 2
        y = head + plot_h
        for key, name in categories.items():
            n = series[week].get(key, 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE.get(key, "#555")}"><title>{week} {escape(name)}: {n}</title></rect>')
        parts.append(f'<text x="{x + col_w / 2:.1f}" y="{head + plot_h + 16}" text-anchor="middle" class="tick">{week[5:]}</text>')
    parts.append("</svg>")
    return "".join(parts)
