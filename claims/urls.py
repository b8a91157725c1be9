"""Browser pages. Each area of the UI owns its module under claims/web/."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("claims.web.reader_urls")),
    path("", include("claims.web.review_urls")),
    path("", include("claims.web.desk_urls")),
]
