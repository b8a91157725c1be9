"""The dashboard: verdicts per outlet and per speaker, and the figures in dispute."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User

from claims.models import FindingKind
from claims.selectors.dashboard import (
    figures_in_dispute,
    status_totals,
    verdicts_by_outlet,
    verdicts_by_speaker,
)
from claims.services.merges import claims_merge
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import client_for
from tests.newsroom import Newsroom, flood_claims, store_finding


@pytest.mark.django_db
def test_verdicts_are_counted_per_outlet_and_per_speaker(editor: User, newsroom: Newsroom) -> None:
    # given: the Gazette's claim disputed; KPB's stays unreviewed
    claim_review(
        claim_id=newsroom.bridge.pk, reviewer=editor, verdict="disputed", rationale="Invoice says 6m."
    )
    claim_review(claim_id=newsroom.budget_no.pk, reviewer=editor, verdict="unreliable", rationale="Rumour.")
    # when
    by_outlet = verdicts_by_outlet(user=editor)
    by_speaker = verdicts_by_speaker(user=editor)
    # then: outlets with verdicts first; columns are corroborated, disputed, unreliable, awaiting
    assert by_outlet.rows() == [("Harbour Gazette", [0, 1, 0, 0]), ("KPB News", [0, 0, 0, 1])]
    assert by_speaker.rows() == [
        ("City officials", [0, 1, 0, 0]),
        ("Opposition leader", [0, 0, 1, 0]),
        ("Council press office", [0, 0, 0, 1]),
        ("Mayor", [0, 0, 0, 1]),
    ]
    assert by_outlet.as_json()["series"][1] == {"status": "disputed", "label": "Disputed", "counts": [1, 0]}
    assert status_totals(user=editor) == {
        "total": 6,
        "contradicted": 2,
        "unreviewed": 3,
        "corroborated": 1,
        "disputed": 1,
        "unreliable": 1,
    }


@pytest.mark.django_db
def test_a_merged_claim_counts_once_for_each_outlet_that_reported_it(
    editor: User, newsroom: Newsroom
) -> None:
    claims_merge(keep_id=newsroom.bridge.pk, merge_id=newsroom.bridge_again.pk, user=editor)
    claim_review(claim_id=newsroom.bridge.pk, reviewer=editor, verdict="corroborated", rationale="")
    assert verdicts_by_outlet(user=editor).rows() == [
        ("Harbour Gazette", [1, 0, 0, 0]),
        ("KPB News", [1, 0, 0, 0]),
    ]
    assert "Mayor" not in verdicts_by_speaker(user=editor).labels


@pytest.mark.django_db
def test_figures_in_dispute_puts_each_reported_figure_of_a_contradiction_group_on_one_axis(
    editor: User, annotator: User
) -> None:
    # given: the three reports contradict each other in a chain
    seven, forty, range_ = flood_claims(annotator)
    store_finding(seven, forty, explanation='Figures conflict: "Seven" vs "At least 40" people died')
    store_finding(forty, range_, explanation='Figures conflict: "At least 40" vs "30 and 35" people died')
    claim_review(claim_id=seven.pk, reviewer=editor, verdict="disputed", rationale="Hospital lists 31.")
    # and a contradiction about an outcome whose figures agree is no dispute about figures
    store_finding(
        factories.claim(text="The council approved the budget by 42 votes to 39.", user=annotator),
        factories.claim(text="The council rejected the budget by 42 votes to 39.", user=annotator),
    )
    # when
    [group] = figures_in_dispute(user=editor)
    # then: one group, figures in date order, open bounds have no upper end
    assert (group.title, group.topic, group.measure, group.claim_count) == (
        "People killed",
        "Corran Dam",
        "killed",
        3,
    )
    assert [
        (f.claim_id, f.surface, f.value, f.low, f.high, f.outlet, f.speaker, f.status, f.date.day)
        for f in group.figures
    ] == [
        (seven.pk, "Seven", 7.0, 7.0, 7.0, "Gazette", "Gazette desk", "disputed", 10),
        (range_.pk, "30 and 35", 32.5, 30.0, 35.0, "Clarion", "Clarion desk", "unreviewed", 11),
        (forty.pk, "At least 40", 40.0, 40.0, None, "Ledger", "Ledger desk", "unreviewed", 12),
    ]
    assert group.as_json()["figures"][2] == {
        "claim": forty.pk,
        "text": "At least 40 people died in the Corran Dam flood",
        "status": "unreviewed",
        "speaker": "Ledger desk",
        "outlet": "Ledger",
        "date": "2026-03-12",
        "surface": "At least 40",
        "value": 40.0,
        "low": 40.0,
        "high": None,
        "hedge": "at_least",
        "unit": "",
    }
    assert figures_in_dispute(user=AnonymousUser()) == []


@pytest.mark.django_db
def test_rejected_contradictions_and_merged_claims_leave_the_disputes(editor: User, annotator: User) -> None:
    seven, forty, _ = flood_claims(annotator)
    finding = store_finding(seven, forty)
    assert len(figures_in_dispute(user=editor)) == 1
    from claims.services.findings import finding_decide

    finding_decide(finding_id=finding.pk, user=editor, accept=False, reason="Different floods.")
    assert figures_in_dispute(user=editor) == []


@pytest.mark.django_db
def test_the_page_carries_the_chart_data_and_tables(editor: User, annotator: User) -> None:
    seven, forty, _ = flood_claims(annotator)
    store_finding(seven, forty, kind=FindingKind.CONTRADICTION)
    # when
    page = client_for(editor).get("/dashboard/").content.decode()
    # then
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    assert data["outlets"]["labels"] == ["Clarion", "Gazette", "Ledger"]
    assert [series["status"] for series in data["outlets"]["series"]] == [
        "corroborated",
        "disputed",
        "unreliable",
        "unreviewed",
    ]
    assert [figure["surface"] for figure in data["figures"][0]["figures"]] == ["Seven", "At least 40"]
    assert '<span class="tile-n" id="tile-contradicted">2</span>' in page
    assert '<canvas id="chart-outlets"' in page
    assert (
        '<th scope="row">Gazette</th><td class="num">0</td><td class="num">0</td>'
        '<td class="num">0</td><td class="num">1</td>'
    ) in (page)
    assert '<script src="/static/vendor/chartjs/chart.umd.js"></script>' in page


@pytest.mark.django_db
def test_figures_in_dispute_keep_one_row_per_place_so_a_town_is_never_drawn_on_the_province_line(
    editor: User, annotator: User
) -> None:
    # given: a town's toll, the province's toll, and a second report of the town's toll, all linked
    town = factories.claim(text="Seven people died in Renwick when the Corran Dam failed.", user=annotator)
    province = factories.claim(
        text="At least 40 people died in Aldmoor Province after the Corran Dam failed.", user=annotator
    )
    town_again = factories.claim(text="12 people died in Renwick after the dam failed.", user=annotator)
    store_finding(town, province, explanation="Figures conflict")
    store_finding(town_again, province, explanation="Figures conflict")
    # when
    groups = figures_in_dispute(user=editor)
    # then: one row, the town's two figures; the province's single figure disputes nothing on its own
    assert [(group.title, group.topic, [f.claim_id for f in group.figures]) for group in groups] == [
        ("People killed", "Renwick", [town.pk, town_again.pk])
    ]
    assert all(f.claim_id != province.pk for group in groups for f in group.figures)


@pytest.mark.django_db
def test_figures_in_dispute_show_each_place_with_a_dispute_as_its_own_row(
    editor: User, annotator: User
) -> None:
    # given: both the town and the province have two conflicting figures
    texts = [
        "Seven people died in Renwick when the Corran Dam failed.",
        "Nine people died in Renwick when the Corran Dam failed.",
        "At least 40 people died in Aldmoor Province after the Corran Dam failed.",
        "22 people died in Aldmoor Province after the Corran Dam failed.",
    ]
    claims = [factories.claim(text=text, user=annotator) for text in texts]
    for first, second in itertools.pairwise(claims):
        store_finding(first, second, explanation="Figures conflict")
    # when
    groups = figures_in_dispute(user=editor)
    # then
    rows = sorted((group.topic, sorted(f.value for f in group.figures)) for group in groups)
    assert rows == [("Aldmoor Province", [22.0, 40.0]), ("Renwick", [7.0, 9.0])]


@pytest.mark.django_db
def test_a_square_in_the_city_is_not_drawn_on_the_city_line(editor: User, annotator: User) -> None:
    # given: a count in one square of the capital, and two counts for the whole capital
    square = factories.claim(
        text="About 8,000 people took part in the pension protest in Halvard Square, Velsund.", user=annotator
    )
    city = factories.claim(
        text="More than 40,000 people took part in the pension protest in Velsund.", user=annotator
    )
    city_again = factories.claim(
        text="Between 14,000 and 17,000 people took part in the pension protest in Velsund.", user=annotator
    )
    store_finding(square, city, explanation="Figures conflict")
    store_finding(city, city_again, explanation="Figures conflict")
    # when
    groups = figures_in_dispute(user=editor)
    # then
    assert [(group.topic, [f.claim_id for f in group.figures]) for group in groups] == [
        ("Velsund", [city.pk, city_again.pk])
    ]
