from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_database() -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": True})


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get("/articles/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/articles/"
