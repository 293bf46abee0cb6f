"""Run a crawl the one way CLI and scheduler share: a child process per run.

The parent opens the store first (so an unreachable store is one clear error,
not a crawl that spills everything), records the run in ``crawl_runs``, starts
``python -m newsmon.runs.child`` with a wall-clock limit, and closes the record with
the outcome: ok, failed (with the exit status and why), timeout, or
interrupted (stopped by Ctrl-C, SIGTERM, a scheduler shutting down, or a lost
lease; the sources that finished closing keep their counts).

Stopping a crawl is always SIGTERM first (Scrapy closes spiders and pipelines
cleanly; the store pipeline spills what it cannot write), SIGKILL only after a
grace period. The child watches its parent: if the parent is killed outright, the
child stops cleanly, once, and is gone within the stop grace (shorter than any
lease), so no orphan crawl goes on fetching.
"""

from __future__ import annotations

import collections
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from typing import Callable

from newsmon import config
from newsmon.config.settings import child_environ
from newsmon.errors import UnknownSource
from newsmon.storage import StoreError, open_store
from newsmon.storage import gateway as storage_gateway
from newsmon.storage.gateway import replay
from newsmon.storage.indexes import RUNS
from newsmon.storage.mongo import utcnow
from newsmon.storage.runs import RunLog, new_run_id, run_status, source_status

log = logging.getLogger(__name__)
child_log = logging.getLogger("newsmon.crawl.child")

# The child's log lines, when the parent captures them: the parent's handlers add the time.
CHILD_LOG_FORMAT = "[%(name)s] %(levelname)s: %(message)s"
_LEVEL = re.compile(r"^\[[^\]]*\] (DEBUG|INFO|WARNING|ERROR|CRITICAL):")


class Cancel:
    """Asks a running crawl to stop: ``set(reason)``; ``set(reason, force=True)`` kills it at once.

    A Cancel may have a parent (e.g. one per run under the scheduler's): it is set
    when its parent is.
    """

    def __init__(self, parent: "Cancel | None" = None):
        self.parent = parent
        self._reason: str | None = None
        self._force = False

    def set(self, reason: str, force: bool = False) -> None:
        if self._reason is None:
            self._reason = reason
        self._force = self._force or force

    @property
    def reason(self) -> str | None:
        return self._reason or (self.parent.reason if self.parent else None)

    @property
    def force(self) -> bool:
        return self._force or bool(self.parent and self.parent.force)


class Terminated(KeyboardInterrupt):
    """SIGTERM while ``newsmon run`` waits in the main thread: handled like Ctrl-C."""


def select_sources(settings, names: list[str] | None, group: str | None = None) -> list[str]:
    """The sources a run crawls: the ones named, else every enabled one (of ``group``); offline, those replayable."""
    sources = {s.name: s for s in config.sources(settings)}
    unknown = [n for n in names or [] if n not in sources]
    if unknown:
        raise UnknownSource(f"unknown source {', '.join(map(repr, unknown))}; configured sources: {', '.join(sorted(sources))}")
    if names:
        return list(names)
    chosen = [n for n, s in sources.items() if s.enabled and (group is None or s.group == group)]
    if settings.getbool("NEWSMON_OFFLINE"):
        from crawler.snapshot import snapshot_urls  # the crawl layer's snapshot: what offline can replay

        urls = snapshot_urls(settings)
        replayable = [n for n in chosen if any(d.url in urls for d in sources[n].discovery)]
        log.info("offline: crawling the %d source(s) the snapshot holds (%s); %d others have no saved pages",
                 len(replayable), ", ".join(replayable) or "none", len(chosen) - len(replayable))
        chosen = replayable
    return chosen


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the crawl process was killed by {name}"
    return f"the crawl process exited with status {code}"


