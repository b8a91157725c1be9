"""Checks survive a Redis outage and a worker killed with SIGKILL again and again."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Count

from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim, Finding
from claims.services.archive import ArchiveLine, claims_import_archive
from tests import factories
from tests.claims.test_checks import counters_counted, counters_stored
from tests.conftest import api_client_for
from tests.integration.conftest import (
    WorkerProcess,
    celery_pointed_at,
    start_worker,
    stop_worker,
    wait_for_ready,
    wait_until,
    worker_database_url,
    worker_environment,
)
from tests.integration.private_services import PrivateRedis, free_port

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(port=free_port(), directory=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_claim_saved_while_redis_is_down_is_checked_once_redis_is_back(
    transactional_db: Any, private_redis: PrivateRedis, editor: User, tmp_path: Path
) -> None:
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = worker_environment(worker_database_url(), private_redis.url, queue, tmp_path / "var")
    env.update(CHECK_RELAY_SECONDS="2")
    # a worker with its beat (the periodic relay) is running
    worker = start_worker(
        env, queue, tmp_path / "worker.log", extra=("-B", "--schedule", str(tmp_path / "beat-schedule"))
    )
    wait_for_ready(worker)
    try:
        with celery_pointed_at(private_redis.url, queue):
            first = factories.claim(
                text="About 3,000 Velmora residents were evacuated after the floods.", user=editor
            )
            assert wait_until(
                lambda: Claim.objects.get(pk=first.pk).check_status == CheckStatus.DONE, timeout=60
            ), worker.log()
            # when Redis goes down and an editor saves a claim through the API
            private_redis.stop()
            started = time.monotonic()
            response = api_client_for(editor).post(
                "/api/v1/claims/",
                {"text": "More than 11,000 Velmora residents were evacuated because of the floods."},
                format="json",
            )
            elapsed = time.monotonic() - started
            # then the claim is saved at once and shows its check as pending
            assert response.status_code == 201, response.content
            assert response.json()["check_status"] == "pending"
            assert elapsed < 5
            second_id = response.json()["id"]
            assert list(CheckRequest.objects.filter(claim_id=second_id).values_list("state", flat=True)) == [
                CheckRequestState.PENDING
            ]
            # and once Redis is back, the check runs without anyone saving again
            private_redis.start()
            assert wait_until(
                lambda: Claim.objects.get(pk=second_id).check_status == CheckStatus.DONE, timeout=90
            ), worker.log()
            assert Finding.objects.filter(claim_low_id=first.pk, claim_high_id=second_id).count() == 1
    finally:
        stop_worker(worker)


KILLS_EVERY_SECONDS = 1.0
CHECKS = 1200


def test_killing_the_worker_mid_checks_loses_no_check_and_stores_no_finding_twice(
    transactional_db: Any, tmp_path: Path
) -> None:
    redis_url = os.environ.get("CORROBORATE_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail("CORROBORATE_TEST_REDIS_URL is not set: run these tests through 'make test'.")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = worker_environment(worker_database_url(), redis_url, queue, tmp_path / "var")
    # Short limits so that lost deliveries come back within the test: the broker redelivers
    # unacknowledged tasks after the visibility timeout (2 x the time limit) and the sweeper
    # re-enqueues checks left running.
    env.update(
        CELERY_TASK_TIME_LIMIT="20",
        CHECK_STUCK_AFTER_SECONDS="25",
        CHECK_RELAY_SECONDS="2",
        CHECK_SWEEP_SECONDS="3",
    )
    # Pairs of reports on the same town with different figures: about one finding per claim,
    # as in a real newsroom, rather than every claim against every other.
    syllables = ["Ka", "Lo", "Mi", "Ra", "Ten", "Vos", "Bri", "Dal", "Mor", "Sen", "Tal", "Ur", "Ost", "Vel"]
    towns = [f"{a}{b.lower()}{c.lower()}" for a in syllables for b in syllables for c in ("ford", "wick")]
    lines = [
        ArchiveLine.from_mapping(
            {
                "text": f"{100 + (n % 2) * 900 + n} residents of {towns[(n // 2) * 7 % len(towns)]} were "
                f"evacuated after the river burst its banks, officials said.",
                "external_id": f"kill-{n}",
            }
        )
        for n in range(CHECKS)
    ]
    worker: WorkerProcess | None = None
    kills = 0
    with celery_pointed_at(redis_url, queue):
        # when 200 checks are queued (the broker holds them until a worker takes them)
        outcome = claims_import_archive(lines=lines, user=None)
        claim_ids = outcome.claim_ids
        assert len(claim_ids) == CHECKS

        def open_checks() -> int:
            return Claim.objects.filter(pk__in=claim_ids).exclude(check_status=CheckStatus.DONE).count()

        # and the worker (with its beat) is killed with SIGKILL every 2 seconds while it works
        deadline = time.monotonic() + 240
        while open_checks() and time.monotonic() < deadline:
            worker = start_worker(
                env, queue, tmp_path / "worker.log", concurrency=2,
                extra=("-B", "--schedule", str(tmp_path / f"beat-{kills}")),
            )  # fmt: skip
            if kills < 6:
                wait_for_ready(worker)
                time.sleep(KILLS_EVERY_SECONDS)
                # SIGKILL to the whole process group: the worker and its pool children die at once.
                os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=10)
                kills += 1
                continue
            # then, left alone, the restarted worker completes every check
            wait_until(lambda: open_checks() == 0, timeout=150)
            break
    try:
        assert kills == 6
        left = list(
            Claim.objects.filter(pk__in=claim_ids)
            .exclude(check_status=CheckStatus.DONE)
            .values_list("pk", "check_status")
        )
        requests = list(CheckRequest.objects.filter(claim_id__in=[pk for pk, _ in left]).values())
        assert left == [], f"{requests}\n{worker.log() if worker else ''}"
        assert (
            CheckRequest.objects.filter(claim_id__in=claim_ids).exclude(state=CheckRequestState.DONE).count()
            == 0
        )
        duplicates = (
            Finding.objects.values("claim_low_id", "claim_high_id", "kind")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert list(duplicates) == []
        assert Finding.objects.filter(claim_low_id__in=claim_ids).count() > 0
        # and two workers moving the counters of the same claims, killed mid-batch, leave them
        # as counting the findings gives
        assert counters_stored(claim_ids) == counters_counted(claim_ids)
    finally:
        if worker is not None:
            stop_worker(worker)
