"""Triage on arrival through the API: an article's triage, accepting and dismissing what it found,
the appearances of reviewed claims since a moment, and whether the reader shows worth-checking marks.

Annotators, editors and admins accept and dismiss (the people who highlight); readers read.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.pagination import KeysetPagination
from apicore.permissions import Requirement
from apicore.schema import READ_ERRORS, WRITE_ERRORS, enum_field, errors
from apicore.serializers import StrictSerializer
from articles.selectors import access_article
from claims.api.claims import request_user
from claims.api.filtering import (
    DATETIME_HINT,
    UtcDateTimeFilter,
    _choice_message,
    filter_parameters,
    query_filters,
)
from claims.models import VERDICTS, Source
from claims.selectors.triage import appearances_list, article_triage, triage_show_marks
from claims.services.triage import (
    triage_preference_set,
    triage_repeat_accept,
    triage_suggestion_dismiss,
    triage_suggestion_restore,
)

MAX_ID = 2**63 - 1
READ = Requirement("claims.view_claim", "read claims")
DECIDE = Requirement("claims.add_claim", "accept or dismiss triage suggestions")
VERDICT_VALUES = [verdict.value for verdict in VERDICTS]


class RepeatSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField(help_text="The stored claim the sentence repeats.")
    relation = enum_field(
        ["duplicate", "contains"],
        help_text=(
            "How the sentence repeats the claim: `duplicate`, the same claim; `contains`, the sentence "
            "makes the claim and says more besides."
        ),
    )
    score = serializers.FloatField(help_text="The match score, as /claims/match/ gives it, in [0, 1].")
    status = serializers.CharField(help_text="The claim's status now: unreviewed or its verdict.")
    text = serializers.CharField(help_text="The claim's wording.")


class TriageSentenceSerializer(serializers.Serializer[Any]):
    start = serializers.IntegerField(help_text="Code point offset into the current revision, inclusive.")
    end = serializers.IntegerField(help_text="Code point offset, exclusive.")
    worthiness = serializers.FloatField(help_text="Check-worthiness in [0, 1].")
    marked = serializers.BooleanField(help_text="Shown as worth checking (at most 30 % of sentences).")
    speaker = serializers.CharField(help_text='Who the sentence is attributed to ("" when nobody).')
    repeats = RepeatSerializer(many=True)


class ArticleTriageSerializer(serializers.Serializer[Any]):
    state = enum_field(["pending", "done", "failed"])
    revision = serializers.IntegerField(help_text="The revision number the sentences index.")
    sentences = TriageSentenceSerializer(many=True)


class SuggestionSerializer(StrictSerializer):
    start = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="The sentence's start.")
    end = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="The sentence's end.")
    claim = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="The repeated claim; null (dismiss and restore only) for the worth-checking mark.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["end must be greater than start."]})
        return attrs


class AcceptSerializer(SuggestionSerializer):
    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The repeated claim.")


class AcceptedSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField(source="claim_id")
    appearance = serializers.IntegerField(source="pk", help_text="The new appearance (a Source).")
    annotation = serializers.IntegerField(source="annotation_id", help_text="The new highlight.")


class DecisionSerializer(serializers.Serializer[Any]):
    changed = serializers.BooleanField(help_text="False when it was already so.")


class JsonBooleanField(serializers.BooleanField):
    """true or false, as JSON spells them: DRF's field would also take 0, 1, "yes" and "off"."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise serializers.ValidationError("Must be true or false.")
        return data


class PreferenceSerializer(StrictSerializer):
    show_marks = JsonBooleanField(help_text="Show the worth-checking marks in the reader.")


class AppearanceItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    claim_text = serializers.CharField(source="claim.text")
    status = serializers.CharField(source="claim.status")
    article = serializers.IntegerField(source="article_id", allow_null=True)
    title = serializers.CharField()
    url = serializers.CharField()
    outlet = serializers.CharField(source="outlet.name", allow_null=True, default=None)
    published_at = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(help_text="When the appearance was recorded.")

    def get_published_at(self, source: Source) -> str | None:
        moment = source.published_at or (source.article.published_at if source.article else None)
        return moment.isoformat() if moment else None


class AppearanceFilter(django_filters.FilterSet):  # type: ignore[misc]
    since = UtcDateTimeFilter(
        help_text="Only appearances recorded at or after this moment (inclusive).",
        error_messages={"invalid": f"since must be {DATETIME_HINT}."},
    )
    status = django_filters.ChoiceFilter(
        choices=[(value, value) for value in VERDICT_VALUES],
        help_text="Only appearances of claims with this verdict (default: every verdict).",
        error_messages=_choice_message("status", VERDICT_VALUES),
    )

    class Meta:
        model = Source
        fields: list[str] = []


class AppearancePagination(KeysetPagination):
    timestamp_field = "created_at"


