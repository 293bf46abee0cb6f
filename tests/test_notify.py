"""`newsmon notify` against real receivers on loopback: HTTP endpoints that fail and recover, a real SMTP server
(aiosmtpd), the real store; and the scheduler's hook after a real crawl run."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import io
import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from newsmon.config.settings import PROJECT_ROOT as ROOT
from newsmon.storage.mongo import utcnow

OK_ROBOT = b'{"errcode": 0, "errmsg": "ok"}'
LEAD = "会议强调，要推进区块链技术在政务服务中的应用。"


# --- loopback receivers -------------------------------------------------------------------------------------
class Receiver:
    """An HTTP endpoint on loopback: records every POST, answers from a script, then with ``default``."""

    def __init__(self, *answers: tuple, default: tuple = (200, {}, OK_ROBOT)):
        self.answers, self.default = list(answers), default
        self.on_request = None                                      # called before each answer
        self.requests: list[tuple[float, str, dict, bytes]] = []   # (time, path with query, headers, body)
        rec = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec.requests.append((time.monotonic(), self.path, dict(self.headers), body))
                if rec.on_request:
                    rec.on_request()
                status, headers, answer = rec.answers.pop(0) if rec.answers else rec.default
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def bodies(self) -> list[dict]:
        return [json.loads(b) for _, _, _, b in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make(*answers, **kw) -> Receiver:
        made.append(Receiver(*answers, **kw))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    monkeypatch.setenv("NEWSMON_NOTIFY_SETTLE", "0")
    monkeypatch.setenv("NEWSMON_NOTIFY_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("NEWSMON_NOTIFY_TRIES", "3")
    monkeypatch.setenv("NEWSMON_NOTIFY_TIMEOUT", "5")


def watches(tmp_path, monkeypatch, text: str):
    cfg = tmp_path / "cfg"
    cfg.mkdir(exist_ok=True)
    (cfg / "watches.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(cfg))
    return cfg


def article(store, title: str, *, province: str | None = "浙江", category: str = "policy", level: str = "provincial",
            ago: float = 1.0, **extra) -> dict:
    """A labelled article as the store pipeline leaves it, inserted through the store's API."""
    seen = utcnow() - dt.timedelta(seconds=ago)
    doc = {"url": f"http://www.zj.gov.cn/art/{uuid.uuid4().hex[:10]}.html", "title": title, "source": "gov_zhejiang",
           "source_title": "浙江省人民政府", "outlet": "浙江日报", "kind": "gov", "first_seen": seen,
           "published_at": seen - dt.timedelta(hours=2), "category": category, "level": level, "province": province,
           "city": None, "region": "华东" if province else None, "domains": ["政务服务"], "relevance": 0.8,
           "mentions": [LEAD], **extra}
    assert store.insert_article(doc)
    return doc


def cli(*args: str) -> tuple[int, str, str]:
    """`newsmon ARGS` in this process (the environment the test set up)."""
    from newsmon.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def titles(bodies: list[dict]) -> list[str]:
    return [i["title"] for b in bodies for i in b["items"]]


# --- the config ----------------------------------------------------------------------------------------------
def test_the_shipped_watches_file_watches_nothing_and_its_commented_examples_are_valid(settings):
    from newsmon import config
    from newsmon.config.loader import parse_yaml, validate
    from newsmon.config.schemas.watches import WatchesFile

    assert config.watches(settings).watches == []
    text = (ROOT / "config" / "watches.yaml").read_text(encoding="utf-8")
    example = "\n".join(line[2:] if line.startswith("# ") else line
                        for line in text.split("watches: []", 1)[1].splitlines() if line != "#")
    raw, lines = parse_yaml(example, "example")
    parsed = validate(raw, WatchesFile, "example", lines)
    kinds = {c.kind for w in parsed.watches for c in w.channels}
    assert kinds == {"webhook", "wecom", "dingtalk", "feishu", "email"} and len(parsed.watches) == 3


