"""Real servers for tests and benchmarks, started the way users start them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsmon.config.settings import PROJECT_ROOT, child_environ

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, env: dict | None = None, cwd: Path = PROJECT_ROOT, timeout: float = 180,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run a console script of this venv (newsmon, scrapy) as a user would, in a clean environment of ours."""
    exe = args[0] if os.path.isabs(args[0]) else str(VENV_BIN / args[0])
    return subprocess.run([exe, *args[1:]], cwd=cwd, env=child_environ(env), capture_output=True,
                          text=True, timeout=timeout, input=input)


@contextmanager
def embedded_mongo(data_dir: Path) -> Iterator:
    """A real nx-27017 server (newsmon's embedded store) on a free port, stopped afterwards."""
    from newsmon.storage.embedded import EmbeddedServer

    server = EmbeddedServer(data_dir, port=free_port())
    info = server.ensure_running()
    try:
        yield info
    finally:
        server.stop()


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A real redis-server (Debian package redis-server) on a free loopback port; yields its URL."""
    import redis

    exe = shutil.which("redis-server")
    if not exe:
        raise RuntimeError("redis-server is missing: `make test` installs the Debian package redis-server")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def connect(uri: str, db: str = "newsmon", timeout_ms: int = 5000):
    """A Store on a server a test or benchmark started (database "newsmon" unless told)."""
    from newsmon.storage.mongo import Store

    return Store.connect(uri, db, timeout_ms)
