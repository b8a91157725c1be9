from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.boilerplate import DroppedLine
from articles.extraction import (
    HTML_SUFFIXES,
    PDF_SUFFIXES,
    TEXT_SUFFIXES,
    ArticleRecord,
    ParsedFile,
    clean_pasted_text,
    parse_content,
    parse_pdf,
)
from articles.fetch import FetchError, fetch_article
from articles.models import Article, ArticleRevision, Outlet
from articles.signals import article_revision_created
from articles.textnorm import normalise_text, text_sha256


def outlet_for(*, name: str | None, url: str | None = None) -> Outlet | None:
    """The outlet named ``name`` (created on first use), or the one known for the URL's domain."""
    domain = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    name = " ".join((name or "").split())
    if name:
        outlet, created = Outlet.objects.get_or_create(name=name, defaults={"domain": domain})
        if not created and domain and not outlet.domain:
            Outlet.objects.filter(pk=outlet.pk).update(domain=domain)
        return outlet
    if domain:
        return Outlet.objects.filter(domain=domain).first()
    return None


def _check_text(text: str) -> str:
    normalised = normalise_text(text)
    if not normalised:
        raise ValidationError({"text": ["The article text is empty."]})
    if len(normalised) > settings.ARTICLE_MAX_CHARS:
        raise ValidationError(
            {
                "text": [
                    f"The article text has {len(normalised):,} characters; the limit is "
                    f"{settings.ARTICLE_MAX_CHARS:,}. Split it into parts or ask an admin to raise "
                    "CORROBORATE_ARTICLE_MAX_CHARS."
                ]
            }
        )
    return normalised


