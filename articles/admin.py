from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from accounts.admin import AuditedModelAdmin
from articles.models import Article, ArticleRevision, Outlet


@admin.register(Outlet)
class OutletAdmin(AuditedModelAdmin[Outlet]):
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]


class ArticleRevisionInline(admin.TabularInline[ArticleRevision, Article]):
    model = ArticleRevision
    fields = ["number", "sha256", "created_at", "created_by"]
    readonly_fields = ["number", "sha256", "created_at", "created_by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(AuditedModelAdmin[Article]):
    list_display = ["title", "outlet", "published_at", "url"]
    list_filter = ["outlet"]
    search_fields = ["title", "url"]
    readonly_fields = ["current_revision", "created_at", "updated_at", "created_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ArticleRevisionInline]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(AuditedModelAdmin[ArticleRevision]):
    list_display = ["article", "number", "sha256", "created_at"]
    readonly_fields = ["article", "number", "text", "sha256", "created_at", "created_by"]

    # Revisions are immutable; a change is a new revision made through the product.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ArticleRevision | None = None) -> bool:
        return False
