"""Fetch one article from the web for import: a service without views; the limits come from settings.

What an editor types in the browser or a script passes to ``import_articles --url`` is fetched from
the server, inside the newsroom's network, so the fetch must not become a way into that network:

- http and https only, without a user name or password in the URL;
- the host is resolved once per request (``resolve``) and the connection is made to the very address
  that was checked, so a DNS server cannot answer "public" to the check and "private" to the connect;
- private, loopback, link-local, multicast, reserved and unspecified addresses, IPv4 and IPv6 (IPv4
  inside IPv6 too), are refused unless ``CORROBORATE_FETCH_ALLOW_PRIVATE`` is on;
- redirects are followed by hand, at most ``MAX_REDIRECTS``, every hop checked the same way;
- one deadline for the whole fetch (``CORROBORATE_FETCH_TIMEOUT_SECONDS``): connecting, waiting and
  reading all count, and a server that sends a byte now and then does not keep us waiting for ever;
- the body is read in chunks and the fetch stops as soon as it passes ``CORROBORATE_FETCH_MAX_BYTES``
  (a declared ``Content-Length`` over it stops it before reading).

The page's type decides how it is read: HTML and plain text as on file import, PDF by its text layer.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from articles.extraction import ParsedFile, parse_html, parse_pdf, parse_plain_text

MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Corroborate article import (+https://github.com/corroborate)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
TEXT_TYPES = {"text/plain"}
_REDIRECTS = {301, 302, 303, 307, 308}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_URL_SAFE = "/%?=&;:@!$'()*+,~[]-._"


class FetchError(Exception):
    """The page could not be fetched or read; the message says why, in words a person can act on."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content_type: str  # media type, lower case, without parameters
    charset: str | None
    body: bytes

    @property
    def kind(self) -> str:
        """``html``, ``pdf`` or ``text``."""
        if self.content_type in HTML_TYPES:
            return "html"
        if self.content_type in PDF_TYPES:
            return "pdf"
        return "text"

    def text(self) -> str:
        """The body as text: the declared charset, else the page's own ``<meta charset>``, else UTF-8,
        else Windows-1252 (which decodes any byte)."""
        candidates = [self.charset]
        if self.kind == "html":
            declared = _META_CHARSET.search(self.body[:4096])
            candidates.append(declared.group(1).decode("ascii", "replace") if declared else None)
        for charset in [*candidates, "utf-8"]:
            if not charset:
                continue
            try:
                return self.body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.body.decode("cp1252", errors="replace")


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, from one DNS lookup. The only function that asks DNS: tests stand in
    for it to give a name a private address, as no real name resolves that way here."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"the name {host} could not be found: check the address") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(address: str) -> str | None:
    """Why ``address`` is not a public internet address (None when it is)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 carried inside IPv6 is judged as the IPv4 address it reaches.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            if reason is not None:
                return reason
    for flag, reason in (
        (ip.is_loopback, "this server itself (loopback)"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private network address"),
        (not ip.is_global, "not a public internet address"),
    ):
        if flag:
            return reason
    return None


def _human_bytes(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.3g} MB"
    return f"{count / 1024:.3g} KB"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``address`` (already checked), with ``host`` in the Host header."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``address`` (already checked); the certificate is verified for ``host`` (SNI too)."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self.pinned_context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.pinned_context)
        self.pinned_address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        try:
            self.sock = self.pinned_context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


class _Watchdog:
    """Shuts the connection down when the fetch's deadline passes, whatever it is waiting for: the
    socket timeout bounds each wait, this bounds them all together (a server sending a header line
    or a byte now and then)."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        with contextlib.suppress(OSError):  # already closed
            self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


@dataclass(frozen=True)
class _Limits:
    timeout: int
    max_bytes: int
    allow_private: bool
    deadline: float

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


