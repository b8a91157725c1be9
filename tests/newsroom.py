"""The one small newsroom the tests share, built through the services, with findings stored as the
detector stores them (lower id first, counters refreshed). The ``newsroom`` fixture in
tests/conftest.py builds it; ``db_snapshot`` is what a refused write must leave unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model

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
from claims.services.counters import claim_counters_refresh
from claims.services.reviews import claim_review
from tests import factories

GAZETTE_TEXT = (
    "Harbour news.\n\n"
    "Officials said the bridge reopened on Monday after repairs costing 4 million euros. "
    "Traffic was light.\n\n"
    "The mayor thanked the crews."
)
KPB_TEXT = (
    "Drivers cheered as the bridge reopened on Monday following repairs of 4 million euros, officials said."
)
BRIDGE = "the bridge reopened on Monday after repairs costing 4 million euros"
BRIDGE_AGAIN = "the bridge reopened on Monday following repairs of 4 million euros"
BUDGET_YES = "The council approved the budget on Monday."
BUDGET_NO = "The council rejected the budget on Monday."
STANDALONE = "Unemployment in the region fell to 4.1% last year."
REVIEWED = "The harbour handled 2 million containers in 2023."
# A duplicate the detector judges deterministically below the auto-merge threshold (suggested to
# editors, not merged).
NEAR_DUPLICATE = (
    "The bridge reopened on Monday after repairs costing 4 million euros.",
    "Officials said the bridge reopened Monday following repairs of 4 million euros.",
)


@dataclass
class Newsroom:
    editor: User
    gazette: Article  # the Harbour Gazette's bridge story
    kpb: Article  # KPB News on the same bridge
    bridge: Claim  # highlighted in the Gazette, unreviewed; duplicate suggestion with bridge_again
    bridge_again: Claim  # highlighted in KPB News
    budget_yes: Claim  # standalone; a suggested contradiction with budget_no
    budget_no: Claim
    standalone: Claim  # unreviewed, no article, no finding
    reviewed: Claim  # corroborated by the editor
    duplicate: Finding
    contradiction: Finding

    # The API tests' names for the same things.
    @property
    def article(self) -> Article:
        return self.gazette

    @property
    def highlight(self) -> Claim:
        return self.bridge

    @property
    def finding(self) -> Finding:
        return self.contradiction

    def refresh(self) -> None:
        for name in ("bridge", "bridge_again", "budget_yes", "budget_no", "standalone", "reviewed"):
            getattr(self, name).refresh_from_db()


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def store_finding(
    first: Claim,
    second: Claim,
    *,
    kind: str = FindingKind.CONTRADICTION,
    score: float = 0.8,
    explanation: str = "Opposite outcomes for the same event.",
    state: str = "suggested",
) -> Finding:
    """A finding as the detector stores it (lower id first), with the claims' counters refreshed."""
    low, high = sorted((first.pk, second.pk))
    finding = Finding.objects.create(
        claim_low_id=low,
        claim_high_id=high,
        kind=kind,
        score=score,
        explanation=explanation,
        state=state,
        detector_version="test",
    )
    claim_counters_refresh(claim_ids=[low, high])
    return finding


def build_newsroom(*, editor: User, annotator: User) -> Newsroom:
    gazette = factories.article(
        text=GAZETTE_TEXT,
        title="Bridge reopens",
        outlet="Harbour Gazette",
        url="https://harbourgazette.example/2024/05/bridge",
        published_at=at(10),
        user=editor,
    )
    kpb = factories.article(
        text=KPB_TEXT, title="Cheers on the bridge", outlet="KPB News", published_at=at(12), user=editor
    )
    bridge = factories.highlight(article=gazette, exact=BRIDGE, user=annotator, speaker="City officials")
    bridge_again = factories.highlight(article=kpb, exact=BRIDGE_AGAIN, user=annotator, speaker="Mayor")
    budget_yes = factories.claim(text=BUDGET_YES, user=annotator, speaker="Council press office")
    budget_no = factories.claim(text=BUDGET_NO, user=annotator, speaker="Opposition leader")
    standalone = factories.claim(text=STANDALONE, user=annotator)
    reviewed = factories.claim(text=REVIEWED, user=annotator)
    claim_review(claim_id=reviewed.pk, reviewer=editor, verdict="corroborated", rationale="Port statistics.")
    # Distinct creation days, oldest first, so "newest" is unambiguous and date filters can pick.
    claims = (bridge, bridge_again, budget_yes, budget_no, standalone, reviewed)
    for day, claim in zip((14, 15, 16, 17, 18, 19), claims, strict=True):
        Claim.objects.filter(pk=claim.pk).update(created_at=at(day))
    duplicate = store_finding(
        bridge, bridge_again, kind=FindingKind.DUPLICATE, score=0.83, explanation="Same figure, same event"
    )
    contradiction = store_finding(budget_yes, budget_no, score=0.9)
    newsroom = Newsroom(
        editor, gazette, kpb, bridge, bridge_again, budget_yes, budget_no, standalone, reviewed, duplicate,
        contradiction,
    )  # fmt: skip
    newsroom.refresh()
    return newsroom


def flood_claims(annotator: User) -> list[Claim]:
    """Three reports of one flood's death toll from three outlets, on three days."""
    reports = [
        (
            "Gazette",
            10,
            "Seven people died in the Corran Dam flood, the mayor said.",
            "Seven people died in the Corran Dam flood",
        ),
        (
            "Ledger",
            12,
            "At least 40 people died in the Corran Dam flood.",
            "At least 40 people died in the Corran Dam flood",
        ),
        (
            "Clarion",
            11,
            "Officials said between 30 and 35 people died in the Corran Dam flood.",
            "between 30 and 35 people died in the Corran Dam flood",
        ),
    ]
    claims = []
    for outlet, day, text, exact in reports:
        article = factories.article(text=text, outlet=outlet, published_at=at(day))
        claims.append(
            factories.highlight(article=article, exact=exact, user=annotator, speaker=f"{outlet} desk")
        )
    return claims


def db_snapshot() -> dict[str, Any]:
    """Everything a write through the API or the web can change, comparable for equality."""

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
        "findings": rows(Finding, "state", "decided_at", "decided_by_id"),
        "reviews": rows(Review, "verdict", "claim_version"),
        "events": rows(ClaimEvent, "action"),
        "check_requests": rows(CheckRequest, "state", "claim_version"),
    }
