"""A revision that would orphan most highlights asks for confirmation (``force``) instead of going
through, in the API and in the browser's "Edit text" form."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from annotations.models import AnchorState, Annotation
from annotations.services import RevisionImpact, article_revision_impact
from articles.models import Article, ArticleRevision
from tests import factories
from tests.conftest import api_client_for, client_for
from tests.newsroom import db_snapshot

TEXT = (
    "The ferry company said fares would rise by 8 percent in April.\n\n"
    "Passenger groups said the increase was the third in two years.\n\n"
    "The harbour master said the new pier would open in June."
)
QUOTES = (
    "fares would rise by 8 percent in April",
    "the increase was the third in two years",
    "the new pier would open in June",
)
# Keeps only the first paragraph: two of three highlights lose their passage.
MOST_GONE = "The ferry company said fares would rise by 8 percent in April."
# Drops only the last paragraph: one of three.
ONE_GONE = TEXT.rsplit("\n\n", 1)[0]


@pytest.fixture
def ferry(editor: User, annotator: User) -> Article:
    article = factories.article(text=TEXT, title="Ferry fares to rise", user=editor)
    for quote in QUOTES:
        factories.highlight(article=article, exact=quote, user=annotator)
    return article


def revise(user: User, article: Article, body: dict[str, Any]) -> Any:
    return api_client_for(user).post(f"/api/v1/articles/{article.pk}/revisions/", body, format="json")


@pytest.mark.django_db
def test_the_impact_counts_highlights_the_new_text_would_orphan(ferry: Article) -> None:
    assert article_revision_impact(article=ferry, text=MOST_GONE) == RevisionImpact(anchored=3, orphaned=2)
    assert article_revision_impact(article=ferry, text=ONE_GONE) == RevisionImpact(anchored=3, orphaned=1)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["0", MOST_GONE], ids=["a zero", "one paragraph of three"])
def test_a_revision_orphaning_most_highlights_is_refused_and_saves_nothing(
    editor: User, ferry: Article, text: str, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    before = db_snapshot()
    orphaned = 3 if text == "0" else 2
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = revise(editor, ferry, {"text": text})
    # then
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"This text would orphan {orphaned} of the article's 3 anchored highlights: their "
        "passages are not in it. Nothing was saved. Check that it is the whole article, or send it "
        'again with "force": true to save it anyway.',
        "anchored": 3,
        "orphaned": orphaned,
    }
    assert (db_snapshot(), callbacks) == (before, [])


@pytest.mark.django_db
def test_with_force_the_same_revision_goes_through(
    editor: User, ferry: Article, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = revise(editor, ferry, {"text": MOST_GONE, "force": True})
    assert (response.status_code, response.json()["revision"]) == (201, 2)
    states = sorted(Annotation.objects.filter(article=ferry).values_list("anchor_state", flat=True))
    assert states == [AnchorState.EXACT, AnchorState.ORPHAN, AnchorState.ORPHAN]


@pytest.mark.django_db
def test_a_revision_orphaning_a_minority_needs_no_confirmation(editor: User, ferry: Article) -> None:
    response = revise(editor, ferry, {"text": ONE_GONE})
    assert (response.status_code, response.json()["revision"]) == (201, 2)


@pytest.mark.django_db
def test_highlights_already_orphaned_do_not_count(editor: User, ferry: Article) -> None:
    # given: two of the three are orphans already; the third survives the new text
    Annotation.objects.filter(exact__in=QUOTES[1:]).update(anchor_state=AnchorState.ORPHAN)
    # when
    response = revise(editor, ferry, {"text": MOST_GONE + " Tickets go on sale in March."})
    # then
    assert response.status_code == 201


@pytest.mark.django_db
def test_the_edit_form_asks_to_confirm_and_saves_when_confirmed(editor: User, ferry: Article) -> None:
    client = client_for(editor)
    client.get(f"/articles/{ferry.pk}/edit/")
    form = {"text": MOST_GONE, "base_revision": "1", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    # when: saved without confirming
    refused = client.post(f"/articles/{ferry.pk}/edit/", form)
    # then
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "This text would orphan 2 of the article&#x27;s 3 anchored highlights: their passages are not in it. "
        "Nothing was saved. Check that it is the whole article, or tick “Save anyway” and save again."
    ) in page
    assert '<input type="checkbox" id="article-force" name="force" value="1" required>' in page
    assert "Save anyway: 2 of 3 highlights will be orphaned" in page
    assert ArticleRevision.objects.filter(article=ferry).count() == 1
    # when: confirmed
    saved = client.post(f"/articles/{ferry.pk}/edit/", {**form, "force": "1"})
    # then
    assert (saved.status_code, saved["Location"]) == (302, f"/articles/{ferry.pk}/")
    assert ArticleRevision.objects.filter(article=ferry).count() == 2
