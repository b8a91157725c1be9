"""The review queue: claims awaiting a verdict, filtered and in priority order, verdicts one at a time
or in bulk, and a live endpoint the page polls while checks run.

Every page and POST needs a login (anonymous visitors are sent to the login page); verdicts need
``claims.review_claim`` (403 otherwise). Reads come from ``claims.selectors.queue``; the only write is
``reviews_bulk``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.numbers import whole_number_or_none, whole_numbers
from accounts.selectors import desk_users
from claims.models import CheckStatus, ClaimStatus
from claims.selectors.claims import claim_latest_reviews
from claims.selectors.filters import MAX_QUERY_CHARS, MAX_SPEAKER_CHARS
from claims.selectors.queue import (
    QueueFilters,
    QueueRow,
    live_state,
    outlet_name,
    queue_claims,
    queue_claims_by_id,
    queue_facets,
    queue_rows,
)
from claims.services.reviews import reviews_bulk
from claims.web.review.forms import RATIONALE_REQUIRED_VALUES, VERDICT_CHOICES, QueueVerdictForm
from claims.web.review.live import etag_matches, live_json, not_modified

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
MAX_LIVE_IDS = 200


def _positive_int(raw: str | None) -> int | None:
    return whole_number_or_none(raw)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def filters_from(query: QueryDict, *, user_id: int | None = None) -> QueueFilters:
    """The queue's filters from a query string; values that make no sense are ignored, not errors.
    ``assigned`` is ``me`` (the claims of ``user_id``) or ``none`` (unassigned claims)."""
    status = query.get("status", ClaimStatus.UNREVIEWED)
    assigned = query.get("assigned", "")
    check = query.get("check", "")
    return QueueFilters(
        status="" if status == "any" else status if status in ClaimStatus.values else ClaimStatus.UNREVIEWED,
        check=check if check in CheckStatus.values else "",
        contradictions=query.get("contradictions") == "1",
        duplicates=query.get("duplicates") == "1",
        outlet=_positive_int(query.get("outlet")),
        speaker=query.get("speaker", "").strip()[:MAX_SPEAKER_CHARS],
        article=_positive_int(query.get("article")),
        added_from=_day(query.get("from")),
        added_to=_day(query.get("to")),
        q=query.get("q", "").strip()[:MAX_QUERY_CHARS],
        assignee=user_id if assigned == "me" else None,
        unassigned=assigned == "none",
    )


def _query_with(query: QueryDict, **changes: Any) -> str:
    """The current query string with some keys replaced (None removes them)."""
    params = {key: value for key, value in query.items() if value != ""}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    filters = filters_from(request.GET, user_id=request.user.pk)
    size = _positive_int(request.GET.get("size"))
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    facets = queue_facets(user=request.user, filters=filters)
    pages = max(1, -(-facets.total // size))
    number = min(_positive_int(request.GET.get("page")) or 1, pages)
    claims = list(queue_claims(user=request.user, filters=filters)[(number - 1) * size : number * size])
    rows = queue_rows(claims=claims)
    live = live_state(user=request.user, claim_ids=[claim.pk for claim in claims])
    outlet_label = None
    if filters.outlet is not None:
        outlet_label = next(
            (option.label for option in facets.outlets if option.value == str(filters.outlet)), None
        ) or outlet_name(outlet_id=filters.outlet)
    context = {
        "filters": filters,
        "facets": facets,
        "rows": rows,
        "page_number": number,
        "page_count": pages,
        "page_size": size,
        "page_sizes": PAGE_SIZES,
        "first_index": (number - 1) * size + 1,
        "last_index": (number - 1) * size + len(rows),
        "previous_url": _query_with(request.GET, page=number - 1) if number > 1 else None,
        "next_url": _query_with(request.GET, page=number + 1) if number < pages else None,
        "status_value": filters.status or "any",
        "outlet_label": outlet_label,
        "filters_active": filters != QueueFilters(),
        "clear_article_url": _query_with(request.GET, article=None, page=None),
        "verdict_choices": VERDICT_CHOICES,
        "rationale_required": RATIONALE_REQUIRED_VALUES,
        "live_token": live.token,
        "live_pending": live.pending,
        "live_url": reverse("review-live"),
        "return_to": request.get_full_path(),
        "assigned_value": request.GET.get("assigned", "")
        if request.GET.get("assigned") in {"me", "none"}
        else "",
        "can_assign": request.user.has_perm("claims.assign_claim"),
        "assignable_users": list(desk_users().only("pk", "username"))
        if request.user.has_perm("claims.assign_claim")
        else [],
    }
    return render(request, "claims/queue.html", context)


def _row_html(request: HttpRequest, rows: list[QueueRow]) -> dict[str, str]:
    return {
        str(row.claim.pk): render_to_string("claims/_queue_row.html", {"row": row}, request=request)
        for row in rows
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@permission_required("claims.review_claim", raise_exception=True)
@require_POST
def queue_verdicts(request: HttpRequest) -> HttpResponseBase:
    """Record one verdict on the selected rows. Each claim is refused if it changed since the editor saw
    it (the version travels with the row), so a bulk verdict never overwrites a newer one."""
    form = QueueVerdictForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("review-queue")
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        for message in form.errors.get("__all__", []) + form.errors.get("rationale", []):
            messages.error(request, str(message))
        return redirect(back)
    assert isinstance(request.user, User)  # login_required
    try:
        done, failed = reviews_bulk(
            claim_ids=list(form.claim_versions),
            reviewer=request.user,
            verdict=form.cleaned_data["verdict"],
            rationale=form.cleaned_data["rationale"],
            expected_versions=form.claim_versions,
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"errors": _error_json(error)}, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    verdict = form.cleaned_data["verdict"]
    latest = claim_latest_reviews(claim_ids=[claim_id for claim_id, _ in failed])
    refused = [
        {
            "claim": claim_id,
            "message": message,
            "verdict": latest[claim_id].verdict if claim_id in latest else None,
            "reviewer": latest[claim_id].reviewer.username if claim_id in latest else None,
            "rationale": latest[claim_id].rationale if claim_id in latest else None,
        }
        for claim_id, message in failed
    ]
    if _wants_json(request):
        claims = queue_claims_by_id(user=request.user, claim_ids=form.claim_versions)
        return JsonResponse(
            {
                "verdict": verdict,
                "recorded": [review.claim_id for review in done],
                "refused": refused,
                "rows": _row_html(request, queue_rows(claims=claims)),
            }
        )
    if done:
        messages.success(request, f"Recorded {verdict} on {len(done)} claim{'s' if len(done) != 1 else ''}.")
    for item in refused:
        messages.error(request, f"Claim #{item['claim']} was not changed: {item['message']}")
    return redirect(back)


def _error_json(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(value) for key, value in error.message_dict.items()}
    return {"__all__": list(error.messages)}


@login_required
@require_GET
def queue_live(request: HttpRequest) -> HttpResponse:
    """``GET /review/live?ids=1,2,3[&html=0]``: the watched claims' state, for polling pages.

    Answers 304 while the ETag (a digest of the claims' version, status, check state and finding
    counters) is unchanged, at the cost of one query. Otherwise: ``token``, ``pending`` (a check is
    still pending or running: keep polling), ``claims`` (id -> state) and, unless ``html=0``, the
    queue rows re-rendered (``rows``: id -> HTML). The reader can reuse it with ``html=0``.
    """
    ids = whole_numbers(request.GET.get("ids", ""))[:MAX_LIVE_IDS]
    state = live_state(user=request.user, claim_ids=ids)
    if etag_matches(request, state.token):
        return not_modified(state.token)
    payload: dict[str, Any] = {
        "token": state.token,
        "pending": state.pending,
        "claims": {str(pk): value for pk, value in state.claims.items()},
    }
    if request.GET.get("html") != "0":
        claims = queue_claims_by_id(user=request.user, claim_ids=ids)
        payload["rows"] = _row_html(request, queue_rows(claims=claims))
    return live_json(payload, state.token)
