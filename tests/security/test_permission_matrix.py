"""Who may open what, for every URL of the site: the routes that tests/api/test_permissions.py and
tests/claims/test_review_permissions.py do not cover are in the matrix here, and a test walks the URL
resolver so that a route added without a row in one of the three matrices fails the build.

On denial nothing changed in the database and nothing was queued for after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from accounts.models import ApiToken, AuditEvent
from articles.models import Article
from claims.models import Claim
from tests import factories
from tests.api import test_permissions as api_matrix
from tests.claims import test_review_permissions as review_matrix
from tests.newsroom import db_snapshot

PERSONAS = ["anonymous", "reader", "annotator", "editor", "admin"]
TEXT = "The ferry to Velmora runs every hour. It carried 3 million passengers in 2023."


@dataclass
class Site:
    article: Article
    claim: Claim  # highlighted in ``article``

    @property
    def annotation_id(self) -> int:
        return self.claim.sources.get(kind="appearance").annotation_id  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: Callable[[Site], str]
    # status per persona; a persona left out gets ``otherwise``
    status: dict[str, int]
    otherwise: int
    body: Callable[[Site], dict[str, Any]] | None = None
    writes: bool = False  # an allowed request must change the database
    location: dict[str, str] = field(default_factory=dict)  # where a redirect goes, per persona


LOGIN = "/accounts/login/?next="
SIGNED_IN = {"reader": 200, "annotator": 200, "editor": 200, "admin": 200}
EDITORS = {"reader": 403, "annotator": 403, "editor": 200, "admin": 200}
API_SIGNED_IN = {"anonymous": 401}

ROWS = [
    Row(
        "home",
        "get",
        lambda s: "/",
        {"anonymous": 302},
        302,
        location={"anonymous": LOGIN, "*": "/articles/"},
    ),
    Row("healthz", "get", lambda s: "/healthz", {}, 200),
    # signed-in visitors are sent on to the home page
    Row(
        "login page",
        "get",
        lambda s: "/accounts/login/",
        {"anonymous": 200},
        302,
        location={"*": "/"},
    ),
    Row("log out", "post", lambda s: "/accounts/logout/", {}, 302, location={"*": "/accounts/login/"}),
    # The API's description is public, like any published API's; every endpoint it lists is not.
    # The site's claim is not merged: editors get past the permission check and are sent back to the
    # claim page with the reason (tests/claims/test_unmerge.py covers a real unmerge).
    Row(
        "claim unmerge",
        "post",
        lambda s: f"/claims/{s.claim.pk}/unmerge",
        {"anonymous": 302, "reader": 403, "annotator": 403},
        302,
        body=lambda s: {"from": s.claim.pk},
        location={"editor": "/claims/", "admin": "/claims/"},
    ),
    Row("api schema", "get", lambda s: "/api/schema/", {}, 200),
    Row("api docs", "get", lambda s: "/api/docs/", {}, 200),
    Row("api unknown path", "get", lambda s: "/api/v1/verdicts/", {}, 404),
    Row("api unknown path post", "post", lambda s: "/api/v1/verdicts/", {}, 404, body=lambda s: {"x": 1}),
    Row(
        "w3c annotations", "get", lambda s: f"/api/v1/annotations/?article={s.article.pk}", API_SIGNED_IN, 200
    ),
    Row("w3c collection", "get", lambda s: "/api/v1/annotations/collection/", API_SIGNED_IN, 200),
    Row("w3c annotation", "get", lambda s: f"/api/v1/annotations/{s.annotation_id}/", API_SIGNED_IN, 200),
    Row("article list", "get", lambda s: "/articles/", {"anonymous": 302, **SIGNED_IN}, 200),
    Row("article new page", "get", lambda s: "/articles/new/", {"anonymous": 302, **EDITORS}, 200),
    Row(
        "article new",
        "post",
        lambda s: "/articles/new/",
        {"anonymous": 302, **EDITORS, "editor": 302, "admin": 302},
        302,
        body=lambda s: {"title": "Tram extension", "text": "The tram line reaches the airport in 2029."},
        writes=True,
    ),
    Row("reader", "get", lambda s: f"/articles/{s.article.pk}/", {"anonymous": 302}, 200),
    Row("reader data", "get", lambda s: f"/articles/{s.article.pk}/reader.json", {"anonymous": 302}, 200),
    Row("edit page", "get", lambda s: f"/articles/{s.article.pk}/edit/", {"anonymous": 302, **EDITORS}, 200),
    Row(
        "edit text",
        "post",
        lambda s: f"/articles/{s.article.pk}/edit/",
        {"anonymous": 302, **EDITORS, "editor": 302, "admin": 302},
        302,
        body=lambda s: {"text": TEXT + " Fares rise in May.", "base_revision": "1"},
        writes=True,
    ),
    Row("revision", "get", lambda s: f"/articles/{s.article.pk}/revisions/1/", {"anonymous": 302}, 200),
    # The desk's workflow: assigning is for editors; discussing, following and notifications for
    # annotators, editors and admins (readers see none of it).
    Row(
        "assign a claim",
        "post",
        lambda s: f"/claims/{s.claim.pk}/assignment",
        {"anonymous": 302, "reader": 403, "annotator": 403},
        302,
        body=lambda s: {"assignee": "annie-annotator"},
        writes=True,
        location={"anonymous": LOGIN, "*": "/claims/"},
    ),
    Row(
        "assign from the queue",
        "post",
        lambda s: "/review/assignment",
        {"anonymous": 302, "reader": 403, "annotator": 403},
        302,
        body=lambda s: {"claim": f"{s.claim.pk}:{s.claim.version}", "assignee": "annie-annotator"},
        writes=True,
        location={"anonymous": LOGIN, "*": "/review/"},
    ),
    Row(
        "comment",
        "post",
        lambda s: f"/claims/{s.claim.pk}/comments",
        {"anonymous": 302, "reader": 403},
        302,
        body=lambda s: {"body": "@eddie-editor the timetable says otherwise"},
        writes=True,
        location={"anonymous": LOGIN, "*": "/claims/"},
    ),
    Row(
        "follow",
        "post",
        lambda s: f"/claims/{s.claim.pk}/follow",
        {"anonymous": 302, "reader": 403},
        302,
        body=lambda s: {"follow": "1"},
        writes=True,
        location={"anonymous": LOGIN, "*": "/claims/"},
    ),
    Row("notifications page", "get", lambda s: "/notifications/", {"anonymous": 302, "reader": 403}, 200),
    Row(
        "notifications read",
        "post",
        lambda s: "/notifications/read",
        {"anonymous": 302, "reader": 403},
        302,
        body=lambda s: {},
        location={"anonymous": LOGIN, "*": "/notifications/"},
    ),
    Row(
        "notification preferences",
        "post",
        lambda s: "/notifications/preferences",
        {"anonymous": 302, "reader": 403},
        302,
        body=lambda s: {"in_app_events": ["mention"], "email_delivery": "daily"},
        writes=True,
        location={"anonymous": LOGIN, "*": "/notifications/"},
    ),
    Row(
        "revision text",
        "get",
        lambda s: f"/articles/{s.article.pk}/revisions/1/text",
        {"anonymous": 302},
        200,
    ),
]


@pytest.fixture
def site(editor: User, annotator: User) -> Site:
    article = factories.article(text=TEXT, title="Ferry timetable", user=editor)
    claim = factories.highlight(
        article=article, exact="It carried 3 million passengers in 2023.", user=annotator
    )
    return Site(article=article, claim=claim)


def role_of(user: User | None) -> str:
    return "anonymous" if user is None else user.groups.get().name


def everything(site: Site) -> dict[str, Any]:
    """What a page or endpoint could change, beyond the claims area: users, roles, tokens, audit."""
    return {
        **db_snapshot(),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "is_staff", "password")),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "user__pk")),
        "tokens": list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_site_permission_matrix(
    row: Row, persona: User | None, site: Site, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    role = role_of(persona)
    client = Client()
    if persona is not None:
        client.force_login(persona)
    before = everything(site)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = getattr(client, row.method)(row.path(site), row.body(site) if row.body else None)
    # then
    expected = row.status.get(role, row.otherwise)
    assert response.status_code == expected, response.content[:500]
    location = row.location.get(role, row.location.get("*"))
    if response.status_code == 302 and role == "anonymous" and location is None:
        location = LOGIN
    if location is not None and response.status_code == 302:
        assert response["Location"].startswith(location)
    denied = expected in (401, 403, 404) or (expected == 302 and response["Location"].startswith(LOGIN))
    if row.writes and not denied:
        assert everything(site) != before
        return
    if row.name != "log out":  # logging out deletes the session, which is not in the snapshot anyway
        assert everything(site) == before
    assert callbacks == []


def admin_pages() -> list[tuple[str, type[Model] | None]]:
    pages: list[tuple[str, type[Model] | None]] = [("/admin/", None)]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages += [(base, model), (f"{base}add/", model)]
    return sorted(pages, key=lambda page: page[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "model"), admin_pages(), ids=[url for url, _ in admin_pages()])
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_only_admins_get_into_the_admin(
    url: str, model: type[Model] | None, persona: User | None, site: Site
) -> None:
    client = Client()
    if persona is not None:
        client.force_login(persona)
    # when
    response = client.get(url)
    # then
    if role_of(persona) != "admin":
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={url}"
        return
    expected = 200
    if url.endswith("/add/") and model is not None:
        # the append-only histories (and tokens, whose key only the command shows) have no add page
        expected = 200 if admin.site._registry[model].has_add_permission(response.wsgi_request) else 403
    assert response.status_code == expected


class Anything:
    """Stands for a fixture newsroom when only the shape of a matrix row's URL is wanted."""

    def __getattr__(self, name: str) -> Anything:
        return self

    def __format__(self, spec: str) -> str:
        return "1"


def routes_of(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_of(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            # ResolverMatch.route drops a regex's leading anchor
            yield prefix + str(pattern.pattern).removeprefix("^")


def route(path: str) -> str:
    return resolve(urlsplit(path).path).route


def test_every_route_has_a_row_in_a_permission_matrix() -> None:
    stand_in: Any = Anything()
    covered = {route(endpoint.path(stand_in)) for endpoint in api_matrix.ENDPOINTS}
    covered |= {route(url_of(stand_in)) for _, url_of in review_matrix.PAGES}
    covered |= {route(request_of(stand_in)[0]) for _, request_of, _ in review_matrix.POSTS}
    covered |= {route(row.path(stand_in)) for row in ROWS}
    # the admin is its own area, tested model by model above
    routes = {r for r in routes_of(get_resolver().url_patterns) if not r.startswith("admin/")}
    assert sorted(routes - covered) == []
