from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from articles.models import Article, ArticleRevision


def article_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Article]:
    """Articles the user may read: every authenticated user reads every article."""
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.select_related("outlet", "current_revision").order_by("-published_at", "-id")


def article_get(*, user: AbstractBaseUser | AnonymousUser, article_id: int) -> Article | None:
    return article_list(user=user).filter(pk=article_id).first()


def revision_list(*, article: Article) -> QuerySet[ArticleRevision]:
    return ArticleRevision.objects.filter(article=article).order_by("-number")
