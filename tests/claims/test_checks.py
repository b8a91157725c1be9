from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from claims.detection import DETECTOR_VERSION
from claims.models import (
    CheckRequest,
    CheckRequestState,
    CheckStatus,
    Claim,
    Finding,
    FindingKind,
    FindingState,
)
from claims.selectors.checks import claim_checks_due
from claims.services.claims import claim_update
from claims.services.dispatch import claim_checks_relay
from claims.services.outbox import claim_checks_reopen
from claims.services.pipeline import claim_checks_run, claim_checks_sweep
from tests import factories

EVACUATED_LOW = "About 3,000 residents of Velmora were evacuated after the floods."
EVACUATED_HIGH = "More than 11,000 Velmora residents were evacuated because of the floods."


@pytest.mark.django_db
def test_saving_a_claim_writes_its_check_request_in_the_same_transaction(editor: User) -> None:
    # when (on-commit callbacks are not run: the relay never happens)
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    # then the outbox row exists, pending, keyed by claim version and detector version
    assert list(
        CheckRequest.objects.values_list("claim_id", "claim_version", "detector_version", "state")
    ) == [(claim.pk, 1, DETECTOR_VERSION, CheckRequestState.PENDING)]
    assert claim.check_status == CheckStatus.PENDING


@pytest.mark.django_db
def test_after_commit_the_check_runs_and_findings_are_symmetric(
    editor: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.claim(text=EVACUATED_LOW, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    finding = Finding.objects.get()
    assert (finding.claim_low_id, finding.claim_high_id, finding.kind, finding.state) == (
        first.pk,
        second.pk,
        FindingKind.CONTRADICTION,
        FindingState.SUGGESTED,
    )
    assert (
        finding.explanation
        == 'Figures conflict: "About 3,000" residents evacuated vs "More than 11,000" residents evacuated'
        ' (same event "evacuate")'
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.open_contradictions, second.open_contradictions) == (1, 1)
    assert (first.check_status, second.check_status) == (CheckStatus.DONE, CheckStatus.DONE)
    assert set(CheckRequest.objects.values_list("state", flat=True)) == {CheckRequestState.DONE}


@pytest.mark.django_db
def test_running_a_check_twice_changes_nothing(editor: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    before = list(
        Finding.objects.values_list("id", "claim_low_id", "claim_high_id", "kind", "score", "state")
    )
    # when the task is redelivered after it completed
    outcome = claim_checks_run(claim_id=second.pk)
    # then
    assert outcome == "skipped"
    assert (
        list(Finding.objects.values_list("id", "claim_low_id", "claim_high_id", "kind", "score", "state"))
        == before
    )
    # and a forced re-run reuses the same rows
    claim_checks_reopen(claim_ids=[second.pk])
    assert claim_checks_run(claim_id=second.pk) == "done"
    assert (
        list(Finding.objects.values_list("id", "claim_low_id", "claim_high_id", "kind", "score", "state"))
        == before
    )


@pytest.mark.django_db
def test_editing_the_text_supersedes_the_old_request_and_rechecks(
    editor: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    assert Finding.objects.count() == 1
    # when the second claim is corrected so that it agrees
    with django_capture_on_commit_callbacks(execute=True):
        claim_update(
            claim_id=second.pk,
            user=editor,
            expected_version=1,
            text="About 3,000 Velmora residents were evacuated because of the floods.",
        )
    # then the contradiction suggestion is gone and a duplicate is suggested or confirmed instead
    kinds = set(Finding.objects.values_list("kind", flat=True))
    assert FindingKind.CONTRADICTION not in kinds
    assert list(CheckRequest.objects.filter(claim=second).values_list("claim_version", "state")) == [
        (1, CheckRequestState.DONE),
        (2, CheckRequestState.DONE),
    ]
    first.refresh_from_db()
    assert first.open_contradictions == 0


@pytest.mark.django_db
def test_a_rejected_finding_stays_rejected_when_the_claim_is_checked_again(
    editor: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    Finding.objects.update(state=FindingState.REJECTED)
    claim_checks_reopen(claim_ids=[second.pk])
    claim_checks_run(claim_id=second.pk)
    assert list(Finding.objects.values_list("state", flat=True)) == [FindingState.REJECTED]


@pytest.mark.django_db
def test_sweeper_requeues_checks_lost_after_enqueue(editor: User) -> None:
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    long_ago = timezone.now() - timedelta(hours=1)
    CheckRequest.objects.update(state=CheckRequestState.ENQUEUED, updated_at=long_ago)
    # when
    requeued = claim_checks_sweep()
    # then (eager mode: the relay ran the check in-process)
    assert requeued == 2  # one reset to pending, one relayed
    claim.refresh_from_db()
    assert claim.check_status == CheckStatus.DONE


@pytest.mark.django_db
def test_relay_sends_each_pending_request_once(editor: User) -> None:
    factories.claim(text=EVACUATED_LOW, user=editor)
    factories.claim(text=EVACUATED_HIGH, user=editor)
    assert claim_checks_relay() == 2
    assert claim_checks_relay() == 0
    assert Claim.objects.filter(check_status=CheckStatus.DONE).count() == 2


@pytest.mark.django_db
def test_claim_checks_due_lists_failed_and_never_checked(editor: User) -> None:
    failed = factories.claim(text=EVACUATED_LOW, user=editor)
    never = factories.claim(text=EVACUATED_HIGH, user=editor)
    Claim.objects.filter(pk=failed.pk).update(check_status=CheckStatus.FAILED)
    assert claim_checks_due() == [failed.pk, never.pk]


@pytest.mark.django_db
def test_sweeper_repairs_a_claim_left_running_after_its_request_finished(editor: User) -> None:
    # given a check whose request was marked done but whose claim still says running
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    claim_checks_run(claim_id=claim.pk)
    Claim.objects.filter(pk=claim.pk).update(check_status=CheckStatus.RUNNING)
    # when
    claim_checks_sweep()
    # then the claim takes the finished request's state, and no second request is made
    claim.refresh_from_db()
    assert claim.check_status == CheckStatus.DONE
    assert list(CheckRequest.objects.values_list("state", flat=True)) == [CheckRequestState.DONE]


@pytest.mark.django_db
def test_sweeper_opens_a_request_for_a_pending_claim_that_has_none(editor: User) -> None:
    # given a pending claim whose request row is gone
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    CheckRequest.objects.all().delete()
    # when
    claim_checks_sweep()
    # then a request is opened and (in-process) the check runs
    claim.refresh_from_db()
    assert claim.check_status == CheckStatus.DONE
    assert list(CheckRequest.objects.values_list("claim_id", "state")) == [(claim.pk, CheckRequestState.DONE)]


# An archive whose first claim, reviewed, confirms duplicates of two later ones: both merge into
# it before their own checks, so neither may take part in a finding after; two pairs conflict.
BATCH_ARCHIVE = [
    ("More than 11,000 residents of Velmora were evacuated because of the floods.", "corroborated"),
    # The second and fourth are near-identical to the first (a filler word, a full stop apart), so
    # they merge automatically; reworded ("Velmora residents") they would only be suggested.
    ("More than 11,000 residents of Velmora were also evacuated because of the floods.", "unreviewed"),
    ("About 3,000 residents of Velmora were evacuated after the floods.", "unreviewed"),
    ("More than 11,000 residents of Velmora were evacuated because of the floods", "unreviewed"),
    ("The Velmora council approved the new flood barrier on Tuesday.", "unreviewed"),
    ("The Velmora council rejected the new flood barrier on Tuesday.", "disputed"),
]


def _archive_import() -> list[int]:
    from claims.services.archive import ArchiveLine, claims_import_archive

    lines = [
        ArchiveLine(text=text, external_id=f"batch-{position}", status=status)
        for position, (text, status) in enumerate(BATCH_ARCHIVE)
    ]
    return claims_import_archive(lines=lines, user=None).claim_ids


def _outcome(ids: list[int]) -> dict[str, object]:
    """What the checks left, with claims named by their position in the archive."""
    position = {claim_id: index for index, claim_id in enumerate(ids)}
    claims = {claim.pk: claim for claim in Claim.objects.filter(pk__in=ids)}
    return {
        "findings": sorted(
            (position[low], position[high], kind, state)
            for low, high, kind, state in Finding.objects.values_list(
                "claim_low_id", "claim_high_id", "kind", "state"
            )
        ),
        "merged_into": {
            position[pk]: position[claim.merged_into_id]
            for pk, claim in claims.items()
            if claim.merged_into_id is not None
        },
        "counters": [(claims[pk].open_contradictions, claims[pk].open_duplicates) for pk in ids],
        "check_status": [claims[pk].check_status for pk in ids],
    }


@pytest.mark.django_db
def test_a_batch_of_checks_ends_as_the_same_checks_run_one_after_the_other(
    django_capture_on_commit_callbacks,
) -> None:
    from claims.services.index import index_reset
    from claims.services.pipeline import claim_checks_run_batch

    # given the archive checked claim after claim, each check's follow-ups (re-checks of kept
    # claims) running after its commit
    with django_capture_on_commit_callbacks(execute=False):
        ids = _archive_import()
    for claim_id in ids:
        with django_capture_on_commit_callbacks(execute=True):
            claim_checks_run(claim_id=claim_id)
    one_by_one = _outcome(ids)
    # when the same archive, imported afresh, is checked as one batch
    Claim.objects.all().delete()
    index_reset()
    with django_capture_on_commit_callbacks(execute=False):
        ids = _archive_import()
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = claim_checks_run_batch(claim_ids=ids)
    # then
    assert set(outcomes.values()) == {"done"}
    assert _outcome(ids) == one_by_one
    # and the archive is one that exercises merges and contradictions
    assert one_by_one["merged_into"] == {1: 0, 3: 0}
    assert one_by_one["findings"] == [
        (0, 1, FindingKind.DUPLICATE, FindingState.CONFIRMED),
        (0, 2, FindingKind.CONTRADICTION, FindingState.SUGGESTED),
        (0, 3, FindingKind.DUPLICATE, FindingState.CONFIRMED),
        (4, 5, FindingKind.CONTRADICTION, FindingState.SUGGESTED),
    ]
    assert one_by_one["check_status"] == [CheckStatus.DONE] * len(ids)
    # and the counters, moved by what each check wrote, are what counting the findings gives
    assert counters_stored(ids) == counters_counted(ids)


@pytest.mark.django_db
def test_a_suggestion_stays_when_its_pair_is_no_longer_among_the_candidates(
    editor: User, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from claims.services import findings
    from claims.services.index import claims_retrieve

    # given a contradiction stored between two reports, and a third report much like the first
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
        factories.claim(
            text="About 3,000 residents of Velmora were evacuated after the floods began.", user=editor
        )
    contradiction = Finding.objects.get(kind=FindingKind.CONTRADICTION, claim_low_id=first.pk)
    # when the first is checked again by an index that now ranks only one claim above the cut
    # (as a grown index ranks 50 others above an old pair)
    monkeypatch.setattr(findings, "claims_retrieve", functools.partial(claims_retrieve, limit=1))
    claim_checks_reopen(claim_ids=[first.pk])
    assert claim_checks_run(claim_id=first.pk) == "done"
    # then the pair is judged again rather than forgotten: the contradiction is still there
    kept = Finding.objects.get(pk=contradiction.pk)
    assert (kept.claim_high_id, kept.kind, kept.state) == (second.pk, FindingKind.CONTRADICTION, "suggested")


def counters_counted(claim_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Open contradictions and duplicate suggestions per claim, counted from the findings: a
    finding with a merged claim counts for neither side, and a merged claim shows none."""
    merged = set(Claim.objects.filter(merged_into__isnull=False).values_list("pk", flat=True))
    counts = {claim_id: [0, 0] for claim_id in claim_ids}
    for low, high, kind, state in Finding.objects.values_list(
        "claim_low_id", "claim_high_id", "kind", "state"
    ):
        if low in merged or high in merged:
            continue
        for claim_id in (low, high):
            if claim_id in counts:
                counts[claim_id][0] += kind == FindingKind.CONTRADICTION and state != FindingState.REJECTED
                counts[claim_id][1] += kind == FindingKind.DUPLICATE and state == FindingState.SUGGESTED
    return {claim_id: (c, d) for claim_id, (c, d) in counts.items()}


def counters_stored(claim_ids: list[int]) -> dict[int, tuple[int, int]]:
    return {
        pk: (c, d)
        for pk, c, d in Claim.objects.filter(pk__in=claim_ids).values_list(
            "pk", "open_contradictions", "open_duplicates"
        )
    }


@pytest.mark.django_db
def test_a_pair_another_check_stored_meanwhile_moves_the_counters_once(
    editor: User, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claims.services import findings

    # given two reports with conflicting figures, not yet checked
    with django_capture_on_commit_callbacks(execute=False):
        first = factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    # and a concurrent check of the second that stores the contradiction (and counts it) after
    # this check has read the findings but before it writes them
    ledger_write = findings._Ledger.write

    def write_after_a_concurrent_check(ledger: findings._Ledger) -> list[findings.FindingChange]:
        Finding.objects.create(
            claim_low_id=first.pk,
            claim_high_id=second.pk,
            kind=FindingKind.CONTRADICTION,
            score=0.9,
            explanation="stored by the other worker",
            detector_version=DETECTOR_VERSION,
        )
        findings.claim_counters_refresh(claim_ids=[first.pk, second.pk])
        return ledger_write(ledger)

    monkeypatch.setattr(findings._Ledger, "write", write_after_a_concurrent_check)
    # when the first is checked
    assert claim_checks_run(claim_id=first.pk) == "done"
    # then the pair is stored once, as the other check left it, and counted once on each side
    stored = Finding.objects.get(claim_low_id=first.pk, claim_high_id=second.pk)
    assert (stored.kind, stored.explanation) == (FindingKind.CONTRADICTION, "stored by the other worker")
    assert counters_stored([first.pk, second.pk]) == {first.pk: (1, 0), second.pk: (1, 0)}


@pytest.mark.django_db
def test_a_suggestion_the_detector_no_longer_makes_leaves_the_counters(
    editor: User, django_capture_on_commit_callbacks
) -> None:
    # given a contradiction between two reports, counted on both
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.claim(text=EVACUATED_LOW, user=editor)
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    assert counters_stored([first.pk, second.pk]) == {first.pk: (1, 0), second.pk: (1, 0)}
    # when the first is edited so that it no longer speaks of Velmora's evacuation
    with django_capture_on_commit_callbacks(execute=True):
        claim_update(
            claim_id=first.pk,
            user=editor,
            expected_version=None,
            text="The Ostwick marathon was moved to Sunday because of the heat.",
        )
    # then the suggestion is gone and neither claim counts it any more
    assert not Finding.objects.filter(kind=FindingKind.CONTRADICTION).exists()
    assert counters_stored([first.pk, second.pk]) == {first.pk: (0, 0), second.pk: (0, 0)}
