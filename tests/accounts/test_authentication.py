from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from accounts.services import api_token_create


@pytest.mark.django_db
def test_token_authenticates_and_a_wrong_token_gets_a_401_with_a_message(reader: User) -> None:
    _, key = api_token_create(user=reader)
    good, bad, none = APIClient(), APIClient(), APIClient()
    good.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    bad.credentials(HTTP_AUTHORIZATION=f"Token {key[:-2]}xx")
    # when
    responses = [client.get("/api/v1/claims/") for client in (good, bad, none)]
    # then
    assert [r.status_code for r in responses] == [200, 401, 401]
    assert responses[1].json() == {"detail": "Invalid or revoked token: ask an admin for a new one."}


@pytest.mark.django_db
def test_revoked_token_is_refused(reader: User) -> None:
    token, key = api_token_create(user=reader)
    token.revoked_at = token.created_at
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/claims/").status_code == 401
