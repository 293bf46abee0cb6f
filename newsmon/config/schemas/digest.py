"""config/digest.yaml: how `newsmon digest` groups and words its sections."""

from __future__ import annotations

from pydantic import Field

from newsmon.config.schemas.base import Strict, Text


class Sections(Strict):
    central: Text
    ministries: Text
    local: Text


class DigestFile(Strict):
    title: Text
    sections: Sections
    central_bodies: list[Text] = Field(min_length=1)
    categories: dict[str, Text]
    regions: list[Text]
    unplaced: Text = "地点未明"
