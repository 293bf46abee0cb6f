"""The one settings path: defaults (newsmon/defaults.py) < environment < ``-s``.

The only module that reads ``os.environ``. Every entry point (the ``newsmon``
CLI, ``scrapy crawl``/``scrapy list``, the scheduler, crawl child processes)
builds its settings here or through the EnvironmentOverrides add-on, which calls
:func:`apply_env`, so one ``MONGO_URI=...`` or ``-s NAME=VALUE`` means the same
everywhere. Values from the environment and the command line are checked against
the type of their default, so ``-s CONCURRENT_REQUESTS=abc`` is one clear error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping

from newsmon import defaults
from newsmon.errors import ConfigError

SETTINGS_MODULE = "crawler.settings"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# Environment variables that are not settings but still reach newsmon (read here only).
OFFLINE_FLAG = "NEWSMON_OFFLINE"


def names() -> list[str]:
    """Every newsmon setting (the upper-case names of newsmon/defaults.py)."""
    return [n for n in vars(defaults) if n.isupper()]


def coerce(name: str, raw: Any, default: Any, where: str = "setting") -> Any:
    """A raw value (text from the environment or -s) as the type of the setting's default."""
    if not isinstance(raw, str) or default is None:
        return raw
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(f"{where} {name}={raw!r} is not a boolean (use 1 or 0)")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            pass
        try:  # DOWNLOAD_DELAY=0.5: Scrapy's default is 0 but it reads a float
            return float(raw)
        except ValueError:
            raise ConfigError(f"{where} {name}={raw!r} is not a number") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{where} {name}={raw!r} is not a number") from None
    return raw


def env_overrides(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from environment variables named like a newsmon setting (typed)."""
    environ = os.environ if environ is None else environ
    return {n: coerce(n, environ[n], getattr(defaults, n), "environment variable") for n in names() if n in environ}


def apply_env(settings) -> None:
    """Overlay environment overrides onto Scrapy settings, below ``-s`` on the command line.

    Applied on every settings build, never at import, so a long-lived process (the
    scheduler, the test suite) always sees the current environment.
    """
    settings.setdict(env_overrides(), priority="project")


def check_types(settings) -> None:
    """Every setting given as text (env, -s) must parse as its default's type: ConfigError otherwise.

    Scrapy would otherwise fail deep inside a component, in a Deferred, with a traceback.
    """
    from scrapy.settings import default_settings as scrapy_defaults

    for name, attr in list(settings.attributes.items()):
        if not isinstance(attr.value, str):
            continue
        default = getattr(defaults, name, getattr(scrapy_defaults, name, None))
        if isinstance(default, (bool, int, float)):
            settings.set(name, coerce(name, attr.value, default), priority=attr.priority)


def get_settings(overrides: dict[str, Any] | None = None):
    """Scrapy ``Settings`` for this project, wherever the command was started; types checked."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    apply_env(settings)
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    check_types(settings)
    return settings


def parse_overrides(items: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` items (``-s``) as a dict; ConfigError for an item without ``=``."""
    bad = [item for item in items if "=" not in item]
    if bad:
        raise ConfigError(f"-s expects NAME=VALUE, got {bad[0]!r}")
    return dict(item.split("=", 1) for item in items)


def child_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: this one's, plus ``extra``; directories made absolute,
    so a child started elsewhere reads the same ones."""
    env = {**os.environ, **(extra or {})}
    for name in ("NEWSMON_CONFIG_DIR", "NEWSMON_DATA_DIR"):
        if env.get(name):
            env[name] = str(Path(env[name]).expanduser().absolute())
    return env


ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_env(value: str, where: str = "value") -> str:
    """``${NAME}`` in a config value replaced by that environment variable (secrets kept out of config files).

    Expanded when the value is used, never when the file is loaded; ConfigError naming
    the variable when it is not set.
    """
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"{where}: environment variable {name} is not set (the config says ${{{name}}})")
        return os.environ[name]

    return ENV_REF.sub(one, value)


def set_environ(name: str, value: str) -> None:
    """Set an environment variable for this process and its children (``newsmon run --offline``)."""
    os.environ[name] = value


# --- where things are ---------------------------------------------------------------
def config_dir(settings) -> Path:
    """Absolute, so a relative NEWSMON_CONFIG_DIR means the same directory to every caller."""
    return Path(settings.get("NEWSMON_CONFIG_DIR") or PROJECT_ROOT / "config").expanduser().absolute()


def shipped_config_dir() -> Path:
    return PROJECT_ROOT / "config"


def data_dir(settings) -> Path:
    path = Path(settings.get("NEWSMON_DATA_DIR") or PROJECT_ROOT / "data").expanduser().absolute()
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_path(settings, name: str) -> Path:
    """A file in the config directory if it is there, else the shipped config/ file of that name.

    So a deployment's config directory holds only the files it changes (say
    sources.yaml) and every other file keeps the shipped default.
    """
    path = Path(name)
    if path.is_absolute():
        return path
    chosen = config_dir(settings) / path
    if not chosen.exists():
        shipped = shipped_config_dir() / path
        if shipped.exists():
            return shipped
    return chosen
