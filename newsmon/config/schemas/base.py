"""Building blocks of the config schemas: strict models and checked strings.

Every config model refuses unknown keys (a typo is an error, not a silently
ignored option) and coerces nothing (``enabled: 'false'`` is text, not a boolean).
Selectors and regular expressions are compiled when the file is loaded, so a bad
one is reported with its file and line before any crawl starts.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Strict(BaseModel):
    """Unknown keys rejected, no type coercion, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


def is_xpath(expr: str) -> bool:
    """Selectors starting with '/' or '(' are XPath, anything else CSS (the convention of sources.yaml)."""
    return expr.lstrip().startswith(("/", "("))


def _selector(value: str) -> str:
    from lxml import etree
    from lxml.cssselect import CSSSelector, SelectorError

    if not value.strip():
        raise ValueError("empty selector")
    try:
        if is_xpath(value):
            etree.XPath(value)
        else:
            CSSSelector(value)
    except (etree.XPathSyntaxError, SelectorError) as exc:
        kind = "XPath" if is_xpath(value) else "CSS selector"
        raise ValueError(f"{value!r} is not a valid {kind} ({exc})") from None
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"expected an http(s) URL, got {value!r}")
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _name(value: str) -> str:
    if not NAME_RE.match(value):
        raise ValueError(f"{value!r}: lowercase letters, digits and _, starting with a letter (it becomes the spider name)")
    return value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


Regex = Annotated[str, AfterValidator(_regex)]
Selector = Annotated[str, AfterValidator(_selector)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
Text = Annotated[str, AfterValidator(_non_empty)]
Name = Annotated[str, AfterValidator(_name)]
Upper = BeforeValidator(_upper)
Scalar = str | int | float
