"""The reader: the article list, one article with its highlights and claims, its revisions, and the
editors' "Edit text" page. Reads go through ``claims.selectors.reader``; the only write here is
``article_revise``. Claims are created by the reader's JavaScript through the REST API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotations.services import RevisionImpact, RevisionNeedsConfirmation, article_revise
from articles.services import article_submit
from claims.selectors.reader import (
    ReaderPage,
    article_list_with_counts,
    article_reader,
    article_revision_get,
)
from claims.selectors.triage import article_triage, triage_show_marks
from claims.web.article_form import ArticleForm
from claims.web.review.forms import apply_service_error

ARTICLES_PER_PAGE = 50
# Stands in for a claim id in a reversed URL, replaced by the browser.
_ID_PLACEHOLDER = 2147483647


def _claim_url_template() -> str | None:
    """The claim page's URL with ``{id}`` for the id, if the review area provides one."""
    try:
        return reverse("claim-detail", args=[_ID_PLACEHOLDER]).replace(str(_ID_PLACEHOLDER), "{id}")
    except NoReverseMatch:
        return None


@login_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    paginator = Paginator(article_list_with_counts(user=request.user, query=query), ARTICLES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "can_add": request.user.has_perm("articles.add_article")}
    return render(request, "claims/article_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    """Editors add an article by pasting its text or uploading the saved page."""
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied("Only editors can add articles.")
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        assert isinstance(request.user, User)  # for mypy: login_required
        try:
            submission = article_submit(
                title=data["title"],
                text=data["text"],
                url=data["url"] or None,
                outlet_name=data["outlet"] or None,
                byline=data["byline"],
                published_at=data["published_at"],
                upload=(upload.name, upload.read()) if upload is not None else None,
                created_by=request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            article = submission.article
            if not submission.created:
                messages.info(request, f"This article is already here: “{article.title}”. Nothing was added.")
            else:
                dropped = len(submission.dropped)
                note = f" {dropped} boilerplate line{'s' if dropped != 1 else ''} dropped." if dropped else ""
                messages.success(request, f"Article added.{note} Select a statement to turn it into a claim.")
            return redirect("article-read", article_id=article.pk)
    status = 400 if form.errors else 200
    return render(request, "claims/article_new.html", {"form": form}, status=status)


def _reader_payload(request: HttpRequest, article_id: int) -> tuple[ReaderPage, dict[str, Any]]:
    page = article_reader(user=request.user, article_id=article_id)
    if page is None:
        raise Http404("No such article.")
    triage = article_triage(article=page.article)
    payload = {
        **page.payload,
        "can_annotate": request.user.has_perm("claims.add_claim"),
        # Only the sentences with something to show: the island stays small on long articles.
        "triage": {
            "state": triage.state,
            "show_marks": triage_show_marks(user=request.user),
            "sentences": [s for s in triage.sentences if s["marked"] or s["repeats"]],
        },
        "urls": {
            "claims": reverse("api-claim-list"),
            "speakers": reverse("api-speaker-list"),
            "refresh": reverse("article-reader-data", args=[article_id]),
            "claim": _claim_url_template(),
            "triage": reverse("api-article-triage", args=[article_id]),
            "triage_preferences": reverse("api-triage-preferences"),
        },
    }
    return page, payload


@login_required
@require_GET
def article_read(request: HttpRequest, article_id: int) -> HttpResponse:
    page, payload = _reader_payload(request, article_id)
    context = {
        "article": page.article,
        "revision": page.revision,
        "revisions": page.revisions,
        "payload": payload,
        "can_edit_text": request.user.has_perm("articles.change_article"),
    }
    return render(request, "claims/reader.html", context)


@login_required
@require_GET
def article_reader_data(request: HttpRequest, article_id: int) -> JsonResponse:
    """The reader's data island, again: the page polls it while checks or re-anchoring run."""
    _, payload = _reader_payload(request, article_id)
    return JsonResponse(payload)


@login_required
@require_GET
def article_revision(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = article_revision_get(user=request.user, article_id=article_id, number=number)
    if revision is None:
        raise Http404("No such revision.")
    context = {
        "article": revision.article,
        "revision": revision,
        "paragraphs": revision.text.split("\n\n"),
        "is_current": revision.article.current_revision_id == revision.pk,
    }
    return render(request, "claims/reader_revision.html", context)


@login_required
@require_GET
def article_revision_text(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    """The revision's normalised text, which annotation offsets index (the W3C export's ``cached``)."""
    revision = article_revision_get(user=request.user, article_id=article_id, number=number)
    if revision is None:
        raise Http404("No such revision.")
    response = HttpResponse(revision.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    """Editors replace the article text; the change becomes a new revision and highlights re-anchor."""
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied("Only editors can edit an article's text.")
    page = article_reader(user=request.user, article_id=article_id)
    if page is None:
        raise Http404("No such article.")
    article, current = page.article, page.revision
    errors: list[str] = []
    text = current.text
    confirm: RevisionImpact | None = None
    if request.method == "POST":
        text = request.POST.get("text", "")
        base = request.POST.get("base_revision", "")
        if base != str(current.number):
            errors.append(
                f"The text was changed by someone else while you edited it (it is now revision "
                f"{current.number}). Copy your changes, reload this page and apply them again."
            )
        else:
            assert isinstance(request.user, User)  # for mypy: login_required
            try:
                revision = article_revise(
                    article=article,
                    text=text,
                    user=request.user,
                    check_orphans=request.POST.get("force") != "1",
                )
            except RevisionNeedsConfirmation as refusal:
                confirm = refusal.impact
                errors.append(
                    f"This text would orphan {confirm.orphaned} of the article's {confirm.anchored} anchored "
                    "highlights: their passages are not in it. Nothing was saved. Check that it is the "
                    "whole article, or tick \u201cSave anyway\u201d and save again."
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                if revision is None:
                    messages.info(request, "The text is unchanged: no new revision was made.")
                else:
                    messages.success(
                        request,
                        f"Saved as revision {revision.number}. Highlights are re-anchored onto it.",
                    )
                return redirect("article-read", article_id=article.pk)
    context = {"article": article, "revision": current, "text": text, "errors": errors, "confirm": confirm}
    return render(request, "claims/article_edit.html", context, status=400 if errors else 200)
