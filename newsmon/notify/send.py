"""Getting one message to one channel: HTTP POST or SMTP, a few tries with exponential backoff.

A try that fails for a reason that may pass (no connection, a timeout, HTTP 429 or
5xx, a robot's "too fast", an SMTP 4xx) is tried again after base * 2**try seconds
(capped), or after the Retry-After an HTTP 429/503 names (capped too); anything else
(HTTP 4xx, a refused login, a bad signature) fails at once. Channels are the
user's own configuration, so the crawl's address guard does not apply: a receiver
on loopback or the intranet is fine. Redirects are not followed (a POST must not
turn into a GET elsewhere).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable
from urllib.parse import urlsplit

from newsmon import __version__
from newsmon.config.settings import expand_env
from newsmon.errors import ConfigError
from newsmon.notify import formats
from newsmon.notify.message import Message

ANSWER_BYTES = 65536
# Robots' answers that mean "too many messages, later" (HTTP 200 with an error code).
RATE_LIMITED = {"wecom": {45009, -1}, "dingtalk": {130101}, "feishu": {11232, 9499}}
Stop = Callable[[], object]


class Failure(Exception):
    """A try that did not deliver; ``retry``: another try may succeed; ``wait``: Retry-After, seconds."""

    def __init__(self, reason: str, *, retry: bool = True, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.retry, self.wait = reason, retry, wait


@dataclass(frozen=True)
class Policy:
    tries: int
    base: float
    cap: float
    timeout: float

    @classmethod
    def from_settings(cls, settings) -> "Policy":
        return cls(max(1, settings.getint("NEWSMON_NOTIFY_TRIES")), settings.getfloat("NEWSMON_NOTIFY_BACKOFF_BASE"),
                   settings.getfloat("NEWSMON_NOTIFY_BACKOFF_MAX"), settings.getfloat("NEWSMON_NOTIFY_TIMEOUT"))

    def pause(self, attempt: int, retry_after: float | None) -> float:
        wanted = retry_after if retry_after is not None else self.base * (2 ** attempt)
        return max(0.0, min(self.cap, wanted))

    @property
    def longest(self) -> float:
        """The longest one delivery can take: every try timing out, every pause at the cap (SMTP: a few round trips)."""
        return self.tries * self.timeout * 4 + (self.tries - 1) * self.cap


def retrying(attempt: Callable[[], Any], policy: Policy, *, phase: Callable[[str], None] | None = None,
             stop: Stop | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run ``attempt`` until it succeeds (the number of tries) or the policy gives up (Failure, final)."""
    last: Failure | None = None
    for n in range(policy.tries):
        if phase:
            phase("sending")
        try:
            attempt()
            return n + 1
        except Failure as exc:
            last = exc
        if not last.retry or n == policy.tries - 1:
            break
        if phase:
            phase("waiting")
        if _pause(policy.pause(n, last.wait), stop, sleep):
            raise Failure(f"{last.reason}; stopped before try {n + 2}", retry=False)
    tries = f" after {n + 1} tries" if n else ""
    raise Failure(f"{last.reason}{tries}", retry=False)


def _pause(seconds: float, stop: Stop | None, sleep: Callable[[float], None]) -> bool:
    """Sleep, in slices when there is a stop flag; True when asked to stop."""
    end = time.monotonic() + seconds
    while True:
        if stop is not None and stop():
            return True
        left = end - time.monotonic()
        if left <= 0:
            return False
        sleep(min(left, 0.2) if stop is not None else left)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


# --- HTTP -------------------------------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: dict, headers: dict[str, str], timeout: float) -> bytes:
    """POST payload as UTF-8 JSON; the answer's body when 2xx, else Failure."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": f"newsmon/{__version__} (notify)", **headers})
    host = urlsplit(url).netloc.rpartition("@")[2]
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return resp.read(ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        status = exc.code
        snippet = " ".join(exc.read(200).decode("utf-8", "replace").split())[:120] if exc.fp else ""
        wait = retry_after(exc.headers.get("Retry-After")) if status in (429, 503) else None
        retry = status in (408, 425, 429) or status >= 500
        raise Failure(f"HTTP {status} from {host}" + (f" ({snippet})" if snippet else ""), retry=retry, wait=wait) from None
    except urllib.error.URLError as exc:
        raise Failure(f"cannot reach {host}: {_why(exc.reason)}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise Failure(f"cannot reach {host}: {_why(exc)}") from None


def _why(exc: object) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def robot_answer(kind: str, body: bytes) -> None:
    """WeCom, DingTalk and Feishu answer HTTP 200 with an error code in JSON: Failure unless it is 0."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Failure(f"{kind} answered something that is not JSON: {body[:80]!r}", retry=False) from None
    if not isinstance(data, dict):
        raise Failure(f"{kind} answered {data!r}", retry=False)
    code = next((data[k] for k in ("errcode", "code", "StatusCode") if k in data), 0)
    if code in (0, None):
        return
    text = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
    raise Failure(f"{kind} refused the message: {code} {text}".strip(), retry=code in RATE_LIMITED.get(kind, ()))


