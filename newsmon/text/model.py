"""The category model: a small multinomial logistic regression beside the rules.

The rules (category.py) say what the cue words point to; they were fitted to the
items they were tuned on and miss the kinds of item they never saw. The model
learns from labelled items how far to trust each rule signal and which words
and title shapes go with each category. Its features, for one article:

* ``t:`` jieba tokens of the title (``w:`` tokens of title and lead with
  ``lead_tokens``: off, since on 150 items they fit the items more than the kind);
* ``c:`` character 2- and 3-grams of the title (``^`` marks its start, digits
  become 0), which catch 「专家：」, 「职务+姓名：」 and similar title shapes
  whatever the name;
* ``r:`` the rule scores per category (scaled), ``r=`` the rules' own decision,
  ``s:`` rule signals (a speaker opens the title, a named person states
  something in title or lead, a 《document》 in the lead, headline only).

The model overrules the rules' category only when its probability reaches
``min_confidence`` (the analyser applies this; evidence says who decided).

Training is plain AdaGrad over the log-loss with L2, classes weighted by their
inverse frequency, examples visited in a seeded order: the same examples give
the same weights, bit for bit. Pure: no files; the config layer reads and
writes the model file (a JSON dict, :func:`to_json` / :func:`from_json`).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

FORMAT = "newsmon-category-model"
VERSION = 1
BIAS = "b"
_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)
DEFAULTS = {"epochs": 40, "rate": 0.3, "l2": 0.05, "min_count": 2, "seed": 13, "ngrams": [2, 3],
            "rule_scale": 10.0, "rule_cap": 4.0, "lead_tokens": False,
            "min_confidence": 0.7}


def _word(token: str) -> bool:
    """A token worth a feature: not blank, not punctuation alone."""
    return bool(token.strip()) and not all(unicodedata.category(ch)[0] in "PZS" for ch in token)


def features(title: str, title_tokens: list[str], lead_tokens: list[str], scores: dict[str, float],
             decision: str, signals: list[str], options: dict | None = None) -> dict[str, float]:
    """The feature vector of one article (name -> value), from what the rules already computed."""
    opt = {**DEFAULTS, **(options or {})}
    out: dict[str, float] = {BIAS: 1.0}
    for tok in title_tokens:
        if _word(tok):
            out["t:" + tok.translate(_DIGITS)] = 1.0
    if opt["lead_tokens"]:
        for tok in (*title_tokens, *lead_tokens):
            if _word(tok):
                out["w:" + tok.translate(_DIGITS)] = 1.0
    marked = "^" + "".join(title.split()).translate(_DIGITS)
    for n in opt["ngrams"]:
        for i in range(len(marked) - n + 1):
            out["c:" + marked[i:i + n]] = 1.0
    scale, cap = float(opt["rule_scale"]), float(opt["rule_cap"])
    for cat, value in scores.items():
        if value > 0:
            out["r:" + cat] = min(value / scale, cap)
    out["r=" + decision] = 1.0
    for s in signals:
        out["s:" + s] = 1.0
    return out


@dataclass
class Model:
    classes: list[str]
    weights: dict[str, list[float]]
    meta: dict = field(default_factory=dict)

    def scores(self, feats: dict[str, float]) -> list[float]:
        """Class probabilities (softmax of the linear scores)."""
        k = len(self.classes)
        z = [0.0] * k
        get = self.weights.get
        for name, value in feats.items():
            w = get(name)
            if w is not None:
                for j in range(k):
                    z[j] += w[j] * value
        return _softmax(z)

    def predict(self, feats: dict[str, float], top: int = 6) -> tuple[str, float, list[tuple[str, float]]]:
        """(class, its probability, the features that pushed most towards it, strongest first)."""
        probs = self.scores(feats)
        j = max(range(len(probs)), key=lambda c: (probs[c], -c))
        contrib = []
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None and name != BIAS:
                # towards j and away from the others: its weight for j minus its mean weight
                c = (w[j] - sum(w) / len(w)) * value
                if c > 0:
                    contrib.append((name, c))
        contrib.sort(key=lambda e: (-e[1], e[0]))
        return self.classes[j], probs[j], contrib[:top]


def _softmax(z: list[float]) -> list[float]:
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


def train(examples: list[tuple[dict[str, float], str]], classes: list[str], options: dict | None = None,
          data_hash: str = "") -> Model:
    """Fit the model on (features, category) pairs; deterministic for the same input and options."""
    opt = {**DEFAULTS, **(options or {})}
    if not examples:
        raise ValueError("no training examples")
    unknown = sorted({y for _, y in examples} - set(classes))
    if unknown:
        raise ValueError(f"unknown category {unknown[0]!r}; expected one of {', '.join(classes)}")
    k = len(classes)
    counts = Counter(name for feats, _ in examples for name in feats)
    keep = {n for n, c in counts.items() if c >= int(opt["min_count"]) or n[:2] in ("r:", "r=", "s:") or n == BIAS}
    rows = [(sorted((n, v) for n, v in feats.items() if n in keep), classes.index(y)) for feats, y in examples]
    per_class = Counter(y for _, y in rows)
    class_weight = [len(rows) / (k * per_class[c]) if per_class[c] else 0.0 for c in range(k)]
    names = sorted(keep)
    w = {n: [0.0] * k for n in names}
    g2 = {n: [0.0] * k for n in names}
    rate, l2, eps = float(opt["rate"]), float(opt["l2"]), 1e-8
    order = list(range(len(rows)))
    rng = random.Random(int(opt["seed"]))
    for _ in range(int(opt["epochs"])):
        rng.shuffle(order)
        for i in order:
            feats, y = rows[i]
            z = [0.0] * k
            for n, v in feats:
                wn = w[n]
                for j in range(k):
                    z[j] += wn[j] * v
            p = _softmax(z)
            cw = class_weight[y]
            for n, v in feats:
                wn, gn = w[n], g2[n]
                for j in range(k):
                    grad = cw * (p[j] - (1.0 if j == y else 0.0)) * v + l2 * wn[j]
                    gn[j] += grad * grad
                    wn[j] -= rate * grad / (math.sqrt(gn[j]) + eps)
    weights = {n: [round(x, 5) for x in w[n]] for n in names if any(abs(x) >= 1e-4 for x in w[n])}
    meta = {"examples": len(rows), "per_class": {classes[c]: per_class[c] for c in range(k)},
            "data_sha256": data_hash, "options": opt}
    return Model(list(classes), weights, meta)


def data_hash(rows: list[tuple[str, str, str]]) -> str:
    """sha256 of the training items (title, text, category), in order."""
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def to_json(model: Model) -> str:
    """The model file's text: sorted keys, one weight row per line, so a diff shows what moved."""
    head = {"format": FORMAT, "version": VERSION, "classes": model.classes, **model.meta}
    lines = ["{", *(f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)},"
                    for k, v in sorted(head.items())), '  "weights": {']
    rows = [f"    {json.dumps(n, ensure_ascii=False)}: {json.dumps(model.weights[n])}" for n in sorted(model.weights)]
    lines.append(",\n".join(rows))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def from_json(data, classes: list[str]) -> Model:
    """A Model from the parsed file; ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"'format' must be {FORMAT!r}, got {data.get('format')!r}")
    if data.get("version") != VERSION:
        raise ValueError(f"'version' {data.get('version')!r} is not supported (this newsmon reads {VERSION}); "
                         "retrain with 'newsmon label --train'")
    if data.get("classes") != list(classes):
        raise ValueError(f"'classes' must be {list(classes)}, got {data.get('classes')!r}")
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise ValueError("'weights' must be an object of feature -> list of numbers")
    for name, row in weights.items():
        if not (isinstance(row, list) and len(row) == len(classes)
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in row)):
            raise ValueError(f"weights[{name!r}] must be a list of {len(classes)} numbers")
    meta = {k: v for k, v in data.items() if k not in ("format", "version", "classes", "weights")}
    return Model(list(classes), {n: [float(x) for x in row] for n, row in weights.items()}, meta)
