"""Read one page given by hand (`newsmon extract`, `newsmon ingest`): a saved file or a URL.

A plain GET with a size cap and a timeout; every failure is one FetchError
sentence. Crawls never come here: they go through Scrapy and its politeness.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from newsmon.errors import ConfigError, FetchError

MAX_BYTES = 16 * 1024 * 1024


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def fetch_url(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES,
              user_agent: str = "newsmon") -> tuple[bytes, str, str | None]:
    """GET url: (body, final URL after redirects, charset from Content-Type).

    ``timeout`` bounds the whole fetch, not each read: a server that drips one byte
    a second is cut off when the time is up.
    """
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            chunks, size = [], 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock = getattr(getattr(resp.fp, "raw", None), "_sock", None)
                if sock is not None:
                    sock.settimeout(left)  # the next read waits at most what is left
                chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url} is larger than {max_bytes} bytes (DOWNLOAD_MAXSIZE)")
            return b"".join(chunks), resp.geturl(), resp.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"could not fetch {url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason if not isinstance(exc.reason, OSError) else (exc.reason.strerror or str(exc.reason))
        raise FetchError(f"could not fetch {url}: {reason}") from None
    except TimeoutError:
        raise FetchError(f"could not fetch {url}: no answer within {timeout:g} s (raise --timeout?)") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"could not fetch {url}: {exc}") from None


def read_file(target: str) -> bytes:
    """Bytes of a saved page ('-' reads standard input); ConfigError (exit 2) when there is none."""
    if target == "-":
        return sys.stdin.buffer.read()
    path = Path(target).expanduser()
    if not path.is_file():
        raise ConfigError(f"{target} is not a file or an http(s) URL; give a saved page or a URL")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {target}: {exc.strerror or exc}") from None
