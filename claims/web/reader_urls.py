from __future__ import annotations

from django.urls import path

from claims.web import reader

urlpatterns = [
    path("articles/", reader.article_list, name="article-list"),
    path("articles/new/", reader.article_new, name="article-new"),
    path("articles/<int:article_id>/", reader.article_read, name="article-read"),
    path("articles/<int:article_id>/reader.json", reader.article_reader_data, name="article-reader-data"),
    path("articles/<int:article_id>/edit/", reader.article_edit, name="article-edit"),
    path(
        "articles/<int:article_id>/revisions/<int:number>/",
        reader.article_revision,
        name="article-revision",
    ),
    path(
        "articles/<int:article_id>/revisions/<int:number>/text",
        reader.article_revision_text,
        name="article-revision-text",
    ),
]
