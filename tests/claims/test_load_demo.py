"""load_demo is for development: it refuses a production server unless forced, and it never resets a
user that exists already."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.roles import Role
from accounts.services import user_create_or_update, user_role
from claims.models import Claim


@pytest.mark.django_db
def test_load_demo_refuses_to_run_with_debug_off(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"Refusing to load the demo with DJANGO_DEBUG=0.*Pass --force"):
        call_command("load_demo", "--quiet")
    assert not User.objects.exists()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_load_demo_never_resets_an_existing_users_password_or_role(settings: Any) -> None:
    # given: "ada" exists as a reader with a password of her own; the server runs with DEBUG off
    settings.DEBUG = False
    user_create_or_update(username="ada", role=Role.READER, password="adas-own-long-passphrase")
    # when
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    call_command("load_demo", "--force", stdout=StringIO())
    # then: ada is untouched, the missing demo users were created with their demo passwords
    ada = User.objects.get(username="ada")
    assert ada.check_password("adas-own-long-passphrase")
    assert not ada.check_password("ada-demo-pass")
    assert user_role(ada) is Role.READER
    eddie = User.objects.get(username="eddie")
    assert eddie.check_password("eddie-demo-pass")
    assert user_role(eddie) is Role.EDITOR
    assert "ada    / (unchanged)" in out.getvalue()
    assert "eddie  / eddie-demo-pass" in out.getvalue()
    assert Claim.objects.exists()


@pytest.mark.django_db
def test_load_demo_runs_without_force_when_debug_is_on(settings: Any) -> None:
    # As `make run` does: DJANGO_DEBUG defaults to on.
    settings.DEBUG = True
    call_command("load_demo", "--quiet")
    assert sorted(User.objects.values_list("username", flat=True)) == ["ada", "annie", "eddie", "rita"]
