"""Tasks are named after their functions, and every name that is sent or scheduled is a task."""

from __future__ import annotations

from celery import current_app
from django.conf import settings

from annotations import dispatch as annotations_dispatch
from annotations import tasks as annotations_tasks
from claims import tasks as claims_tasks
from claims.services import dispatch as claims_dispatch


def test_each_task_is_named_after_its_module_and_function() -> None:
    for module in (claims_tasks, annotations_tasks):
        tasks = {name: task for name, task in vars(module).items() if hasattr(task, "apply_async")}
        assert tasks
        for function_name, task in tasks.items():
            assert task.name == f"{module.__name__}.{function_name}"
            assert function_name.endswith("_task")


def test_every_task_sent_or_scheduled_is_registered() -> None:
    sent = {
        claims_dispatch.CLAIM_CHECKS_RUN_TASK,
        claims_dispatch.CLAIM_CHECKS_RUN_BATCH_TASK,
        claims_dispatch.NOTIFICATION_MAILS_SEND_TASK,
        claims_dispatch.TRIAGE_RUN_TASK,
        annotations_dispatch.ANNOTATIONS_REANCHOR_TASK,
    }
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sent | scheduled <= set(current_app.tasks)
    assert scheduled == {
        "claims.tasks.claim_checks_relay_task",
        "claims.tasks.claim_checks_sweep_task",
        "annotations.tasks.annotations_reanchor_relay_task",
        "claims.tasks.notification_mails_relay_task",
        "claims.tasks.notification_digests_send_task",
        "claims.tasks.triage_sweep_task",
    }
