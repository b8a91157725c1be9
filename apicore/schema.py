"""OpenAPI pieces shared by every endpoint: the error bodies and how each status code reads."""

from __future__ import annotations

from typing import Any

import drf_spectacular.openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[object]):
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")


def _error(description: str, message: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[OpenApiExample(description, value={"detail": message})],
    )


ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=(
            "Bad input: an object whose keys are the fields (or `detail`) and whose values are lists of "
            "messages. Unknown body fields and query parameters are refused the same way."
        ),
        examples=[
            OpenApiExample(
                "A field error", value={"text": ["The claim text is empty: write the statement to check."]}
            ),
            OpenApiExample(
                "An unknown field", value={"colour": ["Unknown field. This endpoint accepts: text."]}
            ),
        ],
    ),
    401: _error(
        "No credentials, or a token that is invalid or revoked",
        "Authentication credentials were not provided.",
    ),
    403: _error(
        "Authenticated, but the role does not allow this",
        "To record a verdict you need the editor or admin role; rita-reader has the reader role. "
        "Ask an admin if you need more access.",
    ),
    404: _error("No such object", "No claim 42."),
    409: _error("The object's state does not allow this", "Claim 7 was merged into claim 3: act on claim 3."),
    412: _error("If-Match names a version that is no longer current", "The claim changed since you read it."),
    413: _error(
        "The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE",
        "The request body is 3,000,000 bytes; the limit is 2,097,152 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE). "
        "Send less per request, e.g. split a bulk request or an article into parts.",
    ),
    415: _error("The body is not JSON", 'Unsupported media type "text/plain" in request.'),
}

# Every endpoint refuses unknown query parameters with a 400, reads included.
READ_ERRORS = (400, 401, 403)
WRITE_ERRORS = (400, 401, 403, 413, 415)

NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag sent in If-None-Match is still current.")

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier response: the answer is an empty 304 while it is still current.",
)


def enum_field(values: list[str], **kwargs: Any) -> serializers.CharField:
    """An output string documented as an inline enum.

    Named enum components collide when several fields share a name ("kind", "status", "@type") with
    different values; an inline enum documents the values without a component.
    """
    annotate: Any = extend_schema_field({"type": "string", "enum": values})
    field: serializers.CharField = annotate(serializers.CharField(**kwargs))
    return field


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in sorted(set(codes))}


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """drf-spectacular's AutoSchema without the ``format`` query parameter: every API view negotiates
    by the Accept header only (``?format=`` is refused as an unknown parameter), so the document must
    not offer it."""

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        return []


def forbid_unknown_request_fields(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: request bodies refuse unknown fields (a 400 naming them), so every request
    object in the document says ``additionalProperties: false``; a client generated from it then
    refuses a typo before sending it."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request") and component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result
