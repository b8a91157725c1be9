from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim, Finding
from tests import factories
from tests.integration.conftest import WorkerProcess, wait_until

pytestmark = pytest.mark.postgres_only


def test_a_real_worker_consumes_the_check_from_redis_and_stores_its_findings(
    celery_worker: WorkerProcess, editor: User
) -> None:
    # given two reports of the same figure, saved by an editor (each commit enqueues a check)
    first = factories.claim(
        text="About 3,000 Velmora residents were evacuated after the floods.", user=editor
    )
    # when the second, conflicting figure is saved
    second = factories.claim(
        text="More than 11,000 Velmora residents were evacuated because of the floods.", user=editor
    )

    # then the worker process, not this one, runs both checks and writes the results
    def both_done() -> bool:
        return Claim.objects.filter(pk__in=[first.pk, second.pk], check_status=CheckStatus.DONE).count() == 2

    assert wait_until(both_done, timeout=90), celery_worker.log()
    assert "claims.tasks.claim_checks_run" in celery_worker.log()
    assert set(CheckRequest.objects.values_list("claim_id", "state")) == {
        (first.pk, CheckRequestState.DONE),
        (second.pk, CheckRequestState.DONE),
    }
    finding = Finding.objects.get()
    assert (finding.claim_low_id, finding.claim_high_id, finding.kind) == (
        first.pk,
        second.pk,
        "contradiction",
    )
