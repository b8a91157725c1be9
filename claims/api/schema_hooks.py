"""OpenAPI postprocessing for rules of the claim endpoints that serializer fields cannot state."""

from __future__ import annotations

from typing import Any


def claim_update_needs_a_change(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """``PATCH /claims/{id}/`` needs a body with ``text`` or ``speaker`` (else a 400 "nothing to
    change"): the document says so, so a client (or a fuzzer) does not send an empty edit."""
    component = result.get("components", {}).get("schemas", {}).get("PatchedClaimUpdateRequest")
    if component is not None:
        component["anyOf"] = [{"required": ["text"]}, {"required": ["speaker"]}]
    for operations in result.get("paths", {}).values():
        operation = operations.get("patch")
        if (
            operation
            and operation.get("operationId") == "claims_partial_update"
            and "requestBody" in operation
        ):
            operation["requestBody"]["required"] = True
    return result
