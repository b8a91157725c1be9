from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotations import anchoring
from annotations.dispatch import annotations_reanchor_on_commit
from annotations.models import AnchorState, Annotation
from articles.extraction import ArticleRecord
from articles.models import Article, ArticleRevision
from articles.services import ImportOutcome, article_import, article_revision_create

logger = logging.getLogger(__name__)


def annotation_validate(
    *,
    revision: ArticleRevision,
    start: int | None,
    end: int | None,
    exact: str | None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> anchoring.Anchor:
    """Resolve selectors against the revision text or raise a ValidationError a person can act on."""
    try:
        return anchoring.validate_selection(
            revision.text,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            max_length=settings.ANNOTATION_MAX_CHARS,
        )
    except anchoring.AnchorError as error:
        raise ValidationError({"selector": [str(error)]}) from error


def annotation_create(
    *, revision: ArticleRevision, anchor: anchoring.Anchor, creator: User | None
) -> Annotation:
    now = timezone.now()
    return Annotation.objects.create(
        article_id=revision.article_id,
        revision=revision,
        checked_revision=revision,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        anchor_state=AnchorState.EXACT,
        anchor_score=1.0,
        creator=creator,
        created_at=now,
        modified_at=now,
    )


@transaction.atomic
def article_revise(*, article: Article, text: str, user: User | None) -> ArticleRevision | None:
    """Make ``text`` the article's current revision and re-anchor its annotations in the background.

    The annotations' ``checked_revision`` lagging behind is itself the durable record of the work
    to do: if the task is lost, the relay finds the article again.
    """
    revision = article_revision_create(article=article, text=text, created_by=user)
    if revision is not None:
        annotations_reanchor_on_commit(article_id=article.pk)
    return revision


@transaction.atomic
def article_import_and_reanchor(*, record: ArticleRecord, user: User | None = None) -> ImportOutcome:
    outcome = article_import(record=record, created_by=user)
    if outcome.action == "revised":
        annotations_reanchor_on_commit(article_id=outcome.article.pk)
    return outcome


def annotations_reanchor(*, article_id: int, batch_size: int = 500) -> dict[str, int]:
    """Re-anchor every annotation of the article that lags behind its current revision. Idempotent.

    Each annotation is updated with a conditional UPDATE on its ``checked_revision``, so a second
    worker doing the same article at the same time cannot apply an older result over a newer one.
    """
    article = Article.objects.select_related("current_revision").get(pk=article_id)
    target = article.current_revision
    counts = {state.value: 0 for state in AnchorState}
    if target is None:
        return counts
    stale = (
        Annotation.objects.filter(article_id=article_id)
        .exclude(checked_revision=target)
        .select_related("revision")
        .order_by("id")
    )
    for annotation in stale.iterator(chunk_size=batch_size):
        old = anchoring.Anchor(
            start=annotation.start,
            end=annotation.end,
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
        )
        # The old text lets re-anchoring tell a quote that moved from a twin that was always there.
        result = anchoring.reanchor(old, target.text, annotation.revision.text)
        changes: dict[str, object] = {
            "checked_revision": target,
            "anchor_state": result.state,
            "anchor_score": result.score,
            "anchor_reason": result.reason[:300],
            "modified_at": timezone.now(),
        }
        if result.anchor is not None and result.state != "orphan":
            changes.update(
                revision=target,
                start=result.anchor.start,
                end=result.anchor.end,
                exact=result.anchor.exact,
                prefix=result.anchor.prefix,
                suffix=result.anchor.suffix,
            )
        updated = Annotation.objects.filter(
            pk=annotation.pk, checked_revision_id=annotation.checked_revision_id
        ).update(**changes)
        if updated:
            counts[result.state] += 1
    return counts
