"""A local append-only file for documents the store could not take.

When MongoDB is down or refuses a write, the document is appended here as one
JSON line (Extended JSON, so dates survive) and written on the next start.
Nothing is lost between the two.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Callable, Iterator

from bson import json_util

from newsmon.storage.mongo import DocumentRefused

_JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, tz_aware=True)


class Spill:
    def __init__(self, path: Path):
        self.path = Path(path)

    def append(self, collection: str, doc: dict, op: str = "insert") -> None:
        """Keep a document for later: ``insert`` it, or ``set`` its fields on the document with its ``_id``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"collection": collection, "doc": doc, **({"op": op} if op != "insert" else {})}
        line = json_util.dumps(record, json_options=_JSON_OPTIONS, ensure_ascii=False)
        with open(self.path, "a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def _set_aside(self, line: str) -> None:
        with open(self.path.with_suffix(self.path.suffix + ".refused"), "a", encoding="utf-8") as fh:
            fh.write(line if line.endswith("\n") else line + "\n")

    def __len__(self) -> int:
        return sum(1 for _ in self._lines()) if self.path.exists() else 0

    def _lines(self) -> Iterator[str]:
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield line

    def drain(self, write: Callable[[str, dict, str], None]) -> tuple[int, int]:
        """Write every spilled document with write(collection, doc, op).

        Documents whose write raises stay in the file for the next attempt.
        Returns (written, remaining).
        """
        if not self.path.exists():
            return 0, 0
        written, kept = 0, []
        with open(self.path, "r+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            lines = [ln for ln in fh if ln.strip()]
            for i, line in enumerate(lines):
                try:
                    record = json_util.loads(line, json_options=_JSON_OPTIONS)
                except ValueError:
                    kept.append(line)  # a torn line (crash mid-write): keep it for a human
                    continue
                try:
                    write(record["collection"], record["doc"], record.get("op", "insert"))
                    written += 1
                except DocumentRefused:  # never storable: set aside (…jsonl.refused), not in the way
                    self._set_aside(line)
                except Exception:
                    kept.extend(lines[i:])  # the store went away again: keep the rest in order
                    break
            fh.seek(0)
            fh.truncate()
            fh.writelines(kept)
            fh.flush()
            os.fsync(fh.fileno())
        if not kept:
            self.path.unlink(missing_ok=True)
        return written, len(kept)
