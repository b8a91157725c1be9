"""PDFs with a text layer become articles like text files do; the PDFs are written by the tests."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from articles.extraction import parse_path, parse_pdf
from tests.articles.pdfs import make_pdf

REPORT = [
    [
        "Valley Ledger · Regional",
        ("Reservoir levels fall below the", 22),
        ("summer average for a third year", 22),
        "By Maren Holt",
        "Water in the Brenn reservoir stood at 61 percent of capacity at the end",
        "of August, the water board said in its quarterly report, against a",
        "ten-year average of 74 percent for the same week.",
        "Share this article",
        "The board asked households in the upper valley to water gardens only",
        "after sunset until the autumn rains begin, and said no ban was planned",
        "Page 1 of 2",
    ],
    [
        "Valley Ledger · Regional",
        "for now. Farmers on the canal keep their quotas.",
        "Rainfall since May was 40 percent below normal.",
        "Page 2 of 2",
    ],
]


def test_a_report_becomes_title_byline_and_paragraphs() -> None:
    parsed = parse_pdf(make_pdf(REPORT), origin="reservoir.pdf")
    (record,) = parsed.records
    assert record.title == "Reservoir levels fall below the summer average for a third year"
    assert record.byline == "Maren Holt"
    assert record.text.split("\n\n") == [
        "Water in the Brenn reservoir stood at 61 percent of capacity at the end of August, the water "
        "board said in its quarterly report, against a ten-year average of 74 percent for the same week.",
        # the paragraph goes on across the page break, past the page number and the running header
        "The board asked households in the upper valley to water gardens only after sunset until the "
        "autumn rains begin, and said no ban was planned for now. Farmers on the canal keep their quotas.",
        "Rainfall since May was 40 percent below normal.",
    ]


def test_what_was_dropped_is_reported_with_its_line_number() -> None:
    parsed = parse_pdf(make_pdf(REPORT), origin="reservoir.pdf")
    dropped = [(line.number, line.text, line.reason) for _, line in parsed.dropped_lines]
    assert dropped == [
        (1, "Valley Ledger · Regional", "running header or footer"),
        (4, "By Maren Holt", "byline"),
        (8, "Share this article", "share prompt"),
        (11, "Page 1 of 2", "page number"),
        (12, "Valley Ledger · Regional", "running header or footer"),
        (15, "Page 2 of 2", "page number"),
    ]


def test_a_word_broken_at_the_line_end_is_joined_without_its_hyphen() -> None:
    pdf = make_pdf(
        [
            [
                "Bakery chain opens a third shop in the town",
                "The bakery opened its third shop on Mill Street on Saturday, and the",
                "owners said the morning queue reached the corner before the doors open-",
                "ed at seven o'clock. A fourth shop is planned for next year.",
            ]
        ]
    )
    (record,) = parse_pdf(pdf, origin="bakery.pdf").records
    assert "before the doors opened at seven o'clock." in record.text


def test_a_scanned_pdf_without_text_is_refused_with_what_to_do() -> None:
    parsed = parse_pdf(make_pdf([None, None]), origin="scan.pdf")
    assert parsed.records == []
    assert [skip.reason for skip in parsed.skipped] == [
        "this PDF has no text layer (it is probably a scan): run OCR on it first, for example with "
        "ocrmypdf, and import the result"
    ]


def test_a_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(REPORT))))
    writer.encrypt(user_password="harbour", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    parsed = parse_pdf(out.getvalue(), origin="locked.pdf")
    assert [skip.reason for skip in parsed.skipped] == [
        "this PDF is protected by a password: save an unprotected copy and import that"
    ]


def test_bytes_that_are_not_a_pdf_are_refused() -> None:
    parsed = parse_pdf(b"%PDF-1.7\nthis is not really a PDF", origin="broken.pdf")
    assert parsed.records == []
    assert parsed.skipped[0].reason.startswith("this is not a readable PDF (")


def test_a_pdf_file_is_imported_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "reservoir.PDF"
    path.write_bytes(make_pdf(REPORT))
    (record,) = parse_path(path).records
    assert record.origin == str(path)
    assert record.title == "Reservoir levels fall below the summer average for a third year"
