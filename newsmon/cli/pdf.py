"""HTML to PDF in headless Chromium (the system browser, Debian package chromium, via Playwright).

The page is the digest's self-contained HTML: it is set as the page's content and
every request it might make is aborted, so printing touches no network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from newsmon.errors import ConfigError, NewsmonError

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--dns-prefetch-disable"]


def chromium_path(configured: str | None) -> str:
    """NEWSMON_CHROMIUM, else `chromium` on PATH; a ConfigError naming the fix when there is none."""
    path = configured or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        raise ConfigError(f"no Chromium at {configured!r}; set NEWSMON_CHROMIUM" if configured else
                          "--format pdf needs Chromium: install the Debian package chromium (make test does) "
                          "or set NEWSMON_CHROMIUM")
    return path


def html_to_pdf(html: str, out: Path, executable: str) -> int:
    """Print ``html`` to ``out`` (A4, backgrounds, the page's @page margins); returns the size in bytes."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
            try:
                page = browser.new_page(java_script_enabled=False)
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load")
                page.emulate_media(media="print")
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise NewsmonError(f"Chromium could not print the digest: {str(exc).splitlines()[0]}") from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc.strerror}") from None
    return len(data)
