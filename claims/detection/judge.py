"""Pairwise judgement: duplicate, contradiction, consistent or unrelated.

Contract: ``judge(a, b, similarity)`` takes two analysed claims and the cosine similarity of their
embeddings and returns a ``Judgement``:

- ``contradiction`` when the claims cannot both be true: figures for the same measure, subject
  and time window whose intervals do not overlap; a part exceeding its whole (deaths above
  casualties for the same window); parts that add up to something other than the stated total;
  "no"/"nobody" against a positive count; opposite outcomes for the same subject (approved vs
  rejected, won vs lost, rose vs fell, ...); or the same statement negated;
- ``duplicate`` when they say the same thing: duplicate score >= ``SUGGEST_THRESHOLD`` and nothing
  that rules it out (figures that agree only once parts are added up, figures compared under
  different windows, opposite outcomes, outcomes about different things). A duplicate whose
  figures differ in any way, hedges included ("about 35" vs "35"), is capped below
  ``CONFIRM_THRESHOLD``, so it is never auto-confirmed;
- ``consistent`` when they are about the same story without conflict (killed vs wounded, a
  weekly figure vs a cumulative one, different subjects, parts that add up to the total);
- ``unrelated`` otherwise.

``score`` is in [0, 1]: the duplicate score for duplicates, the confidence of the conflict for
contradictions, relatedness for consistent pairs and 1 - relatedness for unrelated ones.
``explanation`` is one line quoting the figures or words from both claims. The function is
symmetric: the pair is put in a canonical order first, so ``judge(a, b, s) == judge(b, a, s)``.
"""

from __future__ import annotations

from .alignment import (
    aligned_pieces,
    cumulative_change,
    date_clash,
    duplicate_block,
    exclusive_dates,
    part_of_whole,
    scope_clash,
)
from .calibration import calibrated_judgement
from .features import ClaimFeatures
from .figures import (
    PART_AGAINST_ALL,
    PART_EXCEEDS,
    FigureComparison,
    compare_figures,
    quote_fact,
)
from .judgement import (
    CONFIRM_THRESHOLD,
    RELATED_THRESHOLD,
    SUGGEST_THRESHOLD,
    Judgement,
    duplicate_score,
    relatedness_score,
)
from .outcomes import (
    denial_conflict,
    negation_conflict,
    nothing_of_the_kind,
    opposite_outcomes,
    polarity_conflict,
    unify_opposite_words,
)
from .overlap import (
    canonical_order,
    different_outcome_concepts,
    shorten,
    stated_figures,
)

# Two dates for one event are a conflict only between claims this similar (dev splits).
EXCLUSIVE_DATE_MIN_SIMILARITY = 0.8
_FIGURES_DIFFER_CAP = CONFIRM_THRESHOLD - 0.05


def judge(
    a: ClaimFeatures,
    b: ClaimFeatures,
    similarity: float,
    *,
    suggest_threshold: float = SUGGEST_THRESHOLD,
    calibrated: bool = True,
) -> Judgement:
    """Judge a pair of claims (see module docstring); symmetric in ``a`` and ``b``.

    The rules decide first; ``claims.detection.calibration`` then confirms, vetoes or promotes
    their outcome with the trained classifier (``calibrated=False`` gives the rules alone, for
    bench comparisons). ``suggest_threshold`` exists for calibration runs only; the app uses the
    default."""
    a, b = canonical_order(a, b)
    similarity = max(-1.0, min(1.0, float(similarity)))
    rule = _rule_judge(a, b, similarity, suggest_threshold)
    if not calibrated:
        return rule
    return calibrated_judgement(a, b, similarity, rule)


def _rule_judge(a: ClaimFeatures, b: ClaimFeatures, similarity: float, suggest_threshold: float) -> Judgement:
    """The rules alone, on a canonically ordered pair with a clamped similarity."""
    related = relatedness_score(a, b, similarity)
    num = compare_figures(a, b)
    frame_note = ""
    if related >= RELATED_THRESHOLD:
        conflict, frame_note = _frame_conflict(a, b, num, similarity)
        if conflict is not None:
            return Judgement("contradiction", round(min(1.0, conflict + 0.4 * related), 4), frame_note)
    blocked = (
        num.composed
        or bool(num.notes and num.unmatched)
        or opposite_outcomes(a, b)
        or different_outcome_concepts(a, b)
        or bool(frame_note)
        or bool(num.bounds_differ)
    )
    frame_block = ""
    if _frame_block_matters(related, num, frame_note, blocked=blocked):
        frame_block = duplicate_block(a, b, similarity) or _unpaired_figures(a, b, num)
        blocked = blocked or bool(frame_block)
    # A blocked pair is no duplicate whatever its score, so the score is not computed (most pairs
    # of a check are blocked: figures that differ, other outcomes).
    if not blocked:
        dup = duplicate_score(a, b, similarity, num.unmatched)
        figures_differ = num.unmatched > 0 or stated_figures(a) != stated_figures(b)
        if figures_differ:
            dup = min(dup, _FIGURES_DIFFER_CAP)
        dup = round(dup, 4)
        if dup >= suggest_threshold:
            if num.agreements:
                why = "same figures: " + "; ".join(num.agreements[:2])
            else:
                why = (
                    f'same wording and meaning (similarity {similarity:.2f}): "{shorten(a)}" / "{shorten(b)}"'
                )
            pieces = aligned_pieces(a, b)
            return Judgement("duplicate", dup, "Same claim, " + why + (f" (same {pieces})" if pieces else ""))
    if related >= RELATED_THRESHOLD:
        if frame_note:
            why = frame_note
        elif frame_block and not num.notes:
            why = frame_block
        elif num.bounds_differ and not num.notes:
            why = "different figures, both can hold: " + "; ".join(num.bounds_differ[:2])
        elif num.agreements and num.notes:
            why = "figures agree: " + "; ".join(num.agreements[:2]) + "; " + num.notes[0]
        elif num.agreements:
            why = "figures agree: " + "; ".join(num.agreements[:2])
        elif num.notes:
            why = num.notes[0]
        else:
            why = f'no conflicting figures or outcomes between "{shorten(a)}" and "{shorten(b)}"'
        return Judgement("consistent", round(related, 4), "Consistent: " + why, blocked=blocked)
    return Judgement(
        "unrelated",
        round(1.0 - related, 4),
        f'Unrelated: "{shorten(a)}" / "{shorten(b)}" share no subject',
        blocked=blocked,
    )


