"""The digest's prose, written from its facts: the opening paragraph and each section's ●解读.

Everything said is counted from the articles (how many, the change from the previous
period of equal length, which places and domains lead, what is new within the
look-back window, the most reprinted story); nothing is judged. Every paragraph
carries the configured mark (（自动生成）) so a reader knows newsmon wrote it.
"""

from __future__ import annotations

import datetime as dt

from newsmon.digest.model import Digest, Facts, Group


def day(d: dt.date, *, year: bool = True) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


def period(start: dt.date, end: dt.date) -> str:
    """2020年3月1日至3月31日 (the year once when both days share it)."""
    if start == end:
        return day(start)
    return f"{day(start)}至{day(end, year=start.year != end.year)}"


def _names(items: list[str], limit: int = 3) -> str:
    return "、".join(items[:limit]) + ("等" if len(items) > limit else "")


def _counted(pairs: list[tuple[str, int]], limit: int = 3) -> str:
    """A（3条）、B（2条）… or, when every count is 1, just the names."""
    if all(n == 1 for _, n in pairs[:limit]):
        return _names([p for p, _ in pairs], limit)
    return "、".join(f"{p}（{n}条）" for p, n in pairs[:limit]) + ("等" if len(pairs) > limit else "")


def change(now: int, before: int | None, prev: tuple[dt.date, dt.date] | None) -> str:
    """较上期（…）的5条增加3条 / 减少 / 持平; empty when the previous period was not asked."""
    if before is None or prev is None:
        return ""
    when = f"上期（{period(*prev)}）"
    if before == 0:
        return f"{when}没有相关报道" if now else f"{when}同样没有"
    if now == before:
        return f"与{when}持平（{before}条）"
    diff = now - before
    share = f"，{'增长' if diff > 0 else '下降'}{abs(diff) / before:.0%}" if before >= 5 else ""
    return f"较{when}的{before}条{'增加' if diff > 0 else '减少'}{abs(diff)}条{share}"


def _places(f: Facts) -> str:
    if not f.places:
        return ""
    k = len(f.places)
    if k == 1:
        return f"均来自{f.places[0][0]}"
    (top, n), second = f.places[0], f.places[1][1]
    if k <= 4:
        out = f"分布在{'、'.join(p for p, _ in f.places)}{k}个{f.place_word}"
        return out + (f"，其中{top}最多（{n}条）" if n > 1 and n > second else "")
    if n == 1:
        return f"分布在{_names([p for p, _ in f.places])}{k}个{f.place_word}"
    return f"分布在{k}个{f.place_word}，{_counted(f.places)}居前"


def _domains(f: Facts) -> str:
    return f"涉及{_counted(f.domains)}领域" if f.domains else ""


def _new(f: Facts, lookback: int) -> str:
    parts = []
    if f.new_places:
        parts.append(f"{_names(f.new_places, 4)}为近{lookback}天内首次有报道的{f.place_word}")
    if f.new_domains:
        parts.append(f"“{'”“'.join(f.new_domains[:3])}”{'等' if len(f.new_domains) > 3 else ''}领域为近{lookback}天内首次出现")
    return "；".join(parts)


def _top(f: Facts) -> str:
    if f.top is None:
        return ""
    names = "、".join(f.top.reprinted_by[:5])
    return f"转载最多的是《{f.top.headline}》，{f.top.outlets}家媒体刊发（{names}）"


def _sentences(*parts: str) -> str:
    return "".join(p + "。" for p in parts if p)


def opening(d: Digest) -> str:
    """The paragraph before the first section."""
    f = d.facts
    when = period(d.start, d.end)
    if not d.total:
        return d.mark + _sentences(f"本期（{when}）没有新的相关报道" + (
            f"，{change(0, f.previous, d.previous_period)}" if f and f.previous else ""))
    head = f"本期（{when}）共收录政府机关等在区块链领域的报道{d.total}条"
    if d.reprints:
        head += f"，另有{d.reprints}次转载已合并计入"
    moved = change(d.total, f.previous, d.previous_period)
    split = "其中" + "、".join(f"{a}{n}条" for a, n in f.by_area)
    if len(f.by_category) > 1:
        split += "；按类别，" + "、".join(f"{c}{n}条" for c, n in f.by_category)
    where = ""
    if f.places:
        where = f"各省市的报道分布在{len(f.places)}个省份"
        if f.regions and f.regions[0][1] > 1 and (len(f.regions) == 1 or f.regions[0][1] > f.regions[1][1]):
            where += f"，{f.regions[0][0]}地区最多（{f.regions[0][1]}条）"
        if f.places[0][1] > 1:
            where += f"，省份中{_counted(f.places)}居前"
    new = _new(Facts(0, None, [], "省份", [], new_places=f.new_places), d.lookback_days) if f.new_places else ""
    follow = "以下依次为" + "、".join(g.name for g in d.sections)
    return d.mark + _sentences(head + (f"，{moved}" if moved else ""), split, where, new, _top(f), follow)


def section_note(g: Group, d: Digest) -> str:
    """The ●解读 paragraph after a section."""
    f = g.facts
    head = f"本期{g.phrase}报道{f.count}条"
    moved = change(f.count, f.previous, d.previous_period)
    where = "；".join(p for p in (_places(f), _domains(f)) if p)
    text = _sentences(head + (f"，{moved}" if moved else ""), where, _new(f, d.lookback_days), _top(f))
    return f"{d.note_label}{d.mark}：{text}"
