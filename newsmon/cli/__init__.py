"""The ``newsmon`` command line: it wires subcommands to the layers below and prints results.

Each subcommand is a module in :mod:`newsmon.cli.commands`; output formats are in
output.py and report.py, the shared filter options in filters.py.
"""

from newsmon.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
