"""Request and response bodies of the claims API. Input serializers check shapes and types; the
services check meaning (lengths, URLs, anchoring) and their messages reach the client unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from annotations.models import AnchorState
from apicore.fields import TextField
from apicore.schema import enum_field
from apicore.serializers import StrictSerializer
from claims.models import VERDICTS, CheckStatus, ClaimStatus, FindingKind, FindingState, SourceKind
from claims.services.claims import SelectorInput
from claims.services.reviews import MAX_RATIONALE_CHARS

MAX_ID = 2**63 - 1
MAX_MATCH_RESULTS = 20
VERDICT_CHOICES = [(verdict.value, verdict.label) for verdict in VERDICTS]


def _verdict_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=VERDICT_CHOICES,
        error_messages={
            "invalid_choice": '"{input}" is not a verdict: use corroborated, disputed or unreliable.'
        },
    )


# --- Input ---------------------------------------------------------------------------------------


class TextQuoteSelectorSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=["TextQuoteSelector"])
    exact = TextField(allow_blank=True, trim_whitespace=False, help_text="The quoted text, verbatim.")
    prefix = TextField(required=False, allow_blank=True, trim_whitespace=False)
    suffix = TextField(required=False, allow_blank=True, trim_whitespace=False)


class TextPositionSelectorSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=["TextPositionSelector"])
    start = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="Code point offset, inclusive.")
    end = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="Code point offset, exclusive.")


SELECTOR_TYPES: dict[str, type[serializers.Serializer[Any]]] = {
    "TextQuoteSelector": TextQuoteSelectorSerializer,
    "TextPositionSelector": TextPositionSelectorSerializer,
}
SELECTOR_SCHEMAS: dict[str, serializers.Serializer[Any] | type[serializers.Serializer[Any]]] = dict(
    SELECTOR_TYPES
)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="Selector",
        serializers=SELECTOR_SCHEMAS,
        resource_type_field_name="type",
        many=True,
    )
)
class SelectorField(serializers.Field[SelectorInput, Any, Any, Any]):
    """W3C selectors: a TextQuoteSelector, a TextPositionSelector, or one of each (they must agree)."""

    default_error_messages = {
        "shape": "selector must be a list of one or two selector objects, each with a type.",
        "type": "Each selector needs a type: TextQuoteSelector or TextPositionSelector.",
        "twice": "Give at most one selector of each type.",
    }

    def to_internal_value(self, data: Any) -> SelectorInput:
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list) or not 1 <= len(data) <= 2:
            self.fail("shape")
        values: dict[str, Any] = {}
        seen: set[str] = set()
        errors: list[Any] = []
        for item in data:
            kind = item.get("type") if isinstance(item, dict) else None
            if not isinstance(kind, str) or kind not in SELECTOR_TYPES:
                self.fail("type")
            if kind in seen:
                self.fail("twice")
            seen.add(kind)
            parsed = SELECTOR_TYPES[kind](data=item)
            if parsed.is_valid():
                values.update({key: value for key, value in parsed.validated_data.items() if key != "type"})
                errors.append({})
            else:
                errors.append(parsed.errors)
        if any(errors):
            raise serializers.ValidationError(errors)
        return SelectorInput(**values)

    def to_representation(self, value: SelectorInput) -> Any:
        raise NotImplementedError("selectors are input only")


def _inline_enum(values: list[str], *, default: str) -> Any:
    return extend_schema_field({"type": "string", "enum": values, "default": default})


def _appearance_date_field(help_text: str) -> serializers.DateTimeField:
    return serializers.DateTimeField(
        required=False,
        allow_null=True,
        input_formats=[api_settings.DATETIME_INPUT_FORMATS[0], "%Y-%m-%d"],
        help_text=help_text + " A date (`2024-05-06`) or an ISO 8601 date-time; at most a day ahead.",
    )


class SourceInputSerializer(StrictSerializer):
    """An evidence link, or with `kind: appearance` a place where the claim was made or reported."""

    # A string documented as an inline enum (a named one would collide with the schema's other
    # "kind" enums); the service refuses other values with a message naming them.
    kind = _inline_enum(["evidence", "appearance"], default="evidence")(
        TextField(
            required=False,
            default="evidence",
            help_text="`evidence` (a link that supports or refutes the claim) or `appearance` (where it was "
            "made).",
        )
    )
    url = TextField(
        required=False,
        allow_blank=True,
        help_text="A full http(s) URL. Required for evidence; an appearance needs a url, an outlet or both.",
    )
    title = TextField(required=False, allow_blank=True, max_length=500)
    outlet = TextField(
        required=False, allow_blank=True, max_length=200, help_text="Appearances: the site, paper or channel."
    )
    author = TextField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Appearances: who made the claim there (the ClaimReview's `itemReviewed.author` when the "
        "claim has no speaker).",
    )
    published_at = _appearance_date_field("Appearances: when it was published.")
    seen_at = _appearance_date_field(
        "Appearances: when someone saw it, when the publication date is unknown."
    )


class ClaimCreateSerializer(StrictSerializer):
    article = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="The article highlighted in.",
    )
    selector = SelectorField(
        required=False, help_text="Where in the article's current text; needs `article`."
    )
    text = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The claim as a checkable statement. Defaults to the quoted text for a highlight.",
    )
    title = TextField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="A short headline for the claim, as a fact-check is titled (at most 300 characters). "
        "The match endpoint searches it beside the text; duplicate and contradiction checks read the text.",
    )
    speaker = TextField(required=False, allow_blank=True, allow_null=True, help_text="Who said it.")
    sources = serializers.ListField(
        child=SourceInputSerializer(),
        required=False,
        help_text="Evidence links and appearances (`kind: appearance`: url, outlet, author, dates); "
        "at most 20.",
    )


class ClaimUpdateSerializer(StrictSerializer):
    text = TextField(required=False, allow_blank=True)
    title = TextField(required=False, allow_blank=True, help_text="Empty to remove the title.")
    speaker = TextField(required=False, allow_blank=True)
    reason = TextField(required=False, allow_blank=True, max_length=5000, help_text="Why (history).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not {"text", "title", "speaker"} & set(attrs):
            raise serializers.ValidationError(
                {"detail": ["Send text, title or speaker: there is nothing to change."]}
            )
        return attrs


class SourcesAddSerializer(StrictSerializer):
    sources = serializers.ListField(child=SourceInputSerializer(), allow_empty=False, max_length=20)


class ReviewCreateSerializer(StrictSerializer):
    verdict = _verdict_field()
    rationale = TextField(
        required=False,
        allow_blank=True,
        max_length=MAX_RATIONALE_CHARS,
        help_text="Why; required for disputed and unreliable.",
    )
    evidence = serializers.ListField(
        child=TextField(), required=False, max_length=20, help_text="URLs backing the verdict."
    )


class BulkReviewSerializer(ReviewCreateSerializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=settings.API_MAX_PAGE_SIZE,
        help_text=f"Claim ids (at most {settings.API_MAX_PAGE_SIZE}).",
    )


class UnmergeRequestSerializer(StrictSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Why the merge was wrong (history)."
    )


class FindingDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(
        choices=["accept", "reject"],
        error_messages={"invalid_choice": '"{input}" is not a decision: use accept or reject.'},
    )
    reason = TextField(required=False, allow_blank=True, max_length=5000)
    keep = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="For an accepted duplicate: the claim that stays (default: the older one).",
    )


class MatchRequestSerializer(StrictSerializer):
    text = TextField(allow_blank=True, help_text="A statement to look up.")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_MATCH_RESULTS, default=5)
    min_score = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="Leave out results scoring below this (0 to 1). Default: the floor 0.2, below which "
        "a stored claim is not about the statement.",
    )


# --- Output --------------------------------------------------------------------------------------


class ClaimListItemSerializer(serializers.Serializer[Any]):
    """The light representation of list pages: no related lists, only counters."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    title = serializers.CharField(help_text="A short headline; empty when the claim has none.")
    speaker = serializers.CharField(help_text="Empty when unknown.")
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    check_status = serializers.ChoiceField(choices=CheckStatus.choices)
    version = serializers.IntegerField(help_text="Grows with every change; send it in If-Match.")
    merged_into = serializers.IntegerField(
        source="merged_into_id", allow_null=True, help_text="Set when this claim was merged: follow it."
    )
    findings_count = serializers.IntegerField(help_text="Duplicates and contradictions found, in any state.")
    open_contradictions = serializers.IntegerField()
    open_duplicates = serializers.IntegerField(help_text="Duplicate suggestions awaiting a decision.")
    outlet_count = serializers.IntegerField(help_text="Distinct outlets the claim appears in.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)


def render_datetime(moment: datetime | None) -> str | None:
    """A timestamp as DRF's DateTimeField renders it (ISO 8601 in UTC, "Z" suffix)."""
    if moment is None:
        return None
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def claim_list_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ClaimListItemSerializer``'s output for rows of ``claims.selectors.SYNC_COLUMNS``, built directly.

    A list page is the API's hottest path: DRF's field machinery costs about 0.3 ms per row, which
    is most of a page of 50. tests/api/test_claims_list.py holds this to the serializer's output.
    """
    return [
        {
            "id": row["id"],
            "text": row["text"],
            "title": row["title"],
            "speaker": row["speaker"],
            "status": row["status"],
            "check_status": row["check_status"],
            "version": row["version"],
            "merged_into": row["merged_into_id"],
            "findings_count": row["findings_count"],
            "open_contradictions": row["open_contradictions"],
            "open_duplicates": row["open_duplicates"],
            "outlet_count": row["outlet_count"],
            "created_at": render_datetime(row["created_at"]),
            "updated_at": render_datetime(row["updated_at"]),
            "reviewed_at": render_datetime(row["reviewed_at"]),
        }
        for row in rows
    ]


class SourceLinkSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    title = serializers.CharField()
    kind = enum_field([SourceKind.EVIDENCE.value, SourceKind.ORIGIN.value])


class AppearanceSerializer(serializers.Serializer[Any]):
    """An article the claim was highlighted in, or (``article`` null) an appearance recorded with
    the claim: a page, post or broadcast, with who made the claim there."""

    article = serializers.IntegerField(
        source="article_id", allow_null=True, help_text="Null for an appearance outside the articles here."
    )
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    outlet = serializers.CharField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    annotation = serializers.IntegerField(source="annotation_id", allow_null=True)
    exact = serializers.CharField(allow_null=True, help_text="The highlighted quote.")
    anchor_state = serializers.ChoiceField(choices=AnchorState.choices, allow_null=True)
    author = serializers.CharField(
        allow_null=True, help_text="Who made the claim there (recorded appearances)."
    )
    seen_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When it was seen there, for a recorded appearance with no publication date.",
    )


class FindingSerializer(serializers.Serializer[Any]):
    """A finding as one of its claims sees it: ``claim`` is the *other* claim."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    claim = serializers.IntegerField(source="other_claim_id")
    other_text = serializers.CharField()
    score = serializers.FloatField(min_value=0, max_value=1)
    explanation = serializers.CharField()
    state = serializers.ChoiceField(choices=FindingState.choices)
    decided_at = serializers.DateTimeField(allow_null=True)


class ReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    claim = serializers.IntegerField(source="claim_id")
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    rationale = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())
    reviewer = serializers.CharField(source="reviewer.username")
    claim_version = serializers.IntegerField(help_text="The version the verdict was given on.")
    created_at = serializers.DateTimeField()


class UserRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()


class ClaimDetailSerializer(ClaimListItemSerializer):
    """Everything about a claim. Reads the lists ``claims.api.claims.claim_representation`` attaches."""

    assignee = UserRefSerializer(allow_null=True, help_text="Who on the desk is working on the claim.")

    sources = SourceLinkSerializer(source="link_list", many=True, help_text="Evidence and origin links.")
    appearances = AppearanceSerializer(source="appearance_list", many=True)
    findings = FindingSerializer(source="finding_list", many=True)
    review = ReviewSerializer(source="latest_review", allow_null=True, help_text="The latest verdict.")


class ClaimConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="Who changed the claim and how; nothing was saved.")
    claim = ClaimDetailSerializer(help_text="The claim as it is now.")


class ClaimWriteConflictSerializer(serializers.Serializer[Any]):
    """A 409 on a claim write: either the claim changed while the request ran (``claim`` is the claim
    as it is now) or it was merged (only ``detail``, which names the claim to act on)."""

    detail = serializers.CharField(help_text="What conflicted; nothing was saved.")
    claim = ClaimDetailSerializer(
        required=False, help_text="The claim as it is now; absent when the claim was merged into another."
    )


class ReviewCreatedSerializer(serializers.Serializer[Any]):
    review = ReviewSerializer()
    claim = ClaimDetailSerializer(help_text="The claim after the verdict (its new version and ETag).")


class BulkReviewDoneSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField()
    review = serializers.IntegerField()


class BulkReviewFailedSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField()
    detail = serializers.CharField()


class BulkReviewResultSerializer(serializers.Serializer[Any]):
    reviewed = BulkReviewDoneSerializer(many=True)
    conflicts = BulkReviewFailedSerializer(many=True, help_text="Claims not reviewed, and why.")


class FindingDecidedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    claims = serializers.ListField(child=serializers.IntegerField(), help_text="The pair, lower id first.")
    score = serializers.FloatField()
    explanation = serializers.CharField()
    state = serializers.ChoiceField(choices=FindingState.choices)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    kept = serializers.IntegerField(
        allow_null=True, help_text="For an accepted duplicate, the claim the other was merged into."
    )


class MatchSerializer(serializers.Serializer[Any]):
    claim = serializers.IntegerField()
    text = serializers.CharField()
    title = serializers.CharField(help_text="The stored claim's headline; empty when it has none.")
    score = serializers.FloatField(
        min_value=0,
        max_value=1,
        help_text="The match score results are sorted by (retrieval fused with judgement).",
    )
    relation = serializers.ChoiceField(
        choices=["duplicate", "contradiction", "related"],
        help_text="What the judge makes of the pair; a label, not a sort key.",
    )


class MergeRecordSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kept = serializers.IntegerField(source="kept_id", help_text="The claim that stayed.")
    merged = serializers.IntegerField(
        source="merged_id", help_text="The claim merged into it, now live again."
    )
    automatic = serializers.BooleanField(help_text="True when the detector merged on its own.")
    moved_sources = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Sources (appearances with their highlights) the merge moved.",
    )
    finding = serializers.IntegerField(
        source="finding_id",
        allow_null=True,
        help_text="The pair's duplicate finding, a suggestion again after the unmerge.",
    )
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    undone_by = serializers.CharField(source="undone_by.username", allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)
    undo_reason = serializers.CharField()


class MatchResultSerializer(serializers.Serializer[Any]):
    results = MatchSerializer(many=True)


class EventSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text="created, edited, reviewed, merged, finding_accepted, ...")
    summary = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField(
        source="actor.username", allow_null=True, help_text="Null for automatic steps."
    )
    # DRF pops declared fields off the class, so this does not shadow Serializer.data.
    data = serializers.DictField(help_text="Details of the change (before/after values, ids).")  # type: ignore[assignment]
    created_at = serializers.DateTimeField()


class SpeakerSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    claims = serializers.IntegerField(help_text="How many claims carry this speaker.")


class SpeakerResultSerializer(serializers.Serializer[Any]):
    results = SpeakerSerializer(many=True)
