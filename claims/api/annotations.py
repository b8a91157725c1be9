"""W3C Web Annotation export of highlights: one annotation, pages of an article's annotations, and the
collection they belong to. ``Accept: application/ld+json`` answers with the annotation profile;
``application/json`` with the same document as plain JSON."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.numbers import MAX_ID, whole_number_or_none
from apicore.base import AcceptHeaderNegotiation
from apicore.permissions import MethodPermissions, Requirement
from apicore.schema import READ_ERRORS, errors
from articles.selectors import article_get
from claims.api import w3c
from claims.api.jsonld import HtmlSafeJSONRenderer, JsonLdRenderer
from claims.selectors.reader import annotations_for_export

DEFAULT_PAGE_SIZE = 100


class W3CView(APIView):
    """Negotiated by the Accept header only, and unknown query parameters are a 400, as everywhere
    else in the API (a typo in ``article`` would otherwise silently export every highlight)."""

    renderer_classes = [JsonLdRenderer, HtmlSafeJSONRenderer]
    content_negotiation_class = AcceptHeaderNegotiation
    permission_classes = [IsAuthenticated, MethodPermissions]
    required_permissions = {"GET": Requirement("annotations.view_annotation", "read highlights")}
    query_parameters: frozenset[str] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.query_parameters)
        if unknown:
            accepted = ", ".join(sorted(self.query_parameters)) or "none"
            raise exceptions.ValidationError(
                {
                    name[:50]: [f"Unknown query parameter. This endpoint accepts: {accepted}."]
                    for name in unknown
                }
            )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            isinstance(getattr(request, "accepted_renderer", None), JsonLdRenderer)
            and response.status_code < 400
        ):
            response.content_type = w3c.ANNO_PROFILE_MEDIA_TYPE
        patch_vary_headers(response, ["Accept"])
        return response


def _article_filter(request: Request) -> int | None:
    raw = request.query_params.get("article")
    if raw is None:
        return None
    if raw == "":
        # As with the other filters, an empty value is a mistake to name, not "every article".
        raise exceptions.ValidationError(
            {"article": ["Give an article id, or leave out the article parameter."]}
        )
    article_id = whole_number_or_none(raw)
    if article_id is None:
        raise exceptions.ValidationError({"article": [f"{raw[:40]!r} is not an article id."]})
    if article_get(user=request.user, article_id=article_id) is None:
        raise Http404("No such article.")
    return article_id


def _positive_int(request: Request, name: str, default: int, maximum: int = MAX_ID) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    value = whole_number_or_none(raw)
    if value is None:
        raise exceptions.ValidationError({name: [f"{name} must be a whole number from 1, got {raw[:40]!r}."]})
    if value > maximum:
        raise exceptions.ValidationError({name: [f"{name} can be at most {maximum}."]})
    return value


def _links(request: Request, article_id: int | None, page_size: int) -> w3c.PageLinks:
    base: dict[str, Any] = {}
    if article_id is not None:
        base["article"] = article_id
    if page_size != DEFAULT_PAGE_SIZE:
        base["page_size"] = page_size
    list_path = reverse("w3c-annotation-list")
    collection_path = reverse("w3c-annotation-collection")

    def with_query(path: str, query: dict[str, Any]) -> str:
        return request.build_absolute_uri(f"{path}?{urlencode(query)}" if query else path)

    label = f"Highlights of article {article_id}" if article_id is not None else "All highlights"
    return w3c.PageLinks(
        collection=with_query(collection_path, base),
        page=lambda number: with_query(list_path, {**base, "page": number}),
        label=label,
    )


class AnnotationDetailView(W3CView):
    @extend_schema(
        tags=["annotations"],
        summary="One highlight as a W3C Web Annotation",
        operation_id="w3c_annotation_retrieve",
        responses={200: OpenApiTypes.OBJECT, **errors(*READ_ERRORS, 404)},
    )
    def get(self, request: Request, annotation_id: int) -> Response:
        annotation = annotations_for_export(user=request.user).filter(pk=annotation_id).first()
        if annotation is None:
            raise Http404("No such annotation.")
        document = w3c.annotation_document(annotation, absolute=request.build_absolute_uri)
        return Response(document)


PAGE_PARAMETERS = [
    OpenApiParameter(
        "article",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        description="Only the highlights of this article.",
    ),
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, description="Page number, from 1."
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
        description=f"Annotations per page (default {DEFAULT_PAGE_SIZE}).",
    ),
]


class AnnotationPageView(W3CView):
    query_parameters = frozenset({"article", "page", "page_size"})

    @extend_schema(
        tags=["annotations"],
        summary="A page of highlights as a W3C AnnotationPage",
        operation_id="w3c_annotation_page",
        parameters=PAGE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, **errors(*READ_ERRORS, 404)},
    )
    def get(self, request: Request) -> Response:
        article_id = _article_filter(request)
        page_size = _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        number = _positive_int(request, "page", 1)
        annotations = annotations_for_export(user=request.user, article_id=article_id)
        total = annotations.count()
        page_count = max(1, math.ceil(total / page_size))
        if number > page_count:
            raise Http404(f"There are {page_count} page(s).")
        offset = (number - 1) * page_size
        document = w3c.annotation_page(
            list(annotations[offset : offset + page_size]),
            absolute=request.build_absolute_uri,
            links=_links(request, article_id, page_size),
            number=number,
            page_size=page_size,
            total=total,
            page_count=page_count,
        )
        return Response(document)


class AnnotationCollectionView(W3CView):
    query_parameters = frozenset({"article", "page_size"})

    @extend_schema(
        tags=["annotations"],
        summary="The collection of highlights (of one article) as a W3C AnnotationCollection",
        operation_id="w3c_annotation_collection",
        parameters=PAGE_PARAMETERS[::2],
        responses={200: OpenApiTypes.OBJECT, **errors(*READ_ERRORS, 404)},
    )
    def get(self, request: Request) -> Response:
        article_id = _article_filter(request)
        page_size = _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
        total = annotations_for_export(user=request.user, article_id=article_id).count()
        document = w3c.annotation_collection(
            links=_links(request, article_id, page_size),
            total=total,
            page_count=max(1, math.ceil(total / page_size)),
        )
        return Response(document)
