"""Build the settings every entry point shares (CLI, ``scrapy crawl``, tests).

Environment variables named like a setting in :mod:`newsmon.defaults` override it,
so the same ``MONGO_URI=...`` works for ``newsmon`` and ``scrapy crawl`` alike.
"""

from __future__ import annotations

import os
from typing import Any, MutableMapping

from newsmon import defaults
from newsmon.errors import ConfigError

SETTINGS_MODULE = "crawler.settings"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"environment variable {name}={raw!r} is not a boolean (use 1 or 0)")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"environment variable {name}={raw!r} is not an integer") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"environment variable {name}={raw!r} is not a number") from None
    return raw


def env_overrides(environ: MutableMapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from environment variables named like a newsmon setting."""
    environ = os.environ if environ is None else environ
    out = {}
    for name in dir(defaults):
        if name.isupper() and name in environ:
            out[name] = _coerce(name, environ[name], getattr(defaults, name))
    return out


def apply_env(settings) -> None:
    """Overlay environment overrides onto Scrapy settings, below ``-s`` on the command line.

    Applied on every settings build, never at import, so a long-lived process (the
    scheduler, the test suite) always sees the current environment.
    """
    settings.setdict(env_overrides(), priority="project")


def get_settings(overrides: dict[str, Any] | None = None):
    """Scrapy ``Settings`` for this project, wherever the command was started."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    apply_env(settings)
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings
