"""The verdict history is append-only everywhere (API, pages, admin), and every change an admin makes
through the admin leaves an ``AuditEvent``."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.forms import MultiWidget
from django.test import Client
from django.utils import timezone

from accounts.admin import AuditedModelAdmin
from accounts.models import ApiToken, AuditEvent
from accounts.services import api_token_create
from articles.models import Outlet
from claims.models import Claim, ClaimStatus, Finding, Review
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import api_client_for


@pytest.fixture
def reviewed(editor: User) -> Claim:
    claim = factories.claim(text="The harbour handled 2 million containers in 2023.", user=editor)
    claim_review(claim_id=claim.pk, reviewer=editor, verdict=ClaimStatus.CORROBORATED, rationale="Port data.")
    return Claim.objects.get(pk=claim.pk)


def history(claim: Claim) -> list[tuple[Any, ...]]:
    return list(
        Review.objects.filter(claim=claim)
        .order_by("pk")
        .values_list("pk", "verdict", "rationale", "evidence", "reviewer_id", "claim_version", "created_at")
    )


def admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"], indirect=True)
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_api_offers_no_way_to_edit_or_delete_a_verdict(
    persona: User, reviewed: Claim, method: str
) -> None:
    before = history(reviewed)
    client = api_client_for(persona)
    # when
    on_history = getattr(client, method)(
        f"/api/v1/claims/{reviewed.pk}/reviews/", {"verdict": "disputed", "rationale": "Changed my mind."}
    )
    on_claim = client.delete(f"/api/v1/claims/{reviewed.pk}/")
    # then
    assert (on_history.status_code, on_history.json()) == (
        405,
        {"detail": f'Method "{method.upper()}" not allowed.'},
    )
    assert (on_claim.status_code, on_claim.json()) == (405, {"detail": 'Method "DELETE" not allowed.'})
    assert history(reviewed) == before


@pytest.mark.django_db
def test_review_rows_are_read_only_in_the_admin_for_admins_too(admin_user: User, reviewed: Claim) -> None:
    review = Review.objects.get(claim=reviewed)
    before = history(reviewed)
    client = admin_client(admin_user)
    url = f"/admin/claims/review/{review.pk}/change/"
    # when
    listing = client.get("/admin/claims/review/")
    page = client.get(url)
    edit = client.post(url, {"verdict": "disputed", "rationale": "Edited.", "claim_version": 1})
    add = client.get("/admin/claims/review/add/")
    delete_page = client.get(f"/admin/claims/review/{review.pk}/delete/")
    delete = client.post(f"/admin/claims/review/{review.pk}/delete/", {"post": "yes"})
    bulk_delete = client.post(
        "/admin/claims/review/", {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"}
    )
    # then: it can be read, and nothing else
    assert listing.status_code == 200
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert "Port data." in page.content.decode()
    assert [edit.status_code, add.status_code, delete_page.status_code, delete.status_code] == [
        403,
        403,
        403,
        403,
    ]
    # the action is not offered, so Django answers with the list again and deletes nothing
    assert bulk_delete.status_code == 200
    assert history(reviewed) == before


@pytest.mark.django_db
def test_a_claim_with_a_verdict_history_cannot_be_deleted_in_the_admin(
    admin_user: User, reviewed: Claim
) -> None:
    before = history(reviewed)
    client = admin_client(admin_user)
    # when: deleting the claim would take its reviews with it
    delete_page = client.get(f"/admin/claims/claim/{reviewed.pk}/delete/")
    delete = client.post(f"/admin/claims/claim/{reviewed.pk}/delete/", {"post": "yes"})
    bulk_delete = client.post(
        "/admin/claims/claim/",
        {"action": "delete_selected", "_selected_action": [reviewed.pk], "post": "yes"},
    )
    # then
    assert delete_page.status_code == 200
    assert "your account doesn't have permission to delete the following types of objects" in (
        delete_page.content.decode().replace("&#x27;", "'")
    )
    assert delete.status_code == 403
    assert bulk_delete.status_code == 403
    assert Claim.objects.filter(pk=reviewed.pk).exists()
    assert history(reviewed) == before
    assert not AuditEvent.objects.filter(action="admin.deleted").exists()


def test_every_admin_page_of_the_project_is_audited() -> None:
    unaudited = sorted(
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedModelAdmin)
    )
    assert unaudited == []


def change_form_data(client: Client, url: str) -> dict[str, Any]:
    """What the browser would post back from an admin add or change form left as it is."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            bound = form[name]
            widget = bound.field.widget
            value = bound.value()
            if isinstance(widget, MultiWidget):
                parts = widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    data[form.add_prefix(name) + suffix] = "" if part is None else str(part)
            elif value is None:
                data[form.add_prefix(name)] = ""
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif value is False:
                continue  # an unticked checkbox is not sent
            else:
                data[form.add_prefix(name)] = str(value)
    return data