def _check_url(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError({"url": [f"{url!r} is not an http(s) URL."]}) from error
    return url


@transaction.atomic
def article_create(
    *,
    title: str,
    text: str,
    url: str | None = None,
    outlet_name: str | None = None,
    byline: str = "",
    published_at: datetime | None = None,
    created_by: User | None = None,
) -> Article:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": ["A title is required."]})
    if len(title) > 500:
        raise ValidationError({"title": ["The title is longer than 500 characters."]})
    normalised = _check_text(text)
    url = _check_url(url)
    if url and Article.objects.filter(url=url).exists():
        raise ValidationError({"url": [f"An article with the URL {url} already exists."]})
    now = timezone.now()
    article = Article.objects.create(
        title=title,
        url=url,
        outlet=outlet_for(name=outlet_name, url=url),
        byline=byline.strip()[:300],
        published_at=published_at,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    revision = ArticleRevision.objects.create(
        article=article, number=1, text=normalised, sha256=text_sha256(normalised), created_by=created_by
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    article_revision_created.send(sender=Article, article_id=article.pk, revision_id=revision.pk)
    return article


@transaction.atomic
def article_revision_create(
    *, article: Article, text: str, created_by: User | None = None
) -> ArticleRevision | None:
    """A new current revision with ``text``, or None when the text is unchanged.

    Callers that own annotations must re-anchor them; use
    ``annotations.services.article_revise`` rather than calling this directly.
    """
    normalised = _check_text(text)
    digest = text_sha256(normalised)
    # Lock the article so two concurrent revisions cannot take the same number.
    locked = Article.objects.select_for_update().get(pk=article.pk)
    current = locked.current_revision
    if current is not None and current.sha256 == digest:
        return None
    number = (current.number if current else 0) + 1
    revision = ArticleRevision.objects.create(
        article=locked, number=number, text=normalised, sha256=digest, created_by=created_by
    )
    Article.objects.filter(pk=locked.pk).update(current_revision=revision, updated_at=timezone.now())
    article.current_revision = revision
    article_revision_created.send(sender=Article, article_id=locked.pk, revision_id=revision.pk)
    return revision


@dataclass(frozen=True)
class ImportOutcome:
    article: Article
    action: str  # "created", "revised" or "unchanged"
    revision: ArticleRevision | None = None


def article_import(*, record: ArticleRecord, created_by: User | None = None) -> ImportOutcome:
    """Create or revise an article from an imported record. Idempotent.

    The same URL, or (without a URL) the same normalised text, is the same article: unchanged text
    does nothing, changed text under a known URL becomes a new revision.
    """
    normalised = _check_text(record.text)
    existing: Article | None = None
    if record.url:
        existing = Article.objects.filter(url=record.url).select_related("current_revision").first()
    if existing is None:
        same_text = (
            ArticleRevision.objects.filter(sha256=text_sha256(normalised)).select_related("article").first()
        )
        if same_text is not None:
            return ImportOutcome(article=same_text.article, action="unchanged")
    if existing is not None:
        revision = article_revision_create(article=existing, text=normalised, created_by=created_by)
        return ImportOutcome(
            article=existing, action="revised" if revision else "unchanged", revision=revision
        )
    try:
        article = article_create(
            title=record.title,
            text=normalised,
            url=record.url,
            outlet_name=record.outlet,
            byline=record.byline,
            published_at=record.published_at,
            created_by=created_by,
        )
    except IntegrityError:
        # Another importer created the same URL between our read and our write.
        article = Article.objects.get(url=record.url)
        return ImportOutcome(article=article, action="unchanged")
    return ImportOutcome(article=article, action="created", revision=article.current_revision)


@dataclass(frozen=True)
class ArticleSubmission:
    article: Article
    created: bool  # False: the same text (or URL) was already here, and nothing was added
    dropped: tuple[DroppedLine, ...]


UPLOAD_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | PDF_SUFFIXES


def _parse_upload(name: str, content: bytes, *, url: str | None) -> ParsedFile:
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationError(
            {"file": [f"{name} is not a web page, PDF or text file: use .html, .pdf or .txt."]}
        )
    if suffix in PDF_SUFFIXES:
        return parse_pdf(content, origin=name, url=url)
    try:
        decoded = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"file": [f"{name} is not UTF-8 text: save it as UTF-8 and try again."]}
        ) from error
    return parse_content(decoded, suffix=suffix, origin=name, url=url)


def _fetch_page(url: str) -> ParsedFile:
    """The article at ``url``, fetched within the limits; problems are the URL field's errors."""
    try:
        return fetch_article(url)
    except FetchError as error:
        raise ValidationError({"url": [f"Not imported: {error}."]}) from error


def article_submit(
    *,
    title: str,
    text: str,
    url: str | None,
    outlet_name: str | None,
    byline: str,
    published_at: datetime | None,
    upload: tuple[str, bytes] | None,
    created_by: User,
) -> ArticleSubmission:
    """Add an article from the browser: pasted text, a saved web page, PDF or text file, or only a
    URL, which is then fetched (``articles.fetch``: time and size limits, no private addresses).

    Boilerplate lines are dropped as on import and reported back. What the editor typed in the form
    wins over what the page says of itself (title, URL, outlet, byline, date); a fetched page keeps
    the address it was found at after redirects. The same text, or an article under the same URL,
    is not added twice: the existing article is returned (for a URL, without fetching it again).
    """
    dropped: tuple[DroppedLine, ...] = ()
    fetching = upload is None and not text.strip() and bool(url)
    if upload is not None or fetching:
        if upload is not None:
            name = upload[0]
            parsed = _parse_upload(name, upload[1], url=url or None)
        else:
            name = _check_url(url) or ""  # not empty: fetching needs a URL
            known = Article.objects.filter(url=name).first()
            if known is not None:
                return ArticleSubmission(article=known, created=False, dropped=dropped)
            parsed = _fetch_page(name)
        if not parsed.records:
            reason = parsed.skipped[0].reason if parsed.skipped else "no article text found"
            raise ValidationError({"file" if upload is not None else "url": [f"{name}: {reason}."]})
        record = parsed.records[0]
        dropped = tuple(line for _, line in parsed.dropped_lines)
        title, text = title or record.title, record.text
        url = record.url if fetching else url or record.url
        outlet_name = outlet_name or record.outlet
        byline, published_at = byline or record.byline, published_at or record.published_at
    else:
        text, dropped = clean_pasted_text(text)
    url = _check_url(url)
    if url:
        known = Article.objects.filter(url=url).first()
        if known is not None:
            return ArticleSubmission(article=known, created=False, dropped=dropped)
    if text.strip():
        same_text = ArticleRevision.objects.filter(sha256=text_sha256(normalise_text(text))).first()
        if same_text is not None:
            return ArticleSubmission(article=same_text.article, created=False, dropped=dropped)
    article = article_create(
        title=title,
        text=text,
        url=url,
        outlet_name=outlet_name,
        byline=byline,
        published_at=published_at,
        created_by=created_by,
    )
    return ArticleSubmission(article=article, created=True, dropped=dropped)
