"""Article extraction: page bytes + URL -> title, date, outlet, authors, body.

``extract`` never raises: empty, binary, huge or list-only pages come back with
empty fields and a ``reason``. See article.py for the order of the steps.
"""

from newsmon.extract.article import extract
from newsmon.extract.model import Extraction

__all__ = ["Extraction", "extract"]