def _check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a URL we may fetch, or a FetchError saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError(f"{url!r} is not a valid web address") from error
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(f"only http:// and https:// addresses can be fetched, not {shown} ({url})")
    if not parts.hostname:
        raise FetchError(f"{url!r} has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchError("remove the user name and password from the address; they are not sent")
    # A request line is ASCII: letters outside it are sent percent-encoded, as browsers do.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path = f"{path}?{quote(parts.query, safe=_URL_SAFE)}"
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def _connect(url: str, limits: _Limits) -> tuple[http.client.HTTPResponse, _Watchdog]:
    """The response to a GET of ``url``, with the watchdog that ends it at the deadline."""
    scheme, host, port, path = _check_url(url)
    addresses = resolve(host, port)
    if not addresses:
        raise FetchError(f"the name {host} has no address")
    if not limits.allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason is not None:
                where = f"{host} is {address}," if host != address else f"{host} is"
                raise FetchError(
                    f"{where} {reason}: addresses inside the newsroom network are not "
                    "allowed (an administrator can allow them with CORROBORATE_FETCH_ALLOW_PRIVATE=1)"
                )
    last_error: OSError | None = None
    for address in addresses:
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = _PinnedHTTPSConnection(host, port, address=address, timeout=limits.remaining())
        else:
            connection = _PinnedHTTPConnection(host, port, address=address, timeout=limits.remaining())
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            for name, value in (
                ("User-Agent", USER_AGENT),
                ("Accept", "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9"),
                ("Accept-Encoding", "identity"),
            ):
                connection.putheader(name, value)
            connection.endheaders()
            assert connection.sock is not None  # endheaders connected it
            watchdog = _Watchdog(connection.sock, limits.remaining())
            try:
                return connection.getresponse(), watchdog
            except BaseException:
                watchdog.cancel()
                if watchdog.fired:
                    raise TimeoutError from None
                raise
        except ssl.SSLError as error:
            connection.close()
            raise FetchError(f"the secure connection to {host} failed: {error.reason or error}") from error
        except TimeoutError:
            connection.close()
            raise
        except OSError as error:
            connection.close()
            last_error = error
    reason = getattr(last_error, "strerror", None) or str(last_error)
    raise FetchError(f"could not connect to {host}: {reason}")


def _read_body(response: http.client.HTTPResponse, watchdog: _Watchdog, limits: _Limits) -> bytes:
    declared = response.getheader("Content-Length")
    too_large = (
        f"the page is larger than {_human_bytes(limits.max_bytes)}, the import limit "
        "(CORROBORATE_FETCH_MAX_BYTES); save it and import the file"
    )
    if declared and declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(too_large)
    chunks: list[bytes] = []
    received = 0
    while not response.isclosed():  # http.client closes the response once it has the whole body
        try:
            chunk = response.read1(CHUNK_BYTES)  # what has come, not a full buffer's worth
        except (OSError, http.client.HTTPException):
            if watchdog.fired:
                raise TimeoutError from None
            raise
        if not chunk:
            break
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(too_large)
        chunks.append(chunk)
    if watchdog.fired:  # the body ended because the watchdog cut it, not because it was all there
        raise TimeoutError
    return b"".join(chunks)


def _media_type(response: http.client.HTTPResponse) -> tuple[str, str | None]:
    message = response.msg
    media = (message.get_content_type() if message.get("Content-Type") else "").lower()
    charset = message.get_content_charset()
    return media, charset


def _refuse_type(media: str, url: str) -> FetchError:
    return FetchError(
        f"{url} is {media or 'of no declared type'}, not a web page, a PDF or plain text: "
        "only those can be imported"
    )


def fetch(
    url: str,
    *,
    timeout: int | None = None,
    max_bytes: int | None = None,
    allow_private: bool | None = None,
) -> FetchedPage:
    """Fetch ``url`` (following redirects) within the limits, or raise FetchError saying why not."""
    seconds = timeout if timeout is not None else settings.FETCH_TIMEOUT_SECONDS
    limits = _Limits(
        timeout=seconds,
        max_bytes=max_bytes if max_bytes is not None else settings.FETCH_MAX_BYTES,
        allow_private=allow_private if allow_private is not None else settings.FETCH_ALLOW_PRIVATE,
        deadline=time.monotonic() + seconds,
    )
    current = url.strip()
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            response, watchdog = _connect(current, limits)
            try:
                if response.status in _REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(f"{current} redirects without saying where (no Location header)")
                    current = urljoin(current, location.strip())
                    continue
                if response.status != 200:
                    hint = {
                        401: "the page needs a login: save it in the browser and upload the file",
                        403: "the site refuses: save the page in the browser and upload the file",
                        404: "check the address",
                        410: "the page was removed",
                    }.get(response.status, "try again later, or save the page and upload the file")
                    raise FetchError(
                        f"the server answered {response.status} {response.reason} for {current}: {hint}"
                    )
                media, charset = _media_type(response)
                if media and media not in HTML_TYPES | PDF_TYPES | TEXT_TYPES:
                    raise _refuse_type(media, current)
                body = _read_body(response, watchdog, limits)
                if not media:  # undeclared: a PDF or an HTML page says what it is in its first bytes
                    start = body.lstrip()[:15].lower()
                    if body.startswith(b"%PDF-"):
                        media = "application/pdf"
                    elif start.startswith((b"<!doctype html", b"<html")):
                        media = "text/html"
                    else:
                        raise _refuse_type(media, current)
                return FetchedPage(url=current, content_type=media, charset=charset, body=body)
            finally:
                watchdog.cancel()
                response.close()
        raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times; give the final address")
    except TimeoutError as error:
        raise FetchError(f"{current} timed out after {limits.timeout} s") from error
    except http.client.HTTPException as error:
        raise FetchError(f"{current} did not answer as a web server does ({type(error).__name__})") from error
    except ValueError as error:  # http.client's check of what it is asked to send
        raise FetchError(f"{current} cannot be requested: {error}") from error


def parse_fetched(page: FetchedPage) -> ParsedFile:
    """Records from a fetched page, read as its type says, with boilerplate dropped as on import."""
    if page.kind == "pdf":
        return parse_pdf(page.body, origin=page.url, url=page.url)
    if page.kind == "html":
        return parse_html(page.text(), origin=page.url, url=page.url)
    return parse_plain_text(page.text(), origin=page.url, url=page.url)


def fetch_article(url: str) -> ParsedFile:
    """Fetch ``url`` and read it into (at most one) record; FetchError when it cannot be fetched."""
    return parse_fetched(fetch(url))
