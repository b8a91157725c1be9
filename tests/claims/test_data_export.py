from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.services import api_token_create
from claims.management.commands.export_data import EXPORTED_MODELS
from claims.services.pipeline import claim_checks_run
from claims.services.reviews import claim_review
from tests import factories


def fill_newsroom(editor: User) -> None:
    article = factories.article(
        text="About 3,000 residents were evacuated.\n\nThe minister confirmed the dam had cracked. 🌊",
        outlet="Harbour Gazette",
    )
    first = factories.highlight(
        article=article,
        exact="About 3,000 residents were evacuated",
        user=editor,
        sources=["https://a.example/1"],
    )
    second = factories.claim(
        text="More than 11,000 residents were evacuated.", user=editor, speaker="Governor"
    )
    factories.highlight(article=article, exact="The minister confirmed the dam had cracked", user=editor)
    claim_review(claim_id=first.pk, reviewer=editor, verdict="disputed", rationale="Later counts differ.")
    claim_checks_run(claim_id=first.pk)
    claim_checks_run(claim_id=second.pk)
    api_token_create(user=editor)


MODELS = [apps.get_model(label) for label in EXPORTED_MODELS if not label.startswith("accounts.auditevent")]


def snapshot() -> dict[str, list[str]]:
    """Every exported row, serialised: equal snapshots mean nothing was lost or changed."""
    rows = {
        model._meta.label_lower: sorted(
            serializers.serialize("json", [obj]) for obj in model.objects.order_by("pk")
        )
        for model in MODELS
        if model is not Group
    }
    # Many-to-many ids come back in any order.
    rows["auth.group"] = sorted(
        f"{group.name}:{sorted(group.permissions.values_list('codename', flat=True))}"
        for group in Group.objects.all()
    )
    return rows


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_round_trips_every_row(
    tmp_path: Path, editor: User
) -> None:
    # given a newsroom with every kind of row
    fill_newsroom(editor)
    before = snapshot()
    assert all(before[label] for label in ("claims.finding", "claims.review", "annotations.annotation"))
    path = tmp_path / "newsroom.jsonl"
    call_command("export_data", str(path), stdout=StringIO())
    # when the database is emptied and the export loaded back
    call_command("flush", "--noinput", verbosity=0)
    out = StringIO()
    call_command("import_data", str(path), stdout=out)
    # then every row is back, identical
    assert snapshot() == before
    assert "Imported" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_import_refuses_a_database_that_already_holds_a_newsroom(tmp_path: Path, editor: User) -> None:
    fill_newsroom(editor)
    path = tmp_path / "newsroom.jsonl"
    call_command("export_data", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds articles or claims"):
        call_command("import_data", str(path))
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_timestamps_come_back_to_the_microsecond(tmp_path: Path, editor: User) -> None:
    from claims.models import Claim

    # given claims saved at instants a millisecond cannot tell apart from a whole second
    stamps = [datetime(2026, 12, 3, 15, 50, 35, microsecond, tzinfo=UTC) for microsecond in (0, 123, 999_999)]
    ids = [factories.claim(text=f"Claim number {n} about Velmora.", user=editor).pk for n in range(3)]
    for claim_id, stamp in zip(ids, stamps, strict=True):
        Claim.objects.filter(pk=claim_id).update(created_at=stamp)
    path = tmp_path / "newsroom.jsonl"
    call_command("export_data", str(path), stdout=StringIO())
    # when the export is loaded into an emptied database
    call_command("flush", "--noinput", verbosity=0)
    call_command("import_data", str(path), stdout=StringIO())
    # then every instant is back as it was
    assert [Claim.objects.get(pk=claim_id).created_at for claim_id in ids] == stamps