def test_watch_filters_are_the_query_filters():
    """A watch filters on what `newsmon query` filters on, by the same names (dates are the cursor's job)."""
    import argparse
    import dataclasses

    from newsmon.cli.filters import add_filter_arguments
    from newsmon.config.schemas.watches import NOT_FOR_WATCHES, Filters
    from newsmon.storage.queries import ArticleFilter

    query = {f.name for f in dataclasses.fields(ArticleFilter)} - {"since", "until", "by"}
    assert set(Filters.model_fields) - {"since"} == query
    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    options = {a.dest for a in parser._actions if a.dest != "help"}
    assert options - {"since"} - set(NOT_FOR_WATCHES) == query
    flt = ArticleFilter(**Filters.model_validate({"province": "浙江", "category": ["policy"]}).query())
    assert flt.to_mongo() == {"province": "浙江", "category": "policy"}


@pytest.mark.parametrize("body, expected", [
    ("    filters: {provnce: [浙江]}\n", "line 3: watches[0] (w).filters.provnce: unknown key; did you mean 'province'?"),
    ("    filters: {source: [gov_zhejang]}\n", "line 3: watches[0] (w).filters.source[0]: unknown source 'gov_zhejang'; "
                                             "did you mean 'gov_zhejiang'?"),
    ("    filters: {days: 3}\n", "'days' is not a watch filter"),
    ("    events: [run_faild]\n", "watches[0] (w).events[0]: expected 'run_failed', 'source_flagged' or 'source_drifted'"),
    ("    chanels: []\n", "watches[0] (w).chanels: unknown key; did you mean 'channels'?"),
])
def test_a_config_typo_is_one_line_and_exit_2(tmp_path, monkeypatch, mongo_uri, body, expected):
    watches(tmp_path, monkeypatch, "watches:\n  - name: w\n" + body + "    channels:\n      - webhook: http://127.0.0.1:9/x\n")
    code, out, err = cli("notify")
    assert code == 2 and out == "", (code, out, err)
    assert err.startswith("newsmon: error: config file ") and err.count("\n") == 1 and expected in err, err
    from newsmon import config

    with pytest.raises(Exception, match="config file"):       # a crawl refuses to start on it, like on any config file
        config.check_all(config.get_settings())


def test_channel_typo_and_unknown_watch(tmp_path, monkeypatch, mongo_uri):
    watches(tmp_path, monkeypatch, "watches:\n  - name: w\n    channels:\n      - dingtalk: http://127.0.0.1:9/x\n"
                                   "        secrte: abc\n")
    code, _, err = cli("notify")
    assert code == 2 and "channels[0].dingtalk.secrte: unknown key; did you mean 'secret'?" in err, err
    watches(tmp_path, monkeypatch, "watches:\n  - name: w\n    channels:\n      - webhook: http://127.0.0.1:9/x\n")
    code, _, err = cli("notify", "nosuch")
    assert code == 2 and "unknown watch 'nosuch'; watches in watches.yaml: w" in err, err


