"""The reserve proposal scores the exact usage ratio, not the one-decimal figure pages show
(a new user's test found Định Hóa's 1.380 of 3.200 t scored as 43,1 % instead of 43,125 %)."""

from decimal import Decimal

from funding.allocation import Candidate, Weights, priority, propose


def test_the_usage_points_use_the_exact_ratio():
    dinh_hoa = Candidate(
        key=1, code="164", name="Huyện Định Hóa", allocated=Decimal(3200), used=Decimal(1380)
    )
    assert priority(dinh_hoa, Weights()).usage_points == Decimal("4.3125")


def test_a_tonne_goes_where_the_exact_quota_is_larger():
    # Exact quotas of 1 t between these two: 0,500 6 and 0,499 4 (43,125 % against 43,075 %);
    # rounded to one decimal both ratios would read 43,1 % and tie, and the code would decide.
    a = Candidate(key=1, code="200", name="A", allocated=Decimal(3200), used=Decimal(1380))
    b = Candidate(key=2, code="100", name="B", allocated=Decimal(2000), used=Decimal("861.5"))
    shares = {row.priority.candidate.code: row.share for row in propose(reserve=1, candidates=[a, b]).rows}
    assert shares == {"200": 1, "100": 0}
