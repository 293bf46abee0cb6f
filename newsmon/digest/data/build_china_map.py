#!/usr/bin/env python3
"""Build china_provinces.json (one compact SVG path per province) from Apache ECharts 4.9.0's china.json.

Usage: python build_china_map.py PATH/TO/echarts/package    (from `npm pack echarts@4.9.0`, untarred)

Standard library only; run by hand when the map changes, never at runtime. Steps:
decode echarts' UTF8Encoding, project (Albers equal-area conic), fit to a 1000-unit
wide viewBox, simplify (Douglas-Peucker), find a label point inside each province,
and write each path in integer tenths of a unit with relative moves (small file).
"""
import json
import math
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "china_provinces.json")
WIDTH = 1000        # viewBox width; the height follows from the aspect ratio
MARGIN = 10
TOLERANCE = 0.6     # Douglas-Peucker tolerance in viewBox units (about 0.04 degrees of latitude)
MIN_AREA = 3.0      # islands smaller than this (units^2) are dropped; a province's largest ring is kept
GRID = 10           # path coordinates are integers in 1/GRID of a viewBox unit

# Albers equal-area conic (sphere), standard parallels 25N/47N, central meridian 105E.
PHI1, PHI2, LON0, LAT0 = map(math.radians, (25, 47, 105, 0))
N = (math.sin(PHI1) + math.sin(PHI2)) / 2
C = math.cos(PHI1) ** 2 + 2 * N * math.sin(PHI1)
RHO0 = math.sqrt(C - 2 * N * math.sin(LAT0)) / N
PROJECTION = "Albers equal-area conic (sphere), standard parallels 25N 47N, central meridian 105E; north up"

# The 南海诸岛 inset as echarts draws it (src/coord/geo/fix/nanhai.js): a schematic, not real coastline.
NANHAI_ORIGIN = (126, 25)
NANHAI = [
    [[0, 3.5], [7, 11.2], [15, 11.9], [30, 7], [42, 0.7], [52, 0.7], [56, 7.7], [59, 0.7], [64, 0.7], [64, 0], [5, 0]],
    [[13, 16.1], [19, 14.7], [16, 21.7], [11, 23.1]],
    [[12, 32.2], [14, 38.5], [15, 38.5], [13, 32.2]],
    [[16, 47.6], [12, 53.2], [13, 53.2], [18, 47.6]],
    [[6, 64.4], [8, 70], [9, 70], [8, 64.4]],
    [[23, 82.6], [29, 79.8], [30, 79.8], [25, 82.6]],
    [[37, 70.7], [43, 62.3], [44, 62.3], [39, 70.7]],
    [[48, 51.1], [51, 45.5], [53, 45.5], [50, 51.1]],
    [[51, 35], [51, 28.7], [53, 28.7], [53, 35]],
    [[52, 22.4], [55, 17.5], [56, 17.5], [53, 22.4]],
    [[58, 12.6], [62, 7], [63, 7], [60, 12.6]],
    [[0, 3.5], [0, 93.1], [64, 93.1], [64, 0], [63, 0], [63, 92.4], [1, 92.4], [1, 3.5]],
]


def project(lon, lat):
    theta = N * (math.radians(lon) - LON0)
    rho = math.sqrt(C - 2 * N * math.sin(math.radians(lat))) / N
    return rho * math.sin(theta), RHO0 - rho * math.cos(theta)   # north = +y (flipped for SVG below)


def decode_ring(s, offset, scale):
    """echarts UTF8Encoding: two characters (x, y) per point, charCode - 64, zigzag deltas from encodeOffsets."""
    x, y = offset
    ring = []
    for i in range(0, len(s), 2):
        dx, dy = ord(s[i]) - 64, ord(s[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / scale, y / scale))
    return ring


def polygons(feature, scale):
    """The polygons (lists of lon/lat rings) of a feature, decoded when encoded."""
    g = feature["geometry"]
    coords, offs = g["coordinates"], g.get("encodeOffsets")
    if g["type"] == "Polygon":
        coords, offs = [coords], [offs] if offs else None
    for p, poly in enumerate(coords):
        if offs:
            yield [decode_ring(r, offs[p][k], scale) for k, r in enumerate(poly)]
        else:
            yield [[tuple(pt) for pt in r] for r in poly]


