"""HTTP errors of the API that DRF does not define.

Every app's views can raise them (``apicore`` is below every app in the import layers).
``config.api.exception_handler`` renders them like any ``APIException``: ``{"detail": message}``
with the status code.
"""

from __future__ import annotations

from rest_framework import exceptions, status


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"
