from __future__ import annotations

from django.urls import path

from claims.web import desk

urlpatterns = [
    path("review/assignment", desk.queue_assign, name="review-assign"),
    path("claims/<int:claim_id>/assignment", desk.claim_assign, name="claim-assign"),
    path("claims/<int:claim_id>/comments", desk.claim_comment, name="claim-comment"),
    path("claims/<int:claim_id>/follow", desk.claim_follow_toggle, name="claim-follow"),
    path("notifications/", desk.notifications_page, name="notifications"),
    path("notifications/read", desk.notifications_read, name="notifications-read"),
    path("notifications/preferences", desk.notifications_preferences, name="notifications-preferences"),
]
