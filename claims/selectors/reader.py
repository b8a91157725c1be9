"""What the reader pages show: the article list with claim counts, and one article with its highlights.

Offsets in the reader's payload are Unicode code points into the current revision's text, exactly as
stored; the browser converts them to UTF-16 itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from annotations.models import AnchorState, Annotation
from articles.models import Article, ArticleRevision
from articles.selectors import article_get, article_list, revision_list
from claims.models import Claim, ClaimStatus, Finding, FindingKind, FindingState, Source, SourceKind

Viewer = AbstractBaseUser | AnonymousUser

# Words of a search query that are used at most; each must match title, outlet, byline or text.
MAX_QUERY_WORDS = 8


def article_list_with_counts(*, user: Viewer, query: str = "") -> QuerySet[Article]:
    """Articles the user may read, newest first, with how many claims each has, by status."""
    articles = article_list(user=user)
    for word in query.split()[:MAX_QUERY_WORDS]:
        articles = articles.filter(
            Q(title__icontains=word)
            | Q(outlet__name__icontains=word)
            | Q(byline__icontains=word)
            | Q(current_revision__text__icontains=word)
        )
    appearance = Q(claim_sources__kind=SourceKind.APPEARANCE)

    def claims_with(status: str) -> Count:
        return Count(
            "claim_sources__claim",
            filter=appearance & Q(claim_sources__claim__status=status),
            distinct=True,
        )

    return articles.annotate(
        claim_count=Count("claim_sources__claim", filter=appearance, distinct=True),
        corroborated_count=claims_with(ClaimStatus.CORROBORATED),
        disputed_count=claims_with(ClaimStatus.DISPUTED),
        unreliable_count=claims_with(ClaimStatus.UNRELIABLE),
    )


@dataclass(frozen=True)
class ReaderPage:
    article: Article
    revision: ArticleRevision
    revisions: list[ArticleRevision]
    payload: dict[str, Any]


_NO_FINDINGS = {"total": 0, "contradictions": 0, "duplicates": 0}


def _finding_counts(claim_ids: set[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"total": 0, "contradictions": 0, "duplicates": 0}
    )
    if not claim_ids:
        return counts
    rows = (
        Finding.objects.filter(Q(claim_low_id__in=claim_ids) | Q(claim_high_id__in=claim_ids))
        .exclude(state=FindingState.REJECTED)
        .values_list("claim_low_id", "claim_high_id", "kind")
    )
    for low, high, kind in rows:
        for claim_id in (low, high):
            if claim_id in claim_ids:
                counts[claim_id]["total"] += 1
                key = "contradictions" if kind == FindingKind.CONTRADICTION else "duplicates"
                counts[claim_id][key] += 1
    return counts


def article_reader(*, user: Viewer, article_id: int) -> ReaderPage | None:
    """The article at its current revision with every highlight, orphan and pending re-anchoring.

    An annotation not yet reconciled with the current revision (``checked_revision`` lags) has offsets
    into an older text, so it is reported as pending rather than drawn at a wrong place.
    """
    article = article_get(user=user, article_id=article_id)
    if article is None or article.current_revision is None:
        return None
    revision = article.current_revision
    # Plain rows, not model instances: a long article can carry hundreds of highlights, and neither the
    # revision texts nor full claim rows are needed here.
    rows = (
        Annotation.objects.filter(article=article, source__kind=SourceKind.APPEARANCE)
        .order_by("start", "id")
        .values(
            "pk",
            "start",
            "end",
            "exact",
            "anchor_state",
            "anchor_score",
            "revision_id",
            "checked_revision_id",
            "revision__number",
            "source__claim_id",
        )
    )
    highlights: list[dict[str, Any]] = []
    orphans: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    for row in rows:
        entry = {
            "annotation": row["pk"],
            "claim": row["source__claim_id"],
            "start": row["start"],
            "end": row["end"],
            "state": row["anchor_state"],
            "score": round(row["anchor_score"], 2),
        }
        if row["checked_revision_id"] != revision.pk:
            pending.append(entry)
        elif row["anchor_state"] == AnchorState.ORPHAN or row["revision_id"] != revision.pk:
            # The quote is all that is left to show of an orphan; its offsets index an older text.
            entry.update(exact=row["exact"], revision=row["revision__number"])
            orphans.append(entry)
        else:
            highlights.append(entry)
    claim_ids = {entry["claim"] for entry in (*highlights, *orphans, *pending)}
    claims = {
        claim["id"]: claim
        for claim in Claim.objects.filter(pk__in=claim_ids).values(
            "id", "text", "speaker", "status", "check_status"
        )
    }
    findings = _finding_counts(set(claims))
    revisions = list(revision_list(article=article).only("id", "number", "created_at", "article_id"))
    payload = {
        "article": {"id": article.pk, "title": article.title},
        "revision": {
            "number": revision.number,
            "created_at": revision.created_at.isoformat(),
            "text": revision.text,
        },
        "highlights": highlights,
        "orphans": orphans,
        "pending": pending,
        "claims": {
            str(pk): {**claim, "findings": findings.get(pk, _NO_FINDINGS)} for pk, claim in claims.items()
        },
        "speakers": sorted({claim["speaker"] for claim in claims.values() if claim["speaker"]}),
        "max_chars": settings.ANNOTATION_MAX_CHARS,
    }
    return ReaderPage(article=article, revision=revision, revisions=revisions, payload=payload)


def article_revision_get(*, user: Viewer, article_id: int, number: int) -> ArticleRevision | None:
    article = article_get(user=user, article_id=article_id)
    if article is None:
        return None
    return revision_list(article=article).select_related("article").filter(number=number).first()


def annotations_for_export(*, user: Viewer, article_id: int | None = None) -> QuerySet[Annotation]:
    """Annotations of the articles the user may read, in id order (stable pages), with everything the
    W3C export needs: article, revision, creator, claim and the claim's evidence (``evidence_list``)."""
    evidence = Prefetch(
        "source__claim__sources",
        queryset=Source.objects.filter(kind=SourceKind.EVIDENCE).order_by("id"),
        to_attr="evidence_list",
    )
    annotations = (
        Annotation.objects.filter(article__in=article_list(user=user))
        .select_related("article", "revision", "creator", "source__claim")
        .prefetch_related(evidence)
        .order_by("id")
    )
    if article_id is not None:
        annotations = annotations.filter(article_id=article_id)
    return annotations
