"""config/watches.yaml: saved filters (watches) and the channels that hear about them.

    max_items: 20                       # articles listed in one message; the rest are counted ("and 5 more")
    watches:
      - name: zhejiang-policy
        filters: {province: [浙江], category: [policy]}   # the options of `newsmon query`; {} = every article
        events: [run_failed, source_flagged]             # also tell these events
        channels:
          - webhook: https://hooks.example.cn/newsmon
          - wecom: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}
          - dingtalk: https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}
            secret: ${DINGTALK_SECRET}
          - feishu: https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_HOOK}
            card: true
          - email: {host: smtp.example.cn, user: bot@example.cn, password: "${SMTP_PASSWORD}",
                    from: bot@example.cn, to: [desk@example.cn]}

Each channel names its kind as its key, like a discovery entry of sources.yaml.
``${NAME}`` in any text of a channel is the environment variable NAME, read when a
message is sent (newsmon.config.settings.expand_env), so secrets stay out of the file.
A channel's identity (the key its delivery state is kept under) is its ``name``, or
its kind and a hash of its address as written (variables unexpanded): renaming a
watch or editing a channel's address starts it afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BeforeValidator, Field, PositiveInt, model_validator

from newsmon.config.schemas.base import Strict, Text
from newsmon.vocab import ALL_CATEGORIES, KINDS, LEVELS

# What a watch may ask to be told besides articles. source_drifted is sent by whoever
# detects drift, through newsmon.notify.send_event.
EVENT_KINDS = ("run_failed", "source_flagged", "source_drifted")
CHANNEL_KINDS = ("webhook", "wecom", "dingtalk", "feishu", "email")
DEFAULT_MAX_ITEMS = 20
# `newsmon query` date options that mean nothing for a watch (it sends what is new since its last notify).
NOT_FOR_WATCHES = ("until", "days", "by")


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value


def _day(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a day like 2026-11-01, got {value!r}") from None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _refs(value: str) -> str:
    """``${NAME}`` references must be well formed (they are expanded only when a message is sent)."""
    from newsmon.config.settings import ENV_REF

    rest = ENV_REF.sub("", value)
    if "${" in rest:
        raise ValueError(f"{value!r}: write an environment variable as ${{NAME}} (letters, digits, _)")
    return value


def _address(value: str) -> str:
    _refs(value)
    if not value.startswith(("http://", "https://", "${")):
        raise ValueError(f"expected an http(s) URL (or ${{NAME}} of a variable holding one), got {value!r}")
    return value


def _watch_name(value: str) -> str:
    if not re.match(r"^\w[\w.-]*$", value):
        raise ValueError(f"{value!r}: letters, digits, '_', '.' and '-' only (no spaces or '/')")
    return value


def _share(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise ValueError(f"expected a number from 0 to 1, got {value!r}")
    return value


Names = Annotated[list[Text], BeforeValidator(_listify)]
Secretable = Annotated[str, AfterValidator(_refs)]
Address = Annotated[str, AfterValidator(_address)]
WatchName = Annotated[str, AfterValidator(_watch_name)]


class Filters(Strict):
    """The filters of `newsmon query` (newsmon/cli/filters.py, storage ArticleFilter), by the same names.

    ``since`` is where a new channel starts (as `newsmon new --since`); without it a
    new channel hears of every stored article that matches (in one message: the
    newest ``max_items`` and a count of the rest).
    """

    since: Annotated[dt.date | None, BeforeValidator(_day)] = None
    category: Annotated[list[Literal[ALL_CATEGORIES]], BeforeValidator(_listify)] = []
    level: Annotated[list[Literal[LEVELS]], BeforeValidator(_listify)] = []
    province: Names = []
    region: Names = []
    source: Names = []
    kind: Annotated[list[Literal[KINDS]], BeforeValidator(_listify)] = []
    title: Text | None = None
    text: Text | None = None
    min_relevance: Annotated[float | None, AfterValidator(_share)] = None

    @model_validator(mode="before")
    @classmethod
    def _no_ranges(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in NOT_FOR_WATCHES:
                if key in data:
                    raise ValueError(f"'{key}' is not a watch filter: a watch sends what was stored since its last "
                                     "notify ('since' says where a new one starts)")
        return data

    def query(self) -> dict[str, Any]:
        """The filters as keyword arguments of storage.queries.ArticleFilter."""
        return self.model_dump(exclude={"since"})


class _Channel(Strict):
    name: WatchName | None = None

    @property
    def address(self) -> str:
        return self.url  # type: ignore[attr-defined]

    @property
    def id(self) -> str:
        """The channel's key within its watch: its name, else kind and a hash of its address as written."""
        if self.name:
            return self.name
        digest = hashlib.sha256(f"{self.kind}\n{self.address}".encode()).hexdigest()[:8]  # type: ignore[attr-defined]
        return f"{self.kind}:{digest}"  # type: ignore[attr-defined]