# --- SMTP -------------------------------------------------------------------------------------------------
def send_mail(conf: dict, mail, timeout: float) -> None:
    host, port, security = conf["host"], conf["port"], conf["security"]
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=context)
            if conf.get("user"):
                _login(client, host, conf["user"], conf.get("password") or "")
            client.send_message(mail)
    except smtplib.SMTPAuthenticationError as exc:
        raise Failure(f"SMTP login to {host} refused ({exc.smtp_code})", retry=False) from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [c for c, _ in exc.recipients.values()]
        raise Failure(f"{host} refused every recipient ({', '.join(map(str, codes))})",
                      retry=all(400 <= c < 500 for c in codes)) from None
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise Failure(f"SMTP {exc.smtp_code} from {host}: {' '.join(text.split())[:120]}",
                      retry=400 <= exc.smtp_code < 500) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise Failure(f"{host}: {exc}", retry=False) from None
    except ssl.SSLCertVerificationError as exc:
        raise Failure(f"{host}: certificate not trusted ({exc.verify_message})", retry=False) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise Failure(f"cannot reach {host}:{port}: {_why(exc)}") from None


def _login(client: smtplib.SMTP, host: str, user: str, password: str) -> None:
    """smtplib's login, or AUTH PLAIN in UTF-8 (RFC 4616) for credentials smtplib cannot encode (it sends ASCII only)."""
    if (user + password).isascii():
        client.login(user, password)
        return
    client.ehlo_or_helo_if_needed()
    if "PLAIN" not in client.esmtp_features.get("auth", "").upper().split():
        raise Failure(f"{host}: a user name or password that is not ASCII needs AUTH PLAIN, "
                      "which the server does not offer", retry=False)
    token = base64.b64encode(f"\0{user}\0{password}".encode("utf-8")).decode("ascii")
    code, answer = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


# --- one channel --------------------------------------------------------------------------------------------
def expanded(channel) -> dict:
    """The channel's settings with ``${NAME}`` replaced from the environment; Failure (final) when one is missing."""
    def walk(value, where):
        if isinstance(value, str):
            return expand_env(value, where)
        if isinstance(value, dict):
            return {k: walk(v, f"{where}.{k}") for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, where) for v in value]
        return value

    try:
        conf = walk(channel.model_dump(), f"channel {channel.id}")
    except ConfigError as exc:
        raise Failure(str(exc), retry=False) from None
    if channel.kind == "email":
        conf["port"] = channel.smtp_port
    return conf


def deliver(channel, msg: Message, policy: Policy, *, phase: Callable[[str], None] | None = None,
            stop: Stop | None = None, clock: Callable[[], float] = time.time) -> int:
    """Send ``msg`` to one channel of watches.yaml with retries; the number of tries, or Failure."""
    conf = expanded(channel)
    kind = channel.kind
    if kind == "email":
        mail = formats.email(msg, conf["sender"], conf["to"])
        return retrying(lambda: send_mail(conf, mail, policy.timeout), policy, phase=phase, stop=stop)

    def attempt() -> None:
        now = clock()                           # signatures carry the time of the try
        url, headers = conf["url"], conf.get("headers") or {}
        if kind == "webhook":
            payload = formats.webhook(msg)
        elif kind == "wecom":
            payload = formats.wecom(msg)
        elif kind == "dingtalk":
            payload, url = formats.dingtalk(msg), formats.dingtalk_url(url, conf.get("secret"), int(now * 1000))
        else:
            payload = formats.feishu(msg, card=conf.get("card", False), secret=conf.get("secret"), timestamp_s=int(now))
        answer = post_json(url, payload, headers, policy.timeout)
        if kind != "webhook":
            robot_answer(kind, answer)

    return retrying(attempt, policy, phase=phase, stop=stop)