def run_crawl(settings, names: list[str] | None = None, *, since: str | None = None, group: str | None = None,
              trigger: str = "newsmon run", timeout: float | None = None, run_id: str | None = None,
              log_level: str = "INFO", extra_env: dict | None = None,
              overrides: list[str] | None = None, cancel: Cancel | None = None,
              run_fields: dict | None = None, log_to: logging.Logger | None = None,
              stop_grace: float = 20.0, orphan_within: float | None = None,
              progress: Callable[[str, dict | None], None] | None = None) -> dict:
    """Crawl the sources in a child process; return the finished crawl_runs document.

    cancel       stop the crawl when it is set (status ``interrupted``, its reason recorded)
    run_fields   extra fields for the crawl_runs document (no datetimes), e.g. group and lease
    log_to       capture the child's output into this logger (default: the child shares stdout/stderr)
    stop_grace   seconds between SIGTERM and SIGKILL when the crawl is stopped
    orphan_within  seconds within which the child is gone once this process died (default: stop_grace);
                 under a lease it must end before the lease can expire (see orphan_limit)
    progress     called once per planned source as its counts reach the run record (name, counts),
                 and at the end for each source that never reported (name, None)
    """
    sources = select_sources(settings, names, group)
    store = open_store(settings)
    runs = RunLog(store)
    for dead in runs.close_dead(settings.getfloat("NEWSMON_RUN_STALE_AFTER")):
        log.warning("run %s was left 'running' by a process that died; closed as failed", dead)
    run_id = run_id or new_run_id()
    runs.start(run_id, sources, trigger)
    runs.heartbeat(run_id)
    runs.annotate(run_id, run_fields or {})  # before the crawl starts: a dead parent's run is still traceable
    cmd = [sys.executable, "-m", "newsmon.runs.child", "--run-id", run_id, "--log-level", log_level,
           "--parent", str(os.getpid()), "--stop-within",
           f"{stop_grace if orphan_within is None else orphan_within:g}", *sources]
    if since:
        cmd += ["--since", since]
    if log_to is not None:
        cmd += ["--set", f"LOG_FORMAT={CHILD_LOG_FORMAT}"]
    for item in overrides or []:
        cmd += ["--set", item]
    env = child_environ({**(extra_env or {}), "NEWSMON_RUN_ID": run_id})
    if not settings.get("MONGO_URI"):
        env["MONGO_URI"] = store.uri  # the child reuses the server the parent found or started
    started = time.monotonic()
    capture = log_to is not None
    proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.STDOUT if capture else None)
    tail: collections.deque[str] = collections.deque(maxlen=20)
    reader = None
    if capture:
        reader = threading.Thread(target=_forward, args=(proc.stdout, log_to, tail), name=f"crawl log {run_id}", daemon=True)
        reader.start()
    runs.annotate(run_id, {"child_pid": proc.pid})
    log.info("run %s: crawling %s in process %d", run_id, ", ".join(sources) or "(every enabled source)", proc.pid)

    restore = _trap_sigterm()
    heartbeat = _Heartbeat(settings, runs, run_id)
    watch = _Progress(runs, run_id, sources, progress)

    def beat() -> None:
        heartbeat()
        watch()

    try:
        code, status, reason = _wait(proc, run_id, timeout, cancel, stop_grace, beat)
    except KeyboardInterrupt as exc:
        why = "stopped by SIGTERM" if isinstance(exc, Terminated) else "stopped by Ctrl-C"
        log.warning("run %s %s; stopping the crawl cleanly", run_id, why)
        _stop_quietly(proc, stop_grace)
        watch.flush(_finish(settings, runs, run_id, "interrupted", proc.returncode, started, why, reader, tail, sources))
        raise
    finally:
        restore()
    doc = _finish(settings, runs, run_id, status, code, started, reason, reader, tail, sources)
    watch.flush(doc)
    return doc


class _Heartbeat:
    """The parent keeps its run's record alive while the child crawls (a dead parent's run is then found)."""

    def __init__(self, settings, runs: RunLog, run_id: str):
        self.runs, self.run_id = runs, run_id
        self.every = settings.getfloat("NEWSMON_HEARTBEAT_INTERVAL")
        self.last = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.last < self.every:
            return
        self.last = time.monotonic()
        try:
            self.runs.heartbeat(self.run_id)
        except StoreError as exc:  # the store is down: the child goes on; the record catches up later
            log.debug("heartbeat of run %s not written: %s", self.run_id, exc)


class _Progress:
    """Tells ``callback`` about each source once its counts are in the run record (polled about once a second).

    The child records a source when its spider closes, so this is "N of M sources done"
    without parsing the crawl's log.
    """

    EVERY = 1.0

    def __init__(self, runs: RunLog, run_id: str, planned: list[str], callback):
        self.runs, self.run_id, self.planned, self.callback = runs, run_id, planned, callback
        self.told: set[str] = set()
        self.last = time.monotonic()

    def __call__(self) -> None:
        if self.callback is None or time.monotonic() - self.last < self.EVERY:
            return
        self.last = time.monotonic()
        try:
            doc = self.runs.get(self.run_id) or {}
        except StoreError:  # the store is down: the lines come at the end
            return
        self._tell(doc.get("sources") or {})

    def _tell(self, reported: dict) -> None:
        for name in [*self.planned, *sorted(set(reported) - set(self.planned))]:
            if name in reported and name not in self.told:
                self.told.add(name)
                self.callback(name, reported[name])

    def flush(self, doc: dict) -> None:
        """The rest, from the finished record: sources that reported late, then those that never did."""
        if self.callback is None:
            return
        self._tell(doc.get("sources") or {})
        for name in self.planned:
            if name not in self.told:
                self.told.add(name)
                self.callback(name, None)


