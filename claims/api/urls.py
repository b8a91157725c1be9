from __future__ import annotations

from django.urls import include, path

from claims.api import claimreview, claims, desk, findings, reviews, triage

urlpatterns = [
    path("claims/", claims.ClaimListView.as_view(), name="api-claim-list"),
    path("claims/match/", claims.ClaimMatchView.as_view(), name="api-claim-match"),
    path("claims/bulk-reviews/", reviews.BulkReviewView.as_view(), name="api-claim-bulk-reviews"),
    path("claims/bulk-assignment/", desk.BulkAssignmentView.as_view(), name="api-claim-bulk-assignment"),
    path(
        "claims/<int:claim_id>/assignment/", desk.ClaimAssignmentView.as_view(), name="api-claim-assignment"
    ),
    path("claims/<int:claim_id>/comments/", desk.ClaimCommentsView.as_view(), name="api-claim-comments"),
    path("claims/<int:claim_id>/follow/", desk.ClaimFollowView.as_view(), name="api-claim-follow"),
    path("notifications/", desk.NotificationListView.as_view(), name="api-notification-list"),
    path("notifications/read/", desk.NotificationReadView.as_view(), name="api-notification-read"),
    path("claims/<int:claim_id>/", claims.ClaimDetailView.as_view(), name="api-claim-detail"),
    path("claims/<int:claim_id>/sources/", claims.ClaimSourcesView.as_view(), name="api-claim-sources"),
    path("claims/<int:claim_id>/reviews/", reviews.ClaimReviewsView.as_view(), name="api-claim-reviews"),
    path("claims/<int:claim_id>/unmerge/", claims.ClaimUnmergeView.as_view(), name="api-claim-unmerge"),
    path("claims/<int:claim_id>/history/", claims.ClaimHistoryView.as_view(), name="api-claim-history"),
    path(
        "claims/<int:claim_id>/claimreview/",
        claimreview.ClaimReviewView.as_view(),
        name="api-claim-claimreview",
    ),
    path(
        "claims/<int:claim_id>/claimreview/snippet/",
        claimreview.ClaimReviewSnippetView.as_view(),
        name="api-claim-claimreview-snippet",
    ),
    path("claimreviews/", claimreview.ClaimReviewFeedView.as_view(), name="api-claimreview-feed"),
    path(
        "findings/<int:finding_id>/decision/",
        findings.FindingDecisionView.as_view(),
        name="api-finding-decision",
    ),
    path("speakers/", claims.SpeakerListView.as_view(), name="api-speaker-list"),
    path("articles/<int:article_id>/triage/", triage.ArticleTriageView.as_view(), name="api-article-triage"),
    path(
        "articles/<int:article_id>/triage/accept/",
        triage.TriageAcceptView.as_view(),
        name="api-article-triage-accept",
    ),
    path(
        "articles/<int:article_id>/triage/dismiss/",
        triage.TriageDismissView.as_view(),
        name="api-article-triage-dismiss",
    ),
    path(
        "articles/<int:article_id>/triage/restore/",
        triage.TriageRestoreView.as_view(),
        name="api-article-triage-restore",
    ),
    path("triage/preferences/", triage.TriagePreferenceView.as_view(), name="api-triage-preferences"),
    path("appearances/", triage.AppearanceListView.as_view(), name="api-appearance-list"),
    path("", include("claims.api.annotations_urls")),
]
