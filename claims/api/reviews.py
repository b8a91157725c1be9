"""Verdicts: a claim's verdict history, recording a verdict, and one verdict for several claims.

There is no endpoint to change or delete a verdict: the history is the audit trail.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.exceptions import Conflict
from apicore.permissions import Requirement
from apicore.schema import READ_ERRORS, WRITE_ERRORS, errors
from claims.api import examples
from claims.api.claims import (
    CONFLICT_RESPONSES,
    IF_MATCH,
    claim_representation,
    conflict_response,
    request_user,
)
from claims.api.pagination import HistoryPagination
from claims.api.preconditions import expected_version
from claims.api.serializers import (
    BulkReviewResultSerializer,
    BulkReviewSerializer,
    ReviewCreatedSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
)
from claims.models import Claim
from claims.selectors import review_list
from claims.selectors.access import access_claim
from claims.services.claims import ClaimConflict
from claims.services.reviews import claim_review, review_validate, reviews_bulk

REVIEW = Requirement("claims.review_claim", "record a verdict")


class ClaimReviewsView(ApiView):
    required_permissions = {"GET": Requirement("claims.view_review", "read verdicts"), "POST": REVIEW}
    pagination_class = HistoryPagination

    @extend_schema(
        operation_id="claims_reviews_list",
        summary="A claim's verdict history",
        description="Every verdict given, oldest first. Verdicts are never changed or deleted.",
        responses={200: ReviewSerializer(many=True), **errors(400, *READ_ERRORS, 404)},
        examples=[
            OpenApiExample("History", response_only=True, status_codes=["200"], value=examples.REVIEW),
        ],
    )
    def get(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        page = self.paginate_queryset(review_list(user=request.user, claim_id=claim_id))
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        operation_id="claims_reviews_create",
        summary="Record a verdict",
        description=(
            "Editors and admins. A rationale is required for `disputed` and `unreliable`. Send the "
            "version you read in If-Match: if another editor recorded a verdict since, the answer is 412 "
            "naming their verdict, with the current claim, and nothing is saved. Without If-Match the "
            "verdict applies to the version read by this request (409 if it changes meanwhile)."
        ),
        parameters=[IF_MATCH],
        request=ReviewCreateSerializer,
        responses={201: ReviewCreatedSerializer, **errors(*WRITE_ERRORS, 404), **CONFLICT_RESPONSES},
        examples=[
            OpenApiExample(
                "Corroborated",
                request_only=True,
                value={
                    "verdict": "corroborated",
                    "rationale": "The council minutes confirm the date and the cost.",
                    "evidence": ["https://council.example/minutes/412"],
                },
            ),
            OpenApiExample(
                "Recorded",
                response_only=True,
                status_codes=["201"],
                value={"review": examples.REVIEW, "claim": examples.CLAIM_DETAIL},
            ),
            OpenApiExample(
                "Rationale missing",
                response_only=True,
                status_codes=["400"],
                value={"rationale": ["Say why the claim is disputed: a rationale is required."]},
            ),
        ],
    )
    def post(self, request: Request, claim_id: int) -> Response:
        claim = access_claim(user=request.user, claim_id=claim_id, for_write=True)
        body = ReviewCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        # Input errors come before the precondition: a 412 should mean "only the version is wrong".
        review_validate(
            verdict=values["verdict"], rationale=values.get("rationale"), evidence=values.get("evidence")
        )
        try:
            _, etag = claim_representation(user=request.user, claim_id=claim_id)
            review = claim_review(
                claim_id=claim_id,
                reviewer=request_user(request),
                verdict=values["verdict"],
                rationale=values.get("rationale", ""),
                evidence=values.get("evidence"),
                expected_version=expected_version(request, claim=claim, etag=etag),
            )
        except ClaimConflict as conflict:
            return conflict_response(request, conflict)
        except Claim.DoesNotExist as error:
            raise Conflict(f"Claim {claim_id} was merged into another claim meanwhile: reload it.") from error
        representation, etag = claim_representation(user=request.user, claim_id=claim_id)
        return Response(
            {"review": ReviewSerializer(review).data, "claim": representation},
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag},
        )


class BulkReviewView(ApiView):
    required_permissions = {"POST": REVIEW}

    @extend_schema(
        operation_id="claims_bulk_reviews_create",
        summary="One verdict for several claims",
        description=(
            "Editors and admins. Each claim gets its own review row, one claim at a time in id order. "
            "Claims that changed meanwhile, were merged or do not exist are listed under `conflicts` "
            "and left as they were; the others are reviewed. Always 200 once the input is valid."
        ),
        request=BulkReviewSerializer,
        responses={200: BulkReviewResultSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Three claims",
                request_only=True,
                value={
                    "claims": [7, 8, 9],
                    "verdict": "unreliable",
                    "rationale": "The only source is a parody site.",
                },
            ),
            OpenApiExample(
                "Partly done",
                response_only=True,
                status_codes=["200"],
                value={
                    "reviewed": [{"claim": 7, "review": 31}, {"claim": 8, "review": 32}],
                    "conflicts": [{"claim": 9, "detail": "No claim 9 (it may have been merged)."}],
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        body = BulkReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        review_validate(
            verdict=values["verdict"], rationale=values.get("rationale"), evidence=values.get("evidence")
        )
        done, failed = reviews_bulk(
            claim_ids=values["claims"],
            reviewer=request_user(request),
            verdict=values["verdict"],
            rationale=values.get("rationale", ""),
            evidence=values.get("evidence"),
        )
        result = {
            "reviewed": [{"claim": review.claim_id, "review": review.pk} for review in done],
            "conflicts": [{"claim": claim_id, "detail": detail} for claim_id, detail in failed],
        }
        return Response(BulkReviewResultSerializer(result).data)
