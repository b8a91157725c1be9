"""A running check is leased to the worker that took it: taken over once the lease has run out,
never while it runs, and a worker that lost its lease completes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim, Finding
from claims.services.pipeline import claim_checks_run, claim_checks_sweep
from tests import factories
from tests.config.test_settings import run_check

EVACUATED_LOW = "About 3,000 residents of Velmora were evacuated after the floods."
EVACUATED_HIGH = "More than 11,000 Velmora residents were evacuated because of the floods."


def _running(claim: Claim, *, owner: str, lease_left: timedelta) -> None:
    """The claim's request as a worker that took it ``lease_left`` before its lease ends leaves it."""
    CheckRequest.objects.filter(claim=claim).update(
        state=CheckRequestState.RUNNING,
        lease_owner=owner,
        lease_until=timezone.now() + lease_left,
        updated_at=timezone.now(),
    )
    Claim.objects.filter(pk=claim.pk).update(check_status=CheckStatus.RUNNING)


@pytest.mark.django_db
def test_a_check_whose_lease_ran_out_is_taken_over(editor: User) -> None:
    # given a check taken by a worker that was killed 30 s ago (its lease ended 10 s ago)
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    _running(claim, owner="worker-1:4242:dead", lease_left=timedelta(seconds=-10))
    # when the message is delivered again
    outcome = claim_checks_run(claim_id=claim.pk)
    # then this worker runs it to the end
    assert outcome == "done"
    assert list(CheckRequest.objects.values_list("state", "lease_owner", "lease_until")) == [
        (CheckRequestState.DONE, "", None)
    ]
    assert Claim.objects.get(pk=claim.pk).check_status == CheckStatus.DONE


@pytest.mark.django_db
def test_a_check_under_a_live_lease_is_left_to_its_worker(editor: User) -> None:
    # given a check a live worker holds (its lease runs for 15 s more)
    claim = factories.claim(text=EVACUATED_LOW, user=editor)
    _running(claim, owner="worker-1:4242:live", lease_left=timedelta(seconds=15))
    # when a duplicate delivery reaches another worker
    outcome = claim_checks_run(claim_id=claim.pk)
    # then it does not run the check a second time
    assert outcome == "skipped"
    assert list(CheckRequest.objects.values_list("state", "lease_owner")) == [
        (CheckRequestState.RUNNING, "worker-1:4242:live")
    ]
    assert Claim.objects.get(pk=claim.pk).check_status == CheckStatus.RUNNING


@pytest.mark.django_db
def test_the_sweeper_puts_back_checks_whose_lease_ran_out_only(editor: User) -> None:
    dead = factories.claim(text=EVACUATED_LOW, user=editor)
    live = factories.claim(text="The Velmora council approved the new flood barrier on Tuesday.", user=editor)
    _running(dead, owner="worker-1:1:dead", lease_left=timedelta(seconds=-1))
    _running(live, owner="worker-2:2:live", lease_left=timedelta(seconds=15))
    # when the sweeper runs (and, in-process, the relayed check)
    claim_checks_sweep()
    # then the dead worker's check was run again and the live worker's is untouched
    states = dict(CheckRequest.objects.values_list("claim_id", "state"))
    assert states == {dead.pk: CheckRequestState.DONE, live.pk: CheckRequestState.RUNNING}
    assert CheckRequest.objects.get(claim=live).lease_owner == "worker-2:2:live"


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_completes_nothing(
    editor: User, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given two conflicting reports, the second not yet checked
    with django_capture_on_commit_callbacks(execute=True):
        factories.claim(text=EVACUATED_LOW, user=editor)
    with django_capture_on_commit_callbacks(execute=False):
        second = factories.claim(text=EVACUATED_HIGH, user=editor)
    findings_before = Finding.objects.count()

    @contextmanager
    def lease_lost_meanwhile(request_ids: list[int], owner: str) -> Iterator[None]:
        # this worker stalls past its lease, and another worker takes the check over
        CheckRequest.objects.filter(pk__in=request_ids).update(
            lease_owner="worker-2:7:other", lease_until=timezone.now() + timedelta(seconds=20)
        )
        yield

    monkeypatch.setattr("claims.services.pipeline._lease_kept", lease_lost_meanwhile)
    # when the stalled worker gets to complete the check
    outcome = claim_checks_run(claim_id=second.pk)
    # then it stores nothing and leaves the check to the worker that holds it
    assert outcome == "skipped"
    assert Finding.objects.count() == findings_before
    assert list(CheckRequest.objects.filter(claim=second).values_list("state", "lease_owner")) == [
        (CheckRequestState.RUNNING, "worker-2:7:other")
    ]


def test_a_lease_too_short_to_renew_is_refused_at_start_up() -> None:
    result = run_check({"CHECK_LEASE_SECONDS": "3"})
    assert result.returncode != 0
    assert "CHECK_LEASE_SECONDS must be at least 4" in result.stderr
