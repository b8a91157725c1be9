"""``import_articles`` with PDF files and ``--url`` pages (served on loopback by the test)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from tests.articles.pdfs import make_pdf
from tests.articles.webserver import ARTICLE_HTML, LocalSite, local_site

pytestmark = pytest.mark.django_db

COUNCIL_PDF = [
    [
        ("Council adds two crossings on Elm Road", 18),
        "The council will build two pedestrian crossings on Elm Road before the school",
        "year starts, after residents counted 2,400 cars a day passing the primary",
        "school gates in a week-long survey in March.",
        "3",
    ]
]


def run_import(*arguments: str) -> str:
    out = StringIO()
    call_command("import_articles", *arguments, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def site(settings: Any) -> Iterator[LocalSite]:
    settings.FETCH_ALLOW_PRIVATE = True  # the site is on loopback
    with local_site() as served:
        served.routes["/library"] = (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE_HTML.encode())
        served.routes["/council.pdf"] = (200, {"Content-Type": "application/pdf"}, make_pdf(COUNCIL_PDF))
        yield served


def test_a_pdf_file_is_imported_like_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "elm-road.pdf"
    path.write_bytes(make_pdf(COUNCIL_PDF))
    output = run_import(str(path))
    article = Article.objects.get()
    assert article.title == "Council adds two crossings on Elm Road"
    assert article.current_revision.text == (
        "The council will build two pedestrian crossings on Elm Road before the school year starts, after "
        "residents counted 2,400 cars a day passing the primary school gates in a week-long survey in March."
    )
    assert "1 created, 0 revised, 0 unchanged, 0 skipped, 1 boilerplate lines dropped." in output
    assert "Dropped: 1 page number" in output


def test_urls_are_fetched_and_imported_once(site: LocalSite) -> None:
    arguments = ["--url", site.url("/library"), "--url", site.url("/council.pdf")]
    output = run_import(*arguments)
    assert "2 created, 0 revised, 0 unchanged, 0 skipped" in output
    assert dict(Article.objects.values_list("url", "title")) == {
        site.url("/library"): "Lakeside library extends weekend opening",
        site.url("/council.pdf"): "Council adds two crossings on Elm Road",
    }
    # when the same pages come again
    again = run_import(*arguments)
    assert "0 created, 0 revised, 2 unchanged, 0 skipped" in again


def test_a_url_that_cannot_be_fetched_is_skipped_with_the_reason(site: LocalSite, settings: Any) -> None:
    settings.FETCH_ALLOW_PRIVATE = False
    output = run_import("--url", site.url("/library"), "--url", "ftp://files.example/a.pdf")
    assert Article.objects.count() == 0
    assert site.requests == []
    assert f"skipped {site.url('/library')}: 127.0.0.1 is this server itself (loopback)" in output
    assert (
        "skipped ftp://files.example/a.pdf: only http:// and https:// addresses can be fetched, not ftp:"
        in output
    )


def test_nothing_to_import_is_an_error() -> None:
    with pytest.raises(CommandError, match=r"Give files or folders to import, or --url URL"):
        run_import()
