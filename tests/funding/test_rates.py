"""Usage ratio, disbursement rate, expected rate and the slow list (funding/rates.py),
on hand-computed figures, without a database."""

import datetime
from decimal import Decimal

from funding.rates import (
    RateRow,
    disbursement_rate,
    expected_rate_on,
    percent,
    slow_rows,
    usage_band,
    usage_ratio,
)


def test_usage_ratio_is_used_over_allocated_in_percent_to_one_decimal():
    assert usage_ratio(used=Decimal("190"), allocated=Decimal("200")) == Decimal("95.0")
    assert usage_ratio(used=Decimal("1380"), allocated=Decimal("3200")) == Decimal("43.1")  # 43,125
    assert usage_ratio(used=Decimal("1"), allocated=Decimal("3")) == Decimal("33.3")
    assert usage_ratio(used=Decimal("2"), allocated=Decimal("3")) == Decimal("66.7")
    assert usage_ratio(used=Decimal("0.125"), allocated=Decimal("0.5")) == Decimal("25.0")


def test_nothing_allocated_has_no_ratio():
    assert usage_ratio(used=Decimal(0), allocated=Decimal(0)) is None
    assert percent(Decimal(5), Decimal(0)) is None


def test_half_a_tenth_is_rounded_up():
    assert percent(Decimal(1), Decimal(8)) == Decimal("12.5")
    assert percent(Decimal(1), Decimal(16)) == Decimal("6.3")  # 6,25


def test_disbursement_rate_is_disbursed_over_allocated():
    assert disbursement_rate(disbursed=Decimal(4_800_000_000), allocated=Decimal(6_000_000_000)) == Decimal(
        "80.0"
    )
    assert disbursement_rate(disbursed=Decimal(2_100_000_000), allocated=Decimal(11_000_000_000)) == Decimal(
        "19.1"
    )
    assert disbursement_rate(disbursed=Decimal(0), allocated=Decimal(0)) is None


def test_usage_bands():
    assert [usage_band(v) for v in (None, Decimal("49.9"), Decimal(50), Decimal("79.9"), Decimal(80))] == [
        "none",
        "low",
        "medium",
        "medium",
        "high",
    ]


def test_the_expected_rate_is_that_of_the_latest_milestone_due():
    milestones = [
        (datetime.date(2020, 9, 30), Decimal(65)),
        (datetime.date(2020, 6, 30), Decimal(40)),
        (datetime.date(2020, 12, 31), Decimal(90)),
    ]
    assert expected_rate_on(milestones, datetime.date(2020, 6, 29)) == 0
    assert expected_rate_on(milestones, datetime.date(2020, 6, 30)) == 40
    assert expected_rate_on(milestones, datetime.date(2020, 11, 1)) == 65
    assert expected_rate_on(milestones, datetime.date(2026, 1, 1)) == 90
    assert expected_rate_on([], datetime.date(2026, 1, 1)) == 0


def test_slow_rows_are_below_the_expected_rate_largest_gap_first():
    rows = [
        RateRow(key="A", allocated=Decimal(1000), disbursed=Decimal(700)),  # 70 %
        RateRow(key="B", allocated=Decimal(1000), disbursed=Decimal(300)),  # 30 %, gap 35
        RateRow(key="C", allocated=Decimal(0), disbursed=Decimal(0)),  # nothing allocated
        RateRow(key="D", allocated=Decimal(3), disbursed=Decimal(1)),  # 33,3 %, gap 31,7
        RateRow(key="E", allocated=Decimal(1000), disbursed=Decimal(650)),  # 65 %: on track
    ]
    slow = slow_rows(rows, expected=Decimal(65))
    assert [(s.row.key, s.gap_points, s.shortfall) for s in slow] == [
        ("B", Decimal("35.0"), Decimal(350)),  # 650 − 300
        ("D", Decimal("31.7"), Decimal(1)),  # ceil(1,95) − 1
    ]
    assert slow_rows(rows, expected=Decimal(0)) == []
