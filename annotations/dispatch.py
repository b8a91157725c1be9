"""Handing re-anchoring to Celery: the only code of the annotations app that knows the broker.

Tasks are sent by the name ``annotations.tasks`` registers them under, so that a service can ask
for work without importing the task that calls it; without a broker (Celery's
``task_always_eager``) sending runs the task in-process.
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction

from annotations.selectors import annotations_reanchor_due

ANNOTATIONS_REANCHOR_TASK = "annotations.tasks.annotations_reanchor_task"


def _reanchor_send(article_id: int) -> None:
    # The registry rather than ``send_task``, so that the embedded mode runs the task here
    # (``annotations.apps`` imports the tasks at start-up).
    current_app.tasks[ANNOTATIONS_REANCHOR_TASK].delay(article_id)


def annotations_reanchor_on_commit(*, article_id: int) -> None:
    """Re-anchor the article's annotations in the background once the current transaction commits."""
    transaction.on_commit(lambda: _reanchor_send(article_id))


def annotations_reanchor_relay() -> int:
    """Send the articles whose annotations lag behind their current revision again (a lost task, a
    crash): the lagging ``checked_revision`` is the durable record of the work. Returns how many."""
    article_ids = annotations_reanchor_due()
    for article_id in article_ids:
        _reanchor_send(article_id)
    return len(article_ids)
