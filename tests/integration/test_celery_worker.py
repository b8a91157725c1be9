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


def test_an_archive_import_reaches_the_worker_as_batch_tasks(celery_worker: WorkerProcess) -> None:
    from claims.services.archive import ArchiveLine, claims_import_archive

    # given an archive of reports, two of which conflict
    texts = [
        "About 3,000 Velmora residents were evacuated after the floods.",
        "More than 11,000 Velmora residents were evacuated because of the floods.",
        *(f"The Dranholt ferry line {n} resumed service on Monday." for n in range(8)),
    ]
    lines = [ArchiveLine(text=text, external_id=f"archive-{n}") for n, text in enumerate(texts)]
    # when it is imported (the relay after commit sends its checks to Redis)
    ids = claims_import_archive(lines=lines, user=None).claim_ids

    # then the worker checks all of them through the batch task and stores the conflict
    def all_done() -> bool:
        return Claim.objects.filter(pk__in=ids, check_status=CheckStatus.DONE).count() == len(ids)

    assert wait_until(all_done, timeout=90), celery_worker.log()
    assert "claims.tasks.claim_checks_run_batch" in celery_worker.log()
    assert set(CheckRequest.objects.values_list("state", flat=True)) == {CheckRequestState.DONE}
    assert Finding.objects.filter(claim_low_id=ids[0], claim_high_id=ids[1], kind="contradiction").exists()
