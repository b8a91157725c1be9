"""Query parameters of the claim lists: parsed and checked by django-filter, applied by selectors.

The FilterSets here only turn the query string into typed values with messages that say what is
accepted; the values become a ``claims.selectors.filters.ClaimFilters``, the specification the
API's list and the review queue share.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from claims.models import CheckStatus, Claim, ClaimStatus
from claims.selectors.filters import MAX_OUTLET_CHARS, MAX_QUERY_CHARS, MAX_SPEAKER_CHARS

MAX_ID = 2**63 - 1
DATETIME_HINT = "an ISO 8601 date-time such as 2024-05-01T12:00:00Z (a time zone offset is recommended)"


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):  # type: ignore[misc]
    """ISO 8601 date-times, converted to UTC here so an offset at the edge of the calendar is a 400."""

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, str) and not value.strip():
            # An empty value is not a date-time (the document says so): a 400, not "no filter".
            raise DjangoValidationError(f"The date-time is empty: send {DATETIME_HINT}, or leave it out.")
        moment: datetime | None = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise DjangoValidationError(f"{value} is out of range: send {DATETIME_HINT}.") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc]
    field_class = UtcDateTimeField


class IntegerFilter(django_filters.NumberFilter):  # type: ignore[misc]
    field_class = forms.IntegerField


def _choice_message(name: str, choices: list[str]) -> dict[str, str]:
    return {"invalid_choice": f"Unknown {name} %(value)s: use one of {', '.join(choices)}."}


class ClaimFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices,
        help_text="Only claims with this verdict status.",
        error_messages=_choice_message("status", ClaimStatus.values),
    )
    check_status = django_filters.ChoiceFilter(
        choices=CheckStatus.choices,
        help_text="Only claims whose background check is in this state.",
        error_messages=_choice_message("check_status", CheckStatus.values),
    )
    updated_since = UtcDateTimeFilter(
        help_text="Only claims changed at or after this moment (inclusive); see the list's description.",
        error_messages={"invalid": f"updated_since must be {DATETIME_HINT}."},
    )
    article = IntegerFilter(
        min_value=1,
        max_value=MAX_ID,
        help_text="Only claims that appear in (or cite) this article id.",
        error_messages={"invalid": "article must be an article id (a whole number)."},
    )
    outlet = django_filters.CharFilter(
        max_length=MAX_OUTLET_CHARS,
        help_text="Only claims appearing in articles of this outlet (name, case-insensitive).",
    )
    speaker = django_filters.CharFilter(
        max_length=MAX_SPEAKER_CHARS, help_text="Only claims by this speaker (case-insensitive)."
    )
    q = django_filters.CharFilter(
        max_length=MAX_QUERY_CHARS, help_text="Only claims whose text contains this (case-insensitive)."
    )

    class Meta:
        model = Claim
        fields: list[str] = []


class ReviewedClaimFilter(django_filters.FilterSet):  # type: ignore[misc]
    updated_since = UtcDateTimeFilter(
        help_text="Only ClaimReviews changed at or after this moment (inclusive).",
        error_messages={"invalid": f"updated_since must be {DATETIME_HINT}."},
    )

    class Meta:
        model = Claim
        fields: list[str] = []


class SpeakerFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(max_length=300, help_text="Part of the name, case-insensitive.")

    class Meta:
        model = Claim
        fields: list[str] = []


_FORM_CLASSES: dict[str, type[forms.Form]] = {}


def _form_class(filterset_class: type[django_filters.FilterSet]) -> type[forms.Form]:
    """The form a FilterSet validates with, built once per FilterSet (it builds a new class per use)."""
    name = f"{filterset_class.__module__}.{filterset_class.__qualname__}"
    if name not in _FORM_CLASSES:
        fields = {field: declared.field for field, declared in filterset_class.base_filters.items()}
        _FORM_CLASSES[name] = type(f"{filterset_class.__name__}Form", (forms.Form,), fields)
    return _FORM_CLASSES[name]


def query_filters(filterset_class: type[django_filters.FilterSet], request: Request) -> dict[str, Any]:
    """The cleaned filter values of the request, or a 400 with one message per bad parameter.

    Only the FilterSet's fields are used (the selectors apply the values), through a form class
    built once: instantiating a FilterSet copies its filters and creates a form class, which costs
    more than the list page's query.
    """
    if not any(name in request.query_params for name in filterset_class.base_filters):
        return {}
    form = _form_class(filterset_class)(data=request.query_params)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def filter_parameters(filterset_class: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """OpenAPI query parameters for a FilterSet, so the schema and the parsing cannot drift apart."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        enum: list[str] | None = None
        if isinstance(declared, django_filters.ChoiceFilter):
            kind: Any = OpenApiTypes.STR
            enum = [value for value, _ in declared.extra["choices"]]
        elif isinstance(declared, django_filters.IsoDateTimeFilter):
            kind = OpenApiTypes.DATETIME
        elif isinstance(declared, IntegerFilter):
            kind = {"type": "integer", "minimum": declared.extra.get("min_value", 1), "maximum": MAX_ID}
        else:
            kind = {"type": "string", "maxLength": declared.extra.get("max_length", 200)}
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=False,
                description=declared.extra.get("help_text", ""),
                enum=enum,
            )
        )
    return parameters
