"""A killed worker's check is taken over within a minute; a live worker keeps its lease."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim, Finding
from claims.services.archive import ArchiveLine, claims_import_archive
from claims.services.pipeline import claim_checks_run
from tests import factories
from tests.integration.conftest import WorkerProcess, start_worker, stop_worker, wait_for_ready, wait_until

pytestmark = pytest.mark.postgres_only

TAKEOVER_SECONDS = 60


def _archive(count: int) -> list[ArchiveLine]:
    towns = [f"{a}{b}ford" for a in ("Ka", "Lo", "Mi", "Ra", "Ten", "Vos") for b in ("la", "mo", "ri", "sen")]
    return [
        ArchiveLine(
            text=f"{100 + (n % 2) * 900 + n} residents of {towns[(n // 2) % len(towns)]} were evacuated "
            "after the river burst its banks, officials said.",
            external_id=f"lease-{n}",
        )
        for n in range(count)
    ]


def test_a_check_whose_worker_process_is_killed_is_taken_over_within_a_minute(
    worker_env: dict[str, str], tmp_path: Any
) -> None:
    # given a worker with its beat (relay and sweeper on their default schedules, default lease)
    worker: WorkerProcess = start_worker(
        worker_env,
        worker_env["CELERY_TASK_DEFAULT_QUEUE"],
        tmp_path / "worker.log",
        extra=("-B", "--schedule", str(tmp_path / "beat")),
    )
    wait_for_ready(worker)
    try:
        # and an import whose checks the worker is running
        claim_ids = claims_import_archive(lines=_archive(400), user=None).claim_ids

        def a_running_check() -> CheckRequest | None:
            return (
                CheckRequest.objects.filter(state=CheckRequestState.RUNNING).exclude(lease_owner="").first()
            )

        assert wait_until(lambda: a_running_check() is not None, timeout=90, interval=0.05), worker.log()
        running = a_running_check()
        assert running is not None
        # when the pool process that holds it is killed (the owner names the process)
        pool_pid = int(running.lease_owner.split(":")[1])
        assert pool_pid != worker.process.pid
        os.kill(pool_pid, signal.SIGKILL)
        killed_at = time.monotonic()

        # then every check is done within a minute, by another process
        def all_done() -> bool:
            return Claim.objects.filter(pk__in=claim_ids, check_status=CheckStatus.DONE).count() == len(
                claim_ids
            )

        assert wait_until(all_done, timeout=TAKEOVER_SECONDS), (
            f"{Claim.objects.filter(pk__in=claim_ids).values('check_status').annotate(n=Count('id'))}\n"
            f"{worker.log()}"
        )
        assert time.monotonic() - killed_at < TAKEOVER_SECONDS
        assert CheckRequest.objects.exclude(state=CheckRequestState.DONE).count() == 0
        duplicates = Finding.objects.values("claim_low_id", "claim_high_id", "kind").annotate(n=Count("id"))
        assert [row for row in duplicates if row["n"] > 1] == []
    finally:
        stop_worker(worker)


def test_a_live_worker_renews_its_lease_while_the_check_runs(
    transactional_db: Any, editor: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a lease of 4 s (renewed every second) and a check that takes 6 s
    settings.CHECK_LEASE = timedelta(seconds=4)
    with mock.patch("claims.services.dispatch.claim_checks_relay", return_value=0):
        claim = factories.claim(
            text="About 3,000 Velmora residents were evacuated after the floods.", user=editor
        )
    seen: list[tuple[str, Any, Any]] = []

    def slow_store(*, claim_ids: list[int]) -> dict[int, int]:
        for _ in range(6):
            owner, until = CheckRequest.objects.values_list("lease_owner", "lease_until").get(claim=claim)
            seen.append((owner, until, timezone.now()))
            time.sleep(1)
        return {}

    monkeypatch.setattr("claims.services.pipeline.findings_store_for_claims", slow_store)
    # when the check runs
    assert claim_checks_run(claim_id=claim.pk) == "done"
    # then its lease was renewed while it ran, by the process that held it, and never ran out
    owners = {owner for owner, _, _ in seen}
    assert len(owners) == 1
    assert f":{os.getpid()}:" in owners.pop()
    assert all(until > now for _, until, now in seen)
    leases = [until for _, until, _ in seen]
    assert leases == sorted(leases)
    assert leases[-1] > leases[0] + timedelta(seconds=3)
    assert list(CheckRequest.objects.values_list("state", "lease_owner", "lease_until")) == [
        (CheckRequestState.DONE, "", None)
    ]