# --- delivery: once per item and channel ------------------------------------------------------------------------
def test_each_item_reaches_each_channel_exactly_once_across_failures(tmp_path, monkeypatch, store, receivers):
    flaky = receivers((500, {}, b"boom"))                  # the first try fails, then it accepts
    steady = receivers()
    watches(tmp_path, monkeypatch, f"""
watches:
  - name: zhejiang-policy
    filters: {{province: [浙江], category: [policy]}}
    channels:
      - webhook: {flaky.url()}
        name: flaky
      - webhook: {steady.url()}
        headers: {{X-Token: "${{HOOK_TOKEN}}"}}
""")
    monkeypatch.setenv("HOOK_TOKEN", "t0ken")
    a = article(store, "浙江省印发区块链产业发展行动计划")
    article(store, "山东发布区块链政策", province="山东")                    # not in the watch
    article(store, "浙江区块链应用案例", category="application")              # not in the watch

    code, out, _ = cli("notify")
    assert code == 0, out
    assert "zhejiang-policy → flaky: sent 1 article(s) on try 2" in out
    assert "zhejiang-policy → webhook:" in out and "(127.0.0.1:" in out and out.count("sent 1 article(s)") == 2
    assert len(flaky.requests) == 2 and flaky.requests[0][3] == flaky.requests[1][3]   # the same message again
    (body,) = steady.bodies()
    assert body["watch"] == "zhejiang-policy" and body["total"] == 1 and body["more"] == 0 and body["events"] == []
    (item,) = body["items"]
    assert item["title"] == a["title"] and item["url"] == a["url"] and item["source"] == "浙江日报"
    assert item["province"] == "浙江" and item["category"] == "policy" and item["summary"] == LEAD
    assert steady.requests[0][2]["X-Token"] == "t0ken"
    assert steady.requests[0][2]["Content-Type"] == "application/json; charset=utf-8"

    code, out, _ = cli("notify")                                            # nothing new: nobody is told again
    assert code == 0 and out.count("nothing new") == 2 and len(flaky.requests) == 2 and len(steady.requests) == 1

    b = article(store, "杭州市区块链政策出台")
    flaky.default = (503, {}, b"down")                                      # now it fails every try
    code, out, _ = cli("notify")
    assert code == 1 and "flaky: failed: HTTP 503 from 127.0.0.1" in out and "after 3 tries" in out, out
    assert len(flaky.requests) == 5 and titles(steady.bodies()) == [a["title"], b["title"]]

    flaky.default = (200, {}, b"")
    c = article(store, "宁波区块链政策")
    code, out, _ = cli("notify")
    assert code == 0 and "flaky: sent 2 article(s)" in out and "webhook:" in out, out
    assert len(flaky.requests) == 6
    accepted = [json.loads(flaky.requests[i][3]) for i in (1, 5)]
    assert sorted(titles(accepted)) == sorted([a["title"], b["title"], c["title"]])      # each once, none lost
    assert titles(steady.bodies()) == [a["title"], b["title"], c["title"]]               # never twice
    code, out, _ = cli("notify")
    assert code == 0 and out.count("nothing new") == 2
    state = {d["channel"]: d for d in store.db.deliveries.find()}
    assert state["flaky"]["sent_articles"] == 3 and state["flaky"]["messages"] == 2 and state["flaky"]["inflight"] is None
    assert list(store.db.leases.find()) == []


FILTERS = [("{text: 港口}", ["--text", "港口"]), ("{title: 试点}", ["--title", "试点"]), ("{min_relevance: 0.6}", ["--min-relevance", "0.6"]),
           ("{level: [city, central]}", ["--level", "city", "--level", "central"]), ("{region: 华北}", ["--region", "华北"]),
           ("{kind: media, category: voice}", ["--kind", "media", "--category", "voice"]),
           ("{source: gov_zhejiang, province: 浙江}", ["--source", "gov_zhejiang", "--province", "浙江"])]


def test_a_watch_gets_what_newsmon_query_finds_with_the_same_options(tmp_path, monkeypatch, store, receivers):
    hooks = [receivers() for _ in FILTERS]
    watches(tmp_path, monkeypatch, "watches:\n" + "".join(
        f"  - name: w{i}\n    filters: {yaml}\n    channels: [{{webhook: '{hook.url()}'}}]\n"
        for i, ((yaml, _), hook) in enumerate(zip(FILTERS, hooks))))
    article(store, "宁波港区块链平台试点", content="宁波舟山港口集团上线区块链平台。", level="city", relevance=0.5)
    article(store, "北京发布区块链白皮书", province="北京", region="华北", level="central", source="gov_beijing", relevance=0.9)
    article(store, "专家：区块链要服务实体经济", province=None, category="voice", kind="media", source="people", relevance=0.4)
    article(store, "浙江区块链应用试点扩围", content="试点扩大到港口物流。", relevance=0.7)
    code, out, _ = cli("notify")
    assert code == 0, out
    for (yaml, options), hook in zip(FILTERS, hooks):
        _, found, _ = cli("query", "--format", "jsonl", "--all", *options)
        expected = sorted(json.loads(line)["title"] for line in found.splitlines())
        assert expected, yaml
        assert sorted(titles(hook.bodies())) == expected, yaml


