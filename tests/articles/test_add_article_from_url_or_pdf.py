"""The browser's Add article form: only a URL (fetched by the server) or a PDF upload."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article
from tests.articles.pdfs import make_pdf
from tests.articles.webserver import ARTICLE_HTML, LocalSite, local_site
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HARBOUR_PDF = [
    [
        ("Harbour cranes to run on shore power", 18),
        "All four container cranes at the north quay will run on power from the grid",
        "by 2028, the port authority said, cutting diesel use at the quay by about",
        "1.1 million litres a year.",
    ]
]


@pytest.fixture
def site(settings: Any) -> Iterator[LocalSite]:
    settings.FETCH_ALLOW_PRIVATE = True  # the site is on loopback
    with local_site() as served:
        served.routes["/library"] = (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE_HTML.encode())
        yield served


def post(user: User, **fields: object) -> Any:
    client: Client = client_for(user)
    assert client.get("/articles/new/").status_code == 200
    return client.post("/articles/new/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **fields})


def url_field_error(response: Any) -> str:
    found = re.search(r'<p class="field-error" id="url-error">(.*?)</p>', response.content.decode())
    assert found, "no error next to the URL field"
    return html.unescape(found.group(1))


def test_only_a_url_fetches_the_page(editor: User, site: LocalSite) -> None:
    response = post(editor, url=site.url("/library"))
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.url, article.outlet.name, article.byline) == (
        "Lakeside library extends weekend opening",
        site.url("/library"),
        "The Valley Ledger",
        "Tomas Ferreira",
    )
    assert "Share this article" not in article.current_revision.text
    assert article.created_by == editor


def test_the_title_typed_wins_over_the_fetched_one(editor: User, site: LocalSite) -> None:
    post(editor, url=site.url("/library"), title="Library opens on Sundays")
    assert Article.objects.get().title == "Library opens on Sundays"


def test_a_refused_address_is_explained_next_to_the_url_field(
    editor: User, site: LocalSite, settings: Any
) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    response = post(editor, url=site.url("/library"))
    assert response.status_code == 400
    assert url_field_error(response) == (
        "Not imported: 127.0.0.1 is this server itself (loopback): addresses inside the newsroom "
        "network are not allowed (an administrator can allow them with CORROBORATE_FETCH_ALLOW_PRIVATE=1)."
    )
    assert site.requests == []
    assert Article.objects.count() == 0


def test_a_page_that_is_not_there_is_explained(editor: User, site: LocalSite) -> None:
    response = post(editor, url=site.url("/gone"))
    assert response.status_code == 400
    assert url_field_error(response).startswith("Not imported: the server answered 404 Not Found for ")


def test_a_url_already_imported_is_not_fetched_again(editor: User, site: LocalSite) -> None:
    first = post(editor, url=site.url("/library"))
    # when
    second = post(editor, url=site.url("/library"))
    # then
    assert second["Location"] == first["Location"]
    assert [path for path, _ in site.requests] == ["/library"]
    assert Article.objects.count() == 1


def test_a_pdf_upload_becomes_an_article(editor: User) -> None:
    upload = SimpleUploadedFile("cranes.pdf", make_pdf(HARBOUR_PDF), "application/pdf")
    response = post(editor, file=upload)
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == "Harbour cranes to run on shore power"
    assert article.current_revision.text == (
        "All four container cranes at the north quay will run on power from the grid by 2028, the port "
        "authority said, cutting diesel use at the quay by about 1.1 million litres a year."
    )


def test_a_scanned_pdf_upload_says_to_run_ocr(editor: User) -> None:
    upload = SimpleUploadedFile("scan.pdf", make_pdf([None]), "application/pdf")
    response = post(editor, file=upload)
    assert response.status_code == 400
    assert (
        "scan.pdf: this PDF has no text layer (it is probably a scan): run OCR on it first, for example "
        "with ocrmypdf, and import the result." in html.unescape(response.content.decode())
    )
    assert Article.objects.count() == 0