def _suggestion(request: Request, serializer_class: type[SuggestionSerializer]) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class ArticleTriageView(ApiView):
    required_permissions = {"GET": READ}

    @extend_schema(
        operation_id="articles_triage_retrieve",
        summary="What triage found in an article",
        description=(
            "The triage of the article's current revision: `state` (`pending` while it runs, `done`, "
            "`failed`) and its sentences in order, with `start` and `end` in Unicode code points (as "
            "selectors use), the stored claims each `repeats` (reviewed claims first; dismissed and "
            "accepted ones left out), its check-worthiness and whether it is `marked` as worth checking."
        ),
        responses={200: ArticleTriageSerializer, **errors(*READ_ERRORS, 404)},
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        triage = article_triage(article=article)
        body = {"state": triage.state, "revision": triage.revision, "sentences": triage.sentences}
        return Response(ArticleTriageSerializer(body).data)


class TriageAcceptView(ApiView):
    required_permissions = {"POST": DECIDE}

    @extend_schema(
        operation_id="articles_triage_accept",
        summary="Accept a repeat: the sentence becomes an appearance of the claim",
        description=(
            "Annotators, editors and admins. The sentence at `start`-`end` of the current revision "
            "becomes a highlight and a new appearance of `claim` (no new claim is made). A span that is "
            "not a triaged sentence of the current revision, or a claim already recorded in this "
            "article, is a 400."
        ),
        request=AcceptSerializer,
        responses={201: AcceptedSerializer, **errors(*WRITE_ERRORS, 404)},
        examples=[OpenApiExample("Accept", request_only=True, value={"start": 120, "end": 214, "claim": 12})],
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        values = _suggestion(request, AcceptSerializer)
        source = triage_repeat_accept(
            article=article,
            start=values["start"],
            end=values["end"],
            claim_id=values["claim"],
            user=request_user(request),
        )
        return Response(AcceptedSerializer(source).data, status=status.HTTP_201_CREATED)


class TriageDismissView(ApiView):
    required_permissions = {"POST": DECIDE}

    @extend_schema(
        operation_id="articles_triage_dismiss",
        summary="Dismiss a repeat or a worth-checking mark",
        description=(
            "Annotators, editors and admins. The repeat of `claim` (or, with `claim` null, the "
            "worth-checking mark) of the sentence at `start`-`end` is not shown again for this sentence "
            "in this article, on this revision or later ones that keep the sentence. Undo with "
            "`triage/restore/`."
        ),
        request=SuggestionSerializer,
        responses={200: DecisionSerializer, **errors(*WRITE_ERRORS, 404)},
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        values = _suggestion(request, SuggestionSerializer)
        changed = triage_suggestion_dismiss(
            article=article,
            start=values["start"],
            end=values["end"],
            claim_id=values["claim"],
            user=request_user(request),
        )
        return Response({"changed": changed})


class TriageRestoreView(ApiView):
    required_permissions = {"POST": DECIDE}

    @extend_schema(
        operation_id="articles_triage_restore",
        summary="Undo a dismissal",
        description="Annotators, editors and admins. The dismissed repeat or mark is shown again.",
        request=SuggestionSerializer,
        responses={200: DecisionSerializer, **errors(*WRITE_ERRORS, 404)},
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        values = _suggestion(request, SuggestionSerializer)
        changed = triage_suggestion_restore(
            article=article, start=values["start"], end=values["end"], claim_id=values["claim"]
        )
        return Response({"changed": changed})


class TriagePreferenceView(ApiView):
    required_permissions = {"GET": READ, "PUT": READ}

    @extend_schema(
        operation_id="triage_preferences_retrieve",
        summary="Whether the reader shows you worth-checking marks",
        responses={200: PreferenceSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response({"show_marks": triage_show_marks(user=request.user)})

    @extend_schema(
        operation_id="triage_preferences_update",
        summary="Turn the worth-checking marks on or off for yourself",
        description="Remembered for your account; repeats of stored claims are always shown.",
        request=PreferenceSerializer,
        responses={200: PreferenceSerializer, **errors(*WRITE_ERRORS)},
    )
    def put(self, request: Request) -> Response:
        body = PreferenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        preference = triage_preference_set(
            user=request_user(request), show_marks=body.validated_data["show_marks"]
        )
        return Response({"show_marks": preference.show_marks})


class AppearanceListView(ApiView):
    required_permissions = {"GET": READ}
    pagination_class = AppearancePagination
    filterset_class = AppearanceFilter

    @extend_schema(
        operation_id="appearances_list",
        summary="New appearances of reviewed claims",
        description=(
            "Appearances (articles here or recorded elsewhere) of claims with a verdict, oldest first "
            "by when they were recorded, with an opaque `cursor`. To monitor, pass the largest "
            "`created_at` you saw as `since` next time (inclusive). `status` keeps one verdict."
        ),
        parameters=filter_parameters(AppearanceFilter),
        responses={200: AppearanceItemSerializer(many=True), **errors(400, *READ_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        values = query_filters(AppearanceFilter, request)
        rows = appearances_list(user=request.user, since=values.get("since"), status=values.get("status"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AppearanceItemSerializer(page, many=True).data)