def test_at_most_max_items_per_message_and_the_rest_counted(tmp_path, monkeypatch, store, receivers):
    hook = receivers()
    watches(tmp_path, monkeypatch, f"max_items: 3\nwatches:\n  - name: all\n    filters: {{}}\n"
                                   f"    channels:\n      - webhook: {hook.url()}\n")
    made = [article(store, f"区块链新闻第{i}条", ago=10 - i) for i in range(5)]
    code, out, _ = cli("notify")
    assert code == 0 and "sent 5 article(s) (up to 3 listed)" in out, out
    (body,) = hook.bodies()
    assert body["total"] == 5 and body["more"] == 2 and titles([body]) == [d["title"] for d in made[::-1][:3]]


def test_retry_after_is_honoured_and_a_4xx_is_not_retried(tmp_path, monkeypatch, store, receivers):
    busy = receivers((429, {"Retry-After": "1"}, b"slow down"))
    gone = receivers(default=(404, {}, b"no such hook"))
    watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - webhook: {busy.url()}\n"
                                   f"      - webhook: {gone.url()}\n")
    article(store, "区块链")
    code, out, _ = cli("notify")
    assert code == 1 and "sent 1 article(s) on try 2" in out and "failed: HTTP 404 from" in out, out
    gap = busy.requests[1][0] - busy.requests[0][0]
    assert gap >= 0.95, gap                                   # Retry-After: 1, though the backoff base is 0.01 s
    assert len(gone.requests) == 1                            # not found is not worth a second try


def test_dry_run_sends_nothing_and_moves_nothing(tmp_path, monkeypatch, store, receivers):
    hook = receivers()
    watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - webhook: {hook.url()}\n")
    a = article(store, "浙江省区块链试点名单公布")
    code, out, _ = cli("notify", "--dry-run")
    assert code == 0 and "w → webhook:" in out and "would send 1 article(s)" in out
    assert a["title"] in out and a["url"] in out and "浙江日报 ·" in out
    assert hook.requests == [] and store.db.deliveries.count_documents({}) == 0
    assert store.db.consumer_cursors.count_documents({}) == 0 and store.db.leases.count_documents({}) == 0
    code, out, _ = cli("notify")
    assert code == 0 and titles(hook.bodies()) == [a["title"]]


