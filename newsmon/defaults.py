"""Every newsmon setting with its default and what it means, in one place.

Like Scrapy's ``default_settings.py``: ``crawler/settings.py`` starts from these,
and every component reads them from the settings it is given, never restating a
default. Precedence, the same for ``newsmon``, ``scrapy crawl`` and the scheduler:

    -s NAME=VALUE (command line)  >  environment variable NAME  >  this file

Booleans accept 1/0, true/false, yes/no, on/off. Only :mod:`newsmon.config.settings`
reads the environment.
"""

# --- where things are -------------------------------------------------------------
# Directory of the config files. Empty: the project's config/. A file missing from
# a custom directory falls back to the shipped one, so a deployment keeps only the
# files it changes.
NEWSMON_CONFIG_DIR = ""
# Directory of everything newsmon writes: the embedded store, spill files, logs,
# jieba's cache. Empty: ./data in the project.
NEWSMON_DATA_DIR = ""

# --- storage -------------------------------------------------------------------
# MongoDB to use. Empty: start (or reuse) the embedded nx-27017 server whose data
# lives under the data directory.
MONGO_URI = ""
MONGO_DATABASE = "newsmon"
# How long a command waits for MongoDB before reporting it unreachable (ms).
MONGO_TIMEOUT_MS = 5000
# Inside a crawl: how long one attempt to reach a store that went away may take
# (ms), and the longest pause between attempts (s). Meanwhile items are spilled to
# disk and the crawl goes on at full speed.
NEWSMON_STORE_RETRY_TIMEOUT_MS = 1500
NEWSMON_STORE_BACKOFF_MAX = 30.0
# Embedded server address. Another process on the port: a free one is chosen.
NEWSMON_EMBEDDED_HOST = "127.0.0.1"
NEWSMON_EMBEDDED_PORT = 27117
# Items that could not be written (store down, write refused) are appended here
# and written on the next start. Empty: <data dir>/spill/articles.jsonl.
NEWSMON_SPILL_FILE = ""

# --- config files (names inside the config directory) ------------------------------
NEWSMON_SOURCES_FILE = "sources.yaml"
# Blockchain terms: an article is kept when it names one (mention filter, relevance).
NEWSMON_KEYWORDS_FILE = "keywords.yaml"
# URL rules (mobile hosts, tracking parameters, publishers with several domains).
NEWSMON_URL_RULES_FILE = "url_rules.yaml"
# When the scheduler crawls each group of sources, and the limits of a run.
NEWSMON_SCHEDULE_FILE = "schedule.yaml"
# How `newsmon digest` groups and words its sections.
NEWSMON_DIGEST_FILE = "digest.yaml"
# Saved filters (watches) and the channels their new articles and events go to
# (`newsmon notify`, docs/notifications.md).
NEWSMON_WATCHES_FILE = "watches.yaml"

# --- scale-out -----------------------------------------------------------------
# Redis shared by several crawler processes (scrapy-redis queue and duplicate
# filter). Empty: every process crawls on its own.
NEWSMON_REDIS_URL = ""
# Which shared crawl a process joins. Empty: today's date (Asia/Shanghai).
NEWSMON_CRAWL_KEY = ""
# Seconds a shared crawl's Redis keys live after a process finished with them.
NEWSMON_REDIS_KEY_TTL = 86400

# An article's stored form is bounded (MongoDB refuses documents over 16 MB): the
# body is kept in full up to this many characters, the token list and the
# blockchain-mention sentences up to these counts; whatever was cut is listed in
# the document's `truncated` field.
NEWSMON_MAX_CONTENT_CHARS = 500_000
NEWSMON_MAX_TOKENS = 50_000
NEWSMON_MAX_MENTIONS = 100

# --- dedupe --------------------------------------------------------------------
# Articles a crawl process remembers as new, so a reprint in the same run merges
# even before the first copy reached the store.
NEWSMON_DEDUPE_MEMORY = 2000
# After storing a new article, look again for a copy another process stored at the
# same moment (a second index lookup per new article). Empty: on when
# NEWSMON_REDIS_URL is set (processes share a crawl), off otherwise.
NEWSMON_DEDUPE_RECHECK = ""

