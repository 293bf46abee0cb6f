"""Plain-text reports of a crawl run for the console."""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata

from newsmon.storage.runs import source_status
from newsmon.vocab import SHANGHAI


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, cols: int) -> str:
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > cols - 1:
            return "".join(out) + "…"
        out.append(ch)
        used += w
    return "".join(out)


def pad(text: str, cols: int) -> str:
    text = clip(text, cols)
    return text + " " * (cols - width(text))


def fmt_date(value) -> str:
    if not isinstance(value, dt.datetime):
        return "-"
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def new_items_table(articles: list[dict]) -> str:
    if not articles:
        return "No new articles."
    from newsmon.cli.output import render  # the same table `newsmon query` prints

    return render(articles, "table").rstrip("\n").rsplit("\n\n", 1)[0]


def drift_note(counts: dict) -> str:
    """"; DRIFTED: …" when the source's configured selector or pattern found nothing and a fallback did."""
    drift = counts.get("drift") or {}
    if not drift:
        return ""
    pages = ", ".join("every configured endpoint (auto-discovery took over)" if via == "auto" else f"{n} {via} page(s)"
                      for via, n in sorted(drift.items()))
    how = ", ".join(f"{n} by {kind}" for kind, n in sorted((counts.get("drift_links") or {}).items()))
    return f"; DRIFTED: the configured selector/pattern found nothing on {pages}, links found {how or 'none'}"


def progress_line(done: int, total: int, name: str, counts: dict | None) -> str:
    """``[12/68] gov_beijing: 3 new, 41 pages, 0 errors`` and, when there is one, what went wrong."""
    if counts is None:
        return f"[{done}/{total}] {name}: no report (failed: the crawl stopped before this source finished)"
    errors = sum((counts.get("errors") or {}).values())
    line = (f"[{done}/{total}] {name}: {counts.get('articles_stored', 0)} new, {counts.get('pages_fetched', 0)} pages, "
            f"{errors} error{'' if errors == 1 else 's'}")
    marks = [status] if (status := source_status(counts)) != "ok" else []
    if any((counts.get("drift") or {}).values()):
        marks.append("drifted")
    if counts.get("spilled"):
        marks.append(f"{counts['spilled']} spilled")
    return line + (f" ({', '.join(marks)})" if marks else "")


class Progress:
    """Prints one progress line per source as it finishes (the runner's ``progress`` callback)."""

    def __init__(self, total: int, out=None):
        self.total, self.done, self.out = total, 0, out

    def __call__(self, name: str, counts: dict | None) -> None:
        self.done += 1
        print(progress_line(self.done, max(self.total, self.done), name, counts), file=self.out or sys.stdout, flush=True)


def source_summary(run: dict) -> str:
    lines = []
    for name in run.get("planned") or sorted(run.get("sources", {})):
        c = run.get("sources", {}).get(name)
        if not c:
            lines.append(f"  {name}: no report (the crawl stopped before this source finished)")
            continue
        errors = c.get("errors") or {}
        err = ", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "none"
        lines.append(
            f"  {name}: {c.get('pages_fetched', 0)} pages fetched, {c.get('articles_found', 0)} articles read, "
            f"{c.get('articles_stored', 0)} new stored, {c.get('merged', 0)} merged as reprints, "
            f"{c.get('rejected', 0)} without a blockchain term, "
            f"{c.get('skipped_known', 0)} already known; errors: {err}"
            + (f"; {c['spilled']} spilled to disk" if c.get("spilled") else "")
            + (" (nothing could be fetched)" if not c.get("pages_fetched") and errors else "")
            + drift_note(c)
        )
    return "\n".join(lines)


def run_report(run: dict, articles: list[dict]) -> str:
    why = f" ({run['reason']})" if run.get("reason") and run.get("status") != "ok" else ""
    head = (f"Run {run['_id']} {run.get('status')}{why}: {len(articles)} new article(s) "
            f"in {run.get('duration_s', '?')}s")
    lines = [new_items_table(articles), "", head, source_summary(run)]
    reports = [c for c in (run.get("sources") or {}).values() if c]
    if reports and all(not c.get("pages_fetched") and c.get("errors") for c in reports):
        lines.append("No source could be reached: check the network or proxy settings "
                     "(or replay the bundled snapshot with NEWSMON_OFFLINE=1).")
    return "\n".join(lines)
