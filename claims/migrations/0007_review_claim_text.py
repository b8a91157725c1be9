"""Reviews remember the wording they were given on; claims whose wording changed after their verdict
go back to review.

Before this migration an annotator could change the text of a claim with a verdict and the verdict
stayed. The wording each existing review was given on is rebuilt from the history: the ``before``
text of the first wording edit after the review, or the current text when there was none.
"""

from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone

VERDICTS = ("corroborated", "disputed", "unreliable")


def reviews_backfill_and_reopen(apps, schema_editor):  # noqa: ANN001, ANN201 (migration signature)
    Claim = apps.get_model("claims", "Claim")
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    Review = apps.get_model("claims", "Review")
    edits = defaultdict(list)
    for claim_id, created_at, data in (
        ClaimEvent.objects.filter(action="edited").order_by("claim_id", "created_at", "id")
        .values_list("claim_id", "created_at", "data")
    ):
        before = (data or {}).get("before") or {}
        if isinstance(before.get("text"), str):
            edits[claim_id].append((created_at, before["text"]))
    texts = dict(Claim.objects.filter(reviews__isnull=False).distinct().values_list("pk", "text"))
    latest = {}
    for review in Review.objects.order_by("claim_id", "claim_version").iterator(chunk_size=2000):
        later = [text for moment, text in edits.get(review.claim_id, []) if moment > review.created_at]
        wording = later[0] if later else texts.get(review.claim_id, "")
        Review.objects.filter(pk=review.pk).update(claim_text=wording)
        latest[review.claim_id] = (review.verdict, wording)
    now = timezone.now()
    stale = Claim.objects.filter(pk__in=list(latest), status__in=VERDICTS)
    for claim in stale.only("pk", "text", "status", "version").iterator(chunk_size=2000):
        verdict, wording = latest[claim.pk]
        if wording == claim.text:
            continue
        Claim.objects.filter(pk=claim.pk).update(
            status="unreviewed", version=claim.version + 1, updated_at=now
        )
        ClaimEvent.objects.create(
            claim_id=claim.pk,
            action="returned_to_review",
            summary=f"Back to review: the wording changed after the verdict '{verdict}'",
            reason=f"The verdict was given on other words: \u201c{wording[:400]}\u201d.",
            data={"previous": claim.status, "reviewed_text": wording, "version": claim.version + 1},
            created_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_assignment_discussion_notifications")]

    operations = [
        migrations.AddField(
            model_name="review",
            name="claim_text",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(reviews_backfill_and_reopen, migrations.RunPython.noop),
    ]
