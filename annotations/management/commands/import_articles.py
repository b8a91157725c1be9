from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from annotations.services import article_import_and_reanchor
from articles.extraction import ParsedFile, Skip, expand_paths, parse_path
from articles.fetch import FetchError, fetch_article


class Command(BaseCommand):
    help = (
        "Import articles from plain text (first non-empty line is the title), HTML, PDF (its text layer) "
        "or JSON Lines ({title, text, url, outlet, published_at}) files, or from web pages (--url). "
        "Idempotent: the same URL or text is not imported "
        "twice; changed text under a known URL becomes a new revision and its highlights are re-anchored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders")
        parser.add_argument(
            "--url",
            action="append",
            default=[],
            dest="urls",
            metavar="URL",
            help="fetch this http(s) page (HTML, PDF or plain text) and import it; repeatable",
        )
        parser.add_argument(
            "--verbose-drops", action="store_true", help="list every boilerplate line dropped"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["paths"] and not options["urls"]:
            raise CommandError("Give files or folders to import, or --url URL (or both).")
        paths = list(expand_paths(options["paths"]))
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        parsed_files: list[ParsedFile] = [parse_path(path) for path in paths]
        for url in options["urls"]:
            # One page at a time, each within the fetch limits; a page that fails is reported and skipped.
            try:
                parsed_files.append(fetch_article(url))
            except FetchError as error:
                parsed_files.append(ParsedFile(skipped=[Skip(url, str(error))]))
        records = [record for parsed in parsed_files for record in parsed.records]
        skipped = [skip for parsed in parsed_files for skip in parsed.skipped]
        dropped = [item for parsed in parsed_files for item in parsed.dropped_lines]
        actions: Counter[str] = Counter()
        for record in tqdm(records, desc="Importing", unit="article", disable=options["no_progress"]):
            try:
                outcome = article_import_and_reanchor(record=record)
            except ValidationError as error:
                messages = (
                    "; ".join(f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items())
                    if hasattr(error, "error_dict")
                    else " ".join(error.messages)
                )
                skipped.append(Skip(record.origin, messages))
                continue
            actions[outcome.action] += 1
            self.stdout.write(f"{outcome.action:9} #{outcome.article.pk} {outcome.article.title[:90]}")
        self.stdout.write(
            f"{actions['created']} created, {actions['revised']} revised, {actions['unchanged']} unchanged, "
            f"{len(skipped)} skipped, {len(dropped)} boilerplate lines dropped."
        )
        for skip in skipped:
            self.stdout.write(self.style.WARNING(f"skipped {skip.origin}: {skip.reason}"))
        reasons = Counter(line.reason for _, line in dropped)
        if reasons:
            self.stdout.write(
                "Dropped: " + ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
            )
        if options["verbose_drops"]:
            for origin, line in dropped:
                self.stdout.write(f"  {origin}:{line.number} [{line.reason}] {line.text[:100]}")
