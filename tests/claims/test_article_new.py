"""Editors add articles in the browser: pasted text or a saved page, cleaned as on import."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
PASTED = (
    "The harbour board approved a 14 million crown dredging plan on Tuesday.\n"
    "- Advertisement -\n"
    "Work is due to start in June and last eight months.\n"
    "Share this article\n"
)


def csrf_client(user: User) -> tuple[Client, str]:
    """A client that enforces CSRF, with the token its form page handed out."""
    client = client_for(user)
    assert client.get("/articles/new/").status_code == 200
    return client, client.cookies["csrftoken"].value


def post(client: Client, token: str, **fields: object) -> object:
    return client.post("/articles/new/", {"csrfmiddlewaretoken": token, **fields})


def test_pasted_text_becomes_an_article_without_its_boilerplate(editor: User) -> None:
    client, token = csrf_client(editor)
    # when
    response = post(
        client,
        token,
        title="Harbour dredging approved",
        text=PASTED,
        url="https://harbour.example/dredging",
        outlet="Harbour Gazette",
        published_at="2026-03-03T10:30",
    )
    # then
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.pk}/"
    assert (article.title, article.url, article.outlet.name, article.published_at.isoformat()) == (
        "Harbour dredging approved",
        "https://harbour.example/dredging",
        "Harbour Gazette",
        "2026-03-03T10:30:00+00:00",
    )
    assert article.current_revision.text == (
        "The harbour board approved a 14 million crown dredging plan on Tuesday.\n\n"
        "Work is due to start in June and last eight months."
    )
    assert article.created_by == editor
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == [
        "Article added. 2 boilerplate lines dropped. Select a statement to turn it into a claim."
    ]


def test_a_saved_web_page_gives_title_outlet_byline_and_date(editor: User) -> None:
    client, token = csrf_client(editor)
    upload = SimpleUploadedFile("night-buses.html", (DATA / "article.html").read_bytes(), "text/html")
    response = post(client, token, file=upload)
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.outlet.name, article.byline, article.published_at.isoformat()) == (
        (DATA / "article.expected_title.txt").read_text().strip(),
        "The Coastline Courier",
        "Hana Okoro",
        "2026-02-03T00:00:00+00:00",
    )
    assert "cookies" not in article.current_revision.text


def test_the_same_article_twice_is_not_added_again(editor: User) -> None:
    client, token = csrf_client(editor)
    post(client, token, title="Harbour dredging approved", text=PASTED)
    # when the same text comes again under another title
    response = post(client, token, title="Dredging plan passes", text=PASTED)
    # then
    assert Article.objects.count() == 1
    assert response["Location"] == f"/articles/{Article.objects.get().pk}/"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": PASTED}, "A title is required (it is read from the page when you upload one)."),
        (
            {"title": "Empty"},
            "Paste the article text, choose a saved web page (.html), PDF or text file, "
            "or give only its URL to fetch it.",
        ),
        (
            {"title": "Bad link", "text": PASTED, "url": "ftp://harbour.example/x"},
            "'ftp://harbour.example/x' is not an http(s) URL.",
        ),
    ],
)
def test_a_form_that_cannot_make_an_article_says_why(
    editor: User, fields: dict[str, str], message: str
) -> None:
    client, token = csrf_client(editor)
    response = post(client, token, **fields)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert Article.objects.count() == 0


def test_an_upload_that_is_not_utf8_text_is_refused_with_a_message(editor: User) -> None:
    client, token = csrf_client(editor)
    upload = SimpleUploadedFile("scan.txt", "Caf\xe9 owners protest\n\nRents rose.".encode("latin-1"))
    response = post(client, token, file=upload)
    assert response.status_code == 400
    assert "scan.txt is not UTF-8 text: save it as UTF-8 and try again." in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.parametrize("persona", ["anonymous", "reader", "annotator"], indirect=True)
def test_only_editors_may_add_articles(persona: User | None, editor: User) -> None:
    client = client_for(persona)
    _, token = csrf_client(editor)
    client.cookies["csrftoken"] = token
    response = client.post("/articles/new/", {"csrfmiddlewaretoken": token, "title": "X", "text": PASTED})
    assert response.status_code == (302 if persona is None else 403)
    if persona is None:
        assert response["Location"].startswith("/accounts/login/")
    assert Article.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(editor: User) -> None:
    response = client_for(editor).post("/articles/new/", {"title": "X", "text": PASTED})
    assert response.status_code == 403
    assert Article.objects.count() == 0
