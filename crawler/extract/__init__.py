"""Article extraction: page bytes + URL -> title, date, outlet, authors, body.

``extract`` never raises: empty, binary, huge or list-only pages come back with
empty fields and a ``reason``.
"""

from crawler.extract.article import Extraction, extract

__all__ = ["Extraction", "extract"]
