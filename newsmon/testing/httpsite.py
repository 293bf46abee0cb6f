"""A real HTTP server on loopback for tests: routes of bytes, redirects, errors, delays, gzip."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0
    gzip: bool = False
    etag: str | None = None
    last_modified: str | None = None


class Site:
    """``with Site() as site: site.add("/a", Route(...)); site.url("/a")``; ``site.hits`` counts requests."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        """``host``: any loopback address, IPv6 (``::1``) included; ``port`` 0 picks a free one."""
        self.host = host
        self.routes: dict[str, Route | Callable] = {}
        self.hits: list[tuple[str, str, dict]] = []   # (method, path, headers)
        self.bodies: list[bytes] = []                 # request bodies, parallel to hits
        self.timeline: list[tuple[float, str]] = []   # (time.monotonic(), path) of each hit, one atomic append
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.post_body = self.rfile.read(length) if length else b""
                self._serve("POST")

            def do_GET(self):
                self.post_body = b""
                self._serve("GET")

            def _serve(self, method):
                site.timeline.append((time.monotonic(), self.path))
                site.hits.append((method, self.path, dict(self.headers)))
                site.bodies.append(self.post_body)
                route = site.routes.get(self.path)
                if callable(route):
                    route = route(self)
                if route is None:
                    route = Route(b"not found", 404)
                if route.delay:
                    time.sleep(route.delay)
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                    if self.headers.get("If-None-Match") == route.etag:
                        return self._send(304, headers, b"")
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                    if self.headers.get("If-Modified-Since") == route.last_modified:
                        return self._send(304, headers, b"")
                body = route.body
                if route.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(route.status, headers, body)

            def _send(self, status, headers, body):
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

            def verify_request(self, request, client_address):
                site.connections += 1   # every TCP connection, even one that never sends a request
                return True

        self.connections = 0
        self.server = Server((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route | Callable) -> None:
        self.routes[path] = route

    def paths_hit(self) -> list[str]:
        return [p for _, p, _ in self.hits]
