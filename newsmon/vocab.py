"""The words newsmon's data is written in, defined once: kinds, levels, categories, the time zone.

Schemas, labellers, queries and the digest all import these, so a value accepted
in one place is accepted everywhere.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The zone Chinese sites publish in; a date without a zone is a date here.
SHANGHAI = ZoneInfo("Asia/Shanghai")
SHANGHAI_NAME = "Asia/Shanghai"
UTC = dt.timezone.utc

# Who runs a source.
KINDS = ("gov", "media")
# Administrative level: of a source (who runs the site) and of an article (who acts).
LEVELS = ("central", "provincial", "city", "district")
LOCAL_LEVELS = ("provincial", "city", "district")
# What an article reports: a body issues a plan or rule (policy), something is
# launched or deployed (application), a named person states a view (voice).
CATEGORIES = ("policy", "application", "voice")
OTHER = "other"
ALL_CATEGORIES = CATEGORIES + (OTHER,)
# How a source announces its articles.
DISCOVERY_METHODS = ("rss", "sitemap", "list", "search", "api")
