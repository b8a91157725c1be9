"""The reader's pages as the server renders them: access, counts, the data island, and text edits."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from annotations.models import AnchorState, Annotation
from annotations.services import article_revise
from articles.models import ArticleRevision
from claims.models import Claim, ClaimStatus, Finding, FindingKind, FindingState
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TEXT = (
    "The regional ferry 🚢 company said on Monday that fares would rise by 8 percent in April.\n\n"
    "Passenger groups said the increase was the third in two years."
)
DATA_ISLAND = re.compile(r'<script id="reader-data" type="application/json">(.*?)</script>', re.S)


def island(content: bytes) -> dict[str, Any]:
    found = DATA_ISLAND.search(content.decode())
    assert found is not None, "the reader page has no data island"
    payload: dict[str, Any] = json.loads(found.group(1))
    return payload


@pytest.mark.parametrize(
    "path",
    [
        "/articles/",
        "/articles/{id}/",
        "/articles/{id}/reader.json",
        "/articles/{id}/edit/",
        "/articles/{id}/revisions/1/",
        "/articles/{id}/revisions/1/text",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(path: str) -> None:
    article = factories.article(text=TEXT)
    url = path.format(id=article.pk)
    response = client_for(None).get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


def test_article_list_shows_outlet_date_and_claim_counts_by_status(reader: User, annotator: User) -> None:
    # given
    ferry = factories.article(text=TEXT, title="Ferry fares to rise", outlet="Coast Courier")
    other = factories.article(text="Officials said the bridge reopened on Monday.", title="Bridge reopens")
    factories.highlight(article=ferry, exact="fares would rise by 8 percent in April", user=annotator)
    factories.highlight(
        article=ferry, exact="the third in two years", user=annotator, status=ClaimStatus.DISPUTED
    )
    # when
    response = client_for(reader).get("/articles/")
    # then
    assert response.status_code == 200
    rows = {
        article.title: (
            article.outlet.name,
            article.claim_count,
            article.corroborated_count,
            article.disputed_count,
            article.unreliable_count,
        )
        for article in response.context["page"]
    }
    assert rows == {
        "Ferry fares to rise": ("Coast Courier", 2, 0, 1, 0),
        "Bridge reopens": ("Harbour Gazette", 0, 0, 0, 0),
    }
    assert f'href="/articles/{ferry.pk}/"'.encode() in response.content
    assert f'href="/articles/{other.pk}/"'.encode() in response.content


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("ferry", ["Ferry fares to rise"]),
        ("courier", ["Ferry fares to rise"]),
        ("third years", ["Ferry fares to rise"]),
        ("bridge", ["Bridge reopens"]),
        ("ferry bridge", []),
        ("", ["Bridge reopens", "Ferry fares to rise"]),
    ],
)
def test_article_list_search_matches_title_outlet_and_text(
    reader: User, query: str, titles: list[str]
) -> None:
    factories.article(text=TEXT, title="Ferry fares to rise", outlet="Coast Courier")
    factories.article(text="Officials said the bridge reopened on Monday.", title="Bridge reopens")
    response = client_for(reader).get("/articles/", {"q": query})
    assert sorted(article.title for article in response.context["page"]) == titles


def test_reader_data_island_has_code_point_offsets_claims_and_findings(reader: User, annotator: User) -> None:
    # given
    article = factories.article(text=TEXT, title="Ferry fares to rise")
    fares = factories.highlight(
        article=article, exact="fares would rise by 8 percent", user=annotator, speaker="Ferry company"
    )
    third = factories.highlight(article=article, exact="the third in two years", user=annotator)
    Finding.objects.all().delete()
    Finding.objects.create(
        claim_low=fares,
        claim_high=third,
        kind=FindingKind.CONTRADICTION,
        score=0.9,
        explanation="test",
        detector_version="test",
    )
    Finding.objects.create(
        claim_low=fares,
        claim_high=factories.claim(text="Ferry fares will fall in April."),
        kind=FindingKind.DUPLICATE,
        score=0.9,
        explanation="test",
        detector_version="test",
        state=FindingState.REJECTED,
    )
    text = article.current_revision.text
    # when
    response = client_for(reader).get(f"/articles/{article.pk}/")
    payload = island(response.content)
    # then: offsets are code points (the ship emoji counts once)
    start = text.index("fares would rise")
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 1  # the browser counts one more
    assert payload["highlights"][0] == {
        "annotation": Annotation.objects.get(source__claim=fares).pk,
        "claim": fares.pk,
        "start": start,
        "end": start + len("fares would rise by 8 percent"),
        "state": "exact",
        "score": 1.0,
    }
    assert payload["claims"][str(fares.pk)] == {
        "id": fares.pk,
        "text": "fares would rise by 8 percent",
        "speaker": "Ferry company",
        "status": "unreviewed",
        "check_status": Claim.objects.get(pk=fares.pk).check_status,
        "findings": {"total": 1, "contradictions": 1, "duplicates": 0},
    }
    assert payload["revision"]["text"] == text
    assert (payload["orphans"], payload["pending"], payload["speakers"]) == ([], [], ["Ferry company"])
    assert payload["can_annotate"] is False
    assert payload["urls"]["claims"] == "/api/v1/claims/"
    # and the polling endpoint answers with the same payload
    assert client_for(reader).get(f"/articles/{article.pk}/reader.json").json() == payload


@pytest.mark.parametrize(
    ("persona", "popover", "edit_link"),
    [("reader", False, False), ("annotator", True, False), ("editor", True, True), ("admin", True, True)],
    indirect=["persona"],
)
def test_only_annotators_get_the_claim_popover_and_only_editors_edit_text(
    persona: User, popover: bool, edit_link: bool
) -> None:
    article = factories.article(text=TEXT)
    response = client_for(persona).get(f"/articles/{article.pk}/")
    assert response.status_code == 200
    assert (b'id="claim-popover"' in response.content) is popover
    assert (b'id="claim-dialog"' in response.content) is popover
    assert island(response.content)["can_annotate"] is popover
    assert (f'href="/articles/{article.pk}/edit/"'.encode() in response.content) is edit_link


def test_markup_in_article_text_is_escaped_in_the_page_and_the_data_island(reader: User) -> None:
    hostile = 'Officials said </script><script>alert(1)</script> and <img src=x onerror="alert(2)"> appeared.'
    article = factories.article(text=hostile, title="<b>Bold</b> title")
    response = client_for(reader).get(f"/articles/{article.pk}/")
    assert b"<script>alert(1)" not in response.content
    assert b"<img src=x" not in response.content
    assert b"<b>Bold</b>" not in response.content
    assert b"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in response.content
    assert b"&lt;b&gt;Bold&lt;/b&gt; title</h1>" in response.content
    assert island(response.content)["revision"]["text"] == hostile


def test_an_unknown_article_is_a_404(reader: User) -> None:
    assert client_for(reader).get("/articles/999999/").status_code == 404


def test_an_editor_saves_new_text_and_highlights_are_reanchored(
    editor: User, annotator: User, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    article = factories.article(text=TEXT, title="Ferry fares to rise")
    kept = factories.highlight(article=article, exact="The regional ferry 🚢 company", user=annotator)
    gone = factories.highlight(article=article, exact="the third in two years", user=annotator)
    new_text = (
        "The regional ferry 🚢 company said on Monday that fares would rise by 8 percent in April.\n\n"
        "Passenger groups did not comment."
    )
    client = client_for(editor)
    form = client.get(f"/articles/{article.pk}/edit/")
    csrf = form.context["csrf_token"]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/articles/{article.pk}/edit/",
            {"text": new_text, "base_revision": "1", "csrfmiddlewaretoken": str(csrf)},
        )
    # then
    assert (response.status_code, response["Location"]) == (302, f"/articles/{article.pk}/")
    article.refresh_from_db()
    assert (article.current_revision.number, article.current_revision.text) == (2, new_text)
    assert article.current_revision.created_by == editor
    states = dict(Annotation.objects.values_list("source__claim", "anchor_state"))
    assert states == {kept.pk: AnchorState.EXACT, gone.pk: AnchorState.ORPHAN}
    payload = island(client.get(f"/articles/{article.pk}/").content)
    assert payload["revision"]["number"] == 2
    assert [h["claim"] for h in payload["highlights"]] == [kept.pk]
    assert [(o["claim"], o["revision"], o["exact"]) for o in payload["orphans"]] == [
        (gone.pk, 1, "the third in two years")
    ]


def test_the_edit_page_shows_markup_in_the_text_as_text(editor: User) -> None:
    article = factories.article(text="A reader wrote </textarea><script>alert(1)</script> in a comment.")
    response = client_for(editor).get(f"/articles/{article.pk}/edit/")
    assert b"</textarea><script>" not in response.content
    assert b"&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


@pytest.mark.parametrize("persona", ["reader", "annotator"], indirect=True)
def test_readers_and_annotators_cannot_edit_the_text(persona: User) -> None:
    article = factories.article(text=TEXT)
    client = client_for(persona)
    client.get(f"/articles/{article.pk}/")  # sets the CSRF cookie
    assert client.get(f"/articles/{article.pk}/edit/").status_code == 403
    response = client.post(
        f"/articles/{article.pk}/edit/",
        {"text": "New text.", "base_revision": "1", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 403
    assert ArticleRevision.objects.filter(article=article).count() == 1


@pytest.mark.parametrize(
    ("text", "base", "message"),
    [
        ("Completely new text.", "0", "The text was changed by someone else while you edited it"),
        ("   ", "1", "The article text is empty."),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(
    editor: User, text: str, base: str, message: str
) -> None:
    article = factories.article(text=TEXT)
    client = client_for(editor)
    client.get(f"/articles/{article.pk}/edit/")
    response = client.post(
        f"/articles/{article.pk}/edit/",
        {"text": text, "base_revision": base, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_saving_unchanged_text_makes_no_revision(editor: User) -> None:
    article = factories.article(text=TEXT)
    client = client_for(editor)
    client.get(f"/articles/{article.pk}/edit/")
    response = client.post(
        f"/articles/{article.pk}/edit/",
        {"text": TEXT, "base_revision": "1", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        follow=True,
    )
    assert "The text is unchanged: no new revision was made." in response.content.decode()
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_revisions_are_listed_and_served_as_plain_text(reader: User, editor: User) -> None:
    article = factories.article(text=TEXT)
    article_revise(article=article, text=TEXT + "\n\nA spokesperson declined to comment.", user=editor)
    client = client_for(reader)
    page = client.get(f"/articles/{article.pk}/")
    assert "Revision 2 of 2" in page.content.decode()
    assert f'href="/articles/{article.pk}/revisions/1/"'.encode() in page.content
    old = client.get(f"/articles/{article.pk}/revisions/1/text")
    assert (old.status_code, old["Content-Type"], old.content.decode()) == (
        200,
        "text/plain; charset=utf-8",
        TEXT,
    )
    assert client.get(f"/articles/{article.pk}/revisions/1/").status_code == 200
    assert client.get(f"/articles/{article.pk}/revisions/3/text").status_code == 404


def test_highlights_not_yet_reanchored_are_reported_as_pending(
    reader: User, annotator: User, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    # given: a revision whose re-anchoring task has not run yet
    article = factories.article(text=TEXT)
    claim = factories.highlight(article=article, exact="the third in two years", user=annotator)
    with django_capture_on_commit_callbacks(execute=False):
        article_revise(article=article, text="Fares rise in April.\n\n" + TEXT, user=editor)
    # when
    payload = client_for(reader).get(f"/articles/{article.pk}/reader.json").json()
    # then: it is not drawn at its old offsets, which index the previous text
    assert (payload["highlights"], payload["orphans"]) == ([], [])
    assert [p["claim"] for p in payload["pending"]] == [claim.pk]
