"""config/digest.yaml: how `newsmon digest` groups, words and comments its sections."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from newsmon.config.schemas.base import Strict, Text
from newsmon.vocab import ALL_CATEGORIES

Area = Literal["central", "ministries", "local"]
AREA_KEYS = {"central", "ministries", "local"}


def _every_area_once(order: list[str]) -> list[str]:
    if sorted(order) != sorted(AREA_KEYS):
        raise ValueError(f"list each of central, ministries, local once (got {', '.join(order) or 'none'})")
    return order


class Sections(Strict):
    central: Text
    ministries: Text
    local: Text


class Layouts(Strict):
    """Order of the areas in each layout."""

    seed: list[Area] = ["local", "central", "ministries"]
    nested: list[Area] = ["central", "ministries", "local"]

    _check = field_validator("seed", "nested")(_every_area_once)


class Commentary(Strict):
    enabled: bool = True
    label: Text = "●解读"
    mark: Text = "（自动生成）"
    lookback_days: int = Field(default=90, ge=0)


class Lead(Strict):
    max_sentences: int = Field(default=3, ge=1, le=10)
    max_chars: int = Field(default=240, ge=40, le=2000)


class DigestFile(Strict):
    title: Text
    layout: Literal["seed", "nested"] = "seed"
    layouts: Layouts = Layouts()
    separator: str = "——"
    sections: Sections
    central_bodies: list[Text] = Field(min_length=1)
    categories: dict[str, Text]
    category_aliases: dict[str, list[Text]] = {}
    regions: list[Text]
    unplaced: Text = "地点未明"
    commentary: Commentary = Commentary()
    lead: Lead = Lead()

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ALL_CATEGORIES))
        if unknown:
            raise ValueError(f"unknown category {', '.join(unknown)}; categories are {', '.join(ALL_CATEGORIES)}")
        missing = [c for c in ALL_CATEGORIES if c not in value]
        if missing:      # an item of a category without a word would have no section
            raise ValueError(f"give a word for every category; missing {', '.join(missing)}")
        return value

    @field_validator("category_aliases")
    @classmethod
    def _aliases_of_known_categories(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(ALL_CATEGORIES))
        if unknown:
            raise ValueError(f"unknown category {', '.join(unknown)}; categories are {', '.join(ALL_CATEGORIES)}")
        return value
