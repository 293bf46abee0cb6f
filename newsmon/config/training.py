"""The category model's files: its training items and corrections in, the model file out.

config/text/model.yaml names the JSON-lines files the model learns from (the
labelled set under benchmarks/data/labels/), the analysts' corrections
(text/corrections.jsonl) and the model file that `newsmon label --train` writes
and every analyser loads. The training itself is pure (newsmon.text.model); this
module only reads and writes, and turns every problem into one ConfigError line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from newsmon.config import loader
from newsmon.config.schemas import text as schemas
from newsmon.errors import ConfigError


def read_items(path: Path, *, missing_ok: bool = False) -> list[dict]:
    """The items of one JSON-lines file, checked line by line (blank lines and # comments skipped)."""
    if missing_ok and not path.exists():
        return []
    items = []
    for n, line in enumerate(loader.read_text(path).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"config file {path} line {n}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        try:
            item = schemas.TrainingItem.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            at = ".".join(str(p) for p in err["loc"]) or "line"
            raise ConfigError(f"config file {path} line {n}: {at}: {err['msg']}") from None
        items.append({"id": None if item.id is None else str(item.id), "title": item.title or "",
                      "text": item.text or "", "labels": item.labels.model_dump(), "from": f"{path.name}:{n}"})
    return items


def merge(training: list[dict], corrections: list[dict]) -> list[dict]:
    """Training items with the corrections applied: a correction replaces the item it names
    (same id, or same title and text), else it is added."""
    def key(item):
        return ("id", item["id"]) if item["id"] and not (item["title"] or item["text"]) else \
            ("text", item["title"], item["text"])

    out = list(training)
    at = {key(item): i for i, item in enumerate(out)}
    by_id = {item["id"]: i for i, item in enumerate(out) if item["id"]}
    for c in corrections:
        i = at.get(key(c), by_id.get(c["id"]) if c["id"] else None)
        if i is None:
            at[key(c)] = len(out)
            out.append(c)
        else:
            out[i] = {**out[i], "labels": c["labels"], "from": c["from"],
                      **({"title": c["title"], "text": c["text"]} if c["title"] or c["text"] else {})}
    return out


def read_model(path: Path, classes: list[str]):
    """The model file, parsed and checked; ConfigError (one line) when it is missing or malformed."""
    from newsmon.text import model

    try:
        data = json.loads(loader.read_text(path))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"config file {path} line {exc.lineno}: not valid JSON ({exc.msg}); "
                          "retrain it with 'newsmon label --train'") from None
    except ConfigError as exc:
        if not path.exists():
            raise ConfigError(f"config file {path} does not exist; train it with 'newsmon label --train'") from None
        raise exc from None
    try:
        return model.from_json(data, classes)
    except ValueError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None


def write_model(path: Path, text: str) -> None:
    """Write the model file atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
