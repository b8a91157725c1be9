"""Fetching an article from a URL: limits, refusals and reading, against a web server on loopback.

Every page is served by ``tests.articles.webserver`` on 127.0.0.1 (or ::1). As that is a loopback
address, the tests that fetch for real turn ``FETCH_ALLOW_PRIVATE`` on, or let the site stand in for
a public one by treating exactly 127.0.0.1 as public. Names that would have to resolve to other
addresses are given them by standing in for ``articles.fetch.resolve`` (the only function that asks
DNS): no name resolves to a private address here otherwise. A guard makes sure no connection leaves
this machine whatever the code under test does.
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from articles import fetch as fetch_module
from articles.fetch import FetchError, address_refusal, fetch, fetch_article
from tests.articles.pdfs import make_pdf
from tests.articles.webserver import ARTICLE_HTML, LocalSite, drip, endless, local_site

HTML = {"Content-Type": "text/html; charset=utf-8"}
NETWORK_REFUSAL = "addresses inside the newsroom network are not allowed"


@pytest.fixture(autouse=True)
def _only_loopback_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test or a bug asks for, a connection goes to this machine's loopback or nowhere."""
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] not in {"127.0.0.1", "::1"}:
            raise AssertionError(f"the fetch tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with local_site() as served:
        served.routes["/news/library"] = (200, HTML, ARTICLE_HTML.encode())
        yield served


@pytest.fixture
def allow_private(settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = True


@pytest.fixture
def site_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1, and only it, passes for a public address: the test site plays a news site on the
    internet, and every other address is judged as usual."""
    real = fetch_module.address_refusal
    monkeypatch.setattr(
        fetch_module, "address_refusal", lambda address: None if address == "127.0.0.1" else real(address)
    )


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[tuple[str, int]]:
    """Stand in for DNS: ``answers`` maps names to addresses; returns the lookups made."""
    lookups: list[tuple[str, int]] = []

    def resolve(host: str, port: int) -> list[str]:
        lookups.append((host, port))
        return answers[host]

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    return lookups


def library_pdf() -> bytes:
    return make_pdf(
        [
            [
                ("Tram depot plan wins a second", 20),
                ("vote in the district council", 20),
                "by Ana Lindqvist",
                "The district council approved the new tram depot at Kessel Yard",
                "on Wednesday by 23 votes to 8, after a first vote in June was annul-",
                "led on a procedural error. Building starts in the spring.",
                "Advertisement",
                "The depot will house 40 trams and employ about 120 people.",
                "1",
            ]
        ]
    )


# --- what is fetched and read ------------------------------------------------------------------


@pytest.mark.usefixtures("allow_private")
def test_an_html_page_is_read_as_a_saved_page_is(site: LocalSite) -> None:
    parsed = fetch_article(site.url("/news/library"))
    (record,) = parsed.records
    assert (record.title, record.outlet, record.byline, record.url) == (
        "Lakeside library extends weekend opening",
        "The Valley Ledger",
        "Tomas Ferreira",
        site.url("/news/library"),
    )
    assert record.text.startswith("The Lakeside branch library will open on Sundays from next month")
    assert "1,350 visitors" in record.text
    assert "900 people" in record.text
    assert "Advertisement" not in record.text
    assert "Share this" not in record.text


@pytest.mark.usefixtures("allow_private")
def test_a_pdf_is_read_by_its_text_layer(site: LocalSite) -> None:
    site.routes["/depot.pdf"] = (200, {"Content-Type": "application/pdf"}, library_pdf())
    (record,) = fetch_article(site.url("/depot.pdf")).records
    assert record.title == "Tram depot plan wins a second vote in the district council"
    assert record.byline == "Ana Lindqvist"
    assert record.text == (
        "The district council approved the new tram depot at Kessel Yard on Wednesday by 23 votes to 8, "
        "after a first vote in June was annulled on a procedural error. Building starts in the spring.\n\n"
        "The depot will house 40 trams and employ about 120 people."
    )


@pytest.mark.usefixtures("allow_private")
def test_plain_text_takes_its_first_line_as_title(site: LocalSite) -> None:
    body = "Ferry fares frozen for winter\n\nThe ferry company keeps its fares at 2025 levels until March.\n"
    site.routes["/fares.txt"] = (200, {"Content-Type": "text/plain; charset=utf-8"}, body.encode())
    (record,) = fetch_article(site.url("/fares.txt")).records
    assert (record.title, record.text) == (
        "Ferry fares frozen for winter",
        "The ferry company keeps its fares at 2025 levels until March.",
    )


@pytest.mark.usefixtures("allow_private")
def test_the_declared_charset_decodes_the_page(site: LocalSite) -> None:
    body = "Café prices rise\n\nA coffee in the old town now costs 3.20 euros, up from 2.90.\n"
    site.routes["/cafe.txt"] = (
        200,
        {"Content-Type": "text/plain; charset=iso-8859-1"},
        body.encode("latin-1"),
    )
    assert fetch_article(site.url("/cafe.txt")).records[0].title == "Café prices rise"


@pytest.mark.usefixtures("allow_private")
def test_a_redirect_on_the_same_site_is_followed_and_the_final_address_kept(site: LocalSite) -> None:
    site.routes["/old"] = (301, {"Location": "/news/library"}, b"")
    page = fetch(site.url("/old"))
    assert page.url == site.url("/news/library")
    assert [path for path, _ in site.requests] == ["/old", "/news/library"]


@pytest.mark.usefixtures("allow_private")
def test_letters_outside_ascii_in_the_address_are_sent_percent_encoded(site: LocalSite) -> None:
    site.routes["/kultur/b%C3%BCcherei?tag=s%C3%B8ndag"] = (200, HTML, ARTICLE_HTML.encode())
    page = fetch(site.url("/kultur/bücherei?tag=søndag"))
    assert page.content_type == "text/html"
    assert [path for path, _ in site.requests] == ["/kultur/b%C3%BCcherei?tag=s%C3%B8ndag"]


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("allow_private")
def test_a_page_over_the_size_limit_is_cut_off_while_it_streams(site: LocalSite) -> None:
    sent: list[int] = []
    site.routes["/huge"] = endless(sent)  # no Content-Length: only counting while reading can stop it
    with pytest.raises(FetchError, match=r"the page is larger than 256 KB, the import limit"):
        fetch(site.url("/huge"), max_bytes=256 * 1024)
    deadline = time.monotonic() + 5
    while not sent and time.monotonic() < deadline:
        time.sleep(0.02)
    # The server could write what the client read plus the sockets' buffers, far from the 64 MB.
    assert sent
    assert sent[0] < 16 * 1024 * 1024


@pytest.mark.usefixtures("allow_private")
def test_a_declared_length_over_the_limit_is_refused_before_reading(site: LocalSite) -> None:
    site.routes["/declared"] = (200, {**HTML, "Content-Length": str(6 * 1024 * 1024)}, b"<p>short</p>")
    with pytest.raises(
        FetchError, match=r"larger than 5 MB, the import limit \(CORROBORATE_FETCH_MAX_BYTES\)"
    ):
        fetch(site.url("/declared"), max_bytes=5 * 1024 * 1024)


@pytest.mark.usefixtures("allow_private")
def test_a_body_dripping_in_times_out_at_the_deadline(site: LocalSite) -> None:
    # Each byte comes well within the timeout, so only a deadline for the whole fetch stops this.
    site.routes["/drip"] = drip(b"x", every=0.2, for_at_most=6)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 1 s"):
        fetch(site.url("/drip"), timeout=1)
    assert time.monotonic() - started < 2.5


@pytest.mark.usefixtures("allow_private")
def test_a_server_that_does_not_answer_times_out(site: LocalSite) -> None:
    site.routes["/silent"] = lambda handler: time.sleep(4)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"/silent timed out after 1 s"):
        fetch(site.url("/silent"), timeout=1)
    assert time.monotonic() - started < 2.5


@pytest.mark.usefixtures("allow_private")
def test_endless_redirects_stop_at_the_limit(site: LocalSite) -> None:
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match=r"redirects more than 5 times"):
        fetch(site.url("/loop"))
    assert len(site.requests) == 6


# --- refusals ----------------------------------------------------------------------------------


def test_the_test_site_itself_is_refused_without_the_setting(site: LocalSite, settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchError) as refused:
        fetch(site.url("/news/library"))
    assert str(refused.value) == (
        f"127.0.0.1 is this server itself (loopback): {NETWORK_REFUSAL} "
        "(an administrator can allow them with CORROBORATE_FETCH_ALLOW_PRIVATE=1)"
    )
    assert site.requests == []


@pytest.mark.usefixtures("site_is_public")
@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("http://127.0.0.2/admin/", "127.0.0.2 is this server itself (loopback)"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private network address"),
        ("http://[::1]/", "::1 is this server itself (loopback)"),
        ("http://[::ffff:192.168.0.7]/", "::ffff:192.168.0.7 is a private network address"),
    ],
)
def test_a_redirect_into_the_network_is_refused(site: LocalSite, target: str, shown: str) -> None:
    site.routes["/go"] = (302, {"Location": target}, b"")
    with pytest.raises(FetchError, match=re.escape(f"{shown}: {NETWORK_REFUSAL}")):
        fetch(site.url("/go"), allow_private=False)
    assert [path for path, _ in site.requests] == ["/go"]


@pytest.mark.usefixtures("site_is_public")
def test_a_redirect_to_another_scheme_is_refused(site: LocalSite) -> None:
    site.routes["/go"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(FetchError, match=r"only http:// and https:// addresses can be fetched, not file:"):
        fetch(site.url("/go"), allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.example/a.pdf",
        "gopher://old.example/",
        "javascript:alert(1)",
        "//x.example/a",
    ],
)
def test_only_http_and_https_are_fetched(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = fake_dns(monkeypatch, {})
    with pytest.raises(FetchError, match=r"only http:// and https:// addresses can be fetched"):
        fetch(url)
    assert lookups == []


def test_credentials_in_the_address_are_refused() -> None:
    with pytest.raises(FetchError, match=r"remove the user name and password"):
        fetch("http://editor:secret@news.example/a")


@pytest.mark.usefixtures("allow_private")
def test_a_type_that_is_not_a_page_pdf_or_text_is_refused(site: LocalSite) -> None:
    site.routes["/photo.png"] = (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n")
    with pytest.raises(FetchError, match=r"photo.png is image/png, not a web page, a PDF or plain text"):
        fetch(site.url("/photo.png"))


@pytest.mark.usefixtures("allow_private")
def test_an_error_status_says_what_the_server_answered(site: LocalSite) -> None:
    with pytest.raises(FetchError, match=r"the server answered 404 Not Found for .*/gone: check the address"):
        fetch(site.url("/gone"))


def test_ipv6_loopback_is_refused(settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    with local_site("::1") as site6:
        site6.routes["/a"] = (200, HTML, ARTICLE_HTML.encode())
        with pytest.raises(FetchError, match=rf"::1 is this server itself \(loopback\): {NETWORK_REFUSAL}"):
            fetch(site6.url("/a"))
        assert site6.requests == []


@pytest.mark.usefixtures("allow_private")
def test_ipv6_loopback_is_fetched_when_allowed() -> None:
    with local_site("::1") as site6:
        site6.routes["/a"] = (200, HTML, ARTICLE_HTML.encode())
        assert fetch_article(site6.url("/a")).records[0].title == "Lakeside library extends weekend opening"


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"intranet.example": ["10.20.30.40"]})
    with pytest.raises(FetchError) as refused:
        fetch("https://intranet.example/payroll", allow_private=False)
    assert str(refused.value).startswith(
        f"intranet.example is 10.20.30.40, a private network address: {NETWORK_REFUSAL}"
    )


def test_one_private_address_among_public_ones_is_enough_to_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.example": ["1.1.1.1", "192.168.1.20"]})
    with pytest.raises(FetchError, match=rf"192.168.1.20, a private network address: {NETWORK_REFUSAL}"):
        fetch("http://mixed.example/", allow_private=False)


@pytest.mark.usefixtures("allow_private")
def test_the_connection_goes_to_the_address_resolved_once(
    site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second lookup that a DNS server could answer differently: one per hop, then that address."""
    lookups = fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})
    site.routes["/moved"] = (302, {"Location": f"http://news.test:{site.port}/news/library"}, b"")
    page = fetch(f"http://news.test:{site.port}/moved")
    assert page.url == f"http://news.test:{site.port}/news/library"
    assert lookups == [("news.test", site.port), ("news.test", site.port)]
    assert site.requests == [
        ("/moved", f"news.test:{site.port}"),
        ("/news/library", f"news.test:{site.port}"),
    ]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "this server itself (loopback)"),
        ("127.8.9.10", "this server itself (loopback)"),
        ("0.0.0.0", "an unspecified address"),  # noqa: S104 (a string, no socket is bound)
        ("10.0.0.1", "a private network address"),
        ("172.16.4.4", "a private network address"),
        ("192.168.100.1", "a private network address"),
        ("169.254.169.254", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.9", "not a public internet address"),
        ("::1", "this server itself (loopback)"),
        ("::", "an unspecified address"),
        ("fe80::1%eth0", "a link-local address"),
        ("fd12:3456::1", "a private network address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "this server itself (loopback)"),
        ("::ffff:10.9.8.7", "a private network address"),
        ("2002:7f00:1::", "this server itself (loopback)"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "a private network address"),  # NAT64 around 10.0.0.1
        ("1.1.1.1", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_addresses_are_judged_public_or_not(address: str, reason: str | None) -> None:
    assert address_refusal(address) == reason


# --- HTTPS: the certificate is checked for the name, while the connection goes to the address ---------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for news.test, made with the openssl command for this run."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "news.test.pem", folder / "news.test.key"
    subprocess.run(
        [
            shutil.which("openssl") or "openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=news.test"),
            *("-addext", "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_site(certificate: tuple[Path, Path]) -> Iterator[LocalSite]:
    with local_site(tls=certificate) as served:
        served.routes["/news/library"] = (200, HTML, ARTICLE_HTML.encode())
        yield served


def trust(monkeypatch: pytest.MonkeyPatch, cert: Path) -> None:
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: real(cafile=str(cert)))


@pytest.mark.usefixtures("allow_private")
def test_https_verifies_the_certificate_for_the_name_it_asked_for(
    tls_site: LocalSite, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    trust(monkeypatch, certificate[0])
    fake_dns(monkeypatch, {"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    page = fetch(f"https://news.test:{tls_site.port}/news/library")
    assert page.url == f"https://news.test:{tls_site.port}/news/library"
    assert tls_site.requests == [("/news/library", f"news.test:{tls_site.port}")]
    # the same address under another name: the certificate does not name it
    with pytest.raises(
        FetchError, match=r"the secure connection to other.test failed: .*CERTIFICATE_VERIFY_FAILED"
    ):
        fetch(f"https://other.test:{tls_site.port}/news/library")


@pytest.mark.usefixtures("allow_private")
def test_https_with_an_untrusted_certificate_is_refused(
    tls_site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"news.test": ["127.0.0.1"]})
    with pytest.raises(
        FetchError, match=r"the secure connection to news.test failed: CERTIFICATE_VERIFY_FAILED"
    ):
        fetch(f"https://news.test:{tls_site.port}/news/library")
    assert tls_site.requests == []
