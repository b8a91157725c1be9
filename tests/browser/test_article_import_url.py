"""Issue 17 (bringing articles in): an editor imports an article from its URL in the browser.

The page is served by a threading ``http.server`` on 127.0.0.1; the app's server fetches it, so
these tests turn ``FETCH_ALLOW_PRIVATE`` on, or leave it off to see the refusal next to the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from articles.models import Article
from tests.articles.webserver import ARTICLE_HTML, LocalSite, local_site
from tests.browser.conftest import Tab

TITLE = "Lakeside library extends weekend opening"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with local_site() as served:
        served.routes["/news/library"] = (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            ARTICLE_HTML.encode(),
        )
        yield served


def test_an_editor_imports_a_page_from_its_url(
    open_tab: Callable[[User | None], Tab], editor: User, site: LocalSite, settings: Any
) -> None:
    settings.FETCH_ALLOW_PRIVATE = True
    tab = open_tab(editor)
    page = tab.page
    page.goto("/articles/new/")
    # when: only the URL, nothing pasted or uploaded
    page.get_by_label("URL", exact=True).fill(site.url("/news/library"))
    page.get_by_role("button", name="Add article").click()
    # then: the reader opens on the fetched article, without the page's boilerplate
    page.wait_for_selector("body[data-reader-ready]")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#article-text")).to_contain_text("1,350 visitors over six weekends")
    expect(page.locator("#article-text")).not_to_contain_text("Share this article")
    expect(page.locator(".flash")).to_have_text(
        "Article added. 3 boilerplate lines dropped. Select a statement to turn it into a claim."
    )
    article = Article.objects.get()
    assert (article.title, article.url) == (TITLE, site.url("/news/library"))
    assert [path for path, _ in site.requests] == ["/news/library"]
    assert tab.problems() == []


def test_a_refused_address_is_shown_next_to_the_url_field(
    open_tab: Callable[[User | None], Tab], editor: User, site: LocalSite, settings: Any
) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    tab = open_tab(editor)
    page = tab.page
    page.goto("/articles/new/")
    field = page.get_by_label("URL", exact=True)
    field.fill(site.url("/news/library"))
    page.get_by_role("button", name="Add article").click()
    # then: the form comes back with the reason under the field, which points to it
    error = page.locator("#url-error")
    expect(error).to_have_text(
        "Not imported: 127.0.0.1 is this server itself (loopback): addresses inside the "
        "newsroom network are not allowed (an administrator can allow them with "
        "CORROBORATE_FETCH_ALLOW_PRIVATE=1)."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value(site.url("/news/library"))
    assert "url-error" in (field.get_attribute("aria-describedby") or "").split()
    field_box, error_box = field.bounding_box(), error.bounding_box()
    assert field_box is not None
    assert error_box is not None
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40  # right under the field
    assert site.requests == []
    assert Article.objects.count() == 0
