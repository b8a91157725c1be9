"""Celery entry points, each named after the function it calls; ``annotations.dispatch`` sends
them by these names."""

from __future__ import annotations

from celery import shared_task

from annotations.dispatch import annotations_reanchor_relay
from annotations.services import annotations_reanchor


@shared_task(name="annotations.tasks.annotations_reanchor_task", acks_late=True)
def annotations_reanchor_task(article_id: int) -> dict[str, int]:
    return annotations_reanchor(article_id=article_id)


@shared_task(name="annotations.tasks.annotations_reanchor_relay_task")
def annotations_reanchor_relay_task() -> int:
    """Beat: re-enqueue articles whose annotations lag behind (a lost task, a crash)."""
    return annotations_reanchor_relay()