# --- robots and mail ------------------------------------------------------------------------------------------------
def test_wecom_dingtalk_feishu_payloads_and_signatures(tmp_path, monkeypatch, store, receivers):
    wecom, ding, post, card = receivers(), receivers(), receivers(default=(200, {}, b'{"code":0,"msg":"success"}')), \
        receivers(default=(200, {}, b'{"StatusCode":0,"StatusMessage":"success"}'))
    monkeypatch.setenv("WECOM_KEY", "k-123")
    monkeypatch.setenv("DING_SECRET", "SECdingding")
    monkeypatch.setenv("FEISHU_SECRET", "feishu-secret")
    watches(tmp_path, monkeypatch, f"""
watches:
  - name: 区块链政策
    channels:
      - wecom: {wecom.url('/cgi-bin/webhook/send')}?key=${{WECOM_KEY}}
      - dingtalk: {ding.url('/robot/send')}?access_token=tok
        secret: ${{DING_SECRET}}
      - feishu: {post.url('/open-apis/bot/v2/hook/abc')}
        secret: ${{FEISHU_SECRET}}
      - feishu: {card.url('/open-apis/bot/v2/hook/def')}
        card: true
""")
    long = "关于进一步推进区块链技术在政务服务、供应链金融和跨境贸易中创新应用的实施意见（征求意见稿）"
    made = [article(store, f"{long}第{i}号", ago=40 - i) for i in range(30)]
    before = int(time.time())
    code, out, _ = cli("notify")
    assert code == 0 and out.count("sent 30 article(s)") == 4, out

    (path, _, _, raw), = [(r[1], r[0], r[2], r[3]) for r in wecom.requests]
    assert path == "/cgi-bin/webhook/send?key=k-123"
    msg = json.loads(raw)
    assert msg["msgtype"] == "markdown" and set(msg) == {"msgtype", "markdown"}
    content = msg["markdown"]["content"]
    assert len(content.encode()) <= 4096 and "and " in content and " more" in content      # WeCom's size cap
    assert content.startswith("**newsmon · 区块链政策: 30 new article(s)**") and f"[{made[-1]['title']}]({made[-1]['url']})" in content
    listed = content.count("](http://www.zj.gov.cn/")
    assert 0 < listed < 20 and f"and {30 - listed} more" in content

    (_, dpath, _, draw), = ding.requests
    q = parse_qs(urlsplit(dpath).query)
    assert urlsplit(dpath).path == "/robot/send" and q["access_token"] == ["tok"]
    ts = q["timestamp"][0]
    expect = base64.b64encode(hmac.new(b"SECdingding", f"{ts}\nSECdingding".encode(), hashlib.sha256).digest()).decode()
    assert q["sign"] == [expect] and before * 1000 <= int(ts) <= (time.time() + 1) * 1000
    d = json.loads(draw)
    assert d["msgtype"] == "markdown" and d["markdown"]["title"] == "newsmon · 区块链政策: 30 new article(s)"
    assert made[-1]["title"] in d["markdown"]["text"] and "and 10 more" in d["markdown"]["text"]

    f = json.loads(post.requests[0][3])
    assert f["msg_type"] == "post" and before <= int(f["timestamp"]) <= time.time() + 1
    assert f["sign"] == base64.b64encode(hmac.new(f"{f['timestamp']}\nfeishu-secret".encode(), b"", hashlib.sha256).digest()).decode()
    zh = f["content"]["post"]["zh_cn"]
    assert zh["title"] == "newsmon · 区块链政策: 30 new article(s)"
    links = [e for row in zh["content"] for e in row if e["tag"] == "a"]
    assert len(links) == 20 and links[0] == {"tag": "a", "text": made[-1]["title"], "href": made[-1]["url"]}
    assert zh["content"][-1] == [{"tag": "text", "text": "and 10 more"}]

    c = json.loads(card.requests[0][3])
    assert c["msg_type"] == "interactive" and "sign" not in c
    assert c["card"]["header"]["title"] == {"tag": "plain_text", "content": "newsmon · 区块链政策: 30 new article(s)"}
    (div,) = c["card"]["elements"]
    assert div["tag"] == "div" and div["text"]["tag"] == "lark_md" and made[0]["url"] not in div["text"]["content"]
    assert made[-1]["url"] in div["text"]["content"]


def test_a_robot_message_stays_within_its_size_limit_whatever_it_holds():
    from newsmon.notify import Event, formats
    from newsmon.notify.message import Message

    events = [Event("source_flagged", f"source_flagged:s{i}", f"source s{i} flagged: " + "很长的原因" * 200, "细节" * 500)
              for i in range(30)]
    msg = Message("w", [], events, 20)
    content = formats.wecom(msg)["markdown"]["content"]
    assert len(content.encode()) <= formats.WECOM_BYTES and content.startswith("**newsmon · w: 30 event(s)**")
    for payload in (formats.dingtalk(msg), formats.feishu(msg, card=False, secret="s", timestamp_s=1),
                    formats.feishu(msg, card=True, secret=None, timestamp_s=1)):
        text = json.dumps(payload, ensure_ascii=False)
        assert len(text.encode()) <= formats.ROBOT_BYTES and "and 20 more event(s)" in text


def test_a_robot_that_refuses_or_a_missing_secret_fails_the_channel(tmp_path, monkeypatch, store, receivers):
    ding = receivers(default=(200, {}, '{"errcode":310000,"errmsg":"sign not match"}'.encode()))
    fast = receivers((200, {}, b'{"errcode":130101,"errmsg":"send too fast"}'))
    watches(tmp_path, monkeypatch, f"""
watches:
  - name: w
    channels:
      - dingtalk: {ding.url()}
      - dingtalk: {fast.url('/fast')}
      - wecom: {fast.url('/wecom')}?key=${{NO_SUCH_VARIABLE}}
""")
    article(store, "区块链")
    code, out, _ = cli("notify")
    assert code == 1, out
    assert "failed: dingtalk refused the message: 310000 sign not match" in out and len(ding.requests) == 1
    assert "sent 1 article(s) on try 2" in out and len([r for r in fast.requests if r[1] == "/fast"]) == 2
    assert "environment variable NO_SUCH_VARIABLE is not set" in out
    assert not [r for r in fast.requests if r[1].startswith("/wecom")]


