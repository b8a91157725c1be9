from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article, ArticleRevision


class AnchorState(models.TextChoices):
    EXACT = "exact", "Exact"
    FUZZY = "fuzzy", "Fuzzy"
    NEEDS_REVIEW = "needs_review", "Needs review"
    ORPHAN = "orphan", "Orphan"


class Annotation(models.Model):
    """A highlighted span of an article revision, addressed by W3C text selectors.

    ``start``/``end`` are Unicode code point offsets into ``revision.text`` and ``exact`` equals
    ``revision.text[start:end]`` (for orphans: into the last revision where the span was found).
    ``checked_revision`` is the newest revision the anchor was reconciled with; when it lags behind
    ``article.current_revision`` the annotation awaits re-anchoring.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="annotations")
    checked_revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    anchor_state = models.CharField(max_length=16, choices=AnchorState.choices, default=AnchorState.EXACT)
    anchor_score = models.FloatField(default=1.0)
    # Why re-anchoring decided as it did ("figures changed: 300 -> 3,000"), shown to editors.
    anchor_reason = models.CharField(max_length=300, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article_id", "start", "id"]
        indexes = [models.Index(fields=["article", "checked_revision"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="annotation_nonempty_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}[{self.start}:{self.end}] {self.exact[:40]}"
