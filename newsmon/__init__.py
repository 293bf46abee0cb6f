"""newsmon: a daily monitor of what Chinese governments and media say about blockchain."""

__version__ = "0.1.0"
