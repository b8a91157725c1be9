"""Every way an article arrives or changes triggers triage: the browser form, the API, an import
(new and revised), an edit of the text, and the demo loader. The run is written with the revision
and sent to a worker after commit (embedded mode: run in-process)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article
from claims.models import ClaimStatus, TriageRun, TriageState
from claims.selectors.triage import article_triage
from tests.claims.test_article_new import csrf_client
from tests.conftest import api_client_for

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
TEXT = "The harbour board approved a 14 million crown dredging plan on Tuesday, its chair said."


def _runs(article: Article) -> list[tuple[int, str]]:
    return list(
        TriageRun.objects.filter(article=article).order_by("id").values_list("revision__number", "state")
    )


@pytest.mark.django_db
def test_an_article_added_in_the_browser_is_triaged(
    editor: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client, token = csrf_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/articles/new/", {"csrfmiddlewaretoken": token, "title": "Dredging", "text": TEXT}
        )
    assert response.status_code == 302
    assert _runs(Article.objects.get()) == [(1, TriageState.DONE)]


@pytest.mark.django_db
def test_an_article_posted_to_the_api_is_triaged(
    editor: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(editor).post(
            "/api/v1/articles/", {"title": "Dredging", "text": TEXT}, format="json"
        )
    assert response.status_code == 201
    assert _runs(Article.objects.get()) == [(1, TriageState.DONE)]


@pytest.mark.django_db
def test_imported_articles_are_triaged_and_a_revised_import_is_triaged_again(
    tmp_path: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    page = tmp_path / "dredging.txt"
    page.write_text(f"Dredging plan approved\n\n{TEXT}\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(DATA / "articles.jsonl"), str(page), "--no-progress", stdout=None)
    assert Article.objects.count() >= 2
    assert all(_runs(article) == [(1, TriageState.DONE)] for article in Article.objects.all())


@pytest.mark.django_db
def test_a_new_revision_is_triaged_and_an_unchanged_text_is_not(
    editor: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client, token = csrf_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/articles/new/", {"csrfmiddlewaretoken": token, "title": "Dredging", "text": TEXT})
    article = Article.objects.get()
    edited = {"csrfmiddlewaretoken": token, "text": TEXT + " Work starts in June."}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/articles/{article.pk}/edit/", {**edited, "base_revision": "1"})
        client.post(f"/articles/{article.pk}/edit/", {**edited, "base_revision": "2"})
    assert _runs(article) == [(1, TriageState.DONE), (2, TriageState.DONE)]


@pytest.mark.django_db
def test_turned_off_nothing_is_recorded(editor: User, settings: Any) -> None:
    settings.TRIAGE_ON_ARRIVAL = False
    client, token = csrf_client(editor)
    response = client.post(
        "/articles/new/", {"csrfmiddlewaretoken": token, "title": "Dredging", "text": TEXT}
    )
    assert response.status_code == 302
    assert TriageRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_an_article_that_repeats_reviewed_claims_and_carries_marks() -> None:
    # Transactional: the demo's commits run their on-commit work (checks, triage) as they would.
    call_command("load_demo", "--quiet", "--force")
    arrival = Article.objects.get(url__contains="velsundevening.example")
    triage = article_triage(article=arrival)
    assert arrival.current_revision is not None
    text = arrival.current_revision.text
    repeated = {
        (text[sentence["start"] : sentence["end"]].split(",")[0], repeat["text"], repeat["status"])
        for sentence in triage.sentences
        for repeat in sentence["repeats"]
    }
    assert triage.state == "done"
    # The disputed crowd and arrests claims are repeated, and so is the Senate vote (unreliable),
    # near-verbatim with "a government spokesman told reporters" added: the calibrated step never
    # vetoes a pair that differs only in who is quoted.
    assert {status for _, _, status in repeated} >= {ClaimStatus.DISPUTED, ClaimStatus.UNRELIABLE}
    assert (
        "Kelvara's Senate approved the pension reform bill by 42 votes to 39 on 19 March",
        "Kelvara's Senate approved the pension reform bill by 42 votes to 39 on 19 March 2026.",
        ClaimStatus.UNRELIABLE,
    ) in repeated
    assert any(sentence["marked"] for sentence in triage.sentences)