class Webhook(_Channel):
    """POST {"watch", "items": [...], "more", "total", "events": [...]} as JSON."""

    kind: Literal["webhook"]
    url: Address
    headers: dict[str, Secretable] = {}


class WeCom(_Channel):
    """企业微信群机器人: a markdown message to the robot's webhook (…/webhook/send?key=…)."""

    kind: Literal["wecom"]
    url: Address


class DingTalk(_Channel):
    """钉钉自定义机器人: markdown; with ``secret`` (加签) the URL gets timestamp and sign."""

    kind: Literal["dingtalk"]
    url: Address
    secret: Secretable | None = None


class Feishu(_Channel):
    """飞书/Lark 自定义机器人: a rich-text post, or an interactive card with ``card: true``; ``secret`` signs it."""

    kind: Literal["feishu"]
    url: Address
    secret: Secretable | None = None
    card: bool = False


class Email(_Channel):
    """Mail over SMTP: ssl (port 465), starttls (587) or none (25, a relay you trust)."""

    kind: Literal["email"]
    host: Text
    port: PositiveInt | None = None
    security: Literal["ssl", "starttls", "none"] = "starttls"
    user: Secretable | None = None
    password: Secretable | None = None
    sender: Text = Field(alias="from")
    to: Annotated[list[Text], BeforeValidator(_listify), Field(min_length=1)]

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or ''}>{','.join(self.to)}"

    @property
    def smtp_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)


def _normalise_channel(entry: Any) -> Any:
    """``{wecom: URL, name: …}`` or ``{email: {host: …}}`` -> ``{kind: wecom, url: URL, …}``."""
    if not isinstance(entry, dict):
        raise ValueError("each channel is a mapping like 'webhook: URL' or 'email: {host: …, to: …}'")
    kinds = [k for k in entry if k in CHANNEL_KINDS]
    if len(kinds) != 1:
        got = ", ".join(map(str, entry)) or "nothing"
        raise ValueError(f"name exactly one of {', '.join(CHANNEL_KINDS)} (got {got})")
    kind = kinds[0]
    value, options = entry[kind], {k: v for k, v in entry.items() if k != kind}
    if isinstance(value, dict):
        return {"kind": kind, **value, **options}
    if kind == "email":
        raise ValueError("email takes a mapping: {host: …, from: …, to: […]}")
    return {"kind": kind, "url": value, **options}


Channel = Annotated[Union[Webhook, WeCom, DingTalk, Feishu, Email], Field(discriminator="kind"),
                    BeforeValidator(_normalise_channel)]


class Watch(Strict):
    name: WatchName
    filters: Filters = Filters()
    articles: bool = True                       # false: this watch only tells its events
    events: list[Literal[EVENT_KINDS]] = []
    max_items: PositiveInt | None = None        # default: the file's max_items
    channels: Annotated[list[Channel], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _empty_filters(cls, data: Any) -> Any:
        if isinstance(data, dict) and "filters" in data and data["filters"] is None:
            data = {**data, "filters": {}}
        return data

    @model_validator(mode="after")
    def _something(self):
        if not self.articles and not self.events:
            raise ValueError("a watch with 'articles: false' must name its events (e.g. events: [run_failed])")
        return self


class WatchesFile(Strict):
    max_items: PositiveInt = DEFAULT_MAX_ITEMS
    watches: list[Watch] = []

    @model_validator(mode="before")
    @classmethod
    def _none(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("watches", []) is None:
            data = {**data, "watches": []}
        return data

    def limit(self, watch: Watch) -> int:
        return watch.max_items or self.max_items
