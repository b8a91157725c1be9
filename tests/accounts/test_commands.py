from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, AuditEvent
from accounts.roles import Role
from accounts.services import user_role


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_user_is_idempotent_and_updates_the_role() -> None:
    # when
    first = run("create_user", "maren", "--role", "annotator", "--password", "s3cret-passphrase")
    second = run("create_user", "maren", "--role", "editor")
    # then
    user = User.objects.get(username="maren")
    assert first.strip() == "Created user maren with role annotator."
    assert second.strip() == "Updated user maren with role editor."
    assert list(user.groups.values_list("name", flat=True)) == ["editor"]
    assert user_role(user) is Role.EDITOR
    assert user.check_password("s3cret-passphrase")  # a re-run without --password keeps it
    assert User.objects.filter(username="maren").count() == 1


@pytest.mark.django_db
def test_create_user_rejects_an_unknown_role() -> None:
    with pytest.raises(
        CommandError, match=r"Unknown role 'boss': choose one of reader, annotator, editor, admin"
    ):
        run("create_user", "maren", "--role", "boss")
    assert not User.objects.filter(username="maren").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        ("reader", ["claims.view_claim"], ["claims.add_claim", "claims.review_claim"]),
        ("annotator", ["claims.add_claim", "annotations.add_annotation"], ["claims.review_claim"]),
        ("editor", ["claims.review_claim", "claims.decide_finding", "articles.add_article"], []),
    ],
)
def test_roles_grant_exactly_their_permissions(role: str, allowed: list[str], denied: list[str]) -> None:
    run("create_user", "someone", "--role", role)
    user = User.objects.get(username="someone")
    assert all(user.has_perm(p) for p in allowed)
    assert not any(user.has_perm(p) for p in denied)


@pytest.mark.django_db
def test_admin_role_is_superuser() -> None:
    run("create_user", "boss", "--role", "admin")
    user = User.objects.get(username="boss")
    assert (user.is_staff, user.is_superuser) == (True, True)


@pytest.mark.django_db
def test_create_api_token_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash() -> None:
    run("create_user", "cms", "--role", "reader")
    # when
    output = run("create_api_token", "cms")
    # then
    key = output.strip().splitlines()[-1]
    assert len(key) >= 40
    assert " " not in key
    token = ApiToken.objects.get(user__username="cms")
    assert token.digest == ApiToken.digest_for(key)
    assert key not in (token.digest, token.prefix)
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_create_api_token_for_unknown_user_says_how_to_create_it() -> None:
    with pytest.raises(
        CommandError,
        match=re.escape("create it first with 'python manage.py create_user NAME --role reader'"),
    ):
        run("create_api_token", "ghost")
