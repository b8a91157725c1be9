from __future__ import annotations

from django.urls import path

from annotations.api import revisions

urlpatterns = [
    path(
        "articles/<int:article_id>/revisions/",
        revisions.RevisionCreateView.as_view(),
        name="api-article-revision-create",
    ),
]
