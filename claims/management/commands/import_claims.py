from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.chunking import chunked
from claims.services.archive import ArchiveLine, claims_import_archive


class Command(BaseCommand):
    help = (
        "Import already-checked claims from JSON Lines ({text, source_url?, speaker?, external_id?, status?} "
        "per line). Idempotent by external_id. Claims are indexed and checked in bulk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        lines: list[ArchiveLine] = []
        problems: list[str] = []
        with path.open(encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    lines.append(ArchiveLine.from_mapping(json.loads(raw), origin=f"{path}:{number}"))
                except json.JSONDecodeError as error:
                    problems.append(f"{path}:{number}: not valid JSON ({error.msg} at column {error.colno})")
                except ValidationError as error:
                    problems.append(f"{path}:{number}: {' '.join(error.messages)}")
        progress = tqdm(
            total=len(lines), desc="Importing claims", unit="claim", disable=options["no_progress"]
        )
        created = existing = 0
        size = max(1, options["batch_size"])
        for chunk in chunked(lines, size):
            outcome = claims_import_archive(lines=chunk, user=None, batch_size=size)
            created += outcome.created
            existing += outcome.existing
            progress.update(len(chunk))
        progress.close()
        self.stdout.write(
            f"{created} claims created, {existing} already present, {len(problems)} lines skipped."
        )
        for problem in problems:
            self.stdout.write(self.style.WARNING(f"skipped {problem}"))
