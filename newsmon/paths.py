"""Where newsmon finds its config and keeps its data.

The project root is the directory holding ``scrapy.cfg``; the package is installed
editable, so it is found from this file. ``NEWSMON_CONFIG_DIR`` and
``NEWSMON_DATA_DIR`` move either elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def config_dir() -> Path:
    return Path(os.environ.get("NEWSMON_CONFIG_DIR") or PROJECT_ROOT / "config")


def data_dir() -> Path:
    path = Path(os.environ.get("NEWSMON_DATA_DIR") or PROJECT_ROOT / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path
