"""The digest analysts used to write by hand: sections by area and category, leads, commentary, charts.

Pure: articles (dicts as stored) in, a Digest and its Markdown / text / HTML out.
The CLI (newsmon/cli/commands/digest.py) queries the store and writes the files.
"""

from newsmon.digest.build import build_digest
from newsmon.digest.model import LAYOUTS, Digest

__all__ = ["Digest", "LAYOUTS", "build_digest"]
