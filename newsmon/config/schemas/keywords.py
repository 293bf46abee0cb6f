"""config/keywords.yaml: the blockchain terms an article must name to be kept."""

from __future__ import annotations

from pydantic import Field

from newsmon.config.schemas.base import Strict, Text


class KeywordsFile(Strict):
    terms: list[Text] = Field(min_length=1)
