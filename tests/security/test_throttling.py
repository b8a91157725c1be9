"""API rate limits and the log-in lockout behind a reverse proxy (issue 15, item 7).

Rates are set per test on the throttles' own table (DRF reads the settings once, at import); the
cache they count in is emptied before every test (tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_address import client_address, trusted_networks_parse
from tests.conftest import PASSWORD, api_client_for

PROXY = "10.0.0.2"


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_rates(**scopes: str) -> None:
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


def _assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"] or "Too many" in response.json()["detail"]


@pytest.mark.django_db
def test_a_user_is_throttled_across_their_tokens_and_others_are_not(
    rates: Any, editor: User, reader: User
) -> None:
    rates(user="3/minute")
    first_token, second_token = api_client_for(editor), api_client_for(editor)
    # when: three requests, then a fourth with another token of the same user
    answers = [first_token.get("/api/v1/ping/").status_code for _ in range(3)]
    fourth = second_token.get("/api/v1/ping/")
    # then
    assert answers == [200, 200, 200]
    _assert_throttled(fourth)
    assert fourth.json()["detail"].startswith("Request was throttled.")
    assert api_client_for(reader).get("/api/v1/ping/").status_code == 200


@pytest.mark.django_db
def test_match_has_its_own_lower_rate(rates: Any, editor: User) -> None:
    rates(user="100/minute", match="2/minute")
    api = api_client_for(editor)
    matches = [
        api.post("/api/v1/claims/match/", {"text": "Fares rose by 4%."}, format="json") for _ in range(3)
    ]
    assert [response.status_code for response in matches[:2]] == [200, 200]
    _assert_throttled(matches[2])
    # the rest of the API still answers
    assert api.get("/api/v1/ping/").status_code == 200


@pytest.mark.django_db
def test_failed_authentication_is_throttled_per_address(rates: Any, editor: User) -> None:
    rates(anon="3/minute")
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    guesser.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    # when
    guesses = [guesser.get("/api/v1/ping/").status_code for _ in range(3)]
    blocked = guesser.get("/api/v1/ping/")
    # then
    assert guesses == [401, 401, 401]
    _assert_throttled(blocked)
    # a forged X-Forwarded-For from an untrusted peer changes nothing
    forged = APIClient(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    _assert_throttled(forged.get("/api/v1/ping/"))
    # another address, and authenticated use, are not counted
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    assert other.get("/api/v1/ping/").status_code == 401
    for _ in range(4):
        assert api_client_for(editor).get("/api/v1/ping/").status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_is_counted_apart(rates: Any, settings: Any) -> None:
    settings.TRUSTED_PROXY_NETWORKS = trusted_networks_parse(["10.0.0.0/24"])
    rates(anon="2/minute")

    def via_proxy(client_ip: str) -> int:
        client = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)
        return client.get("/api/v1/ping/").status_code

    assert [via_proxy("203.0.113.9") for _ in range(3)] == [401, 401, 429]
    assert via_proxy("198.51.100.7") == 401


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_attacker_cannot_lock_everyone_out(editor: User, settings: Any) -> None:
    settings.TRUSTED_PROXY_NETWORKS = trusted_networks_parse([PROXY])
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    # when: the attacker guesses the editor's password until locked out
    guesses = [log_in(attacker, editor.username, f"guess-{n}").status_code for n in range(5)]
    # then: locked from the attacker's address only; the editor, through the same proxy, logs in
    assert guesses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    editor_browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert log_in(editor_browser, editor.username, PASSWORD).status_code == 302
    assert SESSION_KEY in editor_browser.session


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_lockout(editor: User) -> None:
    for n in range(5):
        forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        log_in(forged, editor.username, f"guess-{n}")
    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert log_in(again, editor.username, PASSWORD).status_code == 429


TRUSTED = trusted_networks_parse(["10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is ignored
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is not believed
        ("10.0.0.2", "198.51.100.1, 10.1.1.1", "198.51.100.1"),  # two trusted proxies
        ("10.0.0.2", "10.1.1.1", "10.1.1.1"),  # every hop trusted: the first one
        ("10.0.0.2", "junk, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, junk", "10.0.0.2"),  # a proxy wrote nonsense: stop at it
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        ("10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_client_address(remote: str, forwarded: str | None, expected: str) -> None:
    assert client_address(remote, forwarded, TRUSTED) == expected
