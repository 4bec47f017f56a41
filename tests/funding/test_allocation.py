"""The reserve proposal's method (funding/allocation.py), without a database: points,
the documented ranking with its tie-breaks, and the largest-remainder shares that add up
exactly to the reserve."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from funding.allocation import Candidate, ProposalError, Weights, apportion, propose


def _candidate(key, code, allocated, used, registered=0, road_km="0"):
    return Candidate(
        key=key,
        code=code,
        name=f"Unit {code}",
        allocated=Decimal(allocated),
        used=Decimal(used),
        registered=registered,
        road_km=Decimal(road_km),
    )


def test_the_hand_computed_proposal_ranks_by_points_then_ratio_and_adds_up_to_the_reserve():
    # Points (10 for a 100 % ratio, 5 per registered commune):
    #   A 190/200 = 95,0 %  -> 9,5            = 9,5
    #   B 100/100 = 100 %   -> 10 + 1 × 5     = 15
    #   C 150/300 = 50,0 %  -> 5 + 2 × 5      = 15   (tie with B: B's ratio is higher)
    #   D nothing allocated -> 0 + 1 × 5      = 5
    #   E 0/100 = 0 %       -> 0              = 0    (no cement)
    # Total 44,5. Quotas of 100 t: B 33,708; C 33,708; A 21,348; D 11,236; E 0.
    # Whole parts 33 + 33 + 21 + 11 = 98; the 2 left-over tonnes go to B and C (,708).
    candidates = [
        _candidate(1, "164", "200", "190"),
        _candidate(2, "165", "100", "100", registered=1),
        _candidate(3, "167", "300", "150", registered=2),
        _candidate(4, "168", "0", "0", registered=1),
        _candidate(5, "169", "100", "0"),
    ]
    proposal = propose(reserve=100, candidates=candidates)
    assert [(row.candidate.code, row.priority.points, row.share) for row in proposal.rows] == [
        ("165", Decimal(15), 34),
        ("167", Decimal(15), 34),
        ("164", Decimal("9.5"), 21),
        ("168", Decimal(5), 11),
        ("169", Decimal(0), 0),
    ]
    assert [row.rank for row in proposal.rows] == [1, 2, 3, 4, 5]
    assert [row.extra_tonne for row in proposal.rows] == [True, True, False, False, False]
    assert proposal.rows[0].quota == Fraction(3000, 89)  # 100 × 15 / 44,5 = 33,707...
    assert proposal.total_share == 100


def test_a_unit_with_nothing_allocated_before_has_no_ratio_and_no_usage_points():
    [row] = propose(reserve=10, candidates=[_candidate(1, "171", "0", "0", registered=2)]).rows
    assert row.priority.ratio is None
    assert row.priority.usage_points == 0
    assert row.priority.target_points == 10
    assert row.share == 10


def test_on_equal_points_the_left_over_tonne_goes_by_ratio_then_registered_communes_then_code():
    # Four units of 10 points each, reserve 10: quotas 2,5 each, whole parts 8, 2 left.
    #   X 100 % and no commune (10 + 0), Y 50 % and one commune (5 + 5),
    #   Z nothing allocated and two communes (0 + 10), W 50 % and one commune like Y but
    #   a lower code. Rank: X (ratio 100), W and Y (ratio 50, 1 commune: code 169 < 170),
    #   Z (no ratio). The 2 left-over tonnes go to the first two in rank: X and W.
    candidates = [
        _candidate(1, "172", "100", "50", registered=1),  # Y
        _candidate(2, "173", "0", "0", registered=2),  # Z
        _candidate(3, "171", "40", "40"),  # X
        _candidate(4, "169", "10", "5", registered=1),  # W
    ]
    proposal = propose(reserve=10, candidates=candidates)
    assert [(row.candidate.code, row.share) for row in proposal.rows] == [
        ("171", 3),
        ("169", 3),
        ("172", 2),
        ("173", 2),
    ]
    assert sum(row.share for row in proposal.rows) == 10


def test_the_ranking_does_not_depend_on_the_order_the_units_come_in():
    candidates = [
        _candidate(1, "164", "200", "190"),
        _candidate(2, "165", "100", "100", registered=1),
        _candidate(3, "167", "300", "150", registered=2),
        _candidate(4, "168", "0", "0", registered=1),
    ]
    expected = [(r.candidate.code, r.share) for r in propose(reserve=77, candidates=candidates).rows]
    for seed in range(5):
        shuffled = candidates[:]
        random.Random(seed).shuffle(shuffled)
        assert [
            (r.candidate.code, r.share) for r in propose(reserve=77, candidates=shuffled).rows
        ] == expected


def test_a_usage_ratio_above_100_percent_counts_as_100():
    [row] = propose(reserve=5, candidates=[_candidate(1, "164", "100", "120")]).rows
    assert row.priority.ratio == Decimal("120.0")
    assert row.priority.usage_points == 10


def test_road_km_counts_only_with_points_per_km():
    candidates = [_candidate(1, "164", "100", "100", road_km="4"), _candidate(2, "165", "100", "100")]
    assert [r.share for r in propose(reserve=10, candidates=candidates).rows] == [5, 5]
    weighted = propose(reserve=10, candidates=candidates, weights=Weights(per_road_km=Decimal("2.5")))
    # 10 + 4 × 2,5 = 20 against 10: 6,667 and 3,333 -> 6 + 3, the left-over tonne to ,667.
    assert [(r.candidate.code, r.share) for r in weighted.rows] == [("164", 7), ("165", 3)]


@pytest.mark.parametrize("seed", range(30))
def test_the_shares_always_add_up_exactly_to_the_reserve(seed):
    rng = random.Random(seed)
    candidates = [
        _candidate(i, f"{100 + i}", str(rng.randint(0, 5000)), "0", registered=rng.randint(0, 3))
        for i in range(rng.randint(1, 40))
    ]
    candidates = [
        Candidate(**{**c.__dict__, "used": Decimal(rng.randint(0, int(c.allocated)))}) for c in candidates
    ]
    if all(c.registered == 0 and c.used == 0 for c in candidates):
        candidates.append(_candidate(999, "999", "10", "10"))
    reserve = rng.randint(1, 20000)
    proposal = propose(reserve=reserve, candidates=candidates)
    assert proposal.total_share == reserve
    for row in proposal.rows:
        # Hamilton: every share is its quota rounded down or up, never further.
        assert abs(row.share - row.quota) < 1


def test_apportion_serves_equal_remainders_in_the_given_order():
    assert [share for _q, share, _e in apportion(10, [1, 1, 1])] == [4, 3, 3]
    assert [share for _q, share, _e in apportion(0, [1, 2])] == [0, 0]
    with pytest.raises(ValueError):
        apportion(5, [0, 0])


@pytest.mark.parametrize("reserve", [0, -5, Decimal("10.5"), 10_000_001])
def test_a_reserve_that_is_not_a_whole_positive_number_of_tonnes_is_refused(reserve):
    with pytest.raises(ProposalError):
        propose(reserve=reserve, candidates=[_candidate(1, "164", "1", "1")])


def test_no_candidate_or_no_points_is_refused_with_a_reason():
    with pytest.raises(ProposalError):
        propose(reserve=10, candidates=[])
    with translation.override("en"), pytest.raises(ProposalError, match="No unit has any priority points"):
        propose(reserve=10, candidates=[_candidate(1, "164", "100", "0")])
