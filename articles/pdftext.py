"""The text layer of a PDF as lines an article import can read: bytes in, lines out; no database.

A PDF knows glyphs at positions, not paragraphs. pypdf gives its lines in reading order with the
font size of each text run; from those:

- page numbers ("3", "Page 3 of 8", "- 3 -") and running headers or footers (the same first or last
  line on at least half the pages) are dropped and reported, like the other boilerplate;
- a word broken at the end of a line ("Thurs-" / "day") is joined without its hyphen (a compound
  broken at its own hyphen, "ten-" / "year", loses it too: nothing in the PDF tells them apart);
- lines of one paragraph are joined: a line that fills the column continues on the next one, and so
  does a line without a closing stop when the next begins in lower case (a headline on two lines);
  a change of font size (headline, byline, body) always starts a new paragraph, and a line that is
  boilerplate ("Advertisement") is never joined to its neighbours.

The result goes through the same boilerplate removal and headline detection as a text file.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from articles.boilerplate import DroppedLine, classify

_PAGE_NUMBER = re.compile(r"(page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(\s+(of|/)\s+\d{1,4})?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]?$")
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")
FULL_LINE = 0.75  # of the column's width (in characters): a line this long runs on
SAME_SIZE = 0.06  # font sizes within 6 % of each other are one style


class PdfTextError(ValueError):
    """The PDF cannot give article text; the message says what to do."""


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    number: int  # 1-based, counting the lines of all pages in order


@dataclass
class PdfText:
    lines: list[str] = field(default_factory=list)  # one paragraph (or headline) a line
    starts: list[int] = field(default_factory=list)  # the number of each paragraph's first line
    dropped: list[DroppedLine] = field(default_factory=list)
    page_count: int = 0


def _page_lines(page: Any) -> list[tuple[str, float]]:
    """(text, font size) of each line of a page, in pypdf's reading order."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        scale = abs(tm[3] * cm[3]) or 1.0
        runs.append((text, float(size or 0) * scale))

    page.extract_text(visitor_text=visit)
    lines: list[tuple[str, float]] = []
    text, size = "", 0.0
    for run, run_size in runs:
        parts = run.split("\n")
        for index, part in enumerate(parts):
            if index > 0:
                lines.append((text, size))
                text, size = "", 0.0
            if part.strip():
                size = max(size, run_size)
            text += part
    lines.append((text, size))
    return [(" ".join(line.split()), line_size) for line, line_size in lines if line.strip()]


def _read_pages(data: bytes) -> list[list[tuple[str, float]]]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfTextError(
                "this PDF is protected by a password: save an unprotected copy and import that"
            )
        return [_page_lines(page) for page in reader.pages]
    except PdfTextError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise PdfTextError(f"this is not a readable PDF ({error}); save it again as PDF and retry") from error


def _furniture(pages: list[list[_Line]]) -> dict[int, str]:
    """Line number → reason, for page numbers and running headers and footers."""
    found: dict[int, str] = {}
    edges: list[_Line] = []
    for lines in pages:
        if not lines:
            continue
        for line in {lines[0].number: lines[0], lines[-1].number: lines[-1]}.values():
            edges.append(line)
            if _PAGE_NUMBER.fullmatch(line.text):
                found[line.number] = "page number"
    if len(pages) >= 2:
        shapes = Counter(re.sub(r"\d+", "#", line.text) for line in edges if line.number not in found)
        running = {shape for shape, count in shapes.items() if count >= max(2, len(pages) / 2)}
        for line in edges:
            if line.number not in found and re.sub(r"\d+", "#", line.text) in running:
                found[line.number] = "running header or footer"
    return found


def _continues(previous: _Line, line: _Line, width: float) -> bool:
    larger = max(previous.size, line.size)
    if previous.size and line.size and abs(previous.size - line.size) > SAME_SIZE * larger:
        return False
    if classify(line.text) is not None or classify(previous.text) is not None:
        return False  # boilerplate stays a line of its own, for the boilerplate filter to drop
    starts_lower = line.text[:1].islower()
    if _BROKEN_WORD.search(previous.text) and starts_lower:
        return True
    if len(previous.text) >= FULL_LINE * width:
        return True
    return starts_lower and not _SENTENCE_END.search(previous.text)


def pdf_text(data: bytes) -> PdfText:
    """The PDF's text layer as paragraphs, with the page furniture that was dropped."""
    raw_pages = _read_pages(data)
    number = 0
    pages: list[list[_Line]] = []
    for raw in raw_pages:
        page: list[_Line] = []
        for text, size in raw:
            number += 1
            page.append(_Line(text, size, number))
        pages.append(page)
    result = PdfText(page_count=len(pages))
    if not any(line.text.strip() for page in pages for line in page):
        raise PdfTextError(
            "this PDF has no text layer (it is probably a scan): run OCR on it first, for example "
            "with ocrmypdf, and import the result"
        )
    furniture = _furniture(pages)
    lines: list[_Line] = []
    for page in pages:
        for line in page:
            if line.number in furniture:
                result.dropped.append(DroppedLine(line.number, line.text, furniture[line.number]))
            else:
                lines.append(line)
    sizes = Counter(round(line.size, 1) for line in lines)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    body_lengths = sorted(len(line.text) for line in lines if round(line.size, 1) == body_size)
    width = float(body_lengths[int(0.9 * (len(body_lengths) - 1))]) if body_lengths else 0.0
    paragraph: list[_Line] = []
    for line in lines:
        if paragraph and _continues(paragraph[-1], line, width):
            paragraph.append(line)
        else:
            if paragraph:
                result.lines.append(_join(paragraph))
                result.starts.append(paragraph[0].number)
            paragraph = [line]
    if paragraph:
        result.lines.append(_join(paragraph))
        result.starts.append(paragraph[0].number)
    return result


def _join(lines: list[_Line]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        if _BROKEN_WORD.search(text) and line.text[:1].islower():
            text = text[:-1] + line.text
        else:
            text = f"{text} {line.text}"
    return text