def _wait(proc: subprocess.Popen, run_id: str, timeout: float | None, cancel: Cancel | None,
          grace: float, beat=lambda: None) -> tuple[int | None, str, str | None]:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            code = proc.wait(timeout=0.25)
            break
        except subprocess.TimeoutExpired:
            pass
        beat()
        if cancel is not None and cancel.reason:
            log.warning("run %s: %s; stopping the crawl cleanly", run_id, cancel.reason)
            _stop(proc, grace, cancel)
            if proc.returncode == 0:  # it had finished every source already
                return 0, "ok", None
            return proc.returncode, "interrupted", cancel.reason
        if deadline is not None and time.monotonic() >= deadline:
            log.error("run %s exceeded its %ss limit; stopping the crawl", run_id, timeout)
            _stop(proc, grace, cancel)
            return proc.returncode, "timeout", f"exceeded its wall-clock limit of {timeout:g}s"
    if code == 0:
        return code, "ok", None
    return code, "failed", _describe_exit(code)


def _finish(settings, runs: RunLog, run_id: str, status: str, code: int | None, started: float, reason: str | None,
            reader: threading.Thread | None, tail, sources: list[str]) -> dict:
    """Close the run's record with what was stored; never raises (the store may be down now).

    A child that finished gets the status its sources earned (ok / partial / failed).
    If the store cannot take the record, it goes to the spill file and is written
    when the store is back; the report then says so.
    """
    if reader is not None:
        reader.join(timeout=10)
    fields = {"exit_code": code, "duration_s": round(time.monotonic() - started, 1)}
    if reason:
        fields["reason"] = reason
    if status == "failed" and tail:
        fields["log_tail"] = list(tail)
    gateway = storage_gateway(settings)
    try:
        replay(runs.store, gateway.spill)  # what the crawl spilled counts once it is stored
        fields["new_articles"] = len(runs.store.articles_of_run(run_id))
        if status == "ok":
            status = run_status(runs.get(run_id) or {"planned": sources})
            if status != "ok":
                fields["reason"] = _why(runs.get(run_id) or {}, sources)
        runs.finish(run_id, status, **fields)
        doc = runs.get(run_id)
    except StoreError as exc:
        log.error("run %s ended %s, but the store is unavailable (%s); its record is written when the store is back",
                  run_id, status, str(exc).split(",")[0])
        gateway.spill.append(RUNS, {"_id": run_id, "status": status, "finished_at": utcnow(), **fields}, op="set")
        doc = {"_id": run_id, "status": status, "planned": sources, "sources": {}, "unrecorded": True, **fields}
    log.info("run %s finished: %s%s, %s new article(s)", run_id, doc.get("status"),
             f" ({doc.get('reason')})" if doc.get("reason") else "", doc.get("new_articles", "?"))
    return doc


def _why(run: dict, sources: list[str]) -> str:
    bad = {name: source_status((run.get("sources") or {}).get(name)) for name in run.get("planned") or sources}
    bad = {n: s for n, s in bad.items() if s != "ok"}
    return "; ".join(f"{n} {s}" for n, s in sorted(bad.items())[:10]) + (" …" if len(bad) > 10 else "")


def _forward(stream, logger: logging.Logger, tail) -> None:
    """Child output -> logger, one record per line, at the level the line carries."""
    level = logging.INFO
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        if not line:
            continue
        m = _LEVEL.match(line)
        if m:
            level = logging.getLevelName(m.group(1))
        elif line.startswith(("newsmon: error:", "Traceback (most recent call last)")):
            level = logging.ERROR  # the child's own error line, or a crash outside Scrapy's logging
        logger.log(level, "%s", line)
        tail.append(line)
    stream.close()


def _trap_sigterm():
    """In the main thread, turn SIGTERM into Terminated (like Ctrl-C) for the length of the run."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _stop_quietly(proc: subprocess.Popen, grace: float) -> None:
    """_stop, where a second Ctrl-C / SIGTERM kills the crawl at once."""
    try:
        _stop(proc, grace)
    except KeyboardInterrupt:
        _kill(proc)


def _stop(proc: subprocess.Popen, grace: float = 20.0, cancel: Cancel | None = None) -> None:
    """SIGTERM first (Scrapy closes spiders and pipelines cleanly), SIGKILL after grace or when forced."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            proc.wait(timeout=0.25)
            return
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.force:
                break
    log.warning("the crawl (process %d) did not stop within %gs; killing it", proc.pid, grace)
    _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
