"""Rules of the code base that keep one way to do each thing (checked over the whole tree).

* every NEWSMON_* setting is defined, with a comment, once, in newsmon/defaults.py;
* only newsmon/config/settings.py reads the environment;
* no component restates a setting's default (``settings.getint("X", 3)``);
* every docs/ path the code or config cites exists;
* the import layers hold (lint-imports, the same contract `make test` runs).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from newsmon import defaults
from newsmon.config.settings import PROJECT_ROOT as ROOT

PRODUCT = ["newsmon", "crawler", "pipelines", "scheduler.py"]
SETTINGS_MODULE = ROOT / "newsmon" / "config" / "settings.py"
GETTERS = {"get", "getint", "getbool", "getfloat", "getlist", "getdict", "getwithbase", "getdictorlist"}


def product_files() -> list[Path]:
    out = []
    for name in PRODUCT:
        path = ROOT / name
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return out


def test_every_newsmon_setting_is_defined_and_documented_once_in_defaults():
    source = (ROOT / "newsmon" / "defaults.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    names = [n for n in vars(defaults) if n.isupper()]
    for name in names:
        at = [i for i, line in enumerate(lines) if line.startswith(f"{name} =")]
        assert len(at) == 1, f"{name} is defined {len(at)} times in defaults.py"
        above = lines[at[0] - 1].strip()
        assert above.startswith("#") or lines[at[0] - 2].strip().startswith("#") or any(
            lines[j].strip().startswith("#") for j in range(max(0, at[0] - 4), at[0])), f"{name} has no comment saying what it does"
    used = set()
    for path in product_files() + sorted((ROOT / "config").rglob("*.yaml")):
        used |= set(re.findall(r"\bNEWSMON_[A-Z0-9_]+\b", path.read_text(encoding="utf-8")))
    unknown = sorted(used - set(names))
    assert not unknown, f"settings used but not defined in newsmon/defaults.py: {unknown}"


def test_only_the_settings_module_reads_the_environment():
    offenders = []
    for path in product_files():
        if path == SETTINGS_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv") \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"os.environ / os.getenv outside newsmon/config/settings.py: {offenders}"


def test_no_component_restates_a_settings_default():
    settings_names = {n for n in vars(defaults) if n.isupper()}
    from scrapy.settings import default_settings

    settings_names |= {n for n in vars(default_settings) if n.isupper()}
    offenders = []
    for path in product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in settings_names
                    and (len(node.args) > 1 or node.keywords)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    assert not offenders, f"settings read with a restated default (defaults live in newsmon/defaults.py): {offenders}"


def test_every_cited_docs_path_exists():
    cited = {}
    for path in product_files() + sorted((ROOT / "config").rglob("*")) + [ROOT / "README.md", ROOT / "Makefile"]:
        if path.is_file():
            for ref in re.findall(r"\bdocs/[\w./-]+\.md", path.read_text(encoding="utf-8", errors="replace")):
                cited.setdefault(ref, str(path.relative_to(ROOT)))
    missing = {ref: where for ref, where in cited.items() if not (ROOT / ref).is_file()}
    assert cited and not missing, f"docs paths cited but absent: {missing}"


def test_the_import_layers_hold():
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "0 broken" in result.stdout, result.stdout[-3000:]


def test_remote_control_is_off_unless_turned_on():
    from newsmon.config import get_settings

    assert not get_settings().getbool("REMOTE_CONTROL_ENABLED")
    assert not get_settings().getbool("TELNETCONSOLE_ENABLED")
    assert get_settings({"REMOTE_CONTROL_ENABLED": "1"}).getbool("REMOTE_CONTROL_ENABLED")
