"""Triage on arrival: a new revision is split into sentences, matched against the stored claims and
scored for check-worthiness; the run is stored once, survives redelivery, and is redone on a new
revision; people's dismissals stay dismissed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from annotations.services import article_revise
from claims.models import (
    Claim,
    ClaimStatus,
    Source,
    SourceKind,
    TriageDismissal,
    TriageRun,
    TriageSentence,
    TriageState,
)
from claims.selectors.triage import article_triage
from claims.services.triage import (
    triage_repeat_accept,
    triage_run,
    triage_suggestion_dismiss,
    triage_suggestion_restore,
    triage_sweep,
)
from tests import factories
from tests.api.support import run_checks
from tests.conftest import client_for

DISPUTED = "The Velmora dam released 40 million cubic metres of water on Tuesday night."
CORROBORATED = "The regional council approved a budget of 12 million euros for flood defences."
UNREVIEWED = "Ferries between Ostrava Bay and the islands were cancelled for three days."
ARTICLE = (
    "Floods again\n"
    "The Velmora dam let out 40 million cubic metres of water on Tuesday night, officials said. "
    "Residents gathered on the square. "
    "According to the municipality, more than 3,000 homes lost power, the highest number since 1998.\n"
    "It rained."
)


def _reviewed_claims(user: User) -> dict[str, Claim]:
    claims = {
        "disputed": factories.claim(text=DISPUTED, user=user, status=ClaimStatus.DISPUTED),
        "corroborated": factories.claim(text=CORROBORATED, user=user, status=ClaimStatus.CORROBORATED),
        "unreviewed": factories.claim(text=UNREVIEWED, user=user),
    }
    run_checks(*claims.values())
    return claims


def _run_for(article: Any) -> TriageRun:
    return TriageRun.objects.get(revision=article.current_revision)


def _sentence(article: Any, starts_with: str) -> dict[str, Any]:
    text = article.current_revision.text
    return next(
        s for s in article_triage(article=article).sentences if text[s["start"] :].startswith(starts_with)
    )


@pytest.mark.django_db
def test_a_new_article_is_triaged_once_and_a_redelivery_changes_nothing(editor: User) -> None:
    # given reviewed claims and a new article that repeats one of them
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor)
    run = _run_for(article)
    assert run.state == TriageState.PENDING
    # when the worker runs it, then the message is delivered again
    first = triage_run(run_id=run.pk)
    stored = list(TriageSentence.objects.filter(run=run).values_list("pk", "start", "end", "repeats"))
    second = triage_run(run_id=run.pk)
    # then
    assert (first, second) == ("done", "skipped")
    assert list(TriageSentence.objects.filter(run=run).values_list("pk", "start", "end", "repeats")) == stored
    triage = article_triage(article=article)
    text = article.current_revision.text
    assert triage.state == "done"
    assert [text[s["start"] : s["end"]] for s in triage.sentences] == [
        "Floods again",
        "The Velmora dam let out 40 million cubic metres of water on Tuesday night, officials said.",
        "Residents gathered on the square.",
        "According to the municipality, more than 3,000 homes lost power, the highest number since 1998.",
        "It rained.",
    ]
    dam = _sentence(article, "The Velmora dam")
    assert [(r["claim"], r["relation"], r["status"]) for r in dam["repeats"]] == [
        (claims["disputed"].pk, "duplicate", "disputed")
    ]
    # five sentences leave room for one mark (30 %): the attributed figure with a superlative
    assert [s["marked"] for s in triage.sentences] == [False, False, False, True, False]
    power = _sentence(article, "According to")
    assert (power["speaker"], power["repeats"], power["worthiness"] > 0.5) == ("the municipality", [], True)


@pytest.mark.django_db
def test_a_dismissed_repeat_and_mark_stay_dismissed_on_redelivery_and_on_a_new_revision(editor: User) -> None:
    # given a triaged article whose repeat and mark an annotator dismissed
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor)
    triage_run(run_id=_run_for(article).pk)
    dam, power = _sentence(article, "The Velmora dam"), _sentence(article, "According to")
    assert triage_suggestion_dismiss(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk, user=editor
    )
    assert triage_suggestion_dismiss(
        article=article, start=power["start"], end=power["end"], claim_id=None, user=editor
    )
    # when the same dismissal comes twice, and a new revision keeps both sentences
    again = triage_suggestion_dismiss(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk, user=editor
    )
    revision = article_revise(article=article, text="Update: water is receding.\n" + ARTICLE, user=editor)
    assert revision is not None
    article.refresh_from_db()
    new_run = _run_for(article)
    assert article_triage(article=article).state == "pending"
    triage_run(run_id=new_run.pk)
    # then nothing comes back, and the stored repeat itself is not there either
    assert again is False
    assert TriageDismissal.objects.filter(article=article).count() == 2
    assert (
        _sentence(article, "The Velmora dam")["repeats"],
        _sentence(article, "According to")["marked"],
    ) == (
        [],
        False,
    )
    assert (
        TriageSentence.objects.get(run=new_run, start=_sentence(article, "The Velmora dam")["start"]).repeats
        == []
    )
    # and the old revision's sentences are gone: only the current one is shown
    assert set(TriageSentence.objects.values_list("run_id", flat=True)) == {new_run.pk}


@pytest.mark.django_db
def test_a_dismissal_can_be_undone(editor: User) -> None:
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor)
    triage_run(run_id=_run_for(article).pk)
    dam = _sentence(article, "The Velmora dam")
    triage_suggestion_dismiss(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk, user=editor
    )
    assert _sentence(article, "The Velmora dam")["repeats"] == []
    # when
    restored = triage_suggestion_restore(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk
    )
    # then
    assert restored is True
    assert [r["claim"] for r in _sentence(article, "The Velmora dam")["repeats"]] == [claims["disputed"].pk]


@pytest.mark.django_db
def test_accepting_a_repeat_adds_a_highlight_and_an_appearance_of_the_existing_claim(
    editor: User, annotator: User
) -> None:
    # given
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor, outlet="Velmora Post")
    triage_run(run_id=_run_for(article).pk)
    dam = _sentence(article, "The Velmora dam")
    claim_count = Claim.objects.count()
    # when
    source = triage_repeat_accept(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk, user=annotator
    )
    # then: no new claim, a new appearance with the sentence as its highlight
    assert Claim.objects.count() == claim_count
    assert (
        source.claim_id,
        source.kind,
        source.article_id,
        source.outlet.name if source.outlet else None,
    ) == (
        claims["disputed"].pk,
        SourceKind.APPEARANCE,
        article.pk,
        "Velmora Post",
    )
    assert source.annotation is not None
    assert (source.annotation.start, source.annotation.end) == (dam["start"], dam["end"])
    assert claims["disputed"].events.filter(action="appearance_added").count() == 1
    # and the repeat is no longer offered, and cannot be accepted twice
    assert _sentence(article, "The Velmora dam")["repeats"] == []
    with pytest.raises(ValidationError, match="already recorded"):
        triage_repeat_accept(
            article=article,
            start=dam["start"],
            end=dam["end"],
            claim_id=claims["disputed"].pk,
            user=annotator,
        )
    assert Source.objects.filter(claim=claims["disputed"], kind=SourceKind.APPEARANCE).count() == 1


@pytest.mark.django_db
def test_accepting_a_span_that_is_not_a_triaged_sentence_is_refused(editor: User) -> None:
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor)
    triage_run(run_id=_run_for(article).pk)
    with pytest.raises(ValidationError, match="No triaged sentence spans 3-9"):
        triage_repeat_accept(article=article, start=3, end=9, claim_id=claims["disputed"].pk, user=editor)
    assert Source.objects.filter(article=article).count() == 0


@pytest.mark.django_db
def test_a_run_held_by_a_live_worker_is_not_taken_and_one_whose_lease_ran_out_is(editor: User) -> None:
    article = factories.article(text=ARTICLE, user=editor)
    run = _run_for(article)
    TriageRun.objects.filter(pk=run.pk).update(
        state=TriageState.RUNNING, lease_owner="w1:1:live", lease_until=timezone.now() + timedelta(minutes=1)
    )
    assert triage_run(run_id=run.pk) == "skipped"
    TriageRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert triage_run(run_id=run.pk) == "done"
    run.refresh_from_db()
    assert (run.state, run.lease_owner, run.attempts) == (TriageState.DONE, "", 1)
    assert set(run.timings) == {"split", "worthiness", "match", "store", "total"}


@pytest.mark.django_db
def test_a_failed_run_is_marked_failed_and_the_sweeper_sends_it_again(
    editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a run whose matching fails
    article = factories.article(text=ARTICLE, user=editor)
    run = _run_for(article)

    def broken(**_: Any) -> list[Any]:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("claims.services.triage.claims_match_many", broken)
    with pytest.raises(RuntimeError):
        triage_run(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, "index unavailable" in run.error) == (TriageState.FAILED, True)
    assert article_triage(article=article).state == "failed"
    # when the sweeper passes after the retry delay, with the index back
    monkeypatch.undo()
    TriageRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - timedelta(minutes=1))
    sent = triage_sweep()
    # then (embedded mode: sending runs the task in-process)
    run.refresh_from_db()
    assert (sent, run.state) == (1, TriageState.DONE)


@pytest.mark.django_db
def test_the_sweeper_backfills_articles_without_a_run(editor: User) -> None:
    article = factories.article(text=ARTICLE, user=editor)
    TriageRun.objects.all().delete()
    assert article_triage(article=article).state == "pending"
    assert triage_sweep() == 1
    assert article_triage(article=article).state == "done"


@pytest.mark.django_db
def test_the_dashboard_counts_reviewed_claims_repeated_this_week_by_outlet(
    editor: User, annotator: User
) -> None:
    claims = _reviewed_claims(editor)
    article = factories.article(text=ARTICLE, user=editor, outlet="Velmora Post")
    triage_run(run_id=_run_for(article).pk)
    dam = _sentence(article, "The Velmora dam")
    triage_repeat_accept(
        article=article, start=dam["start"], end=dam["end"], claim_id=claims["disputed"].pk, user=annotator
    )
    # an unreviewed claim highlighted in another outlet is not a repeat of a reviewed claim
    other = factories.article(text=UNREVIEWED, user=editor, outlet="Ostrava Times")
    factories.highlight(article=other, exact="Ferries between Ostrava Bay", user=annotator)
    page = client_for(editor).get("/dashboard/")
    rows = page.context["repeated"]
    assert rows == [{"outlet": "Velmora Post", "claims": 1}]
    assert b"Reviewed claims repeated this week" in page.content
    # and the claim page lists the new appearance with its outlet
    claim_page = client_for(editor).get(f"/claims/{claims['disputed'].pk}/")
    assert b"Velmora Post" in claim_page.content


LONGER = (
    "Dam report\n"
    "Engineers said the Velmora dam released 40 million cubic metres of water on Tuesday night, "
    "flooding the lower town and forcing some 200 families to leave their homes before dawn. "
    "Engineers said the Velmora dam released 25 million cubic metres of water on Tuesday night, "
    "flooding the lower town and forcing some 200 families to leave their homes before dawn."
)


@pytest.mark.django_db
def test_a_sentence_that_makes_a_claim_among_other_things_repeats_it_but_not_with_another_figure(
    editor: User,
) -> None:
    # given a disputed claim, and an article whose sentences make it inside a longer report: once
    # with the claim's figure and once with another
    claims = _reviewed_claims(editor)
    article = factories.article(text=LONGER, user=editor)
    # when triage runs
    triage_run(run_id=_run_for(article).pk)
    # then the sentence with the claim's figure repeats it ("contains": it says more), the other not
    same = _sentence(article, "Engineers said the Velmora dam released 40")
    other = _sentence(article, "Engineers said the Velmora dam released 25")
    assert [(r["claim"], r["relation"], r["status"]) for r in same["repeats"]] == [
        (claims["disputed"].pk, "contains", "disputed")
    ]
    assert other["repeats"] == []
