"""A small web site on this machine's loopback address for the import-from-URL tests.

``local_site()`` serves routes given as ``(status, headers, body)`` or as a function that writes the
answer itself (for slow or endless bodies), from a threading ``http.server`` on 127.0.0.1 (or ::1),
and records each request's path and Host header. Nothing else is reachable from the tests.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Answer = tuple[int, dict[str, str], bytes]
Route = Answer | Callable[[BaseHTTPRequestHandler], None]

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Lakeside library extends weekend opening | The Valley Ledger</title>
<meta property="og:title" content="Lakeside library extends weekend opening">
<meta property="og:site_name" content="The Valley Ledger">
<meta name="author" content="Tomas Ferreira">
<meta property="article:published_time" content="2026-10-02T07:00:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Lakeside library extends weekend opening</h1>
<p>The Lakeside branch library will open on Sundays from next month, the district's culture office
announced on Friday, after a trial in the spring drew 1,350 visitors over six weekends.</p>
<p>- Advertisement -</p>
<p>Opening hours on Saturdays also grow by two hours, to 10:00 until 18:00. The extra staff time
costs about 48,000 euros a year, which the district says comes from its reading programme.</p>
<p>Share this article</p>
<p>Regular visitors had asked for longer hours in a survey last winter, in which nearly two thirds
of the 900 people who answered said they could not reach the library on weekdays.</p>
</article>
<footer>Copyright 2026 The Valley Ledger. All rights reserved.</footer>
</body></html>
"""


@dataclass
class LocalSite:
    host: str
    scheme: str = "http"
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)

    def url(self, path: str) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{shown}:{self.port}{path}"


def drip(chunk: bytes, *, every: float, for_at_most: float, content_type: str = "text/plain") -> Route:
    """An answer whose body comes ``chunk`` by ``chunk``, one every ``every`` seconds."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        stop = time.monotonic() + for_at_most
        try:
            while time.monotonic() < stop:
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(every)
        except OSError:
            return  # the client hung up, as it should

    return answer


def endless(sent: list[int], *, chunk_bytes: int = 64 * 1024, at_most: int = 64 * 1024 * 1024) -> Route:
    """An answer without Content-Length whose body goes on up to ``at_most`` bytes; ``sent`` gets the
    number of bytes the server managed to write before the client hung up."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        written = 0
        chunk = b"<p>" + b"x" * (chunk_bytes - 7) + b"</p>\n"
        try:
            while written < at_most:
                handler.wfile.write(chunk)
                written += len(chunk)
        except OSError:
            pass
        finally:
            sent.append(written)

    return answer


class _Handler(BaseHTTPRequestHandler):
    site: LocalSite

    def do_GET(self) -> None:
        self.site.requests.append((self.path, self.headers.get("Host", "")))
        route = self.site.routes.get(self.path)
        if route is None:
            route = (404, {"Content-Type": "text/plain"}, b"not here")
        if callable(route):
            route(self)
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(OSError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


@contextmanager
def local_site(host: str = "127.0.0.1", *, tls: tuple[Path, Path] | None = None) -> Iterator[LocalSite]:
    """The site, served over HTTPS with ``tls`` = (certificate, key) files."""
    site = LocalSite(host=host, scheme="https" if tls else "http")
    handler = type("Handler", (_Handler,), {"site": site})
    server = (_Server6 if ":" in host else _Server)((host, 0), handler)
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
