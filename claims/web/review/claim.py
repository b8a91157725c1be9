"""The claim page: the claim with its appearances in context, its findings beside the other claims,
the verdict form, evidence links and the history; plus its live endpoint.

Verdicts carry the claim version the editor was shown; a verdict recorded meanwhile by someone else
makes the service refuse (``ClaimConflict``) and the page says who recorded what and why, keeping the
editor's draft. Writes need ``claims.review_claim`` (verdicts), ``claims.decide_finding`` (findings)
or ``claims.add_source`` (evidence links); anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from accounts.numbers import whole_number_or_none
from claims.models import Claim
from claims.selectors.access import access_claim, access_finding
from claims.selectors.queue import ClaimPage, claim_live_token, claim_page_get
from claims.services.claims import ClaimConflict, claim_sources_add
from claims.services.findings import finding_decide
from claims.services.reviews import claim_review
from claims.services.unmerge import UnmergeRefused, claim_unmerge
from claims.web.desk import claim_desk_context
from claims.web.review.forms import (
    RATIONALE_REQUIRED_VALUES,
    VERDICT_CHOICES,
    FindingDecisionForm,
    SourceForm,
    VerdictForm,
    apply_service_error,
)
from claims.web.review.live import etag_matches, live_json, not_modified


def _page_or_404(request: HttpRequest, claim_id: int) -> ClaimPage:
    page = claim_page_get(user=request.user, claim_id=claim_id)
    if page is None:
        raise Http404("No such claim.")
    return page


def _render_page(
    request: HttpRequest,
    page: ClaimPage,
    *,
    verdict_form: VerdictForm | None = None,
    source_form: SourceForm | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    claim = page.claim
    if verdict_form is None:
        verdict_form = VerdictForm(initial={"expected_version": claim.version})
    live = claim_live_token(user=request.user, claim_id=claim.pk)
    context = {
        "page": page,
        "claim": claim,
        "verdict_form": verdict_form,
        "source_form": source_form or SourceForm(),
        "verdict_choices": VERDICT_CHOICES,
        "rationale_required": RATIONALE_REQUIRED_VALUES,
        "selected_verdict": verdict_form["verdict"].value() or "",
        "conflict": conflict,
        "live_token": live.token,
        "live_pending": live.pending,
        "can_add_source": request.user.has_perm("claims.add_source"),
        "can_decide": request.user.has_perm("claims.decide_finding"),
        **claim_desk_context(request, claim),
    }
    return render(request, "claims/claim_detail.html", context, status=status)


@login_required
@require_GET
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _render_page(request, _page_or_404(request, claim_id))


@login_required
@permission_required("claims.review_claim", raise_exception=True)
@require_POST
def claim_verdict(request: HttpRequest, claim_id: int) -> HttpResponse:
    access_claim(user=request.user, claim_id=claim_id)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _render_page(request, _page_or_404(request, claim_id), verdict_form=form, status=400)
    assert isinstance(request.user, User)  # login_required
    try:
        review = claim_review(
            claim_id=claim_id,
            reviewer=request.user,
            verdict=form.cleaned_data["verdict"],
            rationale=form.cleaned_data["rationale"],
            evidence=form.cleaned_data["evidence"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except ClaimConflict as error:
        page = _page_or_404(request, claim_id)
        # The draft stays; its version becomes the current one, so submitting it again is a
        # deliberate decision taken after reading the newer verdict.
        data = request.POST.copy()
        data["expected_version"] = str(page.claim.version)
        conflict = {"message": str(error), "review": page.latest_review}
        return _render_page(request, page, verdict_form=VerdictForm(data), conflict=conflict, status=409)
    except Claim.DoesNotExist:
        messages.error(request, "This claim was merged into another one: record the verdict there.")
        return redirect("claim-detail", claim_id=claim_id)
    except ValidationError as error:
        apply_service_error(form, error)
        return _render_page(request, _page_or_404(request, claim_id), verdict_form=form, status=400)
    messages.success(request, f"Recorded {review.verdict} (version {review.claim_version + 1}).")
    return redirect("claim-detail", claim_id=claim_id)


@login_required
@permission_required("claims.decide_finding", raise_exception=True)
@require_POST
def finding_decision(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Accept or reject a suggested finding; accepting a duplicate merges the two claims into ``keep``
    (the form preselects the claim whose page the editor is on). ``finding_keep_validate`` is the
    rule, as for the API: a ``keep`` outside the pair is refused with a message, none keeps the older."""
    finding = access_finding(user=request.user, finding_id=finding_id)
    form = FindingDecisionForm(request.POST)
    page_claim = form.data.get("from", "")
    back_to = whole_number_or_none(page_claim) or finding.claim_low_id
    if back_to not in (finding.claim_low_id, finding.claim_high_id):
        back_to = finding.claim_low_id
    if not form.is_valid():
        messages.error(request, "Choose to accept or reject the finding.")
        return redirect("claim-detail", claim_id=back_to)
    assert isinstance(request.user, User)  # login_required
    accept = form.cleaned_data["decision"] == "accept"
    try:
        decision = finding_decide(
            finding_id=finding.pk,
            user=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
            # The form sends its "when merging, keep" choice with either button; it means something
            # only when accepting.
            keep_claim_id=form.cleaned_data["keep"] if accept else None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("claim-detail", claim_id=back_to)
    if decision.kept is not None:
        merged = finding.other_claim_id(decision.kept.pk)
        messages.success(
            request, f"Merged claim #{merged} into this claim, with its appearances and history."
        )
        return redirect("claim-detail", claim_id=decision.kept.pk)
    verb = "Accepted" if accept else "Rejected"
    messages.success(request, f"{verb} the {finding.kind} with claim #{finding.other_claim_id(back_to)}.")
    return redirect("claim-detail", claim_id=back_to)


@login_required
@permission_required("claims.decide_finding", raise_exception=True)
@require_POST
def claim_unmerge_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Undo the merge of ``claim_id`` (the merged claim); back to the page the editor was on."""
    access_claim(user=request.user, claim_id=claim_id)
    assert isinstance(request.user, User)  # login_required
    page_claim = request.POST.get("from", "")
    back_to = int(page_claim) if page_claim.isdigit() else claim_id
    try:
        record = claim_unmerge(
            claim_id=claim_id, user=request.user, reason=request.POST.get("reason", "")[:5000]
        )
    except UnmergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("claim-detail", claim_id=back_to)
    messages.success(
        request,
        f"Unmerged claim #{record.merged_id} from #{record.kept_id}: both claims are back with their "
        f"appearances ({len(record.moved_sources)} moved back) and history.",
    )
    return redirect(
        "claim-detail", claim_id=back_to if back_to in (record.merged_id, record.kept_id) else claim_id
    )


@login_required
@permission_required("claims.add_source", raise_exception=True)
@require_POST
def claim_source_add(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access_claim(user=request.user, claim_id=claim_id)
    form = SourceForm(request.POST)
    if form.is_valid():
        assert isinstance(request.user, User)  # login_required
        try:
            created = claim_sources_add(
                claim=claim,
                user=request.user,
                sources=[{"url": form.cleaned_data["url"], "title": form.cleaned_data["title"]}],
            )
        except ValidationError as error:
            form.add_error("url", error.messages)
        else:
            if created:
                messages.success(request, "Evidence link added.")
            else:
                messages.info(request, "This link is already among the claim's evidence.")
            return redirect("claim-detail", claim_id=claim_id)
    return _render_page(request, _page_or_404(request, claim_id), source_form=form, status=400)


@login_required
@require_GET
def claim_live(request: HttpRequest, claim_id: int) -> HttpResponse:
    """``GET /claims/<id>/live``: 304 while nothing shown changed (two queries); otherwise the check
    state and the re-rendered check and findings sections (``html``), and ``pending`` (keep polling)."""
    state = claim_live_token(user=request.user, claim_id=claim_id)
    if not state.claims:
        raise Http404("No such claim.")
    if etag_matches(request, state.token):
        return not_modified(state.token)
    page = _page_or_404(request, claim_id)
    context = {
        "page": page,
        "claim": page.claim,
        "can_decide": request.user.has_perm("claims.decide_finding"),
    }
    payload = {
        "token": state.token,
        "pending": state.pending,
        "claim": state.claims[claim_id],
        "html": {
            "check": render_to_string("claims/_claim_check.html", context, request=request),
            "findings": render_to_string("claims/_claim_findings.html", context, request=request),
        },
    }
    return live_json(payload, state.token)
