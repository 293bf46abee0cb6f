"""The ``newsmon`` command: wires subcommands, prints user errors without tracebacks.

Each subcommand is a module in :mod:`newsmon.cli.commands` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int`` (and optionally ``PARENTS``, shared
options from :mod:`newsmon.cli.options`); modules are found at start, so adding a
command touches no other file.

Exit codes (every command): 0 success; 1 the command ran but its outcome is bad
(a run that was not ok, a rejected article); 2 a config file, setting or option is
wrong; 3 the store cannot be reached; 4 a page given by hand could not be read or
fetched; 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from newsmon import __version__
from newsmon.cli import commands, options
from newsmon.errors import NewsmonError


class Parser(argparse.ArgumentParser):
    """A wrong option is one line (and exit 2), like every other user error; --help has the usage."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newsmon",
        description="Monitor what Chinese governments and media say and do about blockchain (区块链).",
        epilog="Run 'newsmon COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"newsmon {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to the console")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        name = getattr(module, "NAME", info.name.replace("_", "-"))
        doc = (module.__doc__ or "").strip()
        p = sub.add_parser(name, parents=[options.VERBOSE, *getattr(module, "PARENTS", ())], help=module.HELP,
                           description=doc or module.HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("pymongo", "jieba", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    try:
        return int(args.func(args) or 0)
    except NewsmonError as exc:
        print(f"newsmon: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsmon: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newsmon query | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
