from __future__ import annotations

from django.urls import path

from articles.api import articles

urlpatterns = [
    path("articles/", articles.ArticleListView.as_view(), name="api-article-list"),
    path("articles/<int:article_id>/", articles.ArticleDetailView.as_view(), name="api-article-detail"),
]
