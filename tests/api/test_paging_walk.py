"""The paging walk of issue 13: 30 rows sharing one value (some of them empty where the
column may be empty) come back each exactly once, following ``next``, for every ordering
a list offers, ascending and descending, because every ordering ends with the id.

The criteria sets carry the nullable dates (decision date, in force from and until); a
reporting period and a recognition have no nullable date, so their 30 rows share every
date and name instead. The walk itself is :func:`tests.api.paging.walk_all`.
"""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from communes.models import UnitKind
from criteria.api.catalogue import (
    CriteriaSetViewSet,
    CriterionViewSet,
    IndicatorViewSet,
    PeriodViewSet,
    RecognitionViewSet,
)
from criteria.models import CriteriaSet, Criterion, Indicator, Recognition, ReportingPeriod
from tests.api.paging import orderings, walk_all
from tests.conftest import unit

pytestmark = pytest.mark.django_db

SHARED_DAY = datetime.date(2020, 1, 1)
ROWS = 30


def _sets(count: int, *, prefix: str = "walk") -> list[CriteriaSet]:
    """``count`` sets with one name and level; a third have no dates at all, the others
    share one decision date, start and end."""
    return [
        CriteriaSet.objects.create(
            code=f"{prefix}-{index:02d}",
            name="Bộ tiêu chí thử",
            level="standard",
            **(
                {}
                if index % 3 == 0
                else {
                    "decision_date": SHARED_DAY,
                    "effective_from": SHARED_DAY,
                    "effective_until": SHARED_DAY,
                }
            ),
        )
        for index in range(count)
    ]


def _criteria_sets():
    return [s.pk for s in _sets(ROWS)]


def _criteria():
    # One criterion per set, all number 1 with one name and group.
    return [
        Criterion.objects.create(criteria_set=s, number=1, name="Giao thông", group="Hạ tầng").pk
        for s in _sets(ROWS, prefix="crit")
    ]


def _indicators():
    criterion = Criterion.objects.create(criteria_set=_sets(1)[0], number=1, name="Giao thông")
    return [
        Indicator.objects.create(
            criterion=criterion,
            code=f"1.{index + 1}",
            name="Tỷ lệ cứng hóa",
            measure_type="percent",
            comparison=">=",
            target=None if index % 3 == 0 else Decimal("85"),
            verification="confirmed",
        ).pk
        for index in range(ROWS)
    ]


def _periods():
    return [
        ReportingPeriod.objects.create(
            code=f"walk-{index:02d}", name="Kỳ thử", kind="half_year", start=SHARED_DAY,
            end=datetime.date(2020, 6, 30), submission_deadline=datetime.date(2020, 7, 15),
            lock_date=datetime.date(2020, 8, 14),
        ).pk
        for index in range(ROWS)
    ]  # fmt: skip


def _recognitions():
    criteria_set = _sets(1)[0]
    communes = [
        commune
        for district in ("171", "173")
        for commune in unit(district).children.filter(kind=UnitKind.COMMUNE).order_by("code")
    ][:ROWS]
    assert len(communes) == ROWS
    return [
        Recognition.objects.create(
            unit=commune,
            level="standard",
            criteria_set=criteria_set,
            decision_number="100/QĐ-UBND",
            decision_date=SHARED_DAY,
        ).pk
        for commune in communes
    ]


@pytest.mark.parametrize(
    ("url", "viewset", "make"),
    [
        ("/api/v1/criteria-sets/", CriteriaSetViewSet, _criteria_sets),
        ("/api/v1/criteria/", CriterionViewSet, _criteria),
        ("/api/v1/indicators/", IndicatorViewSet, _indicators),
        ("/api/v1/periods/", PeriodViewSet, _periods),
        ("/api/v1/recognitions/", RecognitionViewSet, _recognitions),
    ],
    ids=["criteria-sets", "criteria", "indicators", "periods", "recognitions"],
)
def test_every_row_comes_exactly_once_for_every_ordering(coordinator, url, viewset, make):
    ids = make()
    api = APIClient()
    api.force_authenticate(coordinator)
    for ordering in orderings(viewset):
        seen = [row["id"] for row in walk_all(api, url, ordering)]
        assert len(seen) == len(set(seen)) == len(ids), ordering
        assert set(seen) == set(ids), ordering


def test_rows_sharing_a_date_follow_the_id_and_the_empty_dates_stay_together(coordinator):
    ids = _criteria_sets()
    api = APIClient()
    api.force_authenticate(coordinator)
    without = [pk for index, pk in enumerate(ids) if index % 3 == 0]
    dated = [pk for pk in ids if pk not in without]
    # Where the empty dates go is the database's (PostgreSQL: last ascending, first
    # descending; SQLite the other way); within a value the id decides, ascending.
    for ordering in ("effective_from", "-effective_from", "decision_date", "-effective_until"):
        seen = [row["id"] for row in walk_all(api, "/api/v1/criteria-sets/", ordering)]
        assert seen in (dated + without, without + dated), ordering
