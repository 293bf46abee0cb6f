"""The digest analysts used to write by hand: grouped by level, region, province, category."""

from newsmon.digest.build import Digest, build_digest

__all__ = ["Digest", "build_digest"]
