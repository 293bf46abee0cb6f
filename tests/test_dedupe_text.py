"""Dedupe, pure functions: normalised bodies, fingerprints, the reprint decision (real article bodies)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from newsmon.dedupe import body_lines, compare, fingerprint, fold, minhash

from conftest import FIXTURES, ROOT

ARTICLES = {r["id"]: r for r in map(json.loads, (FIXTURES / "dedupe" / "articles.jsonl").read_text(encoding="utf-8").splitlines())}
GOLD = [ARTICLES[f"s0-{n:02d}"] for n in range(14)]


def pars(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def reprint_of(text: str, *, cut: int | None = None, swap: bool = False) -> str:
    """The body as another portal runs it: its chrome, 来源 and 责任编辑 lines, a caption, a related box."""
    ps = pars(text)
    if cut is not None:
        del ps[cut]
    if swap:
        ps[1], ps[2] = ps[2], ps[1]
    ps.insert(1, "▲ 发布会现场。新华社记者 李鑫 摄")
    return "\n".join([
        "当前位置：首页 > 财经 > 正文",
        "2024-05-10 09:12:01 来源：中国经济网 作者：王磊",
        "分享到：微信 微博 QQ空间",
        *ps,
        "（来源：人民网-财经频道）",
        "（责任编辑：张晓）",
        "相关新闻：",
        "央行：5月LPR按兵不动",
        "国务院常务会议部署加快稳经济一揽子政策措施落地生效",
        "扫一扫在手机打开当前页",
    ])


def test_fold_keeps_the_story_and_drops_the_furniture():
    raw = reprint_of(ARTICLES["finance"]["content"])
    lines = body_lines(raw)
    assert lines[0].startswith("5月9日,国务院新闻办举行")  # NFKC: full-width comma folded
    joined = "\n".join(lines)
    for noise in ("当前位置", "来源", "责任编辑", "分享到", "扫一扫", "新华社记者 李鑫 摄", "相关新闻", "5月LPR按兵不动"):
        assert noise not in joined, noise
    assert fold(raw) == fold(ARTICLES["finance"]["content"])
    assert re.fullmatch(r"[0-9a-z\u4e00-\u9fff]+", fold(raw))


def test_inline_editor_credit_and_fullwidth_forms_fold_away():
    a = "国新办举行发布会，外汇局表示：积极运用跨境金融区块链平台。（责任编辑：王震）"
    b = "国新办举行发布会,外汇局表示:积极运用跨境金融区块链平台。"
    assert fold(a) == fold(b)


def test_fingerprint_is_stable_across_processes():
    """Band keys live in MongoDB: they must not depend on Python's per-process hash seed."""
    text = ARTICLES["economy"]["content"]
    code = ("import json,sys; from newsmon.dedupe import fingerprint; "
            "print(json.dumps(fingerprint(sys.stdin.read()).bands))")
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, env=env, cwd=ROOT,
                             check=True)
        outs.add(res.stdout.strip())
    assert outs == {json.dumps(fingerprint(text).bands)}
    assert len(fingerprint(text).bands) == minhash.BANDS


@pytest.mark.parametrize("art", ["finance", "economy", "cx37", "cx41"])
@pytest.mark.parametrize("edit", ["chrome", "cut", "swap", "cut+swap"])
def test_reprints_of_real_articles_are_recognised(art, edit):
    text = ARTICLES[art]["content"]
    n = len(pars(text))
    rep = reprint_of(text, cut=(n // 2 if "cut" in edit and n >= 4 else None), swap="swap" in edit and n >= 4)
    a, b = fingerprint(text), fingerprint(rep)
    sim = compare(a, b)
    assert sim.reprint, sim
    assert set(a.bands) & set(b.bands), "a reprint must share a band key with its original (or it is never a candidate)"
    assert compare(b, a).reprint  # symmetric


@pytest.mark.parametrize("x, y", [("cx54", "cx37"), ("cx33", "cx41")])
def test_two_reports_of_one_event_on_one_day_do_not_merge(x, y):
    """Real 163.com reports of 3-4 July 2015: the same fund's blow-up; the same CSRC press conference."""
    sim = compare(fingerprint(ARTICLES[x]["content"]), fingerprint(ARTICLES[y]["content"]))
    assert not sim.reprint, sim
    assert sim.jaccard < 0.2


def test_a_week_of_blockchain_policy_items_stays_fourteen_articles():
    """The analysts' digest: 14 real items on blockchain policy, several from one press conference."""
    fps = [fingerprint(g["content"]) for g in GOLD]
    worst = 0.0
    for i in range(len(fps)):
        for j in range(i + 1, len(fps)):
            sim = compare(fps[i], fps[j])
            assert not sim.reprint, (GOLD[i]["id"], GOLD[j]["id"], sim)
            worst = max(worst, sim.jaccard)
    assert worst < 0.3


def test_a_roundup_that_quotes_items_whole_is_not_their_reprint():
    roundup = "\n".join(g["content"] for g in GOLD[9:12])
    for g in GOLD[9:12]:
        sim = compare(fingerprint(g["content"]), fingerprint(roundup))
        assert sim.containment > 0.95 and not sim.reprint, sim


@pytest.mark.parametrize("art", ["finance", "cx33", "economy"])
def test_same_template_different_figures_is_another_release(art):
    """Next month's release on the same template: the same words, other figures."""
    text = ARTICLES[art]["content"]
    rnd = iter(range(10**6))
    other = re.sub(r"\d+(?:\.\d+)?", lambda m: str((int(float(m.group(0)) * 10) + 7 + next(rnd)) % 97), text)
    sim = compare(fingerprint(text), fingerprint(other))
    assert sim.word_containment > 0.9 and not sim.reprint, sim
    if sim.jaccard >= 0.6:  # the words alone would merge them: the figures guard must be what says no
        assert "figures" in sim.reason
    # ... while the same release with a paragraph cut is a reprint
    ps = pars(text)
    assert compare(fingerprint(text), fingerprint("\n".join(ps[:2] + ps[3:]))).reprint


def test_short_and_empty_bodies_are_never_near_duplicates():
    assert not compare(fingerprint(""), fingerprint("")).reprint
    a = fingerprint("央行：5月LPR按兵不动。")
    b = fingerprint("央行：5月LPR按兵不动！")
    assert not a.near_ok and not a.bands
    assert compare(a, b).reprint is False
    long_a = fingerprint("国新办举行发布会，外汇局副局长表示，积极运用跨境金融区块链平台等技术手段，便利中小企业开展贸易融资。")
    assert long_a.exact_ok
    assert compare(long_a, fingerprint("国新办举行发布会,外汇局副局长表示,积极运用跨境金融区块链平台等技术手段,便利中小企业开展贸易融资.")).reason == "same normalised body"


def test_signature_estimates_jaccard():
    text = ARTICLES["finance"]["content"]
    ps = pars(text)
    a, b = fingerprint(text), fingerprint("\n".join(ps[: len(ps) // 2]))
    exact = compare(a, b).jaccard
    assert abs(minhash.estimate(a.sig, b.sig) - exact) < 0.2
    assert minhash.estimate(a.sig, fingerprint(ARTICLES["cx41"]["content"]).sig) < 0.1
