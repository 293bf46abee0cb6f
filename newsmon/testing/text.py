"""The labeller with the shipped configuration, for tests and benchmarks that need no other."""

from __future__ import annotations

from newsmon import config
from newsmon.config.settings import get_settings


def analyser():
    """The process's Analyser for the current settings (built once per configuration)."""
    return config.analyser(get_settings())


def analyse(title: str, text: str) -> dict:
    return analyser().analyse(title, text)


def segment(text: str) -> list[str]:
    return analyser().segment(text)


def segment_article(title: str, text: str) -> list[str]:
    return analyser().segment_article(title, text)
