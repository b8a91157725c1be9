from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from articles.models import Article, ArticleRevision


def article_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Article]:
    """Articles the user may read: every authenticated user reads every article."""
    if not user.is_authenticated:
        return Article.objects.none()
    return Article.objects.select_related("outlet", "current_revision").order_by("-published_at", "-id")


def article_get(*, user: AbstractBaseUser | AnonymousUser, article_id: int) -> Article | None:
    return article_list(user=user).filter(pk=article_id).first()


def access_article(*, user: AbstractBaseUser | AnonymousUser, article_id: int) -> Article:
    """The article ``user`` may read, else Http404: the fetch API and web views share (see
    ``claims.selectors.access`` for the rule)."""
    article = article_get(user=user, article_id=article_id)
    if article is None:
        raise Http404(f"No article {article_id}.")
    return article


def revision_list(*, article: Article) -> QuerySet[ArticleRevision]:
    return ArticleRevision.objects.filter(article=article).order_by("-number")
