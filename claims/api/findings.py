from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.permissions import Requirement
from apicore.schema import WRITE_ERRORS, errors
from claims.api.claims import request_user
from claims.api.serializers import FindingDecidedSerializer, FindingDecisionSerializer
from claims.selectors import finding_get
from claims.selectors.access import access_finding
from claims.services.findings import finding_decide


class FindingDecisionView(ApiView):
    required_permissions = {"POST": Requirement("claims.decide_finding", "decide findings")}

    @extend_schema(
        operation_id="findings_decision_create",
        summary="Accept or reject a finding",
        description=(
            "Editors and admins, on a `suggested` finding. Accepting a duplicate merges the two claims: "
            "`keep` names the claim that stays (default: the lower id, the older claim); the other gets "
            "`merged_into`. A `keep` that is not one of the pair, or that comes with a decision that "
            "merges nothing, is a 400. A finding that was already decided, or has gone since the claims "
            "were re-checked, is a 400."
        ),
        request=FindingDecisionSerializer,
        responses={200: FindingDecidedSerializer, **errors(*WRITE_ERRORS, 404)},
        examples=[
            OpenApiExample(
                "Merge, keeping claim 7",
                request_only=True,
                value={"decision": "accept", "reason": "Same statement, same day.", "keep": 7},
            ),
            OpenApiExample(
                "Reject", request_only=True, value={"decision": "reject", "reason": "Different bridges."}
            ),
            OpenApiExample(
                "Merged",
                response_only=True,
                status_codes=["200"],
                value={
                    "id": 5,
                    "kind": "duplicate",
                    "claims": [7, 9],
                    "score": 0.91,
                    "explanation": "Same statement in other words.",
                    "state": "confirmed",
                    "decided_by": "eddie-editor",
                    "decided_at": "2024-05-06T12:00:00Z",
                    "kept": 7,
                },
            ),
        ],
    )
    def post(self, request: Request, finding_id: int) -> Response:
        access_finding(user=request.user, finding_id=finding_id)
        body = FindingDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        decision = finding_decide(
            finding_id=finding_id,
            user=request_user(request),
            accept=values["decision"] == "accept",
            reason=values.get("reason", ""),
            keep_claim_id=values.get("keep"),
        )
        # Read back: a merge settles the pair's finding again after the decision was recorded.
        decided = finding_get(user=request.user, finding_id=finding_id)
        assert decided is not None  # decided findings are kept
        pair = (decided.claim_low_id, decided.claim_high_id)
        result = {
            "id": decided.pk,
            "kind": decided.kind,
            "claims": list(pair),
            "score": decided.score,
            "explanation": decided.explanation,
            "state": decided.state,
            "decided_by": decided.decided_by.username if decided.decided_by else None,
            "decided_at": decided.decided_at,
            "kept": decision.kept.pk if decision.kept else None,
        }
        return Response(FindingDecidedSerializer(result).data)
