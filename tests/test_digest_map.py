"""The digest's China map: the packaged outlines, the choropleth, and both drawn in real Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from newsmon.digest.chinamap import CLASSES, ZERO, choropleth, classes, load_geo

from conftest import ROOT

DATA = ROOT / "newsmon" / "digest" / "data"


def provinces_of_the_gazetteer() -> list[str]:
    places = yaml.safe_load((ROOT / "config" / "text" / "places.yaml").read_text(encoding="utf-8"))
    return list(places["provinces"])


def test_map_data_is_small_complete_and_licensed():
    path = DATA / "china_provinces.json"
    assert path.stat().st_size < 150_000
    geo = load_geo()
    assert geo == json.loads(path.read_text(encoding="utf-8"))
    _, _, w, h = (float(v) for v in geo["viewBox"].split())
    missing = [p for p in provinces_of_the_gazetteer() if p not in geo["provinces"]]
    assert not missing, missing
    for name, shape in geo["provinces"].items():
        x, y = shape["label"]
        assert 0 < x < w and 0 < y < h, name
        assert shape["d"].startswith("M") and shape["d"].endswith("z")
    assert "Apache License" in (DATA / "LICENSE-echarts.txt").read_text(encoding="utf-8")
    assert "The Apache Software Foundation" in (DATA / "NOTICE-echarts.txt").read_text(encoding="utf-8")
    assert "echarts@4.9.0" in geo["source"] and "echarts@4.9.0" in (DATA / "README.md").read_text(encoding="utf-8")


def test_the_installed_package_holds_the_map(tmp_path):
    """What setuptools puts in a wheel (build_py with the pyproject's package-data) has the data files."""
    build = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                            "--build-lib", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr[-2000:]
    built = tmp_path / "newsmon" / "digest" / "data"
    for name in ("china_provinces.json", "LICENSE-echarts.txt", "NOTICE-echarts.txt", "README.md"):
        assert (built / name).read_bytes() == (DATA / name).read_bytes(), name


def test_legend_classes():
    assert classes(0) == [(1, 1)] and classes(3) == [(1, 1), (2, 2), (3, 3)]
    assert classes(23) == [(1, 5), (6, 10), (11, 15), (16, 20), (21, 23)]
    assert classes(6)[-1][1] == 6 and len(classes(100)) == len(CLASSES)


def test_choropleth_colours_labels_and_notes():
    svg = choropleth({"山东": 3, "湖南": 1, "地点未明": 2}, title="各省份文章数", national=5, national_label="中央、国家职能部门")
    assert svg.startswith("<svg") and "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert 'data-province="山东" data-count="3"' in svg and 'data-province="河南" data-count="0"' in svg
    fill = {m.group(2): m.group(1) for m in re.finditer(r'<path d="[^"]*" fill="(#\w+)"[^>]*data-province="([^"]+)"', svg)}
    assert fill["河南"] == ZERO and fill["湖南"] == CLASSES[0] and fill["山东"] == CLASSES[-1]
    assert ">山东 3<" in svg and ">湖南 1<" in svg and ">河南 " not in svg    # labels only where there are items
    assert "另有中央、国家职能部门报道5篇" in svg and "地点未明2篇" in svg
    assert svg.count("data-province=") == len(load_geo()["provinces"]) - 1   # every province but the inset


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_map_in_chromium_every_label_point_inside_its_province(chromium, tmp_path):
    counts = {p: i % 7 for i, p in enumerate(provinces_of_the_gazetteer())}
    svg = choropleth(counts, title="各省份文章数", national=4)
    page = chromium.new_page(viewport={"width": 700, "height": 700})
    page.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>")
    geo = load_geo()
    inside = page.evaluate("""(labels) => {
        const out = {};
        for (const p of document.querySelectorAll('path[data-province]')) {
            const [x, y] = labels[p.dataset.province];
            const pt = p.ownerSVGElement.createSVGPoint(); pt.x = x * 10; pt.y = y * 10;   // paths are drawn in tenths
            const box = p.getBBox();
            out[p.dataset.province] = {inside: p.isPointInFill(pt), area: box.width * box.height,
                                       fill: getComputedStyle(p).fill};
        }
        return out;
    }""", {k: v["label"] for k, v in geo["provinces"].items()})
    assert set(inside) == set(geo["provinces"]) - {"南海诸岛"}
    outside = [k for k, v in inside.items() if not v["inside"]]
    assert not outside, outside
    assert all(v["area"] > 0 for v in inside.values())
    none, some = (next(p for p, n in counts.items() if n == k) for k in (0, 6))
    assert inside[none]["fill"] == "rgb(240, 240, 240)" and inside[some]["fill"] == "rgb(153, 0, 0)"
    shot = tmp_path / "map.png"
    page.locator("svg.map").screenshot(path=str(shot))
    page.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
