"""Read YAML files from config/ and report problems as one clear sentence.

Config is data an analyst edits by hand, so every error names the file, the line
and what was expected instead of raising a parser traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from newsmon.errors import ConfigError
from newsmon.paths import PROJECT_ROOT, config_dir


def config_path(name: str) -> Path:
    """A file in NEWSMON_CONFIG_DIR if it is there, else the project's config/.

    So a deployment's config directory holds only the files it changes (say
    sources.yaml) and every other file keeps the shipped default.
    """
    path = Path(name)
    if path.is_absolute():
        return path
    chosen = config_dir() / path
    if not chosen.exists():
        shipped = PROJECT_ROOT / "config" / path
        if shipped.exists():
            return shipped
    return chosen


def load_yaml(name: str) -> Any:
    """Parse one config file; raise ConfigError naming file and line on any problem."""
    path = config_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, label: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"config file {label}{where}: {what}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {label}: {exc}") from None


def require(cond: bool, label: str, message: str) -> None:
    """Raise ConfigError(label: message) unless cond holds; keeps schema checks one line each."""
    if not cond:
        raise ConfigError(f"config file {label}: {message}")


@lru_cache(maxsize=None)
def load_keywords(name: str = "keywords.yaml") -> "Keywords":
    from newsmon.keywords import Keywords

    return Keywords.from_config(load_yaml(name), str(config_path(name)))
