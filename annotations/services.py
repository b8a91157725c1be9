from __future__ import annotations

import logging
from dataclasses import dataclass

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
from articles.textnorm import normalise_text, text_sha256

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


# A revision that would orphan more than this share of the article's anchored highlights is
# refused unless the caller confirms it: the usual cause is a wrong paste (another article, a
# fragment, "0"), and orphaned highlights cannot be brought back by a later revision.
ORPHAN_CONFIRM_SHARE = 0.5


@dataclass(frozen=True)
class RevisionImpact:
    """What a new text would do to the article's highlights that are anchored now."""

    anchored: int
    orphaned: int

    @property
    def needs_confirmation(self) -> bool:
        return self.orphaned > self.anchored * ORPHAN_CONFIRM_SHARE


class RevisionNeedsConfirmation(Exception):
    """The new text would orphan most highlights; nothing was saved. Send it again with force."""

    def __init__(self, impact: RevisionImpact) -> None:
        self.impact = impact
        super().__init__(
            f"This text would orphan {impact.orphaned} of the article's {impact.anchored} anchored "
            "highlights: their passages are not in it. Nothing was saved. Check that it is the whole "
            'article, or send it again with "force": true to save it anyway.'
        )


def article_revision_impact(*, article: Article, text: str) -> RevisionImpact:
    """Re-anchor, in memory and with the pure anchoring module, every highlight of the article that
    is anchored now onto ``text`` (already normalised), and count those that would be orphaned.
    Writes nothing."""
    annotations = list(
        Annotation.objects.filter(article_id=article.pk)
        .exclude(anchor_state=AnchorState.ORPHAN)
        .only("start", "end", "exact", "prefix", "suffix", "revision_id")
    )
    # Each revision's text once, not once per highlight: an article's text can be 200k characters.
    old_texts = dict(
        ArticleRevision.objects.filter(
            pk__in={annotation.revision_id for annotation in annotations}
        ).values_list("pk", "text")
    )
    orphaned = 0
    for annotation in annotations:
        old = anchoring.Anchor(
            start=annotation.start,
            end=annotation.end,
            exact=annotation.exact,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
        )
        if anchoring.reanchor(old, text, old_texts[annotation.revision_id]).state == "orphan":
            orphaned += 1
    return RevisionImpact(anchored=len(annotations), orphaned=orphaned)


@transaction.atomic
def article_revise(
    *, article: Article, text: str, user: User | None, check_orphans: bool = False
) -> ArticleRevision | None:
    """Make ``text`` the article's current revision and re-anchor its annotations in the background.

    With ``check_orphans``, a text that would orphan most of the article's anchored highlights
    raises ``RevisionNeedsConfirmation`` before anything is written (``article_revision_impact``);
    the article row is locked first, so the highlights counted are those of the revision replaced.
    Interfaces where a person submits the text pass ``check_orphans=not force``; imports and
    scripts, which have nobody to ask, do not check.

    The annotations' ``checked_revision`` lagging behind is itself the durable record of the work
    to do: if the task is lost, the relay finds the article again.
    """
    if check_orphans:
        locked = (
            Article.objects.select_for_update(of=("self",))
            .select_related("current_revision")
            .get(pk=article.pk)
        )
        normalised = normalise_text(text) if isinstance(text, str) else ""
        current = locked.current_revision
        # Empty or unchanged text is for article_revision_create to refuse or skip.
        if normalised and (current is None or current.sha256 != text_sha256(normalised)):
            impact = article_revision_impact(article=locked, text=normalised)
            if impact.needs_confirmation:
                raise RevisionNeedsConfirmation(impact)
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