# --- crawling ------------------------------------------------------------------
# Replay the offline snapshot of real pages instead of the live web.
NEWSMON_OFFLINE = False
# Snapshot to replay. Empty: snapshot/ in the project.
NEWSMON_SNAPSHOT_DIR = ""
# Where site operators can read about this crawler; part of the User-Agent.
NEWSMON_CONTACT_URL = "https://github.com/newsmon-project/newsmon#crawler"
# Set by `newsmon run` and the scheduler so every source of one run shares one
# crawl_runs record. Empty: a `scrapy crawl` gets a run of its own.
NEWSMON_RUN_ID = ""
# Skip article pages whose canonical URL is already stored or already rejected,
# and stop paging a listing at the first page that announces nothing new.
NEWSMON_SKIP_KNOWN = True
# Allow requests to private, loopback and link-local addresses (tests, intranet sites).
NEWSMON_ALLOW_PRIVATE = False
# Hosts exempt from the address check (comma-separated), e.g. a loopback test site;
# everything else is still checked.
NEWSMON_ALLOW_HOSTS = ""
# Hosts a page rendered in the browser may load from (comma-separated). Set for each
# JavaScript source from its allowed_domains (plus its `browser_domains`); anything
# else the page asks for is aborted.
NEWSMON_BROWSER_DOMAINS = ""
# Internal: the guard proxy (crawler/browser_proxy.py) a rendering crawl started; Chromium's only way out.
NEWSMON_BROWSER_PROXY = None
# Retry backoff: base * 2**attempt seconds, +/-25% jitter, capped.
NEWSMON_RETRY_BACKOFF_BASE = 2.0
NEWSMON_RETRY_BACKOFF_MAX = 60.0
# Render list/search pages in headless Chromium (set per source by `javascript: true`).
NEWSMON_JAVASCRIPT = False
# Chromium binary for JavaScript sources and PDF digests. Empty: `chromium` on PATH (Debian package chromium).
NEWSMON_CHROMIUM = ""
# A source whose discovery finds nothing this many runs in a row is flagged.
NEWSMON_FLAG_AFTER_EMPTY_RUNS = 3

# --- runs ------------------------------------------------------------------------
# A running crawl writes a heartbeat into its crawl_runs record this often (s); a
# record without one for NEWSMON_RUN_STALE_AFTER seconds (or whose process is gone)
# is closed as failed by the next command that looks (newsmon runs, run, schedule).
NEWSMON_HEARTBEAT_INTERVAL = 10.0
NEWSMON_RUN_STALE_AFTER = 120.0

# --- notifications (newsmon notify; docs/notifications.md) ---------------------------
# After each run of a group (scheduler, `newsmon run-now`), send what is new to the
# watches of NEWSMON_WATCHES_FILE. A notification problem never fails the run.
NEWSMON_NOTIFY_AFTER_RUN = True
# Tries per message before the channel counts as failed (it gets the same items again
# at the next notify), the pause between tries (base * 2**try seconds, capped; a
# Retry-After of an HTTP 429/503 is honoured up to the cap), and how long one try may
# take (seconds: connect, send, answer).
NEWSMON_NOTIFY_TRIES = 4
NEWSMON_NOTIFY_BACKOFF_BASE = 2.0
NEWSMON_NOTIFY_BACKOFF_MAX = 60.0
NEWSMON_NOTIFY_TIMEOUT = 15.0
# Articles stored in the last this-many seconds wait for the next notify (as
# `newsmon new --settle`), so one still being written by a parallel crawl is never skipped.
NEWSMON_NOTIFY_SETTLE = 2.0

# --- reading (newsmon query, new, feed) ------------------------------------------
# How many articles a listing shows without --limit: `newsmon new` shows this many
# and says how many more are waiting (the cursor moves past the ones shown only);
# `query` and `feed` list this many newest.
NEWSMON_PAGE_SIZE = 50

# --- logs ------------------------------------------------------------------------
# Log files of long-running commands (<data dir>/logs/scheduler.log, run-now.log, run.log):
# size at which one is rotated, and how many rotated files are kept.
NEWSMON_LOG_MAX_BYTES = 10 * 1024 * 1024
NEWSMON_LOG_BACKUPS = 5

# Worker processes for extraction, segmentation and labelling (newsmon/workers.py): -1 = one per available
# core but one (at least one), 0 = none (all in the crawl process), N = N processes.
NEWSMON_WORKERS = -1
# Articles a crawl handles in its own process before it starts the workers (small crawls never do).
NEWSMON_WORKERS_AFTER = 50

