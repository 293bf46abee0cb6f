"""What `newsmon run` prints: a progress line per source, the result; Scrapy's own log only with -v (always in the file)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

from newsmon.storage.runs import RunLog
from newsmon.testing.httpsite import Site
from newsmon.testing.servers import connect
from newsmon.testing.sites import GovSite, distinct_text

from conftest import ROOT, run_cli

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=10"]
PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (\S+): (\d+) new, (\d+) pages, (\d+) errors?(?: \(([^)]*)\))?$")
# Scrapy's start-up component lists and its shutdown stats dump
NOISE = ("Enabled extensions", "Enabled downloader middlewares", "Enabled item pipelines", "Overridden settings",
         "Dumping Scrapy stats", "Scrapy 2.", "Spider opened")


def test_progress_lines_and_scrapy_noise_only_with_verbose(tmp_path, mongo_uri):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    shutil.copy(ROOT / "config" / "keywords.yaml", cfg / "keywords.yaml")
    data = tmp_path / "data"
    env = {"NEWSMON_CONFIG_DIR": str(cfg), "MONGO_URI": mongo_uri, "MONGO_DATABASE": os.environ["MONGO_DATABASE"],
           "NEWSMON_ALLOW_PRIVATE": "1", "NEWSMON_DATA_DIR": str(data)}
    with Site() as dead:  # a source whose site is gone: connection refused
        down = dead.url("/rss.xml")
    with Site() as one, Site() as two:
        a, b = GovSite(one, n=4, distinct=True), GovSite(two, n=0)
        for i in range(3):  # texts of their own, so none is folded into gov_a's as a reprint
            b.add_article(dt.date(2026, 11, 20), at_end=True, title=f"区块链试点第{i}批名单公布", text=distinct_text(20 + i))
        b.publish()
        (cfg / "sources.yaml").write_text("sources:\n" + a.source_yaml("gov_a") + b.source_yaml("gov_b") + (
            "  - name: gov_down\n    kind: gov\n    level: central\n    allowed_domains: [127.0.0.1]\n"
            f"    discovery: [{{rss: '{down}'}}]\n"), encoding="utf-8")
        quiet = run_cli("newsmon", "run", *FAST, "-s", "RETRY_TIMES=0", env=env)
        verbose = run_cli("newsmon", "run", "-v", *FAST, "-s", "RETRY_TIMES=0", env=env)

    assert quiet.returncode == 0, quiet.stdout[-2000:] + quiet.stderr[-3000:]  # partial: one source is down
    lines = [m for m in map(PROGRESS.match, quiet.stdout.splitlines()) if m]
    assert len(lines) == 3, quiet.stdout
    assert [int(m[1]) for m in lines] == [1, 2, 3] and {m[2] for m in lines} == {"3"}
    by_name = {m[3]: m for m in lines}
    assert set(by_name) == {"gov_a", "gov_b", "gov_down"}
    assert by_name["gov_a"][4] == "4" and by_name["gov_b"][4] == "3", quiet.stdout
    run = RunLog(connect(mongo_uri, os.environ["MONGO_DATABASE"])).recent(2)[1]   # the first (quiet) run
    for name, m in by_name.items():                                  # the figures are the run record's
        counts = run["sources"][name]
        assert (int(m[4]), int(m[5]), int(m[6])) == (counts["articles_stored"], counts["pages_fetched"],
                                                     sum(counts["errors"].values())), (name, counts)
    assert int(by_name["gov_a"][5]) >= 5 and by_name["gov_a"][7] is None      # list page + 4 articles, no mark
    assert by_name["gov_down"][4] == "0" and by_name["gov_down"][7] == "unreachable"
    printed = quiet.stdout + quiet.stderr
    assert not [n for n in NOISE if n in printed], printed[:3000]
    assert re.search(r"Run \S+ partial \(gov_down unreachable\): 7 new article\(s\)", quiet.stdout), quiet.stdout
    assert len(printed.splitlines()) <= 7 + 3 + 8, printed   # the 7 articles, 3 progress lines, header and summary

    log = (Path(data) / "logs" / "run.log").read_text(encoding="utf-8")
    assert all(n in log for n in NOISE), log[:2000]                          # the file keeps everything

    assert verbose.returncode == 0, verbose.stderr[-3000:]
    assert len([m for m in map(PROGRESS.match, verbose.stdout.splitlines()) if m]) == 3
    assert "[1/3]" in verbose.stdout and ": 0 new, " in verbose.stdout      # known articles are not stored twice
    assert all(n in verbose.stdout + verbose.stderr for n in NOISE), verbose.stderr[:3000]


def test_verbose_before_or_after_the_command_is_the_same_switch():
    from newsmon.cli.main import build_parser

    parser = build_parser()
    assert parser.parse_args(["-v", "query"]).verbose and parser.parse_args(["query", "-v"]).verbose
    assert parser.parse_args(["run", "--verbose"]).verbose and not parser.parse_args(["run"]).verbose
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert all("-v, --verbose" in sub.format_help() for sub in commands.values())   # every command has it
