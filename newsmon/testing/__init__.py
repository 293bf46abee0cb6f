"""Helpers for newsmon's tests and benchmarks: real servers on loopback, nothing mocked.

  httpsite.py  a threaded HTTP server on 127.0.0.1 with routes of bytes, errors, delays, gzip
  sites.py     loopback sites shaped like real Chinese sites (a gov.cn-style policy channel)
  servers.py   free ports, the embedded MongoDB server, a redis-server, running console scripts

Shipped with the package (like ``scrapy.utils.test``) so benchmarks import them
without touching ``sys.path``.
"""
