from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.middleware import UNAVAILABLE_MESSAGE, _is_connection_failure


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF's handler, plus service ValidationErrors as 400 and a lost database as 503."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            detail: Any = exc.message_dict
        else:
            detail = {"detail": " ".join(exc.messages)}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if _is_connection_failure(exc):
        return Response({"detail": UNAVAILABLE_MESSAGE}, status=503, headers={"Retry-After": "30"})
    return drf_exception_handler(exc, context)
