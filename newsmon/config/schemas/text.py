"""config/text/: the labeller's rules, gazetteer, organisations and term lists, as schemas.

Each YAML file is validated on its own here; checks that span files (a district's
city must be in places.yaml, a venue must be a listed body) are made by the pure
builders in :mod:`newsmon.text` and reported against the file and key they name.
The two plain-text files (the jieba dictionary, surnames) are parsed here too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt, PositiveInt, field_validator, model_validator

from newsmon.config.loader import read_text
from newsmon.config.schemas.base import Regex, Strict, Text
from newsmon.errors import ConfigError
from newsmon.vocab import ALL_CATEGORIES, CATEGORIES, LEVELS

Level = Literal[LEVELS]
Category = Literal[CATEGORIES]
AnyCategory = Literal[ALL_CATEGORIES]
Names = list[Text]

# file names inside the config directory
PLACES = "text/places.yaml"
DISTRICTS = "text/districts.yaml"
ORGANIZATIONS = "text/organizations.yaml"
TERMS = "text/terms.yaml"
RULES = "text/rules.yaml"
DICTIONARY = "text/dict.txt"
SURNAMES = "text/surnames.txt"


# --- places.yaml / districts.yaml -------------------------------------------------------------
class PlacesFile(Strict):
    regions: dict[str, Names]
    provinces: dict[str, Text]
    cities: dict[str, list[Text | dict[str, Names]]]
    needs_suffix: Names = []

    @field_validator("cities")
    @classmethod
    def _one_city_per_mapping(cls, value):
        for prov, entries in value.items():
            for entry in entries:
                if isinstance(entry, dict) and len(entry) != 1:
                    raise ValueError(f"{prov}: {entry!r} must be a name or {{full name: [short names]}}")
        return value


class Area(Strict):
    city: Text
    aliases: Names = []


class DistrictsFile(Strict):
    areas: dict[str, Area] = {}
    counties: dict[str, dict[str, Names]] = {}


# --- organizations.yaml / terms.yaml ------------------------------------------------------------
class OrganizationsFile(Strict):
    central: dict[str, Names]
    local_bodies: dict[str, Names] = {}
    place_bodies: dict[str, Names] = {}    # place short name -> bodies named without it (港府 -> 香港)
    venues: Names = []


class TermsFile(Strict):
    domains: dict[str, Names]
    technologies: dict[str, Names]


# --- rules.yaml ---------------------------------------------------------------------------------
class Weights(Strict):
    title: NonNegativeFloat
    lead: NonNegativeFloat
    body: NonNegativeFloat


class CategoryRules(Strict):
    weights: Weights
    lead_sentences: NonNegativeInt
    body_sentences: PositiveInt
    min_score: NonNegativeFloat
    tie_order: Annotated[list[Category], Field(min_length=len(CATEGORIES), max_length=len(CATEGORIES))]
    document_title: NonNegativeFloat
    title_speaker: NonNegativeFloat
    speaker_sentence: NonNegativeFloat = 0.0
    meeting_words: Names = []
    suffix_cues: Names = []
    cues: dict[Category, dict[str, float]]


class LevelRules(Strict):
    central_words: Names = []
    location_markers: Names = []
    admin_prefixes: dict[str, Level] = {}
    titles: dict[str, Level] = {}
    zone_words: Names = []
    local_words: Names = []


class PeopleRules(Strict):
    titles: Names
    central: Names = []
    name_end: str


class DocumentRules(Strict):
    types: Annotated[Names, Field(min_length=1)]
    number_pattern: Regex
    prefix_stop: str = ""

    @field_validator("number_pattern")
    @classmethod
    def _three_groups(cls, value: str) -> str:
        if re.compile(value).groups != 3:
            raise ValueError("needs 3 groups: issuer, year, number")
        return value


class RelevanceRules(Strict):
    title: NonNegativeFloat
    focused: NonNegativeFloat
    listed: NonNegativeFloat
    spread: NonNegativeFloat
    list_marks: str = "、/"


class RulesFile(Strict):
    category: CategoryRules
    level: LevelRules
    people: PeopleRules
    documents: DocumentRules
    relevance: RelevanceRules


# --- plain-text files ---------------------------------------------------------------------------------
def parse_dictionary(path: Path) -> dict[str, int | None]:
    """The jieba user dictionary: ``word [freq] [tag]`` per line, # comments."""
    words: dict[str, int | None] = {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ConfigError(f"config file {path} line {n}: frequency must be a whole number, got {parts[1]!r}")
            freq = int(parts[1])
        words[parts[0]] = freq
    return words


def parse_surnames(path: Path) -> frozenset[str]:
    names = {w for line in read_text(path).splitlines() for w in line.split("#", 1)[0].split()}
    if not names:
        raise ConfigError(f"config file {path}: no surnames listed")
    return frozenset(names)


# --- model.yaml: the category model, its training data and corrections ----------------------------
MODEL = "text/model.yaml"


class TrainingOptions(Strict):
    epochs: PositiveInt = 40
    rate: Annotated[float, Field(gt=0)] = 0.3
    l2: NonNegativeFloat = 0.05
    min_count: PositiveInt = 2
    seed: int = 13
    ngrams: Annotated[list[PositiveInt], Field(min_length=1)] = [2, 3]
    rule_scale: Annotated[float, Field(gt=0)] = 10.0
    rule_cap: Annotated[float, Field(gt=0)] = 4.0
    lead_tokens: bool = False
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.7


class ModelFile(Strict):
    model_file: Text                       # written by `newsmon label --train`, read by every analyser
    training: Annotated[Names, Field(min_length=1)]  # JSON-lines files of labelled items
    corrections: Text = "text/corrections.jsonl"     # analysts' corrections, added to the training data
    options: TrainingOptions = TrainingOptions()


class ItemLabels(Strict):
    category: AnyCategory
    level: Level | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None


class TrainingItem(BaseModel):
    """One line of a training file or of corrections.jsonl (other keys are kept as provenance)."""

    model_config = ConfigDict(extra="allow", strict=True)
    id: str | int | None = None
    title: str | None = None
    text: str | None = None
    labels: ItemLabels

    @model_validator(mode="after")
    def _id_or_text(self):
        if self.id is None and not (self.title or self.text):
            raise ValueError("needs an article 'id' (looked up in the store) or a 'title'/'text'")
        return self
