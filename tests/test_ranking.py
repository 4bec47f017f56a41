"""The scoreboard's rank rule (core/ranking.py), without a database."""

from decimal import Decimal

import pytest

from core.ranking import on_time_rate, ranked


def test_the_on_time_rate_is_a_percent_to_one_decimal_half_up():
    assert on_time_rate(2, 3) == Decimal("66.7")
    assert on_time_rate(1, 8) == Decimal("12.5")
    assert on_time_rate(1, 16) == Decimal("6.3")  # 6,25 rounds half up
    assert on_time_rate(3, 3) == Decimal("100.0")
    assert on_time_rate(0, 4) == Decimal("0.0")


def test_nothing_due_has_no_rate():
    assert on_time_rate(0, 0) is None


@pytest.mark.parametrize(("on_time", "due"), [(3, 2), (-1, 2), (0, -1)])
def test_an_impossible_rate_is_refused(on_time, due):
    with pytest.raises(ValueError):
        on_time_rate(on_time, due)


def _rank(rows):
    return [
        (rank, name)
        for rank, (name, _rate, _overdue) in ranked(
            rows, rate=lambda row: row[1], overdue=lambda row: row[2], name=lambda row: row[0]
        )
    ]


def test_rows_rank_by_rate_then_fewest_overdue_and_ties_share_a_rank():
    rows = [
        ("Sở Tài chính", Decimal("50.0"), 1),
        ("Sở Nội vụ", None, 0),
        ("Sở Y tế", Decimal("66.7"), 0),
        ("Sở Công Thương", Decimal("50.0"), 1),
        ("Sở Tư pháp", Decimal("50.0"), 3),
    ]
    assert _rank(rows) == [
        (1, "Sở Y tế"),
        (2, "Sở Công Thương"),
        (2, "Sở Tài chính"),
        (4, "Sở Tư pháp"),
        (5, "Sở Nội vụ"),
    ]


def test_names_order_a_tie_in_vietnamese_alphabetical_order():
    # D comes before Đ, and i before ô, as the Vietnamese alphabet has them.
    rows = [
        ("Huyện Đồng Hỷ", Decimal(0), 2),
        ("Huyện Định Hóa", Decimal(0), 2),
        ("Huyện Dương", Decimal(0), 2),
    ]
    assert _rank(rows) == [(1, "Huyện Dương"), (1, "Huyện Định Hóa"), (1, "Huyện Đồng Hỷ")]


def test_rows_without_a_rate_share_the_last_rank_by_overdue():
    rows = [("B", None, 0), ("A", None, 0), ("C", Decimal("0.0"), 9)]
    assert _rank(rows) == [(1, "C"), (2, "A"), (2, "B")]


def test_no_rows_no_ranks():
    assert _rank([]) == []
