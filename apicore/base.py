"""The base class of every API view: JSON in and out, per-method permissions, strict parameters."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.numbers import whole_number_or_none
from apicore.exceptions import PayloadTooLarge
from apicore.pagination import KeysetPagination
from apicore.parsers import BoundedJSONParser, too_large_message
from apicore.permissions import MethodPermissions, Requirement


class AcceptHeaderNegotiation(DefaultContentNegotiation):
    """Content negotiation by the Accept header only: ``?format=`` is an unknown parameter like any
    other, rather than a way to get a 404 from DRF."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)  # type: ignore[assignment]


class ApiView(generics.GenericAPIView):  # type: ignore[type-arg]
    """JSON bodies only (others get 415), at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (413).

    Subclasses declare ``required_permissions`` per HTTP method. Query parameters the endpoint does
    not know are refused with a 400 naming the accepted ones, like unknown body fields are: a typo
    in a filter would otherwise silently widen the result.
    """

    parser_classes = [BoundedJSONParser]
    content_negotiation_class = AcceptHeaderNegotiation
    # OPTIONS is answered 405: DRF's metadata would describe serializers these views do not declare,
    # and the OpenAPI document at /api/schema/ describes every endpoint better.
    metadata_class = None
    filter_backends = []
    permission_classes = [IsAuthenticated, MethodPermissions]
    required_permissions: ClassVar[dict[str, Requirement]] = {}
    query_parameters: ClassVar[frozenset[str]] = frozenset()

    def allowed_query_parameters(self) -> frozenset[str]:
        allowed = set(self.query_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        pagination_class = self.pagination_class
        if pagination_class is not None and issubclass(pagination_class, KeysetPagination):
            allowed |= pagination_class.query_parameters()
        return frozenset(allowed)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters())
        if unknown:
            accepted = ", ".join(sorted(self.allowed_query_parameters())) or "none"
            raise ValidationError(
                {
                    name[:50]: [f"Unknown query parameter. This endpoint accepts: {accepted}."]
                    for name in unknown
                }
            )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RequestDataTooBig):
            # Django's own check, when the body was read before DRF's parser (e.g. by a middleware).
            declared = str(self.request.META.get("CONTENT_LENGTH", ""))
            size = whole_number_or_none(declared, minimum=0)
            exc = PayloadTooLarge(too_large_message(size, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0))
        elif isinstance(exc, ObjectDoesNotExist):
            exc = NotFound(str(exc) or "Not found.")
        return super().handle_exception(exc)
