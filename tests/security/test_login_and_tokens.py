"""Log-in throttling (django-axes), sessions that expire, and API keys that are shown once and stored
only as a digest."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.conftest import PASSWORD

LOCKED = "Too many failed log-ins"


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failed_log_ins_lock_the_account_from_that_address(editor: User, reader: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    # when: four wrong passwords
    failures = [log_in(client, editor.username, f"guess-{n}") for n in range(4)]
    # then: each is refused with the form's message
    assert [r.status_code for r in failures] == [200, 200, 200, 200]
    assert all("did not match" in r.content.decode() for r in failures)
    # when: the fifth wrong one
    fifth = log_in(client, editor.username, "guess-4")
    # then: the account is locked from this address, with a message saying what to do
    assert fifth.status_code == 429
    body = fifth.content.decode()
    assert LOCKED in body
    assert "locked for 15 minutes" in body
    assert "ask an admin to unlock it" in body
    assert AccessAttempt.objects.get(username=editor.username).failures_since_start == 5
    # and the right password is refused as well while the lock lasts
    right = log_in(client, editor.username, PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert SESSION_KEY not in client.session
    # a forged X-Forwarded-For does not get round it: only the connection's address counts
    forged = log_in(
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.50"), editor.username, PASSWORD
    )
    assert forged.status_code == 429
    # other accounts are not locked out by someone else's guesses
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), reader.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_admin_unlocking_the_account_lets_the_right_password_in(editor: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.8")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, editor.username, f"guess-{n}")
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    # when
    reset(username=editor.username)
    # then
    response = log_in(client, editor.username, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(editor.pk)


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(editor: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, editor.username, f"guess-{n}")
    # when: the last failure is older than the cool-off time
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    # then
    assert log_in(client, editor.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_session_past_its_expiry_is_not_accepted(editor: User) -> None:
    client = Client()
    client.force_login(editor)
    assert client.get("/articles/").status_code == 200
    session = Session.objects.get()
    # the server keeps a session for twelve hours at most, whether or not the browser is closed
    assert abs((session.expire_date - timezone.now()) - timedelta(hours=12)) < timedelta(minutes=1)
    # when
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # then
    response = client.get("/articles/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/articles/")


@pytest.mark.django_db
def test_an_api_key_is_shown_once_and_the_database_never_holds_it(editor: User, admin_user: User) -> None:
    # when
    output = io.StringIO()
    call_command("create_api_token", editor.username, "--name", "cms", stdout=output)
    key = output.getvalue().strip().splitlines()[-1]
    # then: the key works
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/ping/").status_code == 200
    token = ApiToken.objects.get(name="cms")
    assert token.digest == ApiToken.digest_for(key)
    assert token.prefix == key[:8]
    # but no table holds it: not the token, not the audit trail, not the access logs
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert key not in dump.getvalue()
    assert key[8:20] not in dump.getvalue()
    # and nothing shows it again, the admin included
    admin = Client()
    admin.force_login(admin_user)
    for url in ["/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/"]:
        page = admin.get(url)
        assert page.status_code == 200
        assert key not in page.content.decode()
    assert key not in client.get("/api/v1/ping/").content.decode()
