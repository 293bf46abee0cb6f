"""The browser's only way out: a forward proxy that applies the address guard to every connection.

Playwright's request interception (BrowserGuard) sees the requests a page starts,
but not the hops of a redirect, WebSockets, or connections Chromium opens ahead
of time (preconnect). So Chromium is started with this proxy as its only route to
the network (``--proxy-server``, and ``<-loopback>`` so loopback is not exempt),
and the proxy decides every plain request, every redirect hop and every CONNECT
tunnel (HTTPS, WebSocket) by the same rules as the downloader: the host within
the source's browser domains, every resolved address public (crawler/guard.py).
It connects to the address it checked, so a second DNS answer cannot differ.

Plain HTTP requests are forwarded one per client connection (``Connection:
close``), so each one is checked; tunnels are checked once, when opened. The proxy
runs on its own thread and event loop: a busy reactor cannot stall the browser.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Callable
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
HEAD_LIMIT = 64 * 1024
HOP_HEADERS = {"connection", "proxy-connection", "keep-alive", "proxy-authorization", "te", "trailer", "upgrade"}

# host -> (why refused or None, addresses to connect to)
Decide = Callable[[str], "tuple[str | None, list[str]]"]


class GuardProxy:
    def __init__(self, decide: Decide, timeout: float = 30.0):
        self.decide = decide
        self.timeout = timeout
        self.refused = 0
        self.forwarded = 0
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> "GuardProxy":
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            server = loop.run_until_complete(asyncio.start_server(self._client, sock=self._sock, limit=HEAD_LIMIT))
            ready.set()
            try:
                loop.run_forever()
            finally:
                server.close()
                loop.run_until_complete(server.wait_closed())
                loop.close()

        self._thread = threading.Thread(target=serve, name="browser guard proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    # --- one client connection ----------------------------------------------------------------------
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
            writer.close()
            return
        try:
            line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, version = line.split(" ", 2)
        except ValueError:
            await self._answer(writer, 400, "bad request")
            return
        if method.upper() == "CONNECT":
            host, _, port = target.rpartition(":")
            await self._tunnel(reader, writer, host.strip("[]"), int(port or 443) if port.isdigit() else 443)
        else:
            await self._forward(reader, writer, method, target, version, header_lines)

    def _refuse(self, what: str, why: str) -> None:
        with self._lock:
            self.refused += 1
        log.info("browser connection refused: %s (%s)", what[:200], why)

    async def _connect(self, host: str, port: int, what: str):
        why, addresses = await asyncio.get_running_loop().run_in_executor(None, self.decide, host)
        if why:
            self._refuse(what, why)
            return None
        for address in addresses:
            try:
                return await asyncio.wait_for(asyncio.open_connection(address, port), self.timeout)
            except (OSError, asyncio.TimeoutError):
                continue
        return None

    async def _tunnel(self, reader, writer, host: str, port: int) -> None:
        upstream = await self._connect(host, port, f"CONNECT {host}:{port}")
        if upstream is None:
            await self._answer(writer, 403, "refused by the newsmon address guard")
            return
        with self._lock:
            self.forwarded += 1
        up_reader, up_writer = upstream
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def _forward(self, reader, writer, method: str, target: str, version: str, header_lines: list[str]) -> None:
        parts = urlsplit(target)
        if parts.scheme.lower() != "http" or not parts.hostname:
            self._refuse(target, f"not an absolute http URL: {target[:80]}")
            await self._answer(writer, 403, "refused by the newsmon address guard")
            return
        upstream = await self._connect(parts.hostname, parts.port or 80, target)
        if upstream is None:
            await self._answer(writer, 403, "refused by the newsmon address guard")
            return
        with self._lock:
            self.forwarded += 1
        up_reader, up_writer = upstream
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [h for h in header_lines if h and h.split(":", 1)[0].strip().lower() not in HOP_HEADERS]
        up_writer.write(f"{method} {path} {version}\r\n".encode("latin-1"))
        up_writer.write(("\r\n".join(headers + ["Connection: close"]) + "\r\n\r\n").encode("latin-1"))
        length = next((int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")
                       and h.split(":", 1)[1].strip().isdigit()), 0)
        if length:
            up_writer.write(await reader.readexactly(length))
        await up_writer.drain()
        await _pipe(up_reader, writer)   # the origin closes after its answer (Connection: close)
        writer.close()

    @staticmethod
    async def _answer(writer, status: int, text: str) -> None:
        body = text.encode()
        writer.write(f"HTTP/1.1 {status} {text}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                     + body)
        try:
            await writer.drain()
        except ConnectionError:
            pass
        writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except RuntimeError:
            pass
