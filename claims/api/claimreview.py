"""schema.org ClaimReview (JSON-LD) for claims with a verdict: one claim, and a feed.

Fact-check aggregators read these. Only claims with a verdict that were not merged are published;
dates are ISO 8601 date-times in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.conditional import conditional_response, representation_etag
from apicore.permissions import Requirement
from apicore.schema import IF_NONE_MATCH, NOT_MODIFIED, READ_ERRORS, enum_field, errors
from claims.api import examples
from claims.api.filtering import ReviewedClaimFilter, filter_parameters, query_filters
from claims.api.jsonld import HtmlSafeJSONRenderer, JsonLdRenderer, ScriptSnippetRenderer
from claims.api.pagination import ClaimPagination
from claims.models import Claim, ClaimStatus
from claims.selectors import (
    AppearanceView,
    claim_appearances,
    claim_get,
    claim_latest_reviews,
    reviewed_claim_get,
    reviewed_claim_list,
)

CLAIM_REVIEWED_MAX_CHARS = 75
RATINGS = {
    ClaimStatus.CORROBORATED: (3, "Corroborated"),
    ClaimStatus.DISPUTED: (2, "Disputed"),
    ClaimStatus.UNRELIABLE: (1, "Unreliable"),
}
# A speaker is published as an Organization when a word of its name says it is one; else a Person.
_ORGANISATION_WORDS_TEXT = """agency association authority bank board bureau cabinet centre center coalition
commission committee company corporation council court department directorate embassy federation foundation
government group inc institute institution league ltd ministry newspaper office officials organisation
organization party parliament plc police presidency secretariat senate service spokesperson trust union
university"""
ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS_TEXT.split())


def claim_reviewed_text(text: str, limit: int = CLAIM_REVIEWED_MAX_CHARS) -> str:
    """``text`` in at most ``limit`` characters: cut at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(" ")
    if boundary > 0:
        cut = cut[:boundary]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def speaker_type(name: str) -> str:
    words = {word.strip(".,()'\u2019").casefold() for word in name.split()}
    return "Organization" if words & ORGANISATION_WORDS else "Person"


def _iso(moment: datetime) -> str:
    return str(serializers.DateTimeField().to_representation(moment))


def _creative_work(appearance: AppearanceView) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if appearance.url:
        work["url"] = appearance.url
    if appearance.title:
        work["headline"] = appearance.title
    if appearance.outlet:
        work["publisher"] = {"@type": "Organization", "name": appearance.outlet}
    if appearance.article_id is None:
        # Recorded appearances say who made the claim there and when; articles here have neither
        # in the claim's terms (a byline is the reporter, not the speaker).
        if appearance.author:
            work["author"] = {"@type": speaker_type(appearance.author), "name": appearance.author}
        if appearance.published_at:
            work["datePublished"] = _iso(appearance.published_at)
    return work


def _published(appearance: AppearanceView) -> bool:
    """Articles are published by their URL; a recorded appearance may be a broadcast without one."""
    return bool(appearance.url) or (appearance.article_id is None and bool(appearance.outlet))


def claimreview_document(
    *, claim: Claim, first_verdict_at: datetime, appearances: Sequence[AppearanceView], claim_url: str
) -> dict[str, Any]:
    """The ClaimReview of a claim with a verdict. ``appearances`` come earliest first."""
    rating, label = RATINGS[ClaimStatus(claim.status)]
    item: dict[str, Any] = {"@type": "Claim"}
    # The speaker recorded on the claim; else who made it in its earliest appearance that says.
    author = claim.speaker or next((appearance.author for appearance in appearances if appearance.author), "")
    if author:
        item["author"] = {"@type": speaker_type(author), "name": author}
    works = [_creative_work(appearance) for appearance in appearances if _published(appearance)]
    if works:
        item["appearance"] = works
        item["firstAppearance"] = works[0]
    dated = [appearance.appeared_at for appearance in appearances if appearance.appeared_at]
    # Undated appearances (a claim from an archive, an article without a date line): the time the
    # claim was recorded here is the latest it can have been made.
    item["datePublished"] = _iso(min(dated) if dated else claim.created_at)
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url,
        "claimReviewed": claim_reviewed_text(claim.text),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": label,
        },
        "author": {
            "@type": "Organization",
            "name": settings.ORGANISATION_NAME,
            "url": settings.ORGANISATION_URL,
        },
        "datePublished": _iso(first_verdict_at),
        "dateModified": _iso(claim.updated_at),
        "itemReviewed": item,
    }
    if claim.title:
        # the fact-check's own headline ("Did the dam pass its last inspection?")
        document["headline"] = claim.title
    return document


