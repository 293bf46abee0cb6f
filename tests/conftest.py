"""Shared fixtures: a real nx-27017 server on loopback, per-test databases, env isolation."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Every test gets its own data dir; nothing reaches ./data or a user's MONGO_URI."""
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(tmp_path / "data"))
    for name in ("MONGO_URI", "MONGO_DATABASE", "NEWSMON_OFFLINE", "NEWSMON_CONFIG_DIR", "NEWSMON_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSMON_EMBEDDED_PORT", str(free_port()))
    yield
    from newsmon.storage import forget_stores

    forget_stores()


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    """One real embedded server for the session, started the way users start it."""
    from newsmon.storage.embedded import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("mongo-session"), port=free_port())
    info = server.ensure_running()
    yield info
    server.stop()


@pytest.fixture
def mongo_uri(mongo_server, monkeypatch):
    """MONGO_URI of the session server with a fresh database for this test."""
    monkeypatch.setenv("MONGO_URI", mongo_server.uri)
    monkeypatch.setenv("MONGO_DATABASE", f"t_{uuid.uuid4().hex[:10]}")
    return mongo_server.uri


@pytest.fixture
def settings(mongo_uri):
    from newsmon.settings import get_settings

    return get_settings()


@pytest.fixture
def store(settings):
    from newsmon.storage import open_store

    return open_store(settings)


def run_cli(*args: str, env: dict | None = None, cwd: Path = ROOT, timeout: float = 180, input: str | None = None):
    """Run a console script of this venv (newsmon, scrapy) as a user would."""
    exe = args[0] if os.path.isabs(args[0]) else str(VENV_BIN / args[0])
    return subprocess.run([exe, *args[1:]], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=timeout, input=input)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port (Debian package redis-server, installed by `make test`)."""
    import shutil
    import time

    exe = shutil.which("redis-server")
    assert exe, "redis-server is missing: `make test` installs the Debian package redis-server"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)
