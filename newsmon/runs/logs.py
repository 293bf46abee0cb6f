"""Logging for long-running newsmon processes: a rotating file under the data dir, and the console.

``setup(data_dir, "scheduler")`` sends every record to
``<data dir>/logs/scheduler.log`` (rotated at NEWSMON_LOG_MAX_BYTES, keeping
NEWSMON_LOG_BACKUPS old files: ``scheduler.log.1`` …) and to stderr. Calling it
again is harmless: handlers are added once. Each process writes its own file
(scheduler.log, run-now.log), so two processes never rotate the same file.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONSOLE_DATEFMT = "%H:%M:%S"
QUIET = ("pymongo", "jieba", "asyncio")


def log_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "logs"


def log_file(data_dir: Path, name: str) -> Path:
    return log_dir(data_dir) / f"{name}.log"


def _is_console(handler: logging.Handler) -> bool:
    return type(handler) is logging.StreamHandler and getattr(handler, "stream", None) in (sys.stderr, sys.stdout)


def setup(data_dir: Path, name: str, *, max_bytes: int, backups: int, level: int = logging.INFO,
          console: bool = True) -> Path:
    """Log to ``<data_dir>/logs/<name>.log`` (rotating) and to the console; return the file's path."""
    path = log_file(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path.resolve()
               for h in root.handlers):
        fh = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        fh.setFormatter(logging.Formatter(FORMAT))
        fh.setLevel(level)
        root.addHandler(fh)
    if console and not any(_is_console(h) for h in root.handlers):
        ch = logging.StreamHandler(sys.stderr)
        ch.setFormatter(logging.Formatter(FORMAT, CONSOLE_DATEFMT))
        root.addHandler(ch)
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path


def setup_from_settings(settings, name: str, *, console: bool = True) -> Path:
    from newsmon.config.settings import data_dir

    return setup(data_dir(settings), name, max_bytes=settings.getint("NEWSMON_LOG_MAX_BYTES"),
                 backups=settings.getint("NEWSMON_LOG_BACKUPS"), console=console)


CHILD_LOGGER = "newsmon.crawl.child"


class _QuietConsole(logging.Filter):
    """The console of ``newsmon run`` without -v: this process's warnings, the crawl's errors; the file keeps all."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == CHILD_LOGGER or record.name.startswith(CHILD_LOGGER + "."):
            return record.levelno >= logging.ERROR
        return record.levelno >= logging.WARNING


def quiet_console(verbose: bool) -> None:
    """Without ``verbose``, keep Scrapy's start-up lists, stats dumps and progress chatter off the console."""
    if verbose:
        return
    for handler in logging.getLogger().handlers:
        if _is_console(handler) and not any(isinstance(f, _QuietConsole) for f in handler.filters):
            handler.addFilter(_QuietConsole())
