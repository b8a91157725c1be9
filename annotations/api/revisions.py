from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from annotations.services import RevisionImpact, RevisionNeedsConfirmation, article_revise
from apicore.base import ApiView
from apicore.fields import TextField
from apicore.permissions import Requirement
from apicore.schema import WRITE_ERRORS, errors
from apicore.serializers import StrictSerializer
from articles.selectors import access_article


class RevisionCreateSerializer(StrictSerializer):
    text = TextField(
        allow_blank=True, trim_whitespace=False, help_text="The article's full new text (it is normalised)."
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Save even though the text would orphan more than half of the article's anchored "
            "highlights. Without it such a text is refused with 409 and nothing is saved."
        ),
    )


class RevisionRefusedSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What the text would do and how to save it anyway.")
    anchored = serializers.IntegerField(help_text="Highlights of the article anchored now.")
    orphaned = serializers.IntegerField(help_text="How many of them the new text would orphan.")


class RevisionResultSerializer(serializers.Serializer[Any]):
    article = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The current revision number after the request.")
    changed = serializers.BooleanField(help_text="False when the normalised text equals the current one.")
    text = serializers.CharField(help_text="The current canonical text that selector positions index.")
    created_at = serializers.DateTimeField(help_text="When the current revision was made.")
    detail = serializers.CharField()


class RevisionCreateView(ApiView):
    """A new revision of an article's text; highlights are re-anchored in the background."""

    required_permissions = {"POST": Requirement("articles.change_article", "revise articles")}

    @extend_schema(
        operation_id="articles_revisions_create",
        summary="Revise an article's text",
        description=(
            "Editors and admins. **201** with the new revision when the normalised text changed; its "
            "highlights are re-anchored in the background (their `anchor_state` tells the outcome). "
            "**200** with `changed: false` and the current revision when the text is the same once "
            "normalised: nothing is stored and nothing is re-anchored. **409** when the new text would "
            "orphan more than half of the article's anchored highlights (re-anchored in memory before "
            'anything is saved): nothing is stored; send the same body with `"force": true` to save it.'
        ),
        request=RevisionCreateSerializer,
        responses={
            201: RevisionResultSerializer,
            200: RevisionResultSerializer,
            409: OpenApiResponse(
                RevisionRefusedSerializer,
                description="The text would orphan most highlights; nothing was saved. Resend with force.",
                examples=[
                    OpenApiExample(
                        "Would orphan highlights",
                        value={
                            "detail": RevisionNeedsConfirmation(RevisionImpact(anchored=3, orphaned=3)).args[
                                0
                            ],
                            "anchored": 3,
                            "orphaned": 3,
                        },
                    )
                ],
            ),
            **errors(*WRITE_ERRORS, 404),
        },
        examples=[
            OpenApiExample(
                "New text",
                request_only=True,
                value={"text": "Officials said the bridge reopened on Tuesday."},
            ),
            OpenApiExample(
                "Save anyway",
                request_only=True,
                value={"text": "Officials said the ferry resumed on Tuesday.", "force": True},
            ),
            OpenApiExample(
                "Revised",
                response_only=True,
                status_codes=["201"],
                value={
                    "article": 12,
                    "revision": 2,
                    "changed": True,
                    "text": "Officials said the bridge reopened on Tuesday.",
                    "created_at": "2024-05-07T10:00:00Z",
                    "detail": "Revision 2 is now current; highlights are being re-anchored.",
                },
            ),
            OpenApiExample(
                "Unchanged",
                response_only=True,
                status_codes=["200"],
                value={
                    "article": 12,
                    "revision": 2,
                    "changed": False,
                    "text": "Officials said the bridge reopened on Tuesday.",
                    "created_at": "2024-05-07T10:00:00Z",
                    "detail": "The text is unchanged once normalised: revision 2 stays current.",
                },
            ),
        ],
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        body = RevisionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            revision = article_revise(
                article=article,
                text=body.validated_data["text"],
                user=request.user,  # type: ignore[arg-type]
                check_orphans=not body.validated_data["force"],
            )
        except RevisionNeedsConfirmation as refusal:
            refused = {"detail": str(refusal), **asdict(refusal.impact)}
            return Response(RevisionRefusedSerializer(refused).data, status=status.HTTP_409_CONFLICT)
        current = revision or article.current_revision
        assert current is not None  # an article always has its first revision
        if revision is None:
            detail = f"The text is unchanged once normalised: revision {current.number} stays current."
        else:
            detail = f"Revision {current.number} is now current; highlights are being re-anchored."
        result = {
            "article": article.pk,
            "revision": current.number,
            "changed": revision is not None,
            "text": current.text,
            "created_at": current.created_at,
            "detail": detail,
        }
        return Response(
            RevisionResultSerializer(result).data,
            status=status.HTTP_201_CREATED if revision is not None else status.HTTP_200_OK,
        )
