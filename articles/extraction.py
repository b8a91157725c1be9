"""Read article files (plain text, HTML, JSON Lines) into records. No database access.

Each file yields records and a list of what was skipped and why, so the import command can tell
the user exactly what did not come in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import trafilatura

from articles.boilerplate import DroppedLine, clean_lines
from articles.pdftext import PdfTextError, pdf_text
from articles.textnorm import normalise_paragraphs

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
PDF_SUFFIXES = {".pdf"}
NO_TITLE_TEXT = "no title: the first non-empty line must be the title"
NO_TITLE_PDF = "no title: the PDF's first line of three words or more is taken as the title, and it has none"


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    text: str
    url: str | None = None
    outlet: str | None = None
    byline: str = ""
    published_at: datetime | None = None
    origin: str = ""  # "path" or "path:line", for messages


@dataclass(frozen=True)
class Skip:
    origin: str
    reason: str


@dataclass
class ParsedFile:
    records: list[ArticleRecord] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    dropped_lines: list[tuple[str, DroppedLine]] = field(default_factory=list)


class RecordError(ValueError):
    """A record that cannot be imported; the message says what to fix."""


def parse_datetime(value: Any, *, field_name: str = "published_at") -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field_name} must be an ISO 8601 string such as 2026-03-14T09:30:00+00:00")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise RecordError(
            f"{field_name} {value!r} is not an ISO 8601 date-time (e.g. 2026-03-14T09:30:00+00:00)"
        ) from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text_from_lines(lines: tuple[str, ...] | list[str]) -> str:
    return "\n\n".join(normalise_paragraphs(list(lines)))


def _records_from_lines(
    lines: list[str], *, origin: str, url: str | None, no_title: str, numbers: list[int] | None = None
) -> ParsedFile:
    """Title (the first substantial line), byline and text of a plain text or a PDF's text layer.

    ``numbers`` maps each of ``lines`` to its line number in the source, for the dropped-line report.
    """
    parsed = ParsedFile()
    cleaned = clean_lines(lines, take_title=True)
    for line in cleaned.dropped:
        number = numbers[line.number - 1] if numbers else line.number
        parsed.dropped_lines.append((origin, replace(line, number=number)))
    text = _text_from_lines(cleaned.lines)
    if not cleaned.title:
        parsed.skipped.append(Skip(origin, no_title))
    elif not text:
        parsed.skipped.append(Skip(origin, "no article text after the title"))
    else:
        parsed.records.append(
            ArticleRecord(title=cleaned.title, text=text, byline=cleaned.byline, url=url, origin=origin)
        )
    return parsed


def parse_plain_text(content: str, *, origin: str, url: str | None = None) -> ParsedFile:
    return _records_from_lines(content.split("\n"), origin=origin, url=url, no_title=NO_TITLE_TEXT)


def parse_pdf(content: bytes, *, origin: str, url: str | None = None) -> ParsedFile:
    """A PDF with a text layer: lines joined into paragraphs (see ``pdftext``), page numbers and
    running headers dropped, then the same boilerplate removal and headline detection as text."""
    try:
        layer = pdf_text(content)
    except PdfTextError as error:
        return ParsedFile(skipped=[Skip(origin, str(error))])
    parsed = _records_from_lines(
        layer.lines, origin=origin, url=url, no_title=NO_TITLE_PDF, numbers=layer.starts
    )
    parsed.dropped_lines.extend((origin, line) for line in layer.dropped)
    parsed.dropped_lines.sort(key=lambda item: item[1].number)
    return parsed


def parse_html(content: str, *, origin: str, url: str | None = None) -> ParsedFile:
    parsed = ParsedFile()
    document: Any = trafilatura.bare_extraction(
        content,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if isinstance(document, dict):  # older trafilatura versions answer with a dict
        document = SimpleNamespace(**document)
    body = getattr(document, "text", None) if document is not None else None
    if not body:
        parsed.skipped.append(Skip(origin, "no article text found in the HTML page"))
        return parsed
    title = (document.title or "").strip()
    lines = str(body).split("\n")
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if title and first is not None and " ".join(lines[first].split()) == " ".join(title.split()):
        # The page's own headline (an <h1> inside the article) opens the text: it is the title.
        parsed.dropped_lines.append((origin, DroppedLine(first + 1, lines[first].strip(), "repeated title")))
        lines[first] = ""
    cleaned = clean_lines(lines, take_title=False)
    parsed.dropped_lines.extend((origin, line) for line in cleaned.dropped)
    text = _text_from_lines(cleaned.lines)
    if not title:
        parsed.skipped.append(Skip(origin, "no title found in the HTML page (<title>, <h1> or og:title)"))
        return parsed
    published_at = None
    if document.date:
        try:
            published_at = parse_datetime(document.date)
        except RecordError:
            published_at = None
    parsed.records.append(
        ArticleRecord(
            title=title,
            text=text,
            url=url or document.url or None,
            outlet=document.sitename or None,
            byline=document.author or "",
            published_at=published_at,
            origin=origin,
        )
    )
    return parsed


def record_from_mapping(item: Any, *, origin: str) -> ArticleRecord:
    if not isinstance(item, dict):
        raise RecordError("each line must be a JSON object with title and text")
    title = item.get("title")
    text = item.get("text")
    if not isinstance(title, str) or not title.strip():
        raise RecordError("missing 'title' (a non-empty string)")
    if not isinstance(text, str) or not text.strip():
        raise RecordError("missing 'text' (a non-empty string)")
    for name in ("url", "outlet", "byline"):
        if item.get(name) is not None and not isinstance(item[name], str):
            raise RecordError(f"'{name}' must be a string")
    cleaned = clean_lines(text.split("\n"), take_title=False)
    body = _text_from_lines(cleaned.lines)
    if not body:
        raise RecordError("'text' holds only boilerplate")
    return ArticleRecord(
        title=" ".join(title.split()),
        text=body,
        url=(item.get("url") or "").strip() or None,
        outlet=(item.get("outlet") or "").strip() or None,
        byline=(item.get("byline") or "").strip(),
        published_at=parse_datetime(item.get("published_at")),
        origin=origin,
    )


def parse_jsonl(content: str, *, origin: str) -> ParsedFile:
    parsed = ParsedFile()
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            parsed.skipped.append(Skip(where, f"not valid JSON ({error.msg} at column {error.colno})"))
            continue
        try:
            parsed.records.append(record_from_mapping(item, origin=where))
        except RecordError as error:
            parsed.skipped.append(Skip(where, str(error)))
    return parsed


def parse_path(path: Path) -> ParsedFile:
    origin = str(path)
    if path.suffix.lower() in PDF_SUFFIXES:
        try:
            return parse_pdf(path.read_bytes(), origin=origin)
        except OSError as error:
            return ParsedFile(skipped=[Skip(origin, f"cannot be read: {error.strerror}")])
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ParsedFile(skipped=[Skip(origin, "not UTF-8 text: convert the file to UTF-8 first")])
    except OSError as error:
        return ParsedFile(skipped=[Skip(origin, f"cannot be read: {error.strerror}")])
    return parse_content(content, suffix=path.suffix.lower(), origin=origin)


def parse_content(content: str, *, suffix: str, origin: str, url: str | None = None) -> ParsedFile:
    """Parse a file's text by its suffix (an HTML page is recognised by its start, too)."""
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl(content, origin=origin)
    if suffix in HTML_SUFFIXES or content.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        return parse_html(content, origin=origin, url=url)
    if suffix in TEXT_SUFFIXES or suffix == "":
        return parse_plain_text(content, origin=origin)
    return ParsedFile(
        skipped=[Skip(origin, f"unknown file type {suffix!r}: use .txt, .html, .pdf or .jsonl")]
    )


def clean_pasted_text(text: str) -> tuple[str, tuple[DroppedLine, ...]]:
    """Article text pasted from a web page, without its boilerplate lines, and what was dropped."""
    cleaned = clean_lines(text.split("\n"), take_title=False)
    return _text_from_lines(cleaned.lines), cleaned.dropped


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path
