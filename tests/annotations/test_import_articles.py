from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.models import AnchorState
from annotations.services import annotation_create, annotation_validate
from articles.models import Article, ArticleRevision

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def run_import(*paths: Path) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, paths), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_imports_text_html_and_json_lines_and_reports_what_it_dropped() -> None:
    # when
    output = run_import(DATA / "plain_with_boilerplate.txt", DATA / "article.html", DATA / "articles.jsonl")
    # then
    assert Article.objects.count() == 5
    assert "5 created, 0 revised, 0 unchanged, 0 skipped, 10 boilerplate lines dropped." in output
    titles = set(Article.objects.values_list("title", flat=True))
    assert "Ferry service to Tarn Island resumes after six-month refit" in titles
    assert (DATA / "article.expected_title.txt").read_text(encoding="utf-8").strip() in titles
    ferry = Article.objects.get(title__startswith="Ferry service")
    assert "Advertisement" not in ferry.current_revision.text
    assert ferry.current_revision.number == 1


@pytest.mark.django_db
def test_importing_again_is_idempotent() -> None:
    run_import(DATA / "articles.jsonl", DATA / "plain_with_boilerplate.txt")
    # when
    output = run_import(DATA / "articles.jsonl", DATA / "plain_with_boilerplate.txt")
    # then
    assert "0 created, 0 revised, 4 unchanged" in output
    assert Article.objects.count() == 4
    assert ArticleRevision.objects.count() == 4


@pytest.mark.django_db
def test_changed_text_under_a_known_url_is_a_new_revision_and_highlights_are_reanchored(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    # given an imported article with a highlight
    original = tmp_path / "v1.jsonl"
    original.write_text(
        '{"title": "Pier reopens", "url": "https://coast.example/pier", "text": '
        '"The pier reopened on Friday after repairs.\\n\\n'
        'Repairs cost 2 million crowns, the council said."}\n',
        encoding="utf-8",
    )
    run_import(original)
    article = Article.objects.get()
    revision = article.current_revision
    anchor = annotation_validate(
        revision=revision,
        start=None,
        end=None,
        exact="Repairs cost 2 million crowns",
        prefix=None,
        suffix=None,
    )
    annotation = annotation_create(revision=revision, anchor=anchor, creator=None)
    # when the outlet updates the article under the same URL
    changed = tmp_path / "v2.jsonl"
    changed.write_text(
        '{"title": "Pier reopens", "url": "https://coast.example/pier", "text": '
        '"UPDATED: The pier reopened on Friday after long repairs.\\n\\n'
        'Repairs cost 2 million crowns, the council said."}\n',
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        output = run_import(changed)
    # then
    assert "0 created, 1 revised, 0 unchanged" in output
    article.refresh_from_db()
    assert article.current_revision.number == 2
    annotation.refresh_from_db()
    text = article.current_revision.text
    assert (annotation.revision_id, annotation.checked_revision_id) == (article.current_revision_id,) * 2
    assert annotation.anchor_state == AnchorState.EXACT
    assert text[annotation.start : annotation.end] == "Repairs cost 2 million crowns"


@pytest.mark.django_db
def test_unreadable_and_unknown_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01broken")
    spreadsheet = tmp_path / "figures.xlsx"
    shutil.copy(DATA / "hostile.txt", spreadsheet)
    output = run_import(binary, spreadsheet)
    assert f"skipped {binary}: not UTF-8 text: convert the file to UTF-8 first" in output
    assert f"skipped {spreadsheet}: unknown file type '.xlsx': use .txt, .html, .pdf or .jsonl" in output
    assert Article.objects.count() == 0
