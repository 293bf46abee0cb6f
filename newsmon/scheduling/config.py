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
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsmon.config import config_path, load_yaml
from newsmon.errors import ConfigError

DEFAULT_TZ = "Asia/Shanghai"
DEFAULTS = {"timezone": DEFAULT_TZ, "misfire_grace": 3600.0, "lease_ttl": 120.0, "stop_grace": 60.0,
            "timeout": 3 * 3600.0}
TOP_KEYS = ("timezone", "misfire_grace", "lease_ttl", "stop_grace", "timeout", "settings", "groups")
GROUP_KEYS = ("cron", "interval", "timeout", "misfire_grace", "timezone", "enabled", "settings")
GROUP_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
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


def parse_duration(value: Any, where: str) -> float:
    if isinstance(value, bool):
        raise ConfigError(f"{where}: expected a duration like 90s, 15m, 3h or a number of seconds, got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value)) if isinstance(value, str) else None
        if not m or not any(m.groups()):
            raise ConfigError(f"{where}: expected a duration like 90s, 15m, 3h or a number of seconds, got {value!r}")
        d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
        seconds = d * 86400 + h * 3600 + mi * 60 + s
    if seconds <= 0:
        raise ConfigError(f"{where}: a duration must be positive, got {value!r}")
    return seconds


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = float(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _settings(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", k) for k in value):
        raise ConfigError(f"{where}: expected a mapping of setting names to values, like {{AUTOTHROTTLE_MAX_DELAY: 60}}")
    out = {}
    for k, v in value.items():
        if isinstance(v, (dict, list)) or v is None:
            raise ConfigError(f"{where}.{k}: expected a single value (number, true/false or text), got {v!r}")
        out[k] = ("1" if v else "0") if isinstance(v, bool) else str(v)
    return out


def _line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """1-based line of the value at keys in the YAML text (for messages), if found."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                node, line = v, v.start_mark.line + 1
                break
        else:
            return line
    return line


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


def _zone(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a time zone name like Asia/Shanghai, got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown time zone {value!r} (use a name like Asia/Shanghai or UTC)") from None
    return value


def parse_schedule(data: Any, label: str, text: str = "") -> ScheduleConfig:
    def where(*keys: str) -> str:
        line = _line_of(text, keys) if text else None
        return f"config file {label}" + (f" line {line}" if line else "") + f": {'.'.join(keys)}"

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {label}: expected a mapping with 'groups' (see docs/scheduler.md)")
    unknown = [k for k in data if k not in TOP_KEYS]
    if unknown:
        raise ConfigError(f"{where(str(unknown[0]))}: unknown setting; expected one of {', '.join(TOP_KEYS)}")
    tz = _zone(data.get("timezone", DEFAULT_TZ), where("timezone"))
    top = {k: parse_duration(data[k], where(k)) if k in data else DEFAULTS[k]
           for k in ("misfire_grace", "lease_ttl", "stop_grace", "timeout")}
    top_settings = _settings(data.get("settings"), where("settings"))
    groups_raw = data.get("groups")
    if groups_raw is None:
        groups_raw = {"daily": {"cron": "0 6 * * *"}}
    if not isinstance(groups_raw, dict) or not groups_raw:
        raise ConfigError(f"{where('groups')}: expected a mapping of group name to its schedule, like  daily: {{cron: \"0 6 * * *\"}}")
    groups: dict[str, GroupSchedule] = {}
    for name, raw in groups_raw.items():
        name = str(name)
        if not GROUP_NAME.match(name):
            raise ConfigError(f"{where('groups', name)}: a group name is letters, digits, _ . - (the 'group' of a source in sources.yaml)")
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise ConfigError(f"{where('groups', name)}: expected a mapping like {{cron: \"0 6 * * *\"}}")
        unknown = [k for k in raw if k not in GROUP_KEYS]
        if unknown:
            raise ConfigError(f"{where('groups', name, str(unknown[0]))}: unknown setting; expected one of {', '.join(GROUP_KEYS)}")
        if ("cron" in raw) == ("interval" in raw):
            raise ConfigError(f"{where('groups', name)}: give exactly one of 'cron' (e.g. \"0 6 * * *\") or 'interval' (e.g. 6h)")
        cron = interval = None
        if "cron" in raw:
            cron = raw["cron"]
            if not isinstance(cron, str):
                raise ConfigError(f"{where('groups', name, 'cron')}: expected a quoted cron expression like \"0 6 * * *\", got {cron!r}")
            cron = " ".join(cron.split())
        else:
            interval = parse_duration(raw["interval"], where("groups", name, "interval"))
        gtz = _zone(raw.get("timezone", tz), where("groups", name, "timezone"))
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where('groups', name, 'enabled')}: expected true or false, got {enabled!r}")
        group = GroupSchedule(
            name=name, cron=cron, interval=interval, timezone=gtz,
            timeout=parse_duration(raw["timeout"], where("groups", name, "timeout")) if "timeout" in raw else top["timeout"],
            misfire_grace=(parse_duration(raw["misfire_grace"], where("groups", name, "misfire_grace"))
                           if "misfire_grace" in raw else top["misfire_grace"]),
            enabled=enabled,
            settings=tuple({**top_settings, **_settings(raw.get("settings"), where("groups", name, "settings"))}.items()),
        )
        try:
            build_trigger(group)
        except ValueError as exc:
            raise ConfigError(
                f"{where('groups', name, 'cron')}: {cron!r} is not a valid cron expression ({exc}); "
                "expected 'minute hour day month weekday' like \"0 6 * * *\" (06:00 every day) "
                "or \"30 7 * * 1-5\" (07:30 Monday to Friday), optionally with seconds first") from None
        groups[name] = group
    return ScheduleConfig(label, tz, top["misfire_grace"], top["lease_ttl"], top["stop_grace"], top["timeout"], groups,
                          settings=tuple(top_settings.items()))


def load_schedule(name: str = "schedule.yaml") -> ScheduleConfig:
    """Read config/schedule.yaml (NEWSMON_SCHEDULE_FILE); the built-in default when it does not exist."""
    path = config_path(name)
    if not path.exists():
        config = parse_schedule(None, str(path))
        return ScheduleConfig(**{**config.__dict__, "from_file": False})
    data = load_yaml(name)  # syntax errors: ConfigError with file, line and column
    return parse_schedule(data, str(path), path.read_text(encoding="utf-8"))


def schedule_for(settings) -> ScheduleConfig:
    return load_schedule(settings.get("NEWSMON_SCHEDULE_FILE") or "schedule.yaml")


def next_fire(group: GroupSchedule, now: dt.datetime | None = None) -> dt.datetime | None:
    now = now or dt.datetime.now(ZoneInfo(group.timezone))
    return build_trigger(group).get_next_fire_time(None, now)
