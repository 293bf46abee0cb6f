"""config/url_rules.yaml: site knowledge for canonical URLs (see newsmon/urls.py)."""

from __future__ import annotations

from pydantic import model_validator

from newsmon.config.schemas.base import Regex, Strict, Text


class Rewrite(Strict):
    match: Regex
    replace: str


class UrlRulesFile(Strict):
    tracking_params: list[Text] = []
    mobile_hosts: dict[str, Text] = {}
    rewrites: list[Rewrite] = []
    same_site: list[list[Text]] = []

    @model_validator(mode="after")
    def _hosts(self):
        lowered = {m.lower().rstrip("."): d.lower().rstrip(".") for m, d in self.mobile_hosts.items()}
        for mobile, desktop in lowered.items():
            if "/" in mobile + desktop:
                raise ValueError(f"mobile_hosts: {mobile!r}: {desktop!r} must be two host names")
            if mobile == desktop:
                raise ValueError(f"mobile_hosts: {mobile} maps to itself")
            if desktop in lowered:
                raise ValueError(f"mobile_hosts: {desktop} is both a desktop and a mobile host")
        return self
