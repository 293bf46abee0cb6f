"""The embedded MongoDB wire-protocol server (nx-27017, SQLite underneath).

Started as its own daemon with pid and log files under ``<data>/mongo/``, so
``newsmon run``, ``scrapy crawl`` and ``mongosh`` all reach the same store, and
a second start finds the first one instead of starting another.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsmon.errors import StoreUnavailable


@dataclass
class ServerInfo:
    uri: str
    pid: int
    host: str
    port: int
    data_path: str
    log_file: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when a MongoDB server answers a ping there."""
    import pymongo

    client = pymongo.MongoClient(host, port, serverSelectionTimeoutMS=int(timeout * 1000), connectTimeoutMS=int(timeout * 1000))
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


def _is_our_process(pid: int) -> bool:
    """The pid is alive and is an nx-27017 server (not a recycled pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the live pid
    return b"nx_27017" in cmdline or b"nx-27017" in cmdline


class EmbeddedServer:
    """Start, find and stop the embedded server that keeps its data in ``data_dir``."""

    def __init__(self, data_dir: Path, host: str = "127.0.0.1", port: int = 27117):
        self.root = Path(data_dir).resolve() / "mongo"
        self.host = host
        self.port = port
        self.db_dir = self.root / "db"
        self.pid_file = self.root / "nx-27017.pid"
        self.log_file = self.root / "nx-27017.log"
        self.state_file = self.root / "server.json"

    @contextmanager
    def _lock(self):
        """Serialise start/stop between processes sharing this data directory."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def status(self) -> ServerInfo | None:
        """The running server for this data directory, or None."""
        pid = self._pid()
        state = self._state()
        port = state.get("port")
        if not pid or not port or not _is_our_process(pid):
            return None
        host = state.get("host", self.host)
        if not _answers(host, port):
            return None
        return ServerInfo(f"mongodb://{host}:{port}/", pid, host, port, str(self.db_dir), str(self.log_file))

    def ensure_running(self, timeout: float = 30.0) -> ServerInfo:
        """Reuse the running server or start one; raise StoreUnavailable if it will not come up."""
        info = self.status()
        if info:
            return info
        with self._lock():
            info = self.status()
            if info:
                return info
            pid = self._pid()
            if pid and _is_our_process(pid):
                # Alive but not answering (still starting, or wedged): give it a moment.
                port = self._state().get("port")
                if port and self._wait(pid, self._state().get("host", self.host), port, 5.0):
                    return self.status()
                self._terminate(pid)
            return self._start(timeout)

    def _start(self, timeout: float) -> ServerInfo:
        port = self.port if _port_free(self.host, self.port) else _free_port(self.host)
        self.db_dir.mkdir(parents=True, exist_ok=True)
        self.pid_file.unlink(missing_ok=True)
        cmd = [
            sys.executable, "-m", "nx_27017.nx_27017", "--daemon",
            "--data-dir", str(self.db_dir), "--host", self.host, "--port", str(port),
            "--pid-file", str(self.pid_file), "--log-file", str(self.log_file),
        ]
        log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        if proc.returncode != 0:
            raise StoreUnavailable(f"the embedded MongoDB server did not start: {proc.stderr.decode(errors='replace').strip()[-300:]}")
        self.state_file.write_text(json.dumps({"host": self.host, "port": port, "started": time.time()}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self._pid()
            if pid and self._wait(pid, self.host, port, 0.5):
                return self.status()
            time.sleep(0.1)
        tail = ""
        if self.log_file.exists():
            with open(self.log_file, "rb") as fh:
                fh.seek(log_offset)
                tail = fh.read().decode(errors="replace").strip().splitlines()[-3:]
        raise StoreUnavailable(
            f"the embedded MongoDB server did not answer on {self.host}:{port} within {timeout:.0f}s"
            + (f"; its log says: {' | '.join(tail)}" if tail else f"; see {self.log_file}")
        )

    def _wait(self, pid: int, host: str, port: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_our_process(pid):
                return False
            if _answers(host, port, timeout=0.5):
                return True
            time.sleep(0.1)
        return False

    def _terminate(self, pid: int, timeout: float = 10.0) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_our_process(pid):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)

    def stop(self) -> bool:
        """Stop the server; False when none was running."""
        with self._lock():
            pid = self._pid()
            if not pid or not _is_our_process(pid):
                self.pid_file.unlink(missing_ok=True)
                return False
            self._terminate(pid)
            return True
