"""Benchmarks write their latest figures to benchmarks/results/NAME.md themselves.

``with recorded("labels"): ...`` prints as usual and, when the block ends, saves
everything printed, with the date and the machine, so README and docs link a
file instead of pasting numbers by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import platform
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


class _Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text: str) -> int:
        for s in self.streams:
            s.write(text)
        return len(text)

    def flush(self) -> None:
        for s in self.streams:
            s.flush()


@contextlib.contextmanager
def recorded(name: str, title: str | None = None):
    """Tee stdout; on success write benchmarks/results/<name>.md."""
    buf = io.StringIO()
    real = sys.stdout
    sys.stdout = _Tee(real, buf)
    try:
        yield
    finally:
        sys.stdout = real
    RESULTS.mkdir(exist_ok=True)
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    (RESULTS / f"{name}.md").write_text(
        f"# {title or name} benchmark\n\nMeasured {when} on {machine}, by `python -m benchmarks.{name}`"
        " (written by the benchmark itself; figures move with the machine's load, ratios much less).\n\n"
        "```\n" + buf.getvalue().rstrip() + "\n```\n", encoding="utf-8")