def _self_signed(tmp_path):
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    crt, pem = tmp_path / "smtp.crt", tmp_path / "smtp.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return crt, pem


@pytest.mark.parametrize("security", ["none", "starttls"])
def test_email_over_a_real_smtp_server_keeps_chinese_intact(tmp_path, monkeypatch, store, security):
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from conftest import free_port

    got, logins = [], []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            got.append(envelope)
            return "250 OK"

    def auth(server, session, envelope, mechanism, data):
        logins.append((data.login, data.password))
        return AuthResult(success=data.login == b"newsmon@example.cn" and data.password == "密码-s3cret".encode())

    tls = None
    if security == "starttls":
        crt, pem = _self_signed(tmp_path)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(crt, pem)
        monkeypatch.setenv("SSL_CERT_FILE", str(crt))        # the client trusts this server's certificate
    port = free_port()
    server = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=auth, auth_require_tls=security != "none",
                        tls_context=tls, require_starttls=security == "starttls")
    server.start()
    try:
        monkeypatch.setenv("SMTP_PASSWORD", "密码-s3cret")
        watches(tmp_path, monkeypatch, f"""
watches:
  - name: 浙江政策
    filters: {{province: 浙江}}
    channels:
      - email: {{host: 127.0.0.1, port: {port}, security: {security}, user: newsmon@example.cn,
                 password: "${{SMTP_PASSWORD}}", from: newsmon@example.cn, to: [desk@example.cn, "张三 <zhangsan@example.cn>"]}}
""")
        a = article(store, "浙江省人民政府关于加快区块链技术应用的通知")
        b = article(store, "杭州“链上办”：区块链电子证照全面上线", ago=2)
        code, out, _ = cli("notify")
    finally:
        server.stop()
    assert code == 0, out
    assert "浙江政策 → email:" in out and "(desk@example.cn, 张三 <zhangsan@example.cn>): sent 2 article(s)" in out
    assert logins == [(b"newsmon@example.cn", "密码-s3cret".encode())]
    (env,) = got
    assert env.mail_from == "newsmon@example.cn" and env.rcpt_tos == ["desk@example.cn", "zhangsan@example.cn"]
    assert "张三" in str(email.message_from_bytes(env.original_content, policy=email.policy.default)["To"])
    mail = email.message_from_bytes(env.original_content, policy=email.policy.default)
    assert mail["Subject"] == "newsmon · 浙江政策: 2 new article(s)"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for doc in (a, b):
        assert doc["title"] in text and doc["url"] in text and doc["title"] in html
    assert text.index(a["title"]) < text.index(b["title"])         # newest first
    assert "浙江日报 ·" in text and LEAD in text


