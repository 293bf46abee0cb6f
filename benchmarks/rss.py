"""Peak resident memory of a process tree, sampled from /proc (Linux) while a benchmark runs.

A command's RSS after it exits says nothing about its peak, and ``ru_maxrss`` of
children only reports the largest single child. The sampler polls every pid in
the tree (a ``newsmon run`` starts a ``scrapy crawl`` child, which starts worker
processes) and keeps each one's peak and the peak of the tree's sum.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss(pid: int) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _cmd(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in argv if a]
    return " ".join(words[:4])


class TreeSampler:
    """``with TreeSampler(pid) as s: ...`` then ``s.peak`` (the tree's sum) and ``s.by_role``."""

    def __init__(self, root: int, interval: float = 0.1):
        self.root, self.interval = root, interval
        self.peak = 0
        self.peaks: dict[int, int] = {}
        self.cmds: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        kids, out, todo = _children(), [], [self.root]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(kids.get(pid, ()))
        return out

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            value = rss(pid)
            total += value
            if value > self.peaks.get(pid, 0):
                self.peaks[pid] = value
                self.cmds.setdefault(pid, _cmd(pid))
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def role_peak(self, words: str) -> int:
        """Largest peak among the tree's processes whose command line contains ``words``."""
        return max((v for pid, v in self.peaks.items() if words in self.cmds.get(pid, "")), default=0)

    def count(self, words: str) -> int:
        return sum(words in c for c in self.cmds.values())
