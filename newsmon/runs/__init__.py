"""Runs: starting a crawl (a child process per run) and recording how it went.

  runner.py  run_crawl(): the crawl_runs record, the child process, its limits
  child.py   ``python -m newsmon.runs.child``: one Scrapy process for the sources of a run
  logs.py    log files of long-running commands (scheduler, run-now)
"""