def audit_rows(**filters: Any) -> list[tuple[Any, ...]]:
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("pk")
        .values_list("actor__username", "action", "object_type", "object_id")
    )


@pytest.mark.django_db
def test_changing_a_claim_in_the_admin_leaves_an_audit_row(admin_user: User, reviewed: Claim) -> None:
    client = admin_client(admin_user)
    url = f"/admin/claims/claim/{reviewed.pk}/change/"
    data = change_form_data(client, url)
    # when
    response = client.post(url, {**data, "speaker": "The port authority", "_save": "Save"})
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(pk=reviewed.pk).speaker == "The port authority"
    assert audit_rows(action__startswith="admin.") == [
        ("ada-admin", "admin.changed", "claims.claim", str(reviewed.pk))
    ]
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.data == {"changes": [{"changed": {"fields": ["Speaker"]}}]}


@pytest.mark.django_db
def test_adding_and_bulk_deleting_in_the_admin_leave_audit_rows(
    admin_user: User, editor: User, annotator: User
) -> None:
    client = admin_client(admin_user)
    left = factories.claim(text="The council approved the budget on Monday.", user=annotator)
    right = factories.claim(text="The council rejected the budget on Monday.", user=annotator)
    finding = Finding.objects.create(
        claim_low_id=left.pk, claim_high_id=right.pk, kind="contradiction", score=0.8, detector_version="test"
    )
    # when: an outlet is added, and the finding is removed with the "delete selected" action
    blank = change_form_data(client, "/admin/articles/outlet/add/")
    added = client.post(
        "/admin/articles/outlet/add/", {**blank, "name": "Velmora Post", "domain": "velmora.example"}
    )
    deleted = client.post(
        "/admin/claims/finding/",
        {"action": "delete_selected", "_selected_action": [finding.pk], "post": "yes"},
    )
    # then
    assert (added.status_code, deleted.status_code) == (302, 302)
    outlet = Outlet.objects.get(name="Velmora Post")
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert audit_rows(action__startswith="admin.") == [
        ("ada-admin", "admin.added", "articles.outlet", str(outlet.pk)),
        ("ada-admin", "admin.deleted", "claims.finding", str(finding.pk)),
    ]


@pytest.mark.django_db
def test_granting_a_role_in_the_admin_leaves_an_audit_row(admin_user: User, reader: User) -> None:
    client = admin_client(admin_user)
    url = f"/admin/auth/user/{reader.pk}/change/"
    data = change_form_data(client, url)
    editors = Group.objects.get(name="editor")
    # when
    response = client.post(url, {**data, "groups": [str(editors.pk)], "_save": "Save"})
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(reader.groups.values_list("name", flat=True)) == ["editor"]
    assert audit_rows(action__startswith="admin.") == [
        ("ada-admin", "admin.changed", "auth.user", str(reader.pk))
    ]
    # (Django's user form may list its split "Date joined" field as changed too)
    [change] = AuditEvent.objects.get(action="admin.changed").data["changes"]
    assert "Groups" in change["changed"]["fields"]


@pytest.mark.django_db
def test_revoking_tokens_and_unlocking_accounts_in_the_admin_leave_audit_rows(
    admin_user: User, editor: User
) -> None:
    client = admin_client(admin_user)
    token, _ = api_token_create(user=editor, name="cms")
    attempt = AccessAttempt.objects.create(
        username=editor.username, ip_address="10.0.0.7", failures_since_start=5, attempt_time=timezone.now()
    )
    # when
    revoked = client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    unlocked = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    # then
    assert (revoked.status_code, unlocked.status_code) == (302, 302)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert not AccessAttempt.objects.exists()
    assert audit_rows(actor=admin_user) == [
        ("ada-admin", "api_token.revoked", "api_token", str(token.pk)),
        ("ada-admin", "admin.deleted", "axes.accessattempt", str(attempt.pk)),
    ]


@pytest.mark.django_db
def test_api_tokens_cannot_be_added_in_the_admin(admin_user: User) -> None:
    # a token made here would have no key to show; 'manage.py create_api_token' shows it once
    assert admin_client(admin_user).get("/admin/accounts/apitoken/add/").status_code == 403
