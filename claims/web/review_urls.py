from __future__ import annotations

from django.urls import path

from claims.web import dashboard
from claims.web.review import claim, queue

urlpatterns = [
    path("review/", queue.queue, name="review-queue"),
    path("review/verdicts", queue.queue_verdicts, name="review-verdicts"),
    path("review/live", queue.queue_live, name="review-live"),
    path("claims/<int:claim_id>/", claim.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/verdict", claim.claim_verdict, name="claim-verdict"),
    path("claims/<int:claim_id>/sources", claim.claim_source_add, name="claim-source-add"),
    path("claims/<int:claim_id>/unmerge", claim.claim_unmerge_view, name="claim-unmerge"),
    path("claims/<int:claim_id>/live", claim.claim_live, name="claim-live"),
    path("findings/<int:finding_id>/decision", claim.finding_decision, name="finding-decision"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
