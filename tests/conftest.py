"""Shared fixtures: a real nx-27017 server on loopback, per-test databases, a clean environment.

Every ``NEWSMON_*`` and ``MONGO_*`` variable of the shell that runs the tests is
cleared for each test, so a developer's own settings never leak into a result.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from newsmon.config.settings import PROJECT_ROOT as ROOT
from newsmon.testing.servers import embedded_mongo, free_port, redis_server, run_cli  # noqa: F401  (used by tests)

FIXTURES = ROOT / "tests" / "fixtures"
SNAPSHOT = ROOT / "snapshot"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Every test gets its own data dir and embedded port; nothing reaches ./data or a user's settings."""
    for name in list(os.environ):
        if name.startswith(("NEWSMON_", "MONGO_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSMON_EMBEDDED_PORT", str(free_port()))
    yield
    from newsmon.storage import forget_stores

    forget_stores()


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    """One real embedded server for the session, started the way users start it."""
    with embedded_mongo(tmp_path_factory.mktemp("mongo-session")) as info:
        yield info


@pytest.fixture
def mongo_uri(mongo_server, monkeypatch):
    """MONGO_URI of the session server with a fresh database for this test."""
    monkeypatch.setenv("MONGO_URI", mongo_server.uri)
    monkeypatch.setenv("MONGO_DATABASE", f"t_{uuid.uuid4().hex[:10]}")
    return mongo_server.uri


@pytest.fixture
def settings(mongo_uri):
    from newsmon.config import get_settings

    return get_settings()


@pytest.fixture
def store(settings):
    from newsmon.storage import open_store

    return open_store(settings)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port (Debian package redis-server, installed by `make test`)."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def path_of(name: str) -> Path:
    return FIXTURES / name
