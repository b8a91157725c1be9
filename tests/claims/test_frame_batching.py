"""The spaCy parse behind claim frames runs once per claim, in batches, on the real import path
(``manage.py import_claims`` and the checks it triggers), never once per judged pair."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from claims.detection import DETECTOR_VERSION, analyse
from claims.detection.parsing import parse_calls, reset_counters
from claims.models import CheckRequest, CheckRequestState, ClaimVector, Finding
from claims.services.index import features_from_row

TOWNS = ("Ardley", "Bexcombe", "Corran", "Dunmore", "Elsby", "Farrow", "Glenmoor")


def _archive(tmp_path: Path) -> tuple[Path, list[str]]:
    texts = []
    for k, town in enumerate(TOWNS):
        texts.append(f"Floods forced {100 * (k + 2)} people in {town} to leave their homes on Monday.")
        texts.append(f"About {100 * (k + 2)} residents of {town} were evacuated on Monday as the river rose.")
        texts.append(f"Floods forced {100 * (k + 9)} people in {town} to leave their homes on Monday.")
    path = tmp_path / "claims.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": t, "external_id": f"x{i}"}) for i, t in enumerate(texts)) + "\n",
        encoding="utf-8",
    )
    return path, texts


@pytest.mark.django_db(transaction=True)
def test_import_and_check_parse_each_claim_once_in_batches(tmp_path: Path, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    path, texts = _archive(tmp_path)
    reset_counters()
    call_command("import_claims", str(path), "--batch-size", "8", "--no-progress")
    # every claim checked, and findings made: the pairs were judged
    assert not CheckRequest.objects.exclude(state=CheckRequestState.DONE).exists()
    assert Finding.objects.exists()
    parsed, batches = parse_calls()
    assert parsed == len(set(texts))
    assert batches == math.ceil(len(texts) / 8)
    # the stored features carry the frame, so reading them back parses nothing
    row = ClaimVector.objects.select_related("claim").first()
    assert row is not None
    assert row.detector_version == DETECTOR_VERSION
    stored = features_from_row(row.claim.text, row.detector_version, row.features)
    assert stored.frame == analyse(row.claim.text).frame
    assert parse_calls() == (parsed, batches)
