"""The desk's workflow: assigning claims, discussing them, following them, and notifications.

Comments are for the desk (annotators, editors, admins): readers get 403. None of this is part of
the public exports (ClaimReview, W3C annotations).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.permissions import Requirement
from apicore.schema import READ_ERRORS, WRITE_ERRORS, errors
from apicore.serializers import StrictSerializer
from claims.api.claims import request_user
from claims.api.pagination import HistoryPagination
from claims.api.serializers import MAX_ID, UserRefSerializer
from claims.models import Claim, ClaimComment, Notification
from claims.selectors.access import access_claim
from claims.selectors.desk import claim_comments, notification_list, notifications_unread_count
from claims.services.assignments import MAX_BULK_ASSIGN, assignee_validate, claims_assign
from claims.services.comments import MAX_COMMENT_CHARS, claim_comment_create
from claims.services.notifications import claim_follow, claim_unfollow, notifications_mark_read

ASSIGN = Requirement("claims.assign_claim", "assign claims")
READ_DISCUSSION = Requirement("claims.view_claimcomment", "read the desk's discussion")
WRITE_DISCUSSION = Requirement("claims.add_claimcomment", "comment on claims")
DESK = Requirement("claims.view_claimcomment", "follow claims and get notifications")


# --- Bodies --------------------------------------------------------------------------------------


class AssignmentSerializer(StrictSerializer):
    assignee = serializers.CharField(
        allow_null=True,
        max_length=150,
        help_text="The username of an annotator, editor or admin; null unassigns.",
    )


class BulkAssignmentSerializer(AssignmentSerializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_BULK_ASSIGN,
    )


class AssignmentResultSerializer(serializers.Serializer[Any]):
    assignee = UserRefSerializer(allow_null=True)
    changed = serializers.ListField(
        child=serializers.IntegerField(), help_text="Claims whose assignee changed (others already had it)."
    )
    missing = serializers.ListField(
        child=serializers.IntegerField(), help_text="Claims that do not exist or were merged: not assigned."
    )


class CommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=MAX_COMMENT_CHARS,
        help_text="Plain text; @username mentions a desk user.",
        trim_whitespace=True,
    )


class CommentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    author = serializers.CharField(source="author.username")
    body = serializers.CharField(help_text="Plain text, as written: escape it when rendering HTML.")
    mentions = serializers.SerializerMethodField(help_text="Usernames the @mentions resolved to.")
    created_at = serializers.DateTimeField()

    def get_mentions(self, comment: ClaimComment) -> list[str]:
        return sorted(user.username for user in comment.mentions.all())


class FollowSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField()
    following = serializers.BooleanField()


class NotificationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    event = serializers.CharField(help_text="assigned, finding, verdict, comment or mention.")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    summary = serializers.CharField()
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    read = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class MarkReadSerializer(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=500,
        help_text="Notifications to mark read; leave out to mark all read.",
    )


class MarkReadResultSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


def _assignment_result(assignee: Any, changed: list[int], missing: list[int]) -> dict[str, Any]:
    return {"assignee": assignee, "changed": changed, "missing": missing}


# --- Assignment ----------------------------------------------------------------------------------


class ClaimAssignmentView(ApiView):
    required_permissions = {"POST": ASSIGN}

    @extend_schema(
        operation_id="claims_assignment_create",
        summary="Assign a claim (or unassign it)",
        description=(
            "Editors and admins. Assign to an annotator, editor or admin by username, or send null to "
            "unassign. The assignee follows the claim and is notified. Each change is a history entry."
        ),
        request=AssignmentSerializer,
        responses={200: AssignmentResultSerializer, **errors(*WRITE_ERRORS, 404, 409)},
        examples=[OpenApiExample("Assign", request_only=True, value={"assignee": "ana-annotator"})],
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id, for_write=True)
        body = AssignmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignee = assignee_validate(username=body.validated_data["assignee"])
        changed = claims_assign(claim_ids=[claim_id], assignee=assignee, actor=request_user(request))
        return Response(AssignmentResultSerializer(_assignment_result(assignee, changed, [])).data)


class BulkAssignmentView(ApiView):
    required_permissions = {"POST": ASSIGN}

    @extend_schema(
        operation_id="claims_bulk_assignment_create",
        summary="Assign several claims at once",
        description=(
            f"Editors and admins; at most {MAX_BULK_ASSIGN} claims. Claims that do not exist or were "
            "merged are listed under `missing` and left alone."
        ),
        request=BulkAssignmentSerializer,
        responses={200: AssignmentResultSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Assign three", request_only=True, value={"claims": [3, 5, 8], "assignee": "erin-editor"}
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = BulkAssignmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignee = assignee_validate(username=body.validated_data["assignee"])
        wanted = sorted(set(body.validated_data["claims"]))
        present = set(
            Claim.objects.filter(pk__in=wanted, merged_into__isnull=True).values_list("pk", flat=True)
        )
        changed = claims_assign(claim_ids=sorted(present), assignee=assignee, actor=request_user(request))
        missing = [claim_id for claim_id in wanted if claim_id not in present]
        return Response(AssignmentResultSerializer(_assignment_result(assignee, changed, missing)).data)


# --- Discussion ----------------------------------------------------------------------------------


class ClaimCommentsView(ApiView):
    required_permissions = {"GET": READ_DISCUSSION, "POST": WRITE_DISCUSSION}
    pagination_class = HistoryPagination

    @extend_schema(
        operation_id="claims_comments_list",
        summary="A claim's discussion",
        description="Annotators, editors and admins. Oldest first. Never part of the public exports.",
        responses={200: CommentSerializer(many=True), **errors(400, *READ_ERRORS, 404)},
    )
    def get(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        page = self.paginate_queryset(claim_comments(user=request.user, claim_id=claim_id))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="claims_comments_create",
        summary="Comment on a claim",
        description=(
            "Annotators, editors and admins. `@username` mentions a desk user, who is notified; names "
            "that are not desk users stay plain text. The author follows the claim."
        ),
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **errors(*WRITE_ERRORS, 404, 409)},
        examples=[
            OpenApiExample(
                "With a mention", request_only=True, value={"body": "@erin-editor the figure is from 2019."}
            )
        ],
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id, for_write=True)
        body = CommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = claim_comment_create(
            claim_id=claim_id, author=request_user(request), body=body.validated_data["body"]
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- Following -----------------------------------------------------------------------------------


class ClaimFollowView(ApiView):
    required_permissions = {"PUT": DESK, "DELETE": DESK}

    @extend_schema(
        operation_id="claims_follow_update",
        summary="Follow a claim",
        description="Notifications about its new findings, verdicts and comments follow. Idempotent.",
        request=None,
        responses={200: FollowSerializer, **errors(*READ_ERRORS, 404)},
    )
    def put(self, request: Request, claim_id: int) -> Response:
        claim = access_claim(user=request.user, claim_id=claim_id, for_write=True)
        claim_follow(claim_id=claim.pk, user=request_user(request))
        return Response(FollowSerializer({"claim": claim.pk, "following": True}).data)

    @extend_schema(
        operation_id="claims_follow_destroy",
        summary="Stop following a claim",
        request=None,
        responses={200: FollowSerializer, **errors(*READ_ERRORS, 404)},
    )
    def delete(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        claim_unfollow(claim_id=claim_id, user=request_user(request))
        return Response(FollowSerializer({"claim": claim_id, "following": False}).data)


# --- Notifications -------------------------------------------------------------------------------


class NotificationListView(ApiView):
    required_permissions = {"GET": DESK}
    query_parameters = frozenset({"unread"})
    pagination_class = HistoryPagination

    @extend_schema(
        operation_id="notifications_list",
        summary="My notifications",
        description="Your in-app notifications, oldest first (follow the cursor); `unread=1`: unread only.",
        parameters=[OpenApiParameter("unread", bool, required=False)],
        responses={200: NotificationSerializer(many=True), **errors(400, *READ_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread", "0")
        if unread not in {"0", "1", "true", "false"}:
            raise serializers.ValidationError(
                {"unread": ["Use unread=1 for unread notifications only, or 0."]}
            )
        unread_only = unread in {"1", "true"}
        page = self.paginate_queryset(notification_list(user=request.user, unread_only=unread_only))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(ApiView):
    required_permissions = {"POST": DESK}

    @extend_schema(
        operation_id="notifications_read_create",
        summary="Mark notifications read",
        description="The ids given, or all of yours without `ids`; other users' notifications are ignored.",
        request=MarkReadSerializer,
        responses={200: MarkReadResultSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request_user(request)
        marked = notifications_mark_read(user=user, notification_ids=body.validated_data.get("ids"))
        unread = notifications_unread_count(user=user)
        return Response(MarkReadResultSerializer({"marked": marked, "unread": unread}).data)