def _frame_block_matters(related: float, num: FigureComparison, frame_note: str, *, blocked: bool) -> bool:
    """Whether the frame block (``duplicate_block``, ``_unpaired_figures``) can change the rules'
    judgement: it rules out a duplicate only when nothing else does, and it is the explanation of a
    consistent pair only when there is no frame note and no figure note. Elsewhere reading it
    would change nothing, and it is a good part of the cost of a pair."""
    return not blocked or (related >= RELATED_THRESHOLD and not frame_note and not num.notes)


def _unpaired_figures(a: ClaimFeatures, b: ClaimFeatures, num: FigureComparison) -> str:
    """A duplicate states the same figures: counted things whose counts are far apart and pair with
    nothing in the other claim ("nine protesters" / "40,000 people") rule a duplicate out. Figures
    in other units or forms are left to the score (the readers may not pair them yet)."""
    if num.says_more:
        return num.says_more
    if num.unmatched == 0 or num.matched > 0 or not a.facts or not b.facts:
        return ""
    counts_a = [f for f in a.facts if f.measure.startswith("count:") and f.quantity.value > 0]
    counts_b = [f for f in b.facts if f.measure.startswith("count:") and f.quantity.value > 0]
    if not counts_a or not counts_b:
        return ""
    far_apart = all(
        max(x.quantity.value, y.quantity.value) >= _COUNTS_APART * min(x.quantity.value, y.quantity.value)
        for x in counts_a
        for y in counts_b
    )
    if far_apart:
        return f"different counts: {quote_fact(counts_a[0])} vs {quote_fact(counts_b[0])}"
    return ""


# Counts this many times apart are not one figure worded twice (nor a rounding or a conversion).
_COUNTS_APART = 3.0


def _frame_conflict(
    a: ClaimFeatures, b: ClaimFeatures, num: FigureComparison, similarity: float
) -> tuple[float | None, str]:
    """A contradiction needs the same frame: (base confidence, explanation) of a conflict that
    holds once the frames are aligned, or (None, why the pair is not a conflict; "" for none).

    Steps: a running total stated as of two dates is an update when it rises and a conflict when
    it falls; a figure, outcome or negation conflict holds only when the scope (place, body,
    subject) is the same; a figure conflict also needs the same stated date, and fails when one
    figure is a part of the other's whole. Outcome conflicts, in order: opposite outcome words,
    dates or antonyms (``polarity_conflict``), "there is no X" against an X that says more
    (``nothing_of_the_kind``, which names no doer, so only places and bodies set it apart), a
    plain negation, a denial."""
    change, why = cumulative_change(a, b)
    if change == "down":
        return 0.6, why
    if change == "update":
        return None, why
    if num.conflict:
        clash = scope_clash(a, b) or date_clash(a, b)
        if clash:
            return None, clash
        part = part_of_whole(a, b)
        if part and not num.conflict.startswith((PART_EXCEEDS, PART_AGAINST_ALL)):
            return None, part
        pieces = aligned_pieces(a, b)
        return 0.6, num.conflict + (f" (same {pieces})" if pieces else "")
    pol = polarity_conflict(a, b)
    nothing = "" if pol else nothing_of_the_kind(a, b)
    neg = "" if pol else (nothing or negation_conflict(a, b, similarity) or denial_conflict(a, b))
    if not pol and not neg:
        dates = exclusive_dates(a, b) if similarity >= EXCLUSIVE_DATE_MIN_SIMILARITY else ""
        if dates:
            pieces = aligned_pieces(a, b)
            return 0.45, dates + (f" (same {pieces})" if pieces else "")
        return None, ""
    # "No one" and "there is no man" name no doer, so only a place or body can set the claims apart.
    clash = scope_clash(a, b, roles=not nothing)
    if clash:
        return None, clash
    pieces = aligned_pieces(a, b)
    suffix = f" (same {pieces})" if pieces else ""
    related = relatedness_score(*unify_opposite_words(a, b), similarity) if pol else 0.0
    if pol and related >= 0.5:
        return 0.5, pol + suffix
    if neg:
        return 0.45, neg + suffix
    return None, ""
