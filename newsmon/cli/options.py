"""Options several commands share, defined once: parent parsers (``PARENTS`` of a command module) and types.

A command lists the parents it takes, e.g. ``PARENTS = (options.JSON,)``; main.py
builds its parser with them. Counts are checked here, so ``--limit 0`` or
``--days -3`` is one error line (exit 2) in every command.
"""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not allowed: give 1 or more")
    return value


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


# -v after the command name too (`newsmon run -v`); SUPPRESS keeps a top-level -v from being reset.
VERBOSE = _parent()
VERBOSE.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                     help="log debug detail to the console (for run: Scrapy's own log too)")

# Every command that prints data: machine-readable output (JSON lines for listings, one object otherwise).
JSON = _parent()
JSON.add_argument("--json", action="store_true", help="print JSON instead of a table (listings: one object per line)")


def add_limit(parser, default_help: str) -> None:
    """--limit N (1 or more); the command supplies its default when None is left."""
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N", help=f"at most N ({default_help})")
