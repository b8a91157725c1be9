"""Forms of the review area. They parse what the browser sent; the services decide what is valid
(``review_validate``, ``finding_decide``) and their ``ValidationError`` is put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from accounts.numbers import MAX_ID, whole_number_or_none
from claims.models import VERDICTS
from claims.services.reviews import MAX_RATIONALE_CHARS, RATIONALE_REQUIRED

VERDICT_CHOICES = [(verdict.value, verdict.label) for verdict in VERDICTS]
# Verdicts whose rationale the browser marks as required (the service enforces it).
RATIONALE_REQUIRED_VALUES = [verdict.value for verdict in RATIONALE_REQUIRED]
MAX_EVIDENCE_LINES = 20


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ``ValidationError`` to the form field it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class VerdictForm(forms.Form):
    """The claim page's verdict, made on the version of the claim the editor was shown."""

    verdict = forms.ChoiceField(choices=VERDICT_CHOICES, widget=forms.RadioSelect)
    rationale = forms.CharField(required=False, strip=True, max_length=MAX_RATIONALE_CHARS)
    evidence = forms.CharField(required=False, help_text="One link per line.")
    expected_version = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def clean_rationale(self) -> str:
        return unix_newlines(self.cleaned_data.get("rationale", ""))

    def clean_evidence(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("evidence", "").splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_EVIDENCE_LINES:
            raise ValidationError(f"At most {MAX_EVIDENCE_LINES} evidence links.")
        return links


class QueueVerdictForm(forms.Form):
    """One verdict for one or several queue rows; each ``claim`` value is ``<id>:<version seen>``."""

    verdict = forms.ChoiceField(choices=VERDICT_CHOICES)
    rationale = forms.CharField(required=False, strip=True, max_length=MAX_RATIONALE_CHARS)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.claim_versions: dict[int, int] = {}
        self._raw_claims = data.getlist("claim") if data is not None else []

    def clean_rationale(self) -> str:
        return unix_newlines(self.cleaned_data.get("rationale", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        versions: dict[int, int] = {}
        for raw in self._raw_claims:
            claim_text, _, version_text = str(raw).partition(":")
            claim_id, version = whole_number_or_none(claim_text), whole_number_or_none(version_text)
            if claim_id is None or version is None:
                raise ValidationError("The selection is malformed: reload the queue.")
            versions[claim_id] = version
        if not versions:
            raise ValidationError("Select at least one claim.")
        if len(versions) > 200:
            raise ValidationError("At most 200 claims at once.")
        self.claim_versions = versions
        return cleaned


class FindingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    reason = forms.CharField(required=False, strip=True, max_length=2000)
    keep = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class SourceForm(forms.Form):
    url = forms.CharField(max_length=2000, strip=True)
    title = forms.CharField(required=False, max_length=500, strip=True)


def unix_newlines(text: str) -> str:
    """Browsers submit CRLF line breaks; rationales are stored with plain newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