def test_email_that_cannot_connect_fails_after_its_tries(tmp_path, monkeypatch, store):
    from conftest import free_port

    port = free_port()
    watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - email: {{host: 127.0.0.1, port: {port}, "
                                   "security: none, from: a@example.cn, to: b@example.cn}\n")
    article(store, "区块链")
    code, out, _ = cli("notify")
    assert code == 1 and f"failed: cannot reach 127.0.0.1:{port}" in out and "after 3 tries" in out, out


# --- events ---------------------------------------------------------------------------------------------------------
def test_failed_runs_and_flagged_sources_are_told_once_to_the_watches_that_ask(tmp_path, monkeypatch, store, receivers):
    from newsmon.storage.runs import RunLog

    ops, news = receivers(), receivers()
    watches(tmp_path, monkeypatch, f"""
watches:
  - name: ops
    articles: false
    events: [run_failed, source_flagged]
    channels: [{{webhook: "{ops.url()}"}}]
  - name: news
    channels: [{{webhook: "{news.url()}"}}]
""")
    runs = RunLog(store)
    runs.start("R-OK", ["people"], "schedule")
    runs.finish("R-OK", "ok")
    runs.start("R-BAD", ["gov_beijing"], "schedule", group="daily")
    runs.finish("R-BAD", "failed", reason="no source could be reached")
    for i in range(3):
        store.record_health("gov_beijing", f"R{i}", {"pages_fetched": 0, "errors": {"dns": 1}}, "unreachable")
    article(store, "区块链")

    code, out, _ = cli("notify")
    assert code == 0 and "ops → webhook:" in out and "sent 2 event(s)" in out and "news → webhook:" in out, out
    (body,) = ops.bodies()
    assert body["items"] == [] and body["total"] == 0
    events = {e["kind"]: e for e in body["events"]}
    assert set(events) == {"run_failed", "source_flagged"}
    assert events["run_failed"]["key"] == "run_failed:R-BAD"
    assert events["run_failed"]["subject"] == "run R-BAD of group daily failed: no source could be reached"
    assert events["source_flagged"]["subject"] == "source gov_beijing flagged: unreachable 3 runs in a row"
    assert [b["events"] for b in news.bodies()] == [[]]             # the news watch did not ask for events

    store.record_health("gov_beijing", "R3", {"pages_fetched": 0, "errors": {"dns": 1}}, "unreachable")
    code, out, _ = cli("notify")                                    # still the same flag, still the same failed run
    assert code == 0 and out.count("nothing new") == 2 and len(ops.requests) == 1

    from newsmon.config import get_settings
    from newsmon.notify import Event, send_event

    drift = Event("source_drifted", "source_drifted:people:2026-11-22", "source people drifted: no title found on 5 pages")
    assert send_event(get_settings(), drift).lines == []           # nobody listens for drift yet
    watches(tmp_path, monkeypatch, (tmp_path / "cfg" / "watches.yaml").read_text(encoding="utf-8")
            .replace("[run_failed, source_flagged]", "[run_failed, source_flagged, source_drifted]"))
    report = send_event(get_settings(), drift)
    assert report.ok and [(x.watch, x.status, x.text) for x in report.lines] == [("ops", "sent", "sent 1 event(s)")]
    assert [e["key"] for e in ops.bodies()[-1]["events"]] == ["source_drifted:people:2026-11-22"]
    assert send_event(get_settings(), drift).lines[0].status == "nothing"   # once per event
    assert len(news.requests) == 1


# --- a notify that died mid-message ------------------------------------------------------------------------------------
def _dead_holder() -> str:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return f"{socket.gethostname()}:{proc.stdout.strip()}:dead0000"


@pytest.mark.parametrize("phase", ["sending", "waiting"])
def test_a_message_left_in_flight_is_never_sent_twice(tmp_path, monkeypatch, store, receivers, phase):
    """Died during a try: it may have arrived, so it is not sent again (and said so). Between tries: sent again."""
    from newsmon import config
    from newsmon.storage.deliveries import Deliveries, state_key

    hook = receivers()
    watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - webhook: {hook.url()}\n        name: hook\n")
    a = article(store, "区块链甲", ago=2)
    settings = config.get_settings()
    # what a notify does up to its try, then it dies (its holder's process is gone)
    d = Deliveries(store)
    key = state_key("w", "hook")
    holder = _dead_holder()
    assert d.leases.acquire("notify:" + key, holder, 600).ok
    state = d.open("w", "hook", 0)
    docs, position = d.new_articles(key, first_since=None, settle_ms=0)
    assert [x["title"] for x in docs] == [a["title"]]
    d.begin(key, holder, position, [], 1)
    d.phase(key, phase)
    assert state["inflight"] is None and d.get(key)["inflight"]["phase"] == phase

    b = article(store, "区块链乙")
    code, out, _ = cli("notify")
    sent = titles(hook.bodies())
    if phase == "sending":
        assert code == 1 and "an earlier notify stopped while sending 1 article(s); not sent again" in out, out
        assert sent == [b["title"]]
    else:
        assert code == 0 and "sent 2 article(s)" in out, out
        assert sorted(sent) == sorted([a["title"], b["title"]])
    assert d.get(key)["inflight"] is None and config.watches(settings).watches[0].name == "w"
    code, out, _ = cli("notify")
    assert code == 0 and "nothing new" in out and titles(hook.bodies()) == sent


def test_the_store_going_away_once_the_channel_took_the_message_never_makes_it_twice(tmp_path, monkeypatch, receivers):
    """The receiver takes the message, and the store dies before notify can record it: a clear line, no traceback;
    when the store is back the message is counted as (maybe) sent, never sent again, and the next article goes out."""
    from newsmon.storage.embedded import EmbeddedServer
    from newsmon.testing.servers import connect

    from conftest import free_port

    server = EmbeddedServer(tmp_path / "own-store", port=free_port())
    info = server.ensure_running()
    try:
        monkeypatch.setenv("MONGO_URI", info.uri)
        monkeypatch.setenv("MONGO_DATABASE", "n")
        monkeypatch.setenv("NEWSMON_STORE_RETRY_TIMEOUT_MS", "500")
        hook = receivers()
        hook.on_request = server.stop
        watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - webhook: {hook.url()}\n        name: hook\n")
        a = article(connect(info.uri, "n"), "区块链甲")
        code, out, err = cli("notify")
        assert code == 1 and out.startswith("w → hook: failed: the store stopped answering ("), out + err
        assert "Traceback" not in out + err and titles(hook.bodies()) == [a["title"]]
        hook.on_request = None
        from newsmon.storage import forget_stores

        forget_stores()
        info = server.ensure_running()
        monkeypatch.setenv("MONGO_URI", info.uri)
        b = article(connect(info.uri, "n"), "区块链乙")
        code, out, _ = cli("notify")        # the same process: its own lease left behind is no obstacle
        assert code == 1 and "sent 1 article(s); an earlier notify stopped while sending 1 article(s); not sent again" in out, out
        assert titles(hook.bodies()) == [a["title"], b["title"]]
    finally:
        server.stop()


def test_a_channel_being_sent_to_by_another_notify_is_left_to_it(tmp_path, monkeypatch, store, receivers):
    from newsmon.storage.deliveries import Deliveries, state_key

    hook = receivers()
    watches(tmp_path, monkeypatch, f"watches:\n  - name: w\n    channels:\n      - webhook: {hook.url()}\n        name: hook\n")
    article(store, "区块链")
    d = Deliveries(store)
    assert d.leases.acquire("notify:" + state_key("w", "hook"), "otherhost:77:abcd", 600).ok
    code, out, _ = cli("notify")
    assert code == 0 and "w → hook: skipped: another notify (otherhost:77:abcd) is sending to it now" in out
    assert hook.requests == []


# --- the scheduler's hook --------------------------------------------------------------------------------------------
def test_a_scheduled_run_tells_the_watches_and_a_dead_channel_does_not_fail_it(tmp_path, monkeypatch, store, receivers):
    from test_scheduler_support import NewsSite, scheduler_env, write_config

    from newsmon.config import get_settings
    from newsmon.scheduling import jobs

    from conftest import free_port

    hook = receivers()
    with NewsSite() as site:
        cfg = write_config(tmp_path / "cfg", site, "settings:\n  AUTOTHROTTLE_ENABLED: false\n"
                                                   "groups:\n  daily:\n    interval: 1h\n    timeout: 60s\n")
        (cfg / "watches.yaml").write_text(f"""
watches:
  - name: local
    filters: {{source: local}}
    events: [run_failed]
    channels:
      - webhook: {hook.url()}
      - webhook: http://127.0.0.1:{free_port()}/nobody-listens
""", encoding="utf-8")
        for name, value in {**scheduler_env(cfg, tmp_path / "data"), "NEWSMON_NOTIFY_SETTLE": "0.5",
                            "NEWSMON_NOTIFY_TRIES": "1"}.items():
            monkeypatch.setenv(name, value)
        outcome = jobs.run_group("daily", settings=get_settings())
    assert outcome.status == "ran" and outcome.run["status"] == "ok", outcome.message
    (body,) = hook.bodies()
    assert sorted(titles([body])) == [f"区块链应用试点 第{i}期" for i in range(3)] and body["events"] == []
    assert all(i["url"].startswith(site.url("/news/")) for i in body["items"])
    state = {d["channel"]: d["last_status"] for d in store.db.deliveries.find()}
    assert sorted(state.values()) == ["failed", "sent"]
    assert list(store.db.leases.find()) == []
