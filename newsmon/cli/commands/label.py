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
"""

from __future__ import annotations

import json
import sys

HELP = "label articles (JSON lines on stdin) with category, level, place, bodies and evidence"
PASSTHROUGH = ("id", "url")


def add_arguments(parser):
    parser.add_argument("--tokens", action="store_true", help="also print the jieba tokens and top words (TF-IDF)")


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


def run(args) -> int:
    from newsmon import config
    from newsmon.text import LABEL_KEYS

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
