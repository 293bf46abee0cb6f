"""The browser obeys the address guard: a rendered page that points at loopback gets nothing through.

The list page is served from 127.0.0.3 (the one host exempted, with
NEWSMON_ALLOW_HOSTS, as a real source's public host would be); it makes Chromium
try every kind of request a page can make at other loopback listeners — 127.0.0.2,
[::1], and 127.0.0.1 spelt as 2130706433 and as localhost — and at the exempt host
through a redirect. Those listeners count TCP connections, so even a preconnect
that never sends a request is seen.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from newsmon.testing.httpsite import Route, Site
from newsmon.testing.sites import GovSite

from conftest import ROOT, run_cli

PAGE = """<html><head>
<link rel="stylesheet" href="{lo}/style.css">
<link rel="prefetch" href="{two}/prefetch.htm">
<link rel="preconnect" href="{two}">
<link rel="dns-prefetch" href="{two}">
<link rel="icon" href="{two}/favicon.ico">
<script src="{six}/script.js"></script>
<script>
const items = {items};
document.addEventListener('DOMContentLoaded', () => {{
  const ul = document.getElementById('l');
  for (const [h, t] of items) {{
    const li = document.createElement('li'); const a = document.createElement('a');
    a.href = h; a.textContent = t; li.appendChild(a); ul.appendChild(li);
  }}
  fetch('{decimal}/fetch').catch(() => {{}});
  fetch('{six}/fetch6', {{mode: 'no-cors'}}).catch(() => {{}});
  try {{ navigator.sendBeacon('{two}/beacon', 'x'); }} catch (e) {{}}
  try {{ new WebSocket('{ws}/socket'); }} catch (e) {{}}
  try {{ new EventSource('{two}/events'); }} catch (e) {{}}
  try {{ navigator.serviceWorker.register('/sw.js'); }} catch (e) {{}}
  const x = new XMLHttpRequest(); x.open('GET', '{lo}/xhr'); x.send();
  new Image().src = '{two}/pixel.gif';
}});
</script></head><body>
<img src="{two}/img.png"><img src="/away.png">
<iframe src="{six}/frame.htm"></iframe>
<video src="{two}/video.mp4"></video>
<form id="f" action="{two}/form" method="post"></form>
<ul id="l"></ul>
</body></html>"""


@pytest.fixture
def listeners():
    sites = [Site(host="127.0.0.2"), Site(host="::1"), Site(host="127.0.0.1")]
    for s in sites:
        s.__enter__()
    yield sites
    for s in sites:
        s.__exit__(None, None, None)


def test_a_javascript_page_that_points_at_loopback_reaches_none_of_it(tmp_path, mongo_uri, listeners):
    two, six, one = listeners
    with Site(host="127.0.0.3") as site:
        gov = GovSite(site, n=3)
        items = json.dumps([[a["path"], a["title"]] for a in gov.articles], ensure_ascii=False)
        site.add("/js-list.htm", Route(PAGE.format(
            lo=f"http://localhost:{one.port}", two=two.base, six=six.base, decimal=f"http://2130706433:{one.port}",
            ws=f"ws://127.0.0.2:{two.port}", items=items).encode("utf-8")))
        site.add("/away.png", Route(b"", 302, {"Location": two.url("/redirected.png")}))
        site.add("/sw.js", Route(b"self.addEventListener('fetch', e => {});", headers={"Content-Type": "text/javascript"}))
        cfg = tmp_path / "cfg"
        cfg.mkdir()
        shutil.copy(ROOT / "config" / "keywords.yaml", cfg)
        (cfg / "sources.yaml").write_text(f"""sources:
  - name: js_guarded
    title: a rendered list that points at loopback
    kind: gov
    level: central
    javascript: true
    allowed_domains: [127.0.0.3]
    discovery:
      - list: {{url: '{site.url('/js-list.htm')}', links: 'ul#l li a', max_pages: 1}}
""", encoding="utf-8")
        env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": os.environ["MONGO_DATABASE"],
               "NEWSMON_ALLOW_PRIVATE": "0", "NEWSMON_ALLOW_HOSTS": "127.0.0.3"}
        result = run_cli("newsmon", "run", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=15", env=env)
        # the page itself rendered and its articles were crawled
        assert "/js-list.htm" in site.paths_hit(), result.stdout[-2000:] + result.stderr[-2000:]
        assert sorted(p for p in site.paths_hit() if "/content/" in p) == sorted(a["path"] for a in gov.articles)
        assert "/redirected.png" not in two.paths_hit()
        for listener in listeners:
            assert listener.hits == [] and listener.connections == 0, (listener.base, listener.paths_hit())
        assert "browser_refused" in result.stdout, result.stdout[-1500:]
