"""Errors a user can act on.

Every exception here carries one sentence that tells the user what went wrong and
what to do; the CLI prints it without a traceback and exits non-zero.
"""


class NewsmonError(Exception):
    """Base class: a problem the user can fix, reported as one clear message."""

    exit_code = 1


class ConfigError(NewsmonError):
    """A file in config/ is missing, unreadable or malformed."""

    exit_code = 2


class StoreUnavailable(NewsmonError):
    """MongoDB cannot be reached or refuses the operation."""

    exit_code = 3


class UnknownSource(NewsmonError, KeyError):
    """A spider/source name that is not configured (a KeyError, as Scrapy expects)."""

    exit_code = 2

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class FetchError(NewsmonError):
    """A page given by hand (newsmon extract / ingest) could not be read or fetched."""

    exit_code = 4


class DataError(ValueError):
    """Data a pure library was given does not fit together (a district under an unknown city).

    Raised with the config file it came from (``source``, e.g. "text/districts.yaml")
    and the key path, so the config layer can report it with file and line.
    """

    def __init__(self, source: str, loc: tuple, message: str):
        super().__init__(message)
        self.source, self.loc, self.message = source, loc, message