# --- Schema ----------------------------------------------------------------------------------------
# JSON-LD keys start with "@", which cannot be Python attribute names: these serializers declare
# their fields in get_fields and only document the shape; claimreview_document builds the body.


class _Fields(serializers.Serializer[Any]):
    shape: dict[str, Any] = {}

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {name: factory() for name, factory in self.shape.items()}


def _fixed(value: str) -> Any:
    return lambda: enum_field([value])


class OrganizationSerializer(_Fields):
    shape = {
        "@type": _fixed("Organization"),
        "name": serializers.CharField,
        "url": lambda: serializers.URLField(required=False),
    }


class ClaimAuthorSerializer(_Fields):
    shape = {
        "@type": lambda: enum_field(["Person", "Organization"]),
        "name": serializers.CharField,
    }


class CreativeWorkSerializer(_Fields):
    shape = {
        "@type": _fixed("CreativeWork"),
        "url": lambda: serializers.CharField(
            required=False, help_text="Absent for a recorded appearance without one (a broadcast)."
        ),
        "headline": lambda: serializers.CharField(required=False),
        "publisher": lambda: OrganizationSerializer(required=False),
        "author": lambda: ClaimAuthorSerializer(
            required=False, help_text="Recorded appearances: who made the claim there."
        ),
        "datePublished": lambda: serializers.DateTimeField(
            required=False, help_text="Recorded appearances: when it was published."
        ),
    }


class RatingSerializer(_Fields):
    shape = {
        "@type": _fixed("Rating"),
        "ratingValue": lambda: serializers.IntegerField(min_value=1, max_value=3),
        "bestRating": lambda: serializers.IntegerField(min_value=3, max_value=3),
        "worstRating": lambda: serializers.IntegerField(min_value=1, max_value=1),
        "alternateName": lambda: enum_field(["Corroborated", "Disputed", "Unreliable"]),
    }


class ItemReviewedSerializer(_Fields):
    shape = {
        "@type": _fixed("Claim"),
        "author": lambda: ClaimAuthorSerializer(
            required=False,
            help_text="The claim's speaker, else the author of its earliest recorded appearance; absent "
            "when neither is known.",
        ),
        "appearance": lambda: CreativeWorkSerializer(many=True, required=False),
        "firstAppearance": lambda: CreativeWorkSerializer(required=False),
        "datePublished": lambda: serializers.DateTimeField(
            help_text="Earliest appearance date (published, else seen); when no appearance is dated, when "
            "the claim was recorded."
        ),
    }


class ClaimReviewSerializer(_Fields):
    shape = {
        "@context": _fixed("https://schema.org"),
        "@type": _fixed("ClaimReview"),
        "url": lambda: serializers.URLField(help_text="The claim's page here."),
        "claimReviewed": lambda: serializers.CharField(max_length=CLAIM_REVIEWED_MAX_CHARS),
        "headline": lambda: serializers.CharField(
            required=False, help_text="The claim's title, when it has one: the fact-check's headline."
        ),
        "reviewRating": RatingSerializer,
        "author": OrganizationSerializer,
        "datePublished": lambda: serializers.DateTimeField(help_text="When the first verdict was given."),
        "dateModified": lambda: serializers.DateTimeField(help_text="When the claim last changed."),
        "itemReviewed": ItemReviewedSerializer,
    }


# --- Views -----------------------------------------------------------------------------------------


VIEW = Requirement("claims.view_review", "read verdicts")


def _claim_url(request: Request, claim_id: int) -> str:
    return request.build_absolute_uri(f"/claims/{claim_id}/")


