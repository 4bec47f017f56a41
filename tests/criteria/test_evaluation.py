"""criteria.evaluation: every comparison at and around its boundary. No database."""

from decimal import Decimal as D

import pytest

from criteria.evaluation import Outcome, criterion_met, evaluate_indicator, summarize


@pytest.mark.parametrize(
    ("comparison", "target", "number", "expected"),
    [
        (">=", D("85"), D("84.99"), Outcome.NOT_MET),
        (">=", D("85"), D("85"), Outcome.MET),
        (">=", D("85"), D("85.01"), Outcome.MET),
        ("<=", D("26.7"), D("26.69"), Outcome.MET),
        ("<=", D("26.7"), D("26.7"), Outcome.MET),
        ("<=", D("26.7"), D("26.71"), Outcome.NOT_MET),
        ("=", D("100"), D("100"), Outcome.MET),
        ("=", D("100"), D("99.99"), Outcome.NOT_MET),
        ("=", D("100"), D("100.01"), Outcome.NOT_MET),
        (">=", D("36"), D("0"), Outcome.NOT_MET),
    ],
)
def test_a_number_is_judged_against_its_target_inclusive_at_the_boundary(
    comparison, target, number, expected
):
    assert evaluate_indicator(comparison=comparison, target=target, number=number, achieved=None) is expected


def test_a_number_with_a_target_ignores_the_achieved_mark():
    assert (
        evaluate_indicator(comparison=">=", target=D("85"), number=D("80"), achieved=True) is Outcome.NOT_MET
    )


@pytest.mark.parametrize(
    ("achieved", "expected"), [(True, Outcome.MET), (False, Outcome.NOT_MET), (None, Outcome.MISSING)]
)
def test_a_yes_no_indicator_follows_the_dat_mark(achieved, expected):
    assert evaluate_indicator(comparison="achieved", target=None, number=None, achieved=achieved) is expected


def test_a_missing_number_is_missing():
    assert evaluate_indicator(comparison=">=", target=D("70"), number=None, achieved=None) is Outcome.MISSING


@pytest.mark.parametrize(
    ("number", "achieved", "expected"),
    [
        (D("42"), True, Outcome.MET),
        (D("42"), False, Outcome.NOT_MET),
        (D("42"), None, Outcome.UNDETERMINED),
        (None, None, Outcome.MISSING),
        (None, True, Outcome.MET),
    ],
)
def test_an_indicator_with_no_target_is_judged_by_the_appraiser(number, achieved, expected):
    assert evaluate_indicator(comparison=">=", target=None, number=number, achieved=achieved) is expected


def test_an_unknown_comparison_is_an_error():
    with pytest.raises(ValueError, match="unknown comparison"):
        evaluate_indicator(comparison=">", target=D("1"), number=D("2"), achieved=None)


def test_a_criterion_is_met_only_when_every_indicator_is_met():
    assert criterion_met([Outcome.MET, Outcome.MET])
    assert not criterion_met([Outcome.MET, Outcome.UNDETERMINED])
    assert not criterion_met([Outcome.MET, Outcome.MISSING])
    assert not criterion_met([])


def test_the_standard_needs_every_criterion():
    assert summarize([True] * 19).meets_standard
    summary = summarize([True] * 18 + [False])
    assert (summary.met, summary.total, summary.meets_standard) == (18, 19, False)
    assert not summarize([]).meets_standard


def test_the_pure_outcomes_are_the_stored_ones():
    # evaluation.py is pure; the model's choices carry the labels of the same values.
    from criteria.models import Outcome as StoredOutcome

    assert {outcome.value for outcome in Outcome} == set(StoredOutcome.values)
