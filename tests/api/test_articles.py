from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from annotations.models import Annotation
from articles.models import Article
from claims.models import TriageRun, TriageState
from tests.api.support import iso
from tests.conftest import api_client_for
from tests.newsroom import BRIDGE, Newsroom, db_snapshot

CREATE = {
    "title": "  Ferry  timetable changes ",
    "text": "The ferry now runs hourly.\r\n\r\n\r\nTickets  cost\u00a04 euros. ",
    "url": "https://harbourgazette.example/2024/06/ferry",
    "outlet": "Harbour Gazette",
    "published_at": "2024-06-01T07:30:00+02:00",
    "byline": "Sam Rivera",
}


@pytest.mark.django_db
def test_an_editor_creates_an_article_and_gets_its_canonical_text(editor: User) -> None:
    # when
    response = api_client_for(editor).post("/api/v1/articles/", CREATE, format="json")
    # then
    article = Article.objects.get()
    assert response.status_code == 201
    assert response["Location"] == f"/api/v1/articles/{article.pk}/"
    assert response.json() == {
        "id": article.pk,
        "title": "Ferry timetable changes",
        "url": "https://harbourgazette.example/2024/06/ferry",
        "outlet": "Harbour Gazette",
        "byline": "Sam Rivera",
        "published_at": "2024-06-01T05:30:00Z",
        "revision": 1,
        "text": "The ferry now runs hourly.\n\nTickets cost 4 euros.",
        "created_at": iso(article.created_at),
        "updated_at": iso(article.updated_at),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"title": " "}, {"title": ["A title is required."]}),
        ({"text": "  \n "}, {"text": ["The article text is empty."]}),
        ({"url": "ftp://example.org/x"}, {"url": ["'ftp://example.org/x' is not an http(s) URL."]}),
        ({"published_at": "yesterday"}, {"published_at": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ]}),
        ({"colour": "red"}, {"colour": [
            "Unknown field. This endpoint accepts: title, text, url, outlet, published_at, byline."
        ]}),
        ({"outlet": "x" * 201}, {"outlet": ["Ensure this field has no more than 200 characters."]}),
    ],
    ids=["blank title", "blank text", "ftp url", "bad date", "unknown field", "long outlet"],
)  # fmt: skip
def test_bad_article_input_is_a_400_naming_the_field(
    editor: User, change: dict[str, Any], errors: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post("/api/v1/articles/", {**CREATE, **change}, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_second_article_with_the_same_url_is_refused(editor: User) -> None:
    client = api_client_for(editor)
    client.post("/api/v1/articles/", CREATE, format="json")
    response = client.post("/api/v1/articles/", CREATE, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "url": ["An article with the URL https://harbourgazette.example/2024/06/ferry already exists."]
    }


@pytest.mark.django_db
def test_article_text_over_the_limit_names_the_limit(editor: User, settings: Any) -> None:
    settings.ARTICLE_MAX_CHARS = 10
    response = api_client_for(editor).post("/api/v1/articles/", CREATE, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "text": [
            "The article text has 49 characters; the limit is 10. Split it into parts or ask an admin to "
            "raise CORROBORATE_ARTICLE_MAX_CHARS."
        ]
    }


@pytest.mark.django_db
def test_article_detail_answers_if_none_match_with_304(reader: User, newsroom: Newsroom) -> None:
    client = api_client_for(reader)
    path = f"/api/v1/articles/{newsroom.article.pk}/"
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert first.status_code == 200
    assert first.json()["text"] == newsroom.article.current_revision.text  # type: ignore[union-attr]
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_missing_article_is_a_404_with_a_message(reader: User) -> None:
    response = api_client_for(reader).get("/api/v1/articles/999999/")
    assert (response.status_code, response.json()) == (404, {"detail": "No article 999999."})


@pytest.mark.django_db
def test_articles_list_pages_through_every_article_once_without_text(editor: User) -> None:
    client = api_client_for(editor)
    ids = [
        client.post(
            "/api/v1/articles/", {"title": f"Article {n}", "text": f"Body {n}."}, format="json"
        ).json()["id"]
        for n in range(5)
    ]
    seen: list[int] = []
    url: str | None = "/api/v1/articles/?page_size=2"
    pages = 0
    while url:
        page = client.get(url).json()
        assert all("text" not in row for row in page["results"])
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
        pages += 1
    assert (seen, pages) == (ids, 3)


@pytest.mark.django_db
def test_revising_an_article_makes_a_new_revision_and_queues_reanchoring(
    editor: User, newsroom: Newsroom, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    client = api_client_for(editor)
    new_text = "Late on Sunday night, officials said " + BRIDGE + "."
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/api/v1/articles/{newsroom.article.pk}/revisions/", {"text": new_text}, format="json"
        )
    # then
    article = Article.objects.select_related("current_revision").get(pk=newsroom.article.pk)
    assert response.status_code == 201
    assert response.json() == {
        "article": article.pk,
        "revision": 2,
        "changed": True,
        "text": new_text,
        "created_at": iso(article.current_revision.created_at),  # type: ignore[union-attr]
        "detail": "Revision 2 is now current; highlights are being re-anchored.",
    }
    # re-anchoring, and the triage of the new revision
    assert len(callbacks) == 2
    assert TriageRun.objects.get(revision=article.current_revision).state == TriageState.DONE
    annotation = Annotation.objects.get(article=newsroom.article)
    assert (annotation.checked_revision_id, annotation.start) == (
        article.current_revision_id,
        new_text.index(BRIDGE),
    )


@pytest.mark.django_db
def test_revising_with_the_same_text_changes_nothing(
    editor: User, newsroom: Newsroom, django_capture_on_commit_callbacks: Any
) -> None:
    before = db_snapshot()
    same = newsroom.article.current_revision.text.replace(" ", "  ")  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_client_for(editor).post(
            f"/api/v1/articles/{newsroom.article.pk}/revisions/", {"text": same}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["changed"] is False
    assert response.json()["detail"] == "The text is unchanged once normalised: revision 1 stays current."
    assert (callbacks, db_snapshot()) == ([], before)


@pytest.mark.django_db
def test_revising_a_missing_article_is_a_404(editor: User) -> None:
    response = api_client_for(editor).post("/api/v1/articles/424242/revisions/", {"text": "x"}, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No article 424242."})