def area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def dp(points, tol):
    """Douglas-Peucker on an open polyline (iterative)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = -1, None
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if (dx or dy) else math.hypot(px - ax, py - ay)
            if d > best:
                best, idx = d, i
        if idx is not None and best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring, tol):
    """Split the closed ring at its first point and the point farthest from it; simplify both halves."""
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
    return dp(ring[:far + 1], tol)[:-1] + dp(ring[far:] + ring[:1], tol)[:-1]


def inside(pt, rings):
    x, y = pt
    c = False
    for r in rings:
        for (x0, y0), (x1, y1) in zip(r, r[1:] + r[:1]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                c = not c
    return c


def seg_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1e-12)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def label_point(rings):
    """The point nearest the largest ring's centroid that keeps at least half the best clearance from the edges."""
    r = rings[0]
    pairs = list(zip(r, r[1:] + r[:1]))
    a = area(r) or 1e-12
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    edges = [(q[i - 1], q[i]) for q in rings for i in range(len(q))]
    xs, ys = [p[0] for p in r], [p[1] for p in r]
    grid = [(cx, cy)] + [(min(xs) + (max(xs) - min(xs)) * i / 40, min(ys) + (max(ys) - min(ys)) * j / 40)
                         for i in range(1, 40) for j in range(1, 40)]
    scored = [(min(seg_dist(p, e0, e1) for e0, e1 in edges), p) for p in grid if inside(p, rings)]
    if not scored:
        return [round(cx, 1), round(cy, 1)]
    best = max(c for c, _ in scored)
    x, y = min((p for c, p in scored if c >= best / 2), key=lambda p: math.dist(p, (cx, cy)))
    return [round(x, 1), round(y, 1)]


def compact_path(rings):
    """Rings as 'M x y l dx dy …z' in integer 1/GRID units: absolute start, relative steps."""
    out = []
    for r in rings:
        pts = [(round(x * GRID), round(y * GRID)) for x, y in r]
        pts = [p for i, p in enumerate(pts) if p != pts[i - 1]]
        if len(pts) < 3:
            continue
        steps = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            steps.append(f"{x1 - x0}" + (f"{y1 - y0}" if y1 - y0 < 0 else f" {y1 - y0}"))
        text = " ".join(steps).replace(" -", "-")
        out.append(f"M{pts[0][0]} {pts[0][1]}l{text}z")
    return "".join(out)


def main(pkg):
    gj = json.load(open(os.path.join(pkg, "map/json/china.json"), encoding="utf-8"))
    scale = gj.get("UTF8Scale", 1024) if gj.get("UTF8Encoding") else None
    version = json.load(open(os.path.join(pkg, "package.json"), encoding="utf-8"))["version"]
    shapes = {}
    for f in gj["features"]:      # china.json has no holes: outer rings only
        shapes[f["properties"]["name"]] = [[project(*pt) for pt in poly[0]] for poly in polygons(f, scale)]
    # the inset, axis-aligned at its echarts anchor (echarts draws 10.5 units per degree)
    (px, py), (_, qy) = project(*NANHAI_ORIGIN), project(NANHAI_ORIGIN[0], NANHAI_ORIGIN[1] - 1)
    u = (py - qy) / 10.5
    shapes["南海诸岛"] = [[(px + x * u, py - y * u) for x, y in r] for r in NANHAI]
    fixed_labels = {"南海诸岛": (px + 46 * u, py - 89 * u)}

    allpts = [p for rings in shapes.values() for r in rings for p in r]
    x0, x1 = min(p[0] for p in allpts), max(p[0] for p in allpts)
    y0, y1 = min(p[1] for p in allpts), max(p[1] for p in allpts)
    k = (WIDTH - 2 * MARGIN) / (x1 - x0)
    height = round((y1 - y0) * k + 2 * MARGIN)

    def to_svg(x, y):
        return (x - x0) * k + MARGIN, (y1 - y) * k + MARGIN

    provinces = {}
    for name, rings in shapes.items():
        rings = sorted(([to_svg(*p) for p in r] for r in rings), key=lambda r: -abs(area(r)))
        rings = rings[:1] + [r for r in rings[1:] if abs(area(r)) >= MIN_AREA]
        tol = min(TOLERANCE, math.sqrt(abs(area(rings[0]))) / 10)  # tiny 澳门 and 香港 keep their shape
        simple = [s for s in (simplify_ring(r, tol) for r in rings) if len(s) >= 3]
        label = [round(c, 1) for c in to_svg(*fixed_labels[name])] if name in fixed_labels else label_point(simple)
        provinces[name] = {"d": compact_path(simple), "label": label}
    doc = {
        "viewBox": f"0 0 {WIDTH} {height}",
        "path_scale": 1 / GRID,
        "projection": PROJECTION,
        "source": f"npm echarts@{version}, map/json/china.json (南海诸岛 inset from src/coord/geo/fix/nanhai.js); "
                  "decoded, projected, simplified and rounded by newsmon/digest/data/build_china_map.py",
        "licence": "Apache-2.0 (Apache ECharts); see LICENSE-echarts.txt and NOTICE-echarts.txt",
        "provinces": provinces,
    }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{OUT}: {os.path.getsize(OUT)} bytes, {len(provinces)} entries, viewBox {doc['viewBox']}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/chinamap/package")
