"""The desk's workflow in the browser: assigning claims (on the claim page and in bulk from the
queue), the discussion on the claim page, following, and the notifications page with preferences.

Assigning needs ``claims.assign_claim`` (editors, admins); discussing, following and notifications
need ``claims.view_claimcomment`` / ``claims.add_claimcomment`` (the desk: not readers). Every form
posts and redirects back; service errors come back as messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import MailDelivery, NotificationEvent
from accounts.selectors import desk_users, notification_preferences
from accounts.services import notification_preferences_save
from claims.models import Claim
from claims.selectors.claims import claim_get
from claims.selectors.desk import (
    claim_comments,
    claim_followed,
    comment_html,
    notification_list,
    notifications_unread_count,
)
from claims.services.assignments import assignee_validate, claims_assign
from claims.services.comments import MAX_COMMENT_CHARS, claim_comment_create
from claims.services.notifications import claim_follow, claim_unfollow, notifications_mark_read
from claims.web.review.forms import QueueVerdictForm

NOTIFICATIONS_SHOWN = 100


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or default)


def _report(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def claim_desk_context(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    """What the claim page shows of the desk's workflow, for the current user."""
    can_comment = request.user.has_perm("claims.add_claimcomment")
    can_assign = request.user.has_perm("claims.assign_claim")
    comments = [
        (comment, comment_html(comment)) for comment in claim_comments(user=request.user, claim_id=claim.pk)
    ]
    return {
        "can_discuss": request.user.has_perm("claims.view_claimcomment"),
        "can_comment": can_comment,
        "can_assign": can_assign,
        "assignable_users": list(desk_users().only("pk", "username")) if can_assign else [],
        "comments": comments,
        "following": claim_followed(user=request.user, claim_id=claim.pk),
        "comment_max": MAX_COMMENT_CHARS,
    }


# --- Assignment ----------------------------------------------------------------------------------


@login_required
@permission_required("claims.assign_claim", raise_exception=True)
@require_POST
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = claim_get(user=request.user, claim_id=claim_id)
    if claim is None:
        raise Http404("No such claim.")
    try:
        assignee = assignee_validate(username=request.POST.get("assignee") or None)
        changed = claims_assign(claim_ids=[claim_id], assignee=assignee, actor=_user(request))
    except ValidationError as error:
        _report(request, error)
    else:
        if changed:
            messages.success(request, f"Assigned to {assignee.username}." if assignee else "Unassigned.")
    return redirect(reverse("claim-detail", args=[claim_id]) + "#assignment")


@login_required
@permission_required("claims.assign_claim", raise_exception=True)
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """The queue's bulk bar: the selected rows (``claim`` = ``<id>:<version>``) to one assignee."""
    form = QueueVerdictForm(request.POST)
    form.is_valid()  # only its parsing of the selection is used here
    if not form.claim_versions:
        for message in form.errors.get("__all__", ["Select at least one claim."]):
            messages.error(request, str(message))
        return _back(request, reverse("review-queue"))
    try:
        assignee = assignee_validate(username=request.POST.get("assignee") or None)
        changed = claims_assign(claim_ids=list(form.claim_versions), assignee=assignee, actor=_user(request))
    except ValidationError as error:
        _report(request, error)
    else:
        count = f"{len(changed)} claim{'s' if len(changed) != 1 else ''}"
        messages.success(
            request, f"Assigned {count} to {assignee.username}." if assignee else f"Unassigned {count}."
        )
    return _back(request, reverse("review-queue"))


# --- Discussion and following --------------------------------------------------------------------


@login_required
@permission_required("claims.add_claimcomment", raise_exception=True)
@require_POST
def claim_comment(request: HttpRequest, claim_id: int) -> HttpResponse:
    if claim_get(user=request.user, claim_id=claim_id) is None:
        raise Http404("No such claim.")
    try:
        claim_comment_create(claim_id=claim_id, author=_user(request), body=request.POST.get("body", ""))
    except ValidationError as error:
        _report(request, error)
    except Claim.DoesNotExist as error:
        messages.error(request, str(error))
    return redirect(reverse("claim-detail", args=[claim_id]) + "#discussion")


@login_required
@permission_required("claims.view_claimcomment", raise_exception=True)
@require_POST
def claim_follow_toggle(request: HttpRequest, claim_id: int) -> HttpResponse:
    if claim_get(user=request.user, claim_id=claim_id) is None:
        raise Http404("No such claim.")
    if request.POST.get("follow") == "1":
        claim_follow(claim_id=claim_id, user=_user(request))
        messages.success(
            request, "You follow this claim: new findings, verdicts and comments will notify you."
        )
    else:
        claim_unfollow(claim_id=claim_id, user=_user(request))
        messages.success(request, "You no longer follow this claim.")
    return redirect(reverse("claim-detail", args=[claim_id]) + "#assignment")


# --- Notifications -------------------------------------------------------------------------------


class PreferencesForm(forms.Form):
    in_app_events = forms.MultipleChoiceField(
        choices=NotificationEvent.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    email_events = forms.MultipleChoiceField(
        choices=NotificationEvent.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    email_delivery = forms.ChoiceField(choices=MailDelivery.choices)


@login_required
@permission_required("claims.view_claimcomment", raise_exception=True)
@require_GET
def notifications_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    preferences = notification_preferences(user_ids=[user.pk])[user.pk]
    form = PreferencesForm(
        initial={
            "in_app_events": sorted(preferences.in_app_events),
            "email_events": sorted(preferences.email_events),
            "email_delivery": preferences.email_delivery,
        }
    )
    context = {
        "notifications": list(notification_list(user=user)[:NOTIFICATIONS_SHOWN]),
        "unread": notifications_unread_count(user=user),
        "form": form,
        "events": NotificationEvent.choices,
        "has_email": bool(user.email),
    }
    return render(request, "claims/notifications.html", context)


@login_required
@permission_required("claims.view_claimcomment", raise_exception=True)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    marked = notifications_mark_read(user=_user(request), notification_ids=ids or None)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return _back(request, reverse("notifications"))


@login_required
@permission_required("claims.view_claimcomment", raise_exception=True)
@require_POST
def notifications_preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Those preferences could not be saved: choose a delivery for mail.")
    else:
        notification_preferences_save(
            user=_user(request),
            in_app_events=form.cleaned_data["in_app_events"],
            email_events=form.cleaned_data["email_events"],
            email_delivery=form.cleaned_data["email_delivery"],
        )
        messages.success(request, "Notification preferences saved.")
    return redirect(reverse("notifications") + "#preferences")
