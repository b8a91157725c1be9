"""The dashboard: verdicts per outlet and per speaker, and the figures in dispute. The charts are
drawn by static scripts from JSON data islands (the CSP allows no inline script)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.selectors.dashboard import (
    STATUS_ORDER,
    figures_in_dispute,
    status_totals,
    verdicts_by_outlet,
    verdicts_by_speaker,
)
from claims.selectors.triage import reviewed_repeats_by_outlet

REPEATS_WINDOW = timedelta(days=7)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    by_outlet = verdicts_by_outlet(user=request.user)
    by_speaker = verdicts_by_speaker(user=request.user)
    groups = figures_in_dispute(user=request.user)
    context = {
        "totals": status_totals(user=request.user),
        "statuses": STATUS_ORDER,
        "chart_panels": [
            ("outlets", "Verdicts per outlet", by_outlet),
            ("speakers", "Verdicts per speaker", by_speaker),
        ],
        "groups": groups,
        "repeated": reviewed_repeats_by_outlet(since=timezone.now() - REPEATS_WINDOW),
        "chart_data": {
            "outlets": by_outlet.as_json(),
            "speakers": by_speaker.as_json(),
            "figures": [group.as_json() for group in groups],
        },
    }
    return render(request, "claims/dashboard.html", context)
