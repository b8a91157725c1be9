"""W3C Web Annotation export. It lives in claims because an annotation's bodies are its claim."""

from __future__ import annotations

from django.urls import path

from claims.api.annotations import AnnotationCollectionView, AnnotationDetailView, AnnotationPageView

urlpatterns = [
    path("annotations/", AnnotationPageView.as_view(), name="w3c-annotation-list"),
    path("annotations/collection/", AnnotationCollectionView.as_view(), name="w3c-annotation-collection"),
    path("annotations/<int:annotation_id>/", AnnotationDetailView.as_view(), name="w3c-annotation-detail"),
]
