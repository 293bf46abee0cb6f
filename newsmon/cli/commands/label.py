"""Label articles read as JSON lines on stdin; print one JSON line of labels per input.

Input, one object per line:  {"title": "...", "text": "..."}
(url, source, published_at and id are optional; id and url are copied to the output).

Output, in input order: category, level, province, city, district, region,
organizations, people, domains, technologies, doc_number, doc_type, relevance,
mentions and evidence as top-level keys (docs/labels.md explains each). A line
that is not a JSON object with string title/text gets {"line": N, "error": "..."}
instead, and the lines after it are still labelled; the exit status is then 1.

  echo '{"title": "南京市上线区块链平台", "text": "..."}' | newsmon label
  newsmon label --tokens < articles.jsonl > labels.jsonl

``newsmon label --train`` retrains the category model from the items and the
analysts' corrections named in config/text/model.yaml (a correction that names an
article id is looked up in the store) and writes the model file; nothing is read
from stdin then.
"""

from __future__ import annotations

import json
import sys

HELP = "label articles (JSON lines on stdin) with category, level, place, bodies and evidence"
PASSTHROUGH = ("id", "url")


def add_arguments(parser):
    parser.add_argument("--tokens", action="store_true", help="also print the jieba tokens and top words (TF-IDF)")
    parser.add_argument("--train", action="store_true",
                        help="retrain the category model from config/text/model.yaml's items and corrections, "
                             "write its file and exit")


def _reconfigure(stream) -> None:
    if hasattr(stream, "reconfigure"):  # a real console or pipe: always UTF-8, whatever the locale
        stream.reconfigure(encoding="utf-8", errors="replace")


def _article(line: str) -> tuple[dict | None, str | None]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return None, "JSON nested too deeply to be an article"
    if not isinstance(data, dict):
        return None, f"expected a JSON object with title and text, got {type(data).__name__}"
    for key in ("title", "text"):
        if data.get(key) is not None and not isinstance(data[key], str):
            return None, f"'{key}' must be a string, got {type(data[key]).__name__}"
    if not (data.get("title") or data.get("text")):
        return None, "needs a non-empty 'title' or 'text'"
    return data, None


def _fill_from_store(settings, items: list[dict]) -> None:
    """Title and text of corrections that name only an article id, from the store."""
    wanted = [i for i in items if i["id"] and not (i["title"] or i["text"])]
    if not wanted:
        return
    from newsmon.storage import open_store
    from newsmon.storage.mongo import ARTICLES
    from newsmon.storage.reprints import as_oid

    store = open_store(settings)
    for item in wanted:
        doc = store.db[ARTICLES].find_one({"_id": as_oid(item["id"])}, {"title": 1, "content": 1})
        if doc is None:
            raise DataProblem(f"{item['from']}: article {item['id']} is not in the store")
        item["title"], item["text"] = doc.get("title") or "", doc.get("content") or ""


class DataProblem(Exception):
    pass


def _train() -> int:
    from newsmon import config
    from newsmon.errors import ConfigError

    settings = config.get_settings()
    items = config.training_items(settings)
    try:
        _fill_from_store(settings, items)
    except DataProblem as exc:
        raise ConfigError(f"corrections: {exc}") from None
    done = config.train_category_model(settings, items)
    counts = ", ".join(f"{c} {n}" for c, n in done["per_class"].items())
    print(f"category model: {done['examples']} items ({counts}), {done['features']} features, "
          f"{done['bytes']} bytes -> {done['path']} (data sha256 {done['data_sha256'][:12]})")
    return 0


def run(args) -> int:
    from newsmon import config
    from newsmon.text import LABEL_KEYS

    if args.train:
        return _train()
    analyser = config.analyser(config.get_settings())  # a malformed config file stops here, before any input
    _reconfigure(sys.stdin)
    _reconfigure(sys.stdout)
    failed = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        article, error = _article(line)
        if error:
            failed += 1
            out = {"line": number, "error": error}
        else:
            result = analyser.analyse(article.get("title") or "", article.get("text") or "")
            out = {k: article[k] for k in PASSTHROUGH if article.get(k) is not None}
            out.update((k, result[k]) for k in LABEL_KEYS)
            if args.tokens:
                out["tokens"], out["top_words"] = result["tokens"], result["top_words"]
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if failed:
        print(f"newsmon label: {failed} line(s) could not be labelled (see the error lines)", file=sys.stderr)
    return 1 if failed else 0
