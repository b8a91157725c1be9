"""The automatic-merge measurement takes the worker's decision and bounds its precision honestly."""

from __future__ import annotations

import pytest

from bench.evaluate_merges import auto_merged, wilson_lower
from claims.detection import analyse


def test_wilson_lower_bound_matches_the_textbook_values() -> None:
    assert wilson_lower(10, 10) == pytest.approx(0.7225, abs=1e-4)
    assert wilson_lower(380, 380) == pytest.approx(0.99, abs=1e-3)
    assert wilson_lower(0, 0) == 0.0
    assert wilson_lower(9, 10) < wilson_lower(10, 10)


@pytest.mark.parametrize("calibrated", [True, False])
def test_only_near_identical_duplicates_with_the_same_frame_are_merged(calibrated: bool) -> None:
    same = "No arrests were made during the pension march in Brannoch on 17 March 2026."
    assert auto_merged(analyse(same), analyse(same.rstrip(".")), 0.99, calibrated=calibrated)
    other_town = same.replace("Brannoch", "Eskhaven")
    assert not auto_merged(analyse(same), analyse(other_town), 0.97, calibrated=calibrated)
