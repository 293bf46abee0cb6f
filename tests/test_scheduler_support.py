"""Helpers for the scheduler tests (no tests here): a small loopback news site, a config dir, scheduler processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from newsmon.testing.httpsite import Route, Site
from newsmon.testing.sites import SEED_ITEMS

from conftest import ROOT

PYTHON = sys.executable

ARTICLE = """<html><head><meta charset="utf-8"><title>{t}</title></head><body><h1>{t}</h1>
<div class="date">2026-11-21 08:00</div><div id="content"><p>{t}。本市推进区块链技术在政务服务中的应用，建设区块链服务网络节点。</p>
<p>{text}</p></div></body></html>"""


class NewsSite(Site):
    """An RSS feed announcing ``n`` articles about 区块链.

    While ``slow`` is set, article page i answers after ``slow + i * stagger`` seconds.
    """

    def __init__(self, n: int = 3):
        super().__init__()
        self.slow = 0.0
        self.stagger = 0.0
        self.n = n

    def __enter__(self) -> "NewsSite":
        super().__enter__()
        items = []
        for i in range(self.n):
            path, title = f"/news/2026/a{i}.html", f"区块链应用试点 第{i}期"
            # distinct real news text per article, so dedupe keeps them apart
            body = ARTICLE.format(t=title, text=SEED_ITEMS[i % len(SEED_ITEMS)]["text"]).encode()
            self.add(path, lambda handler, body=body, i=i: Route(
                body, headers={"Content-Type": "text/html; charset=utf-8"},
                delay=(self.slow + i * self.stagger) if self.slow else 0.0))
            items.append(f"<item><title>{title}</title><link>{self.url(path)}</link>"
                         "<pubDate>Sat, 21 Nov 2026 08:00:00 +0800</pubDate></item>")
        feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>local</title>'
                + "".join(items) + "</channel></rss>")
        self.add("/rss.xml", Route(feed.encode(), headers={"Content-Type": "application/rss+xml"}))
        self.add("/robots.txt", Route(b"User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"}))
        return self

    def feed_hits(self) -> int:
        return self.paths_hit().count("/rss.xml")

    def article_hits(self) -> int:
        return sum(p.startswith("/news/") for p in self.paths_hit())


def write_config(cfg: Path, site: NewsSite, schedule: str) -> Path:
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "keywords.yaml").write_text((ROOT / "config" / "keywords.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (cfg / "sources.yaml").write_text(f"""
sources:
  - name: local
    title: 本地
    kind: gov
    level: city
    allowed_domains: [127.0.0.1]
    discovery:
      - rss: {site.url('/rss.xml')}
""", encoding="utf-8")
    (cfg / "schedule.yaml").write_text(schedule, encoding="utf-8")
    return cfg


def scheduler_env(cfg: Path, data: Path) -> dict:
    return {"NEWSMON_CONFIG_DIR": str(cfg), "NEWSMON_DATA_DIR": str(data), "NEWSMON_ALLOW_PRIVATE": "1",
            "MONGO_URI": os.environ["MONGO_URI"], "MONGO_DATABASE": os.environ["MONGO_DATABASE"]}


class SchedulerProcess:
    """A real scheduler (``python scheduler.py`` or ``newsmon schedule``) with its output in a file."""

    def __init__(self, env: dict, out: Path, via: str = "scheduler.py"):
        self.out = out
        cmd = [PYTHON, str(ROOT / "scheduler.py")] if via == "scheduler.py" else [str(Path(PYTHON).parent / "newsmon"), "schedule"]
        self._fh = open(out, "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=self._fh, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def terminate(self, timeout: float = 40) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._fh.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._fh.close()


def wait_for(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True

