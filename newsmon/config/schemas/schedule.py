"""config/schedule.yaml: when each group of sources is crawled, and the limits of a run.

    timezone: Asia/Shanghai     # zone of the cron times
    misfire_grace: 1h           # a fire missed while no scheduler ran still runs if at most this late
    lease_ttl: 2m               # how long a run's lease outlives a scheduler that died
    stop_grace: 60s             # SIGTERM / Ctrl-C: time the crawl gets to close before it is killed
    timeout: 3h                 # default wall-clock limit of one run
    groups:
      daily:
        cron: "0 6 * * *"       # minute hour day month weekday (0 or 7 = Sunday, as in crontab)
      hourly_gov:
        cron: "30 * * * *"
        timeout: 40m

A group may set ``cron`` (5 fields, or 6 with seconds first) or ``interval``
(a duration: every 1s, 15m, 6h...), and may override timezone, misfire_grace
and timeout. ``settings`` (top level, or per group on top of it) are setting
overrides for the crawl, as ``newsmon run -s NAME=VALUE`` gives them. Durations are numbers of seconds or like 90s, 15m, 3h, 1h30m, 2d.
Without the file (in NEWSMON_CONFIG_DIR or the shipped config/), one group
``daily`` runs at 06:00 Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from newsmon.config.loader import Loaded
from newsmon.config.schemas.base import Strict
from newsmon.vocab import SHANGHAI_NAME

DEFAULT_TZ = SHANGHAI_NAME
DEFAULTS = {"timezone": DEFAULT_TZ, "misfire_grace": 3600.0, "lease_ttl": 120.0, "stop_grace": 60.0,
            "timeout": 3 * 3600.0}
_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class GroupSchedule:
    name: str
    cron: str | None
    interval: float | None
    timezone: str
    timeout: float
    misfire_grace: float
    enabled: bool = True
    settings: tuple[tuple[str, str], ...] = ()   # Scrapy/newsmon setting overrides for the crawl

    @property
    def overrides(self) -> list[str]:
        """The settings as NAME=VALUE items for runner.run_crawl."""
        return [f"{k}={v}" for k, v in self.settings]

    @property
    def job_id(self) -> str:
        return self.name

    @property
    def spec(self) -> str:
        """What the schedule says, in words; also the fingerprint that tells a changed schedule."""
        if self.cron is not None:
            return f"cron '{self.cron}' ({self.timezone})"
        return f"every {fmt_duration(self.interval)}"

    def trigger(self):
        return build_trigger(self)


@dataclass(frozen=True)
class ScheduleConfig:
    path: str
    timezone: str
    misfire_grace: float
    lease_ttl: float
    stop_grace: float
    timeout: float
    groups: dict[str, GroupSchedule] = field(default_factory=dict)
    from_file: bool = True
    settings: tuple[tuple[str, str], ...] = ()

    def group(self, name: str) -> GroupSchedule:
        """The group's schedule; a group that sources.yaml uses but the file does not schedule gets the defaults."""
        if name in self.groups:
            return self.groups[name]
        return GroupSchedule(name, None, None, self.timezone, self.timeout, self.misfire_grace, enabled=False,
                             settings=self.settings)


def parse_duration(value: Any) -> float:
    """Seconds from 90, 90s, 15m, 3h, 1h30m or 2d; ValueError when it is none of these."""
    expected = f"expected a duration like 90s, 15m, 3h or a number of seconds, got {value!r}"
    if isinstance(value, bool):
        raise ValueError(expected)
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value)) if isinstance(value, str) else None
        if not m or not any(m.groups()):
            raise ValueError(expected)
        d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
        seconds = d * 86400 + h * 3600 + mi * 60 + s
    if seconds <= 0:
        raise ValueError(f"a duration must be positive, got {value!r}")
    return seconds


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = float(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _weekday_field(expr: str) -> str:
    """Crontab weekdays (0 or 7 = Sunday) as names, which APScheduler 3 reads correctly.

    APScheduler 3 numbers weekdays from Monday = 0, so '1-5' would mean Tue-Sat there.
    """
    if expr in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in expr.split(","):
        step = 1
        if "/" in part:
            part, step_s = part.split("/", 1)
            if not step_s.isdigit() or int(step_s) == 0:
                raise ValueError(f"bad step in weekday field {expr!r}")
            step = int(step_s)
        if part in ("*", "?"):
            lo, hi = 0, 6
        elif "-" in part:
            lo_s, hi_s = part.split("-", 1)
            lo, hi = _weekday_number(lo_s), _weekday_number(hi_s)
            if hi == 0 and lo > 0:
                hi = 7
            if lo > hi:
                raise ValueError(f"weekday range {part!r} runs backwards")
        else:
            lo = hi = _weekday_number(part)
        days.update(d % 7 for d in range(lo, hi + 1, step))
    if len(days) == 7:
        return "*"
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def _weekday_number(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    if token[:3] in _WEEKDAYS:
        return _WEEKDAYS.index(token[:3])
    raise ValueError(f"weekday {token!r} is not 0-7 or a day name")


def build_trigger(group: GroupSchedule):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    tz = ZoneInfo(group.timezone)
    if group.cron is None:
        return IntervalTrigger(seconds=group.interval, timezone=tz)
    fields = group.cron.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"expected 5 fields (minute hour day month weekday) or 6 (second first), got {len(fields)}")
    second, minute, hour, day, month, dow = fields
    return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_weekday_field(dow), timezone=tz)


