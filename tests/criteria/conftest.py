"""Fixtures shared by the criteria tests: a small criteria set and the 2020-H1 period."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Agency
from criteria.models import CriteriaSet, Criterion, Indicator, ReportingPeriod


@pytest.fixture
def small_set(db):
    """Criterion 1 (Sở GTVT): 1.1 Đạt/Không đạt, 1.2 percent >= 85.
    Criterion 2 (Sở Y tế): 2.1 percent <= 26.7, 2.2 number with no target yet."""
    cs = CriteriaSet.objects.create(code="test-set", name="Bộ thử", level="standard")
    c1 = Criterion.objects.create(
        criteria_set=cs,
        number=1,
        name="Giao thông",
        responsible_agency=Agency.objects.get(code="so-giao-thong-van-tai"),
    )
    c2 = Criterion.objects.create(
        criteria_set=cs, number=2, name="Y tế", responsible_agency=Agency.objects.get(code="so-y-te")
    )
    Indicator.objects.create(
        criterion=c1,
        code="1.1",
        name="Đường trục xã",
        measure_type="boolean",
        comparison="achieved",
        verification="confirmed",
    )
    Indicator.objects.create(
        criterion=c1,
        code="1.2",
        name="Tỷ lệ cứng hóa",
        measure_type="percent",
        comparison=">=",
        target=Decimal("85"),
        verification="confirmed",
    )
    Indicator.objects.create(
        criterion=c2,
        code="2.1",
        name="Suy dinh dưỡng",
        measure_type="percent",
        comparison="<=",
        target=Decimal("26.7"),
        verification="confirmed",
    )
    Indicator.objects.create(
        criterion=c2,
        code="2.2",
        name="Chỉ tiêu chưa có mức",
        measure_type="number",
        comparison=">=",
        target=None,
        verification="target_unknown",
    )
    return cs


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=datetime.date(2020, 1, 1),
        end=datetime.date(2020, 6, 30), submission_deadline=datetime.date(2020, 7, 15), lock_date=datetime.date(2020, 8, 14),
    )  # fmt: skip
