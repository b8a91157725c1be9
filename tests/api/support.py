"""Helpers of the API tests: the fixture newsroom's texts, a snapshot of everything writable, findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from rest_framework import serializers

from accounts.models import NotificationPreference
from annotations.models import Annotation
from articles.models import Article, ArticleRevision
from claims.models import (
    CheckRequest,
    Claim,
    ClaimComment,
    ClaimEvent,
    ClaimFollow,
    Finding,
    FindingKind,
    Notification,
    Review,
    Source,
)
from claims.services.checks import claim_checks_run
from claims.services.findings import claim_counters_refresh

ARTICLE_TEXT = (
    "Officials said the bridge reopened on Monday after repairs costing 4 million euros. "
    "The mayor said the bridge would stay open all winter."
)
QUOTE = "the bridge reopened on Monday after repairs costing 4 million euros"
QUOTE_START = ARTICLE_TEXT.index(QUOTE)
# Pairs the detector judges deterministically (see claims/detection): a contradiction, and a
# duplicate below the auto-merge threshold (suggested to editors, not merged).
CONTRADICTION = ("The council approved the budget on Monday.", "The council rejected the budget on Monday.")
NEAR_DUPLICATE = (
    "The bridge reopened on Monday after repairs costing 4 million euros.",
    "Officials said the bridge reopened Monday following repairs of 4 million euros.",
)


def db_snapshot() -> dict[str, Any]:
    """Everything an API write can change, in a form that compares equal when nothing changed."""

    def rows(model: type[Model], *fields: str) -> list[tuple[Any, ...]]:
        return list(model._default_manager.order_by("pk").values_list("pk", *fields))

    return {
        "articles": rows(Article, "title", "updated_at", "current_revision_id"),
        "revisions": rows(ArticleRevision, "number"),
        "annotations": rows(Annotation, "start", "end", "checked_revision_id"),
        "claims": rows(
            Claim,
            "text",
            "speaker",
            "status",
            "version",
            "updated_at",
            "merged_into_id",
            "check_status",
            "assignee_id",
        ),
        "comments": rows(ClaimComment, "body"),
        "follows": rows(ClaimFollow, "claim_id", "user_id"),
        "notifications": rows(Notification, "read_at", "mail_state"),
        "notification_preferences": rows(NotificationPreference, "email_delivery", "in_app_events"),
        "sources": rows(Source, "claim_id", "kind", "url"),
        "findings": rows(Finding, "state", "decided_at"),
        "reviews": rows(Review, "verdict"),
        "events": rows(ClaimEvent, "action"),
        "check_requests": rows(CheckRequest, "state", "claim_version"),
    }


@dataclass
class Newsroom:
    article: Article
    highlight: Claim  # anchored in ``article``, unreviewed
    standalone: Claim  # unreviewed, no article
    reviewed: Claim  # corroborated by the editor
    finding: Finding  # a suggested contradiction between two fresh claims
    editor: User


def finding_between(
    first: Claim,
    second: Claim,
    *,
    kind: str = FindingKind.CONTRADICTION,
    score: float = 0.8,
    state: str = "suggested",
) -> Finding:
    """A finding as the detector stores it (lower id first), with the claims' counters refreshed."""
    low, high = sorted((first.pk, second.pk))
    finding = Finding.objects.create(
        claim_low_id=low,
        claim_high_id=high,
        kind=kind,
        score=score,
        explanation="Opposite outcomes for the same event.",
        state=state,
        detector_version="test",
    )
    claim_counters_refresh(claim_ids=[low, high])
    return finding


def run_checks(*claims: Claim) -> None:
    """Run the background check of each claim now, as the worker would."""
    for claim in claims:
        claim_checks_run(claim_id=claim.pk)


def iso(moment: datetime | None) -> str | None:
    """A timestamp as the API renders it."""
    return None if moment is None else serializers.DateTimeField().to_representation(moment)