class ClaimReviewView(ApiView):
    renderer_classes = [JsonLdRenderer, HtmlSafeJSONRenderer]
    required_permissions = {"GET": VIEW}

    @extend_schema(
        operation_id="claims_claimreview_retrieve",
        summary="The claim's ClaimReview (JSON-LD)",
        description=(
            "schema.org ClaimReview as `application/ld+json` (or `application/json` if you ask for it). "
            "404 while the claim has no verdict, and for merged claims (publish the claim they were "
            "merged into). Sends an ETag; If-None-Match gives 304."
        ),
        parameters=[IF_NONE_MATCH],
        responses={
            200: OpenApiResponse(
                ClaimReviewSerializer,
                description="The ClaimReview.",
                examples=[OpenApiExample("A ClaimReview", value=examples.CLAIMREVIEW)],
            ),
            304: NOT_MODIFIED,
            **errors(*READ_ERRORS, 404),
        },
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = reviewed_claim_get(user=request.user, claim_id=claim_id)
        if claim is None:
            raise NotFound(self._not_found_message(request, claim_id))
        document = claimreview_document(
            claim=claim,
            first_verdict_at=claim.first_verdict_at,  # type: ignore[attr-defined]
            appearances=claim_appearances(claim_ids=[claim.pk])[claim.pk],
            claim_url=_claim_url(request, claim.pk),
        )
        return conditional_response(request, document, etag=representation_etag(document))

    @staticmethod
    def _not_found_message(request: Request, claim_id: int) -> str:
        claim = claim_get(user=request.user, claim_id=claim_id)
        if claim is None:
            return f"No claim {claim_id}."
        if claim.merged_into_id is not None:
            return (
                f"Claim {claim_id} was merged into claim {claim.merged_into_id}: its ClaimReview is at "
                f"/api/v1/claims/{claim.merged_into_id}/claimreview/."
            )
        if claim_latest_reviews(claim_ids=[claim_id]):
            return (
                f"Claim {claim_id} went back to review when its wording changed after its verdict: a "
                "ClaimReview is published once an editor records a verdict on the current wording."
            )
        return f"Claim {claim_id} has no verdict yet: a ClaimReview is published once an editor records one."


class ClaimReviewFeedView(ApiView):
    renderer_classes = [JsonLdRenderer, HtmlSafeJSONRenderer]
    required_permissions = {"GET": VIEW}
    pagination_class = ClaimPagination
    filterset_class = ReviewedClaimFilter

    @extend_schema(
        operation_id="claimreviews_list",
        summary="Feed of ClaimReviews",
        description=(
            "Every published ClaimReview, ordered by the claim's `(updated_at, id)` ascending (the order "
            "of `dateModified`), so a consumer can sync with `updated_since` as with the claims list. "
            "Each item is a complete JSON-LD document with its own `@context`."
        ),
        parameters=filter_parameters(ReviewedClaimFilter),
        responses={200: ClaimReviewSerializer(many=True), **errors(400, *READ_ERRORS)},
        examples=[
            OpenApiExample("A page", response_only=True, status_codes=["200"], value=examples.CLAIMREVIEW)
        ],
    )
    def get(self, request: Request) -> Response:
        filters = query_filters(ReviewedClaimFilter, request)
        page: list[Claim] = self.paginate_queryset(reviewed_claim_list(user=request.user, **filters))  # type: ignore[assignment]
        appearances = claim_appearances(claim_ids=[claim.pk for claim in page])
        documents = [
            claimreview_document(
                claim=claim,
                first_verdict_at=claim.first_verdict_at,  # type: ignore[attr-defined]
                appearances=appearances[claim.pk],
                claim_url=_claim_url(request, claim.pk),
            )
            for claim in page
        ]
        return self.get_paginated_response(documents)


class ClaimReviewSnippetView(ClaimReviewView):
    """The ClaimReview as the ``<script type="application/ld+json">`` element a publisher pastes into the
    page of the fact-check; ``<``, ``>`` and ``&`` in it are escaped, so no claim text can end it."""

    renderer_classes = [ScriptSnippetRenderer]

    @extend_schema(
        operation_id="claims_claimreview_snippet",
        summary="The claim's ClaimReview as an HTML snippet to embed",
        description=(
            '`text/html`: a `<script type="application/ld+json">` element holding the ClaimReview, '
            "with `<`, `>` and `&` escaped as `\\u003c`, `\\u003e`, `\\u0026` so that nothing in a "
            "claim can end the element. Errors are JSON, as everywhere in the API."
        ),
        parameters=[IF_NONE_MATCH],
        responses={
            (200, "text/html"): OpenApiResponse(str, description="The snippet."),
            (304, "text/html"): NOT_MODIFIED,
            # Errors are JSON although the success is HTML (finalize_response).
            **{(code, "application/json"): error for code, error in errors(*READ_ERRORS, 404).items()},
        },
    )
    def get(self, request: Request, claim_id: int) -> Response:
        return super().get(request, claim_id)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response