def _zone(value: Any) -> Any:
    if isinstance(value, str):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use a name like Asia/Shanghai or UTC)") from None
    return value


def _duration(value: Any) -> Any:
    return parse_duration(value) if value is not None else None


def _setting_value(value: Any) -> Any:
    if isinstance(value, (dict, list)) or value is None:
        raise ValueError(f"expected a single value (number, true/false or text), got {value!r}")
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


Zone = Annotated[str, AfterValidator(_zone)]
Duration = Annotated[float, BeforeValidator(_duration)]
SettingName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
SettingValue = Annotated[str, BeforeValidator(_setting_value)]
GroupName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]


class GroupFile(Strict):
    cron: str | None = None
    interval: Duration | None = None
    timeout: Duration | None = None
    misfire_grace: Duration | None = None
    timezone: Zone | None = None
    enabled: bool = True
    settings: dict[SettingName, SettingValue] = {}

    @model_validator(mode="after")
    def _one_trigger(self):
        if (self.cron is None) == (self.interval is None):
            raise ValueError("give exactly one of 'cron' (e.g. \"0 6 * * *\") or 'interval' (e.g. 6h)")
        return self


class ScheduleFile(Strict):
    timezone: Zone = DEFAULT_TZ
    misfire_grace: Duration = DEFAULTS["misfire_grace"]
    lease_ttl: Duration = DEFAULTS["lease_ttl"]
    stop_grace: Duration = DEFAULTS["stop_grace"]
    timeout: Duration = DEFAULTS["timeout"]
    settings: dict[SettingName, SettingValue] = {}
    groups: dict[GroupName, GroupFile] = {"daily": GroupFile(cron="0 6 * * *")}

    @model_validator(mode="before")
    @classmethod
    def _empty_groups(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("groups"), dict):
            data = {**data, "groups": {k: ({} if v is None else v) for k, v in data["groups"].items()}}
        return data


def build_schedule(loaded: Loaded[ScheduleFile] | None, path: str) -> ScheduleConfig:
    """ScheduleConfig from a validated file, or the built-in default (group daily at 06:00) when there is none."""
    f = loaded.data if loaded is not None else ScheduleFile()
    if not f.groups:
        raise loaded.error(("groups",), 'expected at least one group, like  daily: {cron: "0 6 * * *"}')
    top_settings = dict(f.settings)
    groups: dict[str, GroupSchedule] = {}
    for name, raw in f.groups.items():
        cron = " ".join(raw.cron.split()) if raw.cron is not None else None
        group = GroupSchedule(
            name=name, cron=cron, interval=raw.interval, timezone=raw.timezone or f.timezone,
            timeout=raw.timeout or f.timeout, misfire_grace=raw.misfire_grace or f.misfire_grace,
            enabled=raw.enabled, settings=tuple({**top_settings, **raw.settings}.items()),
        )
        try:
            build_trigger(group)
        except ValueError as exc:
            problem = (f"{cron!r} is not a valid cron expression ({exc}); expected 'minute hour day month weekday' "
                       "like \"0 6 * * *\" (06:00 every day) or \"30 7 * * 1-5\" (07:30 Monday to Friday), "
                       "optionally with seconds first")
            raise loaded.error(("groups", name, "cron"), problem) from None
        groups[name] = group
    return ScheduleConfig(path, f.timezone, f.misfire_grace, f.lease_ttl, f.stop_grace, f.timeout, groups,
                          from_file=loaded is not None, settings=tuple(top_settings.items()))


def next_fire(group: GroupSchedule, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or dt.datetime.now(ZoneInfo(group.timezone))
    return build_trigger(group).get_next_fire_time(None, now)


def schedule_from_data(data: dict, label: str = "(schedule)") -> ScheduleConfig:
    """A ScheduleConfig from a mapping shaped like schedule.yaml (tests, tools)."""
    from newsmon.config.loader import validate

    return build_schedule(Loaded(label, validate(data, ScheduleFile, label, {}), {}, (label,)), label)
