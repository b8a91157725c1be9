"""Claims: list and create, detail and edit, evidence links, history, speakers and matching."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.throttling import MatchThrottle, UserThrottle
from apicore.base import ApiView
from apicore.conditional import conditional_response, representation_etag
from apicore.exceptions import Conflict
from apicore.pagination import Position
from apicore.permissions import Requirement
from apicore.schema import IF_NONE_MATCH, NOT_MODIFIED, READ_ERRORS, WRITE_ERRORS, errors
from articles.selectors import article_get
from claims.api import examples
from claims.api.filtering import ClaimFilter, SpeakerFilter, filter_parameters, query_filters
from claims.api.pagination import ClaimPagination, HistoryPagination
from claims.api.preconditions import expected_version, has_if_match
from claims.api.serializers import (
    ClaimConflictSerializer,
    ClaimCreateSerializer,
    ClaimDetailSerializer,
    ClaimListItemSerializer,
    ClaimUpdateSerializer,
    ClaimWriteConflictSerializer,
    EventSerializer,
    MatchRequestSerializer,
    MatchResultSerializer,
    MergeRecordSerializer,
    SourcesAddSerializer,
    SpeakerResultSerializer,
    UnmergeRequestSerializer,
    claim_list_items,
)
from claims.selectors import claim_detail_get, claim_events, claim_sync_page, speaker_suggestions
from claims.selectors.access import access_claim
from claims.selectors.filters import ClaimFilters
from claims.services.claims import ClaimConflict, claim_create, claim_sources_add, claim_update
from claims.services.index import claims_match
from claims.services.unmerge import UnmergeRefused, claim_unmerge
from claims.services.validation import clean_claim_text

VIEW = Requirement("claims.view_claim", "read claims")
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        'The claim version you read (`"3"` or `3`) or the ETag of your last GET. When the claim has '
        "changed since, the answer is 412 with the current claim and nothing is saved. Without it the "
        "write still fails (409) if the claim changes between this request's read and its write."
    ),
)


def claim_representation(*, user: Any, claim_id: int) -> tuple[dict[str, Any], str]:
    """The detail body of a claim and its ETag (which changes whenever the body does)."""
    detail = claim_detail_get(user=user, claim_id=claim_id)
    if detail is None:
        raise NotFound(f"No claim {claim_id}.")
    representation = dict(ClaimDetailSerializer(detail).data)
    return representation, representation_etag(representation, version=detail.claim.version)


def conflict_response(request: Request, conflict: ClaimConflict) -> Response:
    """412 when the client sent If-Match (its precondition failed), 409 when it did not."""
    representation, etag = claim_representation(user=request.user, claim_id=conflict.claim.pk)
    code = status.HTTP_412_PRECONDITION_FAILED if has_if_match(request) else status.HTTP_409_CONFLICT
    return Response({"detail": str(conflict), "claim": representation}, status=code, headers={"ETag": etag})


CONFLICT_RESPONSES = {
    409: OpenApiResponse(
        ClaimWriteConflictSerializer,
        description=(
            "The claim changed while this request ran (the current claim follows), or it was merged "
            "into another claim (the message names the claim to act on)."
        ),
    ),
    412: OpenApiResponse(
        ClaimConflictSerializer,
        description="If-Match is stale: the message says who changed the claim; the current claim follows.",
        examples=[OpenApiExample("Stale If-Match", value=examples.CONFLICT)],
    ),
}


class ClaimListView(ApiView):
    """Claims in sync order, and creating one."""

    required_permissions = {"GET": VIEW, "POST": Requirement("claims.add_claim", "create claims")}
    pagination_class = ClaimPagination
    filterset_class = ClaimFilter

    @extend_schema(
        operation_id="claims_list",
        summary="List claims (sync order)",
        description=(
            "The light representation, ordered by `(updated_at, id)` ascending, with an opaque `cursor`. "
            "A claim changed while you page moves to the end and is served again in its new state, so "
            "following `next` until it is null misses nothing. To sync, store the largest `updated_at` "
            "you saw and pass it as `updated_since` next time (inclusive: expect to see that row again; "
            "subtract a few seconds to cover writes still committing). Merged claims are listed with "
            "`merged_into` set. There is no total count."
        ),
        parameters=filter_parameters(ClaimFilter),
        responses={200: ClaimListItemSerializer(many=True), **errors(400, *READ_ERRORS)},
        examples=[
            OpenApiExample("A page", response_only=True, status_codes=["200"], value=examples.LIST_ITEM),
        ],
    )
    def get(self, request: Request) -> Response:
        values = query_filters(ClaimFilter, request)
        if "article" in values:
            values["article_id"] = values.pop("article")
        filters = ClaimFilters(**values)
        paginator = self.paginator
        assert isinstance(paginator, ClaimPagination)

        def fetch(after: Position | None, limit: int) -> list[dict[str, Any]]:
            return claim_sync_page(user=request.user, after=after, limit=limit, filters=filters)

        page = paginator.paginate_rows(fetch, request)
        return paginator.get_paginated_response(claim_list_items(page))

    @extend_schema(
        operation_id="claims_create",
        summary="Create a claim (highlight or standalone)",
        description=(
            "Annotators, editors and admins. Anchored: `article` and a `selector` into the article's "
            "current text (a TextQuoteSelector, a TextPositionSelector or both; offsets are Unicode code "
            "points); `text` defaults to the quote. Standalone: `text` only; `sources` with "
            "`kind: appearance` record where it was made (url, outlet, author, date published or seen), "
            "published in its ClaimReview. A duplicate and "
            "contradiction check is queued: `check_status` starts as `pending`. Bad selectors are a 400 "
            "under `selector` with the anchoring module's message."
        ),
        request=ClaimCreateSerializer,
        responses={201: ClaimDetailSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample("Highlight by quote", request_only=True, value=examples.CREATE_QUOTE),
            OpenApiExample("Highlight by position", request_only=True, value=examples.CREATE_POSITION),
            OpenApiExample("Standalone", request_only=True, value=examples.CREATE_STANDALONE),
            OpenApiExample(
                "Standalone, with where it appeared",
                request_only=True,
                value=examples.CREATE_WITH_APPEARANCE,
            ),
            OpenApiExample("Created", response_only=True, status_codes=["201"], value=examples.CLAIM_DETAIL),
            OpenApiExample(
                "Ambiguous quote",
                response_only=True,
                status_codes=["400"],
                value={"selector": [examples.AMBIGUOUS_QUOTE]},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        body = ClaimCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        article = None
        if values.get("article") is not None:
            article = article_get(user=request.user, article_id=values["article"])
            if article is None:
                raise ValidationError({"article": [f"No article {values['article']}: create it first."]})
        claim = claim_create(
            user=request_user(request),
            text=values.get("text"),
            title=values.get("title"),
            speaker=values.get("speaker"),
            sources=[dict(source) for source in values.get("sources", [])],
            article=article,
            selector=values.get("selector"),
        )
        representation, etag = claim_representation(user=request.user, claim_id=claim.pk)
        return Response(
            representation,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/claims/{claim.pk}/", "ETag": etag},
        )


class ClaimDetailView(ApiView):
    required_permissions = {"GET": VIEW, "PATCH": Requirement("claims.change_claim", "edit claims")}

    @extend_schema(
        operation_id="claims_retrieve",
        summary="Get a claim with its sources, appearances, findings and latest verdict",
        description=(
            "Sends an ETag that changes whenever the body does (a new finding, a finished check, a "
            "verdict); send it back in If-None-Match for a 304. A merged claim is returned as it is, "
            "with `merged_into` set: follow it."
        ),
        parameters=[IF_NONE_MATCH],
        responses={200: ClaimDetailSerializer, 304: NOT_MODIFIED, **errors(*READ_ERRORS, 404)},
        examples=[
            OpenApiExample("A claim", response_only=True, status_codes=["200"], value=examples.CLAIM_DETAIL)
        ],
    )
    def get(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        representation, etag = claim_representation(user=request.user, claim_id=claim_id)
        return conditional_response(request, representation, etag=etag)

    @extend_schema(
        operation_id="claims_partial_update",
        summary="Edit a claim's wording, title or speaker",
        description=(
            "Annotators, editors and admins while the claim is unreviewed; once it has a verdict only "
            "editors and admins (403 for others, naming the role needed). A new wording is checked "
            "again, and on a claim with a verdict it sends the claim back to review: `status` becomes "
            "`unreviewed`, the history says why, the verdict history stays, and the claim leaves the "
            "ClaimReview feed until an editor rules on the new words. A new title or speaker keeps the "
            "verdict. "
            "Honours If-Match (a stale one is a 412 before anything else)."
        ),
        parameters=[IF_MATCH],
        request=ClaimUpdateSerializer,
        responses={200: ClaimDetailSerializer, **errors(*WRITE_ERRORS, 404), **CONFLICT_RESPONSES},
        examples=[
            OpenApiExample(
                "Fix the wording",
                request_only=True,
                value={"text": "The bridge reopened on Monday.", "reason": "Matched the article's wording."},
            )
        ],
    )
    def patch(self, request: Request, claim_id: int) -> Response:
        claim = access_claim(user=request.user, claim_id=claim_id, for_write=True)
        body = ClaimUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            _, etag = claim_representation(user=request.user, claim_id=claim_id)
            claim_update(
                claim_id=claim_id,
                user=request_user(request),
                expected_version=expected_version(request, claim=claim, etag=etag),
                text=values.get("text"),
                title=values.get("title"),
                speaker=values.get("speaker"),
                reason=values.get("reason", ""),
            )
        except ClaimConflict as conflict:
            return conflict_response(request, conflict)
        representation, etag = claim_representation(user=request.user, claim_id=claim_id)
        return Response(representation, headers={"ETag": etag})


class ClaimSourcesView(ApiView):
    required_permissions = {"POST": Requirement("claims.add_source", "add sources")}

    @extend_schema(
        operation_id="claims_sources_create",
        summary="Add evidence links or appearances to a claim",
        description=(
            "Annotators, editors and admins. Each source is an evidence link (`kind: evidence`, the "
            "default: `url`, `title`?) or an appearance (`kind: appearance`: where the claim was made "
            "or reported, with a `url` (http or https), an `outlet` or both; `author` who made it there; "
            "`published_at` or `seen_at`, a date or date-time no more than a day ahead). Appearances go "
            "into the ClaimReview's `itemReviewed.appearance` and `firstAppearance` (the earliest). "
            "Sources the claim already has are skipped. **201** with the claim when at least one was "
            "added, **200** when all were already there."
        ),
        request=SourcesAddSerializer,
        responses={
            201: ClaimDetailSerializer,
            200: ClaimDetailSerializer,
            **errors(*WRITE_ERRORS, 404, 409),
        },
        examples=[
            OpenApiExample(
                "Two links",
                request_only=True,
                value={
                    "sources": [
                        {"url": "https://stats.example/bridges/2024", "title": "Bridge statistics 2024"},
                        {"url": "https://council.example/minutes/412"},
                    ]
                },
            ),
            OpenApiExample(
                "An appearance",
                request_only=True,
                value={
                    "sources": [
                        {
                            "kind": "appearance",
                            "url": "https://social.example/@portwatch/1123",
                            "outlet": "Social Example",
                            "author": "Port Watch",
                            "published_at": "2024-05-03",
                        }
                    ]
                },
            ),
        ],
    )
    def post(self, request: Request, claim_id: int) -> Response:
        claim = access_claim(user=request.user, claim_id=claim_id, for_write=True)
        body = SourcesAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = claim_sources_add(
            claim=claim,
            user=request_user(request),
            sources=[dict(source) for source in body.validated_data["sources"]],
        )
        representation, etag = claim_representation(user=request.user, claim_id=claim_id)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(representation, status=code, headers={"ETag": etag})


class ClaimHistoryView(ApiView):
    required_permissions = {"GET": VIEW}
    pagination_class = HistoryPagination

    @extend_schema(
        operation_id="claims_history_list",
        summary="A claim's history",
        description="Every event (created, edited, reviewed, merged, findings decided...), oldest first.",
        responses={200: EventSerializer(many=True), **errors(400, *READ_ERRORS, 404)},
        examples=[
            OpenApiExample("Events", response_only=True, status_codes=["200"], value=examples.EVENT),
        ],
    )
    def get(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        page = self.paginate_queryset(claim_events(user=request.user, claim_id=claim_id))
        return self.get_paginated_response(EventSerializer(page, many=True).data)


class ClaimMatchView(ApiView):
    """Look a statement up among stored claims. Writes nothing, so readers may call it."""

    required_permissions = {"POST": Requirement("claims.view_claim", "match claims")}
    # Each call embeds and judges (~300 ms of CPU): a lower rate of its own, besides the user's.
    throttle_classes = [UserThrottle, MatchThrottle]

    @extend_schema(
        operation_id="claims_match",
        summary="Find stored claims like a statement",
        description=(
            "The stored claims (merged ones excluded) that best match the statement, sorted like search "
            "results by one `score` in [0, 1]: the retrieval score (BM25, embedding cosine, term "
            "coverage) fused with how related the judge finds the pair. `relation` labels each result "
            "(duplicate, contradiction or related) without reordering them. Results below `min_score` "
            "are left out; without it, below a floor of 0.2, so an empty list means nothing about the "
            "statement is stored. Nothing is stored. POST because the statement may be long; readers "
            "may call it."
        ),
        request=MatchRequestSerializer,
        responses={200: MatchResultSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "Look up",
                request_only=True,
                value={"text": "The bridge reopened on Monday after 4 million euros of repairs.", "limit": 3},
            ),
            OpenApiExample("Matches", response_only=True, status_codes=["200"], value=examples.MATCHES),
        ],
    )
    def post(self, request: Request) -> Response:
        body = MatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = clean_claim_text(body.validated_data["text"])
        limit = body.validated_data["limit"]
        matches = claims_match(text=text, limit=limit, min_score=body.validated_data.get("min_score"))
        results = [
            {"claim": m.claim_id, "text": m.text, "title": m.title, "score": m.score, "relation": m.relation}
            for m in matches
        ]
        return Response(MatchResultSerializer({"results": results}).data)


class ClaimUnmergeView(ApiView):
    """Undo the merge of a claim into another (automatic or accepted)."""

    required_permissions = {"POST": Requirement("claims.decide_finding", "unmerge claims")}

    @extend_schema(
        operation_id="claims_unmerge",
        summary="Undo the merge of this claim",
        description=(
            "Editors and admins. `{claim_id}` is the claim that was merged (the one with `merged_into`). "
            "Both claims come back as they were before the merge: the sources and highlights the merge "
            "moved go back, `merged_into` is cleared, findings with other claims count again, reviews "
            "(never moved) stay where they are, and counters are recounted. The pair's duplicate finding "
            "is a `suggested` one again (reject it to close the question); the detector never merges an "
            "existing suggestion on its own. Both histories get an "
            "event and an audit row is written. Changes made to the kept claim since the merge stay with "
            "it. 409 when the claim is not merged (for instance unmerged already), or when the claim it "
            "was merged into was merged on since (unmerge that one first)."
        ),
        request=UnmergeRequestSerializer,
        responses={200: MergeRecordSerializer, **errors(*WRITE_ERRORS, 404, 409)},
        examples=[
            OpenApiExample("Unmerge", request_only=True, value={"reason": "Two different towns."}),
            OpenApiExample("Undone", response_only=True, status_codes=["200"], value=examples.MERGE_RECORD),
        ],
    )
    def post(self, request: Request, claim_id: int) -> Response:
        access_claim(user=request.user, claim_id=claim_id)
        body = UnmergeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            record = claim_unmerge(
                claim_id=claim_id, user=request_user(request), reason=body.validated_data.get("reason", "")
            )
        except UnmergeRefused as refused:
            raise Conflict(str(refused)) from refused
        return Response(MergeRecordSerializer(record).data)


class SpeakerListView(ApiView):
    required_permissions = {"GET": VIEW}
    filterset_class = SpeakerFilter

    @extend_schema(
        operation_id="speakers_list",
        summary="Speaker names already used",
        description="For the claim form's suggestions: at most 10 names containing `q`, most used first.",
        parameters=filter_parameters(SpeakerFilter),
        responses={200: SpeakerResultSerializer, **errors(400, *READ_ERRORS)},
        examples=[
            OpenApiExample(
                "Suggestions",
                response_only=True,
                status_codes=["200"],
                value={
                    "results": [{"name": "Mayor Jane Doe", "claims": 14}, {"name": "Jane Dobbs", "claims": 2}]
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        filters = query_filters(SpeakerFilter, request)
        rows = speaker_suggestions(user=request.user, q=filters.get("q", ""), limit=10)
        return Response(
            SpeakerResultSerializer({"results": [{"name": n, "claims": c} for n, c in rows]}).data
        )


def request_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsAuthenticated ran before any view method
    return user
