"""Revocation is final, tokens can expire, and a new password or a deactivation revokes a user's tokens."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditEvent
from accounts.roles import Role
from accounts.services import (
    api_token_create,
    api_tokens_revoke,
    user_create_or_update,
    user_deactivate,
    user_password_change,
)
from tests.conftest import PASSWORD


def status_with(key: str) -> tuple[int, dict[str, str]]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/claims/")
    return response.status_code, response.json()


def revocations(token: ApiToken) -> list[tuple[str, dict[str, str]]]:
    return list(
        AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).values_list(
            "action", "data"
        )
    )


@pytest.mark.django_db
def test_a_revoked_token_cannot_be_brought_back_by_save_or_update(reader: User) -> None:
    # given
    token, key = api_token_create(user=reader)
    api_tokens_revoke(token_ids=[token.pk], actor=None)
    token.refresh_from_db()
    # when / then
    token.revoked_at = None
    with pytest.raises(ValidationError, match="A revoked token stays revoked"):
        token.save()
    with pytest.raises(ValidationError, match="A revoked token stays revoked"):
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert status_with(key)[0] == 401


@pytest.mark.django_db
def test_the_admin_shows_revoked_at_and_expires_at_read_only(admin_user: User, reader: User) -> None:
    # given
    token, _ = api_token_create(user=reader)
    api_tokens_revoke(token_ids=[token.pk], actor=admin_user)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/accounts/apitoken/{token.pk}/change/"
    # when: an admin posts the change form with revoked_at cleared
    page = client.get(url).content.decode()
    client.post(url, {"name": "renamed", "revoked_at_0": "", "revoked_at_1": "", "expires_at_0": ""})
    # then: the field is not an input, and the token stays revoked
    assert 'name="revoked_at' not in page
    assert 'name="expires_at' not in page
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


@pytest.mark.django_db
def test_an_expired_token_gets_a_401_that_says_it_expired(reader: User) -> None:
    # given
    token, key = api_token_create(user=reader, expires_in=timedelta(days=1))
    assert status_with(key)[0] == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired_at = ApiToken.objects.get(pk=token.pk).expires_at
    assert expired_at is not None
    # when
    status, body = status_with(key)
    # then
    assert status == 401
    assert body == {
        "detail": f"This token expired at {expired_at:%Y-%m-%d %H:%M} UTC: ask an admin for a new one."
    }


@pytest.mark.django_db
def test_a_token_lifetime_must_be_positive(reader: User) -> None:
    with pytest.raises(ValidationError, match="lifetime must be positive"):
        api_token_create(user=reader, expires_in=timedelta(0))


@pytest.mark.django_db
def test_create_api_token_expires_in_days(reader: User) -> None:
    # when
    out = StringIO()
    before = timezone.now()
    call_command("create_api_token", reader.username, "--expires-in", "30", stdout=out)
    # then
    token = ApiToken.objects.get(user=reader)
    assert token.expires_at is not None
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    assert f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" in out.getvalue()
    assert status_with(out.getvalue().strip().splitlines()[-1])[0] == 200


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "-3", "40000"])
def test_create_api_token_refuses_a_lifetime_out_of_range(reader: User, days: str) -> None:
    with pytest.raises(CommandError, match=re.escape("--expires-in must be a whole number of days from 1")):
        call_command("create_api_token", reader.username, "--expires-in", days, stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_token_without_expiry_keeps_working(reader: User) -> None:
    token, key = api_token_create(user=reader)
    assert token.expires_at is None
    assert status_with(key)[0] == 200


@pytest.mark.django_db
def test_a_password_change_through_the_service_revokes_the_users_tokens(
    reader: User, editor: User, admin_user: User
) -> None:
    # given
    first, first_key = api_token_create(user=reader)
    second, _ = api_token_create(user=reader)
    other, other_key = api_token_create(user=editor)
    # when
    revoked = user_password_change(user=reader, password="a-new-long-passphrase", actor=admin_user)
    # then
    assert revoked == 2
    assert status_with(first_key)[0] == 401
    assert status_with(other_key)[0] == 200
    assert revocations(first) == [("api_token.revoked", {"reason": "password changed"})]
    assert revocations(second) == [("api_token.revoked", {"reason": "password changed"})]
    assert AuditEvent.objects.get(action="api_token.revoked", object_id=str(first.pk)).actor == admin_user
    assert revocations(other) == []


@pytest.mark.django_db
def test_a_refused_password_changes_nothing(reader: User) -> None:
    token, key = api_token_create(user=reader)
    with pytest.raises(ValidationError, match="too short"):
        user_password_change(user=reader, password="short", actor=None)
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)
    assert status_with(key)[0] == 200
    assert revocations(token) == []


@pytest.mark.django_db
def test_deactivating_a_user_revokes_their_tokens_and_reactivation_does_not_restore_them(
    reader: User, admin_user: User
) -> None:
    # given
    token, key = api_token_create(user=reader)
    # when
    assert user_deactivate(user=reader, actor=admin_user) == 1
    reader.is_active = True
    reader.save()
    # then
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert status_with(key)[0] == 401
    assert revocations(token) == [("api_token.revoked", {"reason": "user deactivated"})]
    assert AuditEvent.objects.filter(action="user.deactivated", object_id=str(reader.pk)).count() == 1


@pytest.mark.django_db
def test_manage_py_changepassword_revokes_the_users_tokens(
    reader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    token, key = api_token_create(user=reader)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another-long-passphrase")
    # when
    call_command("changepassword", reader.username, stdout=StringIO())
    # then
    assert status_with(key)[0] == 401
    assert revocations(token) == [("api_token.revoked", {"reason": "password changed"})]


@pytest.mark.django_db
def test_the_admin_password_form_and_deactivation_revoke_tokens(
    admin_user: User, reader: User, annotator: User
) -> None:
    # given
    by_password, password_key = api_token_create(user=reader)
    by_deactivation, deactivation_key = api_token_create(user=annotator)
    client = Client()
    client.force_login(admin_user)
    # when: the admin sets a password, then unticks "active" through a plain save of the user
    response = client.post(
        f"/admin/auth/user/{reader.pk}/password/",
        {"password1": "yet-another-passphrase", "password2": "yet-another-passphrase"},
    )
    assert response.status_code == 302
    annotator.is_active = False
    annotator.save()
    # then
    assert (status_with(password_key)[0], status_with(deactivation_key)[0]) == (401, 401)
    assert revocations(by_password) == [("api_token.revoked", {"reason": "password changed"})]
    assert revocations(by_deactivation) == [("api_token.revoked", {"reason": "user deactivated"})]


@pytest.mark.django_db
def test_logging_in_and_saving_other_fields_keep_tokens(reader: User) -> None:
    # given
    token, key = api_token_create(user=reader)
    # when: a log-in (last_login is saved) and a profile edit
    response = Client().post(reverse("login"), {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302
    reader.first_name = "Rita"
    reader.save()
    user_create_or_update(username=reader.username, role=Role.READER)
    # then
    assert status_with(key)[0] == 200
    assert revocations(token) == []
