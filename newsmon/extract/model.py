"""The result of one extraction: what the rest of newsmon stores for an article."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass
class Extraction:
    """Fields are empty (never None except the date) when the page does not give them; ``reason`` says why."""

    title: str = ""
    published_at: dt.datetime | None = None      # timezone-aware; Asia/Shanghai when the page gives no zone
    published_precision: str | None = None       # "day" | "minute" | "second"
    outlet: str = ""                             # publishing outlet (来源 line), e.g. 新华社
    authors: list[str] = field(default_factory=list)   # 作者 / 记者 / 编辑 / 责任编辑, page order
    content: str = ""                            # body paragraphs joined by "\n"
    lang: str = ""
    encoding: str = ""
    reason: str | None = None                    # why fields are empty, when they are
    canonical: str = ""                          # <link rel="canonical"> href as written (may be relative)
    og_url: str = ""                             # <meta property="og:url">

    def as_dict(self) -> dict:
        d = asdict(self)
        d["published_at"] = self.published_at.isoformat() if self.published_at else None
        return d
