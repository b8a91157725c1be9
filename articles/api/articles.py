from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.conditional import conditional_response, representation_etag
from apicore.pagination import KeysetPagination
from apicore.permissions import Requirement
from apicore.schema import IF_NONE_MATCH, NOT_MODIFIED, READ_ERRORS, WRITE_ERRORS, errors
from articles.api.serializers import ArticleCreateSerializer, ArticleDetailSerializer, ArticleSerializer
from articles.models import Article
from articles.selectors import access_article, article_list
from articles.services import article_create

VIEW = Requirement("articles.view_article", "read articles")

ARTICLE_EXAMPLE = {
    "id": 12,
    "title": "Bridge reopens after repairs",
    "url": "https://harbourgazette.example/2024/05/bridge",
    "outlet": "Harbour Gazette",
    "byline": "Sam Rivera",
    "published_at": "2024-05-06T08:00:00Z",
    "revision": 1,
    "text": "Officials said the bridge reopened on Monday after repairs costing 4 million euros.",
    "created_at": "2024-05-06T09:12:44.120000Z",
    "updated_at": "2024-05-06T09:12:44.120000Z",
}


def article_representation(article: Article) -> dict[str, Any]:
    return dict(ArticleDetailSerializer(article).data)


class ArticleListView(ApiView):
    """Articles, oldest change first (keyset on updated_at, id), and creating one."""

    required_permissions = {"GET": VIEW, "POST": Requirement("articles.add_article", "add articles")}
    pagination_class = KeysetPagination
    serializer_class = ArticleSerializer

    def get_queryset(self) -> QuerySet[Article]:
        # Lists leave out the text (up to ARTICLE_MAX_CHARS each); the detail has it.
        return article_list(user=self.request.user).defer("current_revision__text")

    @extend_schema(
        operation_id="articles_list",
        summary="List articles",
        description="Articles without their text, ordered by (updated_at, id) ascending. No total count.",
        responses={200: ArticleSerializer(many=True), **errors(400, *READ_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        return self.get_paginated_response(ArticleSerializer(page, many=True).data)

    @extend_schema(
        operation_id="articles_create",
        summary="Create an article",
        description=(
            "Editors and admins. The text is normalised; the answer's `text` is the canonical form that "
            "selector positions index, and `revision` is 1."
        ),
        request=ArticleCreateSerializer,
        responses={201: ArticleDetailSerializer, **errors(*WRITE_ERRORS)},
        examples=[
            OpenApiExample(
                "New article",
                request_only=True,
                value={
                    "title": "Bridge reopens after repairs",
                    "text": ARTICLE_EXAMPLE["text"],
                    "url": "https://harbourgazette.example/2024/05/bridge",
                    "outlet": "Harbour Gazette",
                    "published_at": "2024-05-06T08:00:00Z",
                    "byline": "Sam Rivera",
                },
            ),
            OpenApiExample("Created", response_only=True, status_codes=["201"], value=ARTICLE_EXAMPLE),
        ],
    )
    def post(self, request: Request) -> Response:
        body = ArticleCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        article = article_create(
            title=values["title"],
            text=values["text"],
            url=values.get("url"),
            outlet_name=values.get("outlet"),
            byline=values.get("byline") or "",
            published_at=values.get("published_at"),
            created_by=request.user,  # type: ignore[arg-type]
        )
        representation = article_representation(article)
        return Response(
            representation,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": f"/api/v1/articles/{article.pk}/",
                "ETag": representation_etag(representation),
            },
        )


class ArticleDetailView(ApiView):
    required_permissions = {"GET": VIEW}

    @extend_schema(
        operation_id="articles_retrieve",
        summary="Get an article with its current text",
        parameters=[IF_NONE_MATCH],
        responses={
            200: ArticleDetailSerializer,
            304: NOT_MODIFIED,
            **errors(*READ_ERRORS, 404),
        },
        examples=[
            OpenApiExample("An article", response_only=True, status_codes=["200"], value=ARTICLE_EXAMPLE)
        ],
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = access_article(user=request.user, article_id=article_id)
        representation = article_representation(article)
        return conditional_response(request, representation, etag=representation_etag(representation))
