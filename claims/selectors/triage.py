"""What triage found, as the reader, the API and the dashboard show it.

Stored repeats are filtered at read time by one rule (``_visible_repeats``): a dismissed repeat, a
repeat of a claim already recorded as appearing in this article (accepted, or the highlight the
claim came from) and a repeat of a claim that is gone are not shown; a claim merged since is shown
as the claim it was merged into. Each repeat carries the claim's status as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, QuerySet

from articles.models import Article
from claims.detection import DETECTOR_VERSION
from claims.detection.repeats import REPEATS_VERSION
from claims.detection.worthiness import WORTHINESS_VERSION
from claims.models import (
    VERDICTS,
    Claim,
    Source,
    SourceKind,
    TriageDismissal,
    TriagePreference,
    TriageRun,
    TriageSentence,
    TriageState,
)

Viewer = AbstractBaseUser | AnonymousUser
# The key of a run: a new detector, new worthiness cues or a new repeat rule redo every article's
# triage.
TRIAGE_VERSION = f"{DETECTOR_VERSION}+w{WORTHINESS_VERSION}+r{REPEATS_VERSION}"


@dataclass(frozen=True)
class ArticleTriage:
    state: str
    revision: int
    sentences: list[dict[str, Any]]
    timings: dict[str, int]


def _visible_repeats(article: Article, sentences: list[TriageSentence]) -> dict[int, list[dict[str, Any]]]:
    wanted = {repeat["claim"] for sentence in sentences for repeat in sentence.repeats}
    if not wanted:
        return {}
    claims = {
        row["id"]: row
        for row in Claim.objects.filter(pk__in=wanted).values("id", "text", "status", "merged_into_id")
    }
    kept_ids = {row["merged_into_id"] for row in claims.values() if row["merged_into_id"]}
    if kept_ids:
        claims.update(
            {
                row["id"]: row
                for row in Claim.objects.filter(pk__in=kept_ids).values(
                    "id", "text", "status", "merged_into_id"
                )
            }
        )
    appearing = set(
        Source.objects.filter(article=article, kind=SourceKind.APPEARANCE).values_list("claim_id", flat=True)
    )
    dismissed: dict[str, set[int]] = {}
    for sha, claim_id in TriageDismissal.objects.filter(article=article, claim__isnull=False).values_list(
        "text_sha", "claim_id"
    ):
        dismissed.setdefault(sha, set()).add(claim_id)
    visible: dict[int, list[dict[str, Any]]] = {}
    for sentence in sentences:
        shown: list[dict[str, Any]] = []
        for repeat in sentence.repeats:
            claim = claims.get(repeat["claim"])
            if claim is not None and claim["merged_into_id"]:
                claim = claims.get(claim["merged_into_id"])
            if (
                claim is None
                or claim["id"] in appearing
                or claim["id"] in dismissed.get(sentence.text_sha, set())
            ):
                continue
            if any(item["claim"] == claim["id"] for item in shown):
                continue
            shown.append(
                {
                    "claim": claim["id"],
                    "relation": repeat["relation"],
                    "score": repeat["score"],
                    "status": claim["status"],
                    "text": claim["text"],
                }
            )
        shown.sort(key=lambda item: item["status"] not in VERDICTS)
        visible[sentence.pk] = shown
    return visible


def article_triage(*, article: Article) -> ArticleTriage:
    """The triage of the article's current revision (the caller checked the user may read it).

    ``state`` is the run's: pending (recorded, or running), done or failed. Without a run for the
    running detector (an article older than triage) it is pending: the sweeper opens one."""
    revision = article.current_revision
    assert revision is not None
    run = (
        TriageRun.objects.filter(revision=revision, detector_version=TRIAGE_VERSION)
        .values("pk", "state", "timings")
        .first()
    )
    if run is None or run["state"] != TriageState.DONE:
        state = (
            TriageState.FAILED
            if run is not None and run["state"] == TriageState.FAILED
            else TriageState.PENDING
        )
        return ArticleTriage(state=state, revision=revision.number, sentences=[], timings={})
    sentences = list(TriageSentence.objects.filter(run_id=run["pk"]).order_by("position"))
    dismissed_marks = set(
        TriageDismissal.objects.filter(article=article, claim__isnull=True).values_list("text_sha", flat=True)
    )
    repeats = _visible_repeats(article, sentences)
    return ArticleTriage(
        state=TriageState.DONE,
        revision=revision.number,
        sentences=[
            {
                "start": sentence.start,
                "end": sentence.end,
                "worthiness": sentence.worthiness,
                "marked": sentence.marked and sentence.text_sha not in dismissed_marks,
                "speaker": sentence.speaker,
                "repeats": repeats.get(sentence.pk, []),
            }
            for sentence in sentences
        ],
        timings=run["timings"],
    )


def triage_show_marks(*, user: Viewer) -> bool:
    """Whether the user wants the worth-checking marks in the reader (yes until they say no)."""
    if not user.is_authenticated:
        return False
    preference = TriagePreference.objects.filter(user_id=user.pk).values_list("show_marks", flat=True).first()
    return True if preference is None else preference


def appearances_list(
    *, user: Viewer, since: datetime | None = None, status: str | None = None
) -> QuerySet[Source]:
    """Appearances of reviewed claims (``status``: one verdict; default every verdict), recorded at
    or after ``since``, for the claims the user may read."""
    if not user.is_authenticated:
        return Source.objects.none()
    rows = Source.objects.filter(
        kind=SourceKind.APPEARANCE,
        claim__status__in=[status] if status else list(VERDICTS),
        claim__merged_into__isnull=True,
    ).select_related("claim", "outlet", "article", "article__outlet")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return rows


def reviewed_repeats_by_outlet(*, since: datetime) -> list[dict[str, Any]]:
    """Per outlet, how many reviewed claims appeared there again since ``since``: appearances
    recorded after the claim's verdict. Most repeated first."""
    rows = (
        Source.objects.filter(
            kind=SourceKind.APPEARANCE,
            created_at__gte=since,
            claim__status__in=list(VERDICTS),
            claim__merged_into__isnull=True,
            claim__reviewed_at__isnull=False,
            created_at__gt=F("claim__reviewed_at"),
            outlet__isnull=False,
        )
        .values("outlet__name")
        .annotate(claims=Count("claim", distinct=True))
        .order_by("-claims", "outlet__name")
    )
    return [{"outlet": row["outlet__name"], "claims": row["claims"]} for row in rows]
