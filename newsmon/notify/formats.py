"""A message in each channel's format: generic JSON, WeCom, DingTalk, Feishu, e-mail. Pure: no I/O.

Robots cap a message's size (WeCom: 4096 bytes of markdown), so a format lists as
many of the first ``limit`` articles as fit and counts the rest. Signatures:

* DingTalk 加签: ``sign = base64(HMAC-SHA256(key=secret, msg="{timestamp_ms}\\n{secret}"))``,
  sent as ``&timestamp=…&sign=…`` (URL-encoded) on the robot's URL;
* Feishu 签名校验: ``sign = base64(HMAC-SHA256(key="{timestamp_s}\\n{secret}", msg=""))``,
  sent as ``timestamp`` and ``sign`` in the JSON body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable
from urllib.parse import quote_plus

from newsmon.notify.message import Item, Message, clip

WECOM_BYTES = 4096           # content of a markdown message
ROBOT_BYTES = 18_000         # DingTalk and Feishu bodies (both refuse around 20 KB)
EVENTS_LISTED = 10           # events a robot message lists; the others are counted


def fit(render: Callable[[int], object], msg: Message, budget: int, measure: Callable[[object], int]):
    """``render(k)`` for the largest k <= limit whose size is within budget (k = 0: heading and count only)."""
    k = min(msg.limit, msg.total)
    out = render(k)
    while k > 0 and measure(out) > budget:
        k -= 1
        out = render(k)
    return out


def _json_size(payload) -> int:
    return len(json.dumps(payload, ensure_ascii=False).encode())


def _md_text(text: str) -> str:
    """Text that cannot open or close markdown links or emphasis."""
    return text.replace("[", "［").replace("]", "］").replace("*", "＊").replace("\n", " ")


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


# --- generic webhook -------------------------------------------------------------------------------------
def item_json(item: Item) -> dict:
    def iso(value):
        return value.isoformat() if value is not None and hasattr(value, "isoformat") else value

    return {"id": item.id, "title": item.title, "url": item.url, "source": item.source, "summary": item.summary,
            "published_at": iso(item.published_at), "first_seen": iso(item.first_seen), "category": item.category,
            "level": item.level, "province": item.province, "city": item.city, "region": item.region,
            "domains": list(item.domains)}


def webhook(msg: Message) -> dict:
    """{"watch", "items": [...], "more": K, "total": N, "events": [...]}: the first ``limit`` items, the rest counted."""
    shown = msg.items[: msg.limit]
    return {"watch": msg.watch, "items": [item_json(i) for i in shown], "more": msg.total - len(shown),
            "total": msg.total, "events": [{"kind": e.kind, "key": e.key, "subject": e.subject, "text": e.text,
                                            "url": e.url, "at_ms": e.at_ms} for e in msg.events]}


# --- markdown robots --------------------------------------------------------------------------------------
def _events(msg: Message) -> tuple[list[tuple[str, str]], str]:
    """(subject, text) of the events a robot message lists, clipped, and the count of the others."""
    shown = [(clip(e.subject, 200), clip(e.text, 300)) for e in msg.events[:EVENTS_LISTED]]
    left = len(msg.events) - len(shown)
    return shown, (f"and {left} more event(s)" if left else "")


def markdown(msg: Message, k: int, *, flavour: str) -> str:
    """The message as robot markdown; ``flavour`` wecom (coloured meta lines), dingtalk (a paragraph per line:
    its markdown wants blank lines) or lark (Feishu cards: no quotes)."""
    grey = (lambda t: f'<font color="comment">{t}</font>') if flavour == "wecom" else (lambda t: t)
    quote = "" if flavour == "lark" else "> "
    inner = "\n\n" if flavour == "dingtalk" else "\n"
    lines = [f"**{_md_text(msg.heading())}**"]
    events, more_events = _events(msg)
    for subject, text in events:
        alert = f'<font color="warning">{_md_text(subject)}</font>' if flavour == "wecom" else f"**{_md_text(subject)}**"
        lines.append(f"{quote}{alert}" + (f"{inner}{quote}{_md_text(text)}" if text else ""))
    if more_events:
        lines.append(more_events)
    for n, item in enumerate(msg.items[:k], 1):
        block = f"{n}. [{_md_text(item.title)}]({_md_url(item.url)}){inner}{grey(_md_text(item.meta))}"
        if item.summary:
            block += f"{inner}{quote}{_md_text(item.summary)}"
        lines.append(block)
    if msg.more(k):
        lines.append(msg.more(k))
    return ("\n\n" if flavour == "dingtalk" else "\n").join(lines)


def _cut(text: str, budget: int) -> str:
    """At most ``budget`` bytes of UTF-8, cut at a character."""
    data = text.encode()
    return text if len(data) <= budget else data[: budget - 3].decode("utf-8", "ignore") + "…"


def wecom(msg: Message) -> dict:
    """企业微信群机器人: {"msgtype": "markdown", "markdown": {"content": …}} (content at most 4096 bytes)."""
    payload = fit(lambda k: {"msgtype": "markdown", "markdown": {"content": markdown(msg, k, flavour="wecom")}}, msg,
                  WECOM_BYTES, lambda p: len(p["markdown"]["content"].encode()))
    payload["markdown"]["content"] = _cut(payload["markdown"]["content"], WECOM_BYTES)   # long events alone
    return payload


def dingtalk(msg: Message) -> dict:
    """钉钉自定义机器人: {"msgtype": "markdown", "markdown": {"title", "text"}}."""
    return fit(lambda k: {"msgtype": "markdown", "markdown": {"title": msg.heading(),
                                                              "text": markdown(msg, k, flavour="dingtalk")}},
               msg, ROBOT_BYTES, _json_size)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def dingtalk_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    """The robot URL, with ``timestamp`` and ``sign`` when the robot is signed (加签)."""
    if not secret:
        return url
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}timestamp={timestamp_ms}&sign={quote_plus(dingtalk_sign(secret, timestamp_ms))}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def _feishu_post(msg: Message, k: int) -> dict:
    events, more_events = _events(msg)
    rows = [[{"tag": "text", "text": subject + (f" — {text}" if text else "")}] for subject, text in events]
    rows += [[{"tag": "text", "text": more_events}]] if more_events else []
    for n, item in enumerate(msg.items[:k], 1):
        rows.append([{"tag": "text", "text": f"{n}. "}, {"tag": "a", "text": item.title, "href": item.url}])
        rows.append([{"tag": "text", "text": item.meta + (f"\n{item.summary}" if item.summary else "")}])
    if msg.more(k):
        rows.append([{"tag": "text", "text": msg.more(k)}])
    return {"msg_type": "post", "content": {"post": {"zh_cn": {"title": msg.heading(), "content": rows}}}}


def _feishu_card(msg: Message, k: int) -> dict:
    body = markdown(msg, k, flavour="lark").split("\n", 1)
    return {"msg_type": "interactive", "card": {
        "config": {"wide_screen_mode": True},
        "header": {"title": {"tag": "plain_text", "content": msg.heading()}, "template": "red" if msg.events else "blue"},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": body[1] if len(body) > 1 else ""}}]}}


def feishu(msg: Message, *, card: bool, secret: str | None, timestamp_s: int) -> dict:
    """飞书自定义机器人: a rich-text post, or an interactive card; ``timestamp`` and ``sign`` when signed."""
    sign = {"timestamp": str(timestamp_s), "sign": feishu_sign(secret, timestamp_s)} if secret else {}
    render = (lambda k: {**sign, **_feishu_card(msg, k)}) if card else (lambda k: {**sign, **_feishu_post(msg, k)})
    return fit(render, msg, ROBOT_BYTES, _json_size)


# --- e-mail -------------------------------------------------------------------------------------------------
def plain(msg: Message, k: int | None = None) -> str:
    """The message as plain text (the e-mail body, and what `newsmon notify --dry-run` prints)."""
    k = min(msg.limit, msg.total) if k is None else k
    lines = [msg.heading(), ""]
    for e in msg.events:
        lines += [f"! {e.subject}"] + ([f"  {e.text}"] if e.text else []) + [""]
    for n, item in enumerate(msg.items[:k], 1):
        lines += [f"{n}. {item.title}", f"   {item.meta}", f"   {item.url}"]
        lines += [f"   {item.summary}"] if item.summary else []
        lines.append("")
    if msg.more(k):
        lines += [msg.more(k), ""]
    return "\n".join(lines)


def _html(msg: Message, k: int) -> str:
    esc = html.escape
    parts = [f"<h3>{esc(msg.heading())}</h3>"]
    parts += [f"<p><b>{esc(e.subject)}</b><br>{esc(e.text)}</p>" for e in msg.events]
    if k:
        parts.append("<ol>" + "".join(
            f'<li><a href="{esc(i.url)}">{esc(i.title)}</a><br><small>{esc(i.meta)}</small>'
            + (f"<br>{esc(i.summary)}" if i.summary else "") + "</li>" for i in msg.items[:k]) + "</ol>")
    if msg.more(k):
        parts.append(f"<p>{esc(msg.more(k))}</p>")
    return "<!doctype html><html><head><meta charset=\"utf-8\"></head><body>" + "".join(parts) + "</body></html>"


def email(msg: Message, sender: str, to: list[str]) -> EmailMessage:
    """A UTF-8 mail: plain text and an HTML alternative, the heading as subject."""
    k = min(msg.limit, msg.total)
    mail = EmailMessage()
    mail["Subject"] = msg.heading()
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(plain(msg, k), charset="utf-8")
    mail.add_alternative(_html(msg, k), subtype="html", charset="utf-8")
    return mail
