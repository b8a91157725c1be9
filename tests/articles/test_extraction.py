from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.extraction import parse_path
from articles.textnorm import normalise_text, text_sha256

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def test_plain_text_keeps_the_article_and_drops_every_boilerplate_line() -> None:
    parsed = parse_path(DATA / "plain_with_boilerplate.txt")
    expected = normalise_text((DATA / "plain_with_boilerplate.expected.txt").read_text(encoding="utf-8"))
    assert [record.title for record in parsed.records] == [
        "Ferry service to Tarn Island resumes after six-month refit"
    ]
    assert parsed.records[0].text == expected
    assert sorted(line.text for _, line in parsed.dropped_lines) == sorted(
        [
            "Advertisement",
            "Share this article",
            "ADVERTISEMENT",
            "Must read",
            "Subscribe to our newsletter for the latest updates",
            "Read more: Council approves new car park at Port Ellery station",
            "Support independent journalism — become a member today",
            "Sign up for breaking news alerts",
            "Click here to subscribe",
            "Follow us on Facebook",
        ]
    )
    assert parsed.skipped == []


def test_html_page_yields_title_outlet_byline_and_main_text_only() -> None:
    parsed = parse_path(DATA / "article.html")
    (record,) = parsed.records
    assert record.title == (DATA / "article.expected_title.txt").read_text(encoding="utf-8").strip()
    assert (record.outlet, record.byline) == ("The Coastline Courier", "Hana Okoro")
    assert record.url == "https://coastlinecourier.example/news/2026/02/03/marlinford-night-buses-2028"
    assert record.published_at == datetime(2026, 2, 3, tzinfo=UTC)
    for furniture in ("cookie", "Subscribe", "Share on", "All rights reserved", "function(", "{"):
        assert furniture not in record.text
    assert record.text.count("\n\n") == 5  # six paragraphs


def test_json_lines_reports_each_bad_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"title": "Pier reopens", "text": "The pier reopened on Friday.", "url": "https://a.example/1",'
                ' "outlet": "Coastal Wire", "published_at": "2026-02-01T10:00:00Z"}',
                '{"title": "No text here"}',
                "{not json",
                '{"title": "Bad date", "text": "Words.", "published_at": "last Tuesday"}',
                "",
            ]
        ),
        encoding="utf-8",
    )
    parsed = parse_path(path)
    assert [(r.title, r.outlet, r.published_at) for r in parsed.records] == [
        ("Pier reopens", "Coastal Wire", datetime(2026, 2, 1, 10, 0, tzinfo=UTC))
    ]
    assert [(skip.origin.rsplit(":", 1)[1], skip.reason) for skip in parsed.skipped] == [
        ("2", "missing 'text' (a non-empty string)"),
        ("3", "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
        ("4", "published_at 'last Tuesday' is not an ISO 8601 date-time (e.g. 2026-03-14T09:30:00+00:00)"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cafe\u0301 owners\r\nsaid  so.\u00a0 ", "Café owners\n\nsaid so."),
        ("\n\n  one \n\n\n two\u2029three", "one\n\ntwo\n\nthree"),
        ("tab\there\x07bell", "tab herebell"),
        ("👩\u200d👩\u200d👧 family", "👩\u200d👩\u200d👧 family"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_text_sha256_is_of_the_utf8_bytes() -> None:
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
