"""The demo newsroom, loaded on a fresh database: no automatic merge of claims about different
places, bodies or dates, and every automatic merge can be undone."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.detection import analyse
from claims.detection.merging import merge_frame
from claims.models import Claim, MergeRecord


@pytest.mark.django_db(transaction=True)
def test_load_demo_does_not_merge_the_brannoch_march_into_the_eskhaven_one() -> None:
    # when
    call_command("load_demo", "--quiet", "--force")
    # then
    brannoch = Claim.objects.get(text__startswith="No arrests were made during the pension march in Brannoch")
    eskhaven = Claim.objects.get(text__startswith="No arrests were made during the pension march in Eskhaven")
    assert (brannoch.merged_into_id, eskhaven.merged_into_id) == (None, None)
    # every automatic merge left is of two claims with the same frame, and is on record
    merged = Claim.objects.filter(merged_into__isnull=False).select_related("merged_into")
    for claim in merged:
        assert claim.merged_into is not None
        assert merge_frame(analyse(claim.text)) == merge_frame(analyse(claim.merged_into.text)), claim.text
    assert MergeRecord.objects.filter(automatic=True).count() == merged.count()
