from __future__ import annotations

from celery import shared_task

from annotations.services import annotations_reanchor, stale_article_ids


@shared_task(name="annotations.tasks.annotations_reanchor_task", acks_late=True)
def annotations_reanchor_task(article_id: int) -> dict[str, int]:
    return annotations_reanchor(article_id=article_id)


@shared_task(name="annotations.tasks.reanchor_pending_relay")
def reanchor_pending_relay() -> int:
    """Beat: re-enqueue articles whose annotations lag behind (a lost task, a crash)."""
    article_ids = stale_article_ids()
    for article_id in article_ids:
        annotations_reanchor_task.delay(article_id)
    return len(article_ids)
