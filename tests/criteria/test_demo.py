"""The demo assessments reproduce the headline of notice 58/TB-UBND (first half of 2020):
103 communes recognised, 17,23 criteria per commune, none under 10, and districts that
still lack a model commune; every row is flagged as demo data; loading twice changes
nothing."""

import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.scope import unit_scope
from criteria.demo import PERIOD_CODES, SET_CODE, demo_assessments_load
from criteria.models import (
    Assessment,
    CriteriaSet,
    CriterionResult,
    Indicator,
    IndicatorValue,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)
from criteria.selectors import province_overview, recognition_recheck
from criteria.services_catalogue import periods_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(db):
    call_command("load_missing", "criteria_sets_national", verbosity=0)
    assert CriteriaSet.objects.get(code=SET_CODE).criteria.count() == 19, (
        "load_missing added the set but not its criteria: the fixture gives criteria and "
        "indicators explicit pks, which load_missing takes for 'already present'"
    )
    periods_ensure(year=2019)
    periods_ensure(year=2020)
    started = time.monotonic()
    call_command("load_demo_assessments", verbosity=0)
    return time.monotonic() - started


def _overview(user, period_code):
    return province_overview(
        visible=unit_scope(user),
        period=ReportingPeriod.objects.get(code=period_code),
        criteria_set=CriteriaSet.objects.get(code=SET_CODE),
    )


def _counts():
    return {
        "assessments": Assessment.objects.count(),
        "assessment history": Assessment.history.count(),
        "values": IndicatorValue.objects.count(),
        "value history": IndicatorValue.history.count(),
        "results": CriterionResult.objects.count(),
        "recognitions": Recognition.objects.count(),
        "recognition history": Recognition.history.count(),
    }


def test_demo_of_the_first_half_of_2020_gives_the_figures_of_the_notice(demo_loaded, leader):
    overview = _overview(leader, "2020-h1")
    assert overview.totals.assessed == 121
    assert overview.totals.recognised == 103
    assert overview.totals.criteria_met_total == 2085
    assert overview.totals.average == Decimal("17.23")
    assert overview.totals.under_low == 0
    assert overview.totals.meeting_standard < 103
    assert overview.criteria_total == 19
    thai_nguyen = {
        district.code for district in overview.districts_without_model if district.parent.code == "19"
    }
    assert thai_nguyen == {"167", "168", "169", "170"}  # Định Hóa, Phú Lương, Đồng Hỷ, Võ Nhai
    assert len(overview.districts_without_model) < overview.districts_in_force
    assert overview.has_demo


def test_demo_of_2019_is_slightly_lower(demo_loaded, leader):
    overview = _overview(leader, "2019")
    assert overview.totals.assessed == 121
    assert overview.totals.average < Decimal("17.23")
    assert overview.totals.under_low > 0
    assert len(overview.districts_without_model) > len(_overview(leader, "2020-h1").districts_without_model)


def test_every_demo_row_is_flagged_approved_and_complete(demo_loaded):
    assert Assessment.objects.filter(is_demo=False).count() == 0
    assert set(Assessment.objects.values_list("status", flat=True)) == {"approved"}
    assert Recognition.objects.filter(is_demo=False).count() == 0
    assert Recognition.objects.filter(level=RecognitionLevel.STANDARD).count() == 103
    assert Recognition.objects.filter(level=RecognitionLevel.MODEL).exists()
    assert set(Recognition.objects.values_list("signer", flat=True)) == {"Chủ tịch UBND tỉnh (minh họa)"}
    years = set(Recognition.objects.filter(level="standard").values_list("decision_date__year", flat=True))
    assert years == {2014, 2015, 2016, 2017, 2018, 2019}
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    indicators = Indicator.objects.filter(criterion__criteria_set=criteria_set).count()
    assert IndicatorValue.objects.count() == 2 * 121 * indicators
    assert CriterionResult.objects.count() == 2 * 121 * 19
    assessment = Assessment.objects.filter(meets_standard=False).first()
    assert assessment.criteria_met == assessment.criterion_results.filter(met=True).count()


def test_many_communes_recognised_in_2014_2016_miss_criteria_of_the_2016_2020_set(demo_loaded, leader):
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    rows = recognition_recheck(
        visible=unit_scope(leader),
        older_set=criteria_set,
        newer_set=criteria_set,
        period=ReportingPeriod.objects.get(code="2020-h1"),
        recognised_from=2014,
        recognised_until=2016,
    )
    assert len(rows) == 48
    assert sum(1 for row in rows if row.unmet) > len(rows) // 2


def test_the_demo_loads_in_a_few_seconds_and_twice_changes_nothing(demo_loaded):
    assert demo_loaded < 10
    before = _counts()
    result = demo_assessments_load()
    assert (result.assessments, result.indicator_values, result.recognitions) == (0, 0, 0)
    call_command("load_demo_assessments", verbosity=0)
    assert _counts() == before


def test_the_overview_page_shows_17_23_and_the_demo_badge(demo_loaded, client, leader):
    client.force_login(leader)
    page = client.get(reverse("criteria-overview")).content.decode()
    assert "17,23" in page
    assert "Dữ liệu minh họa" in page
    assert 'data-testid="card-recognised">103<' in page


def test_the_demo_needs_the_periods(db):
    call_command("load_missing", "criteria_sets_national", verbosity=0)
    assert not ReportingPeriod.objects.filter(code__in=PERIOD_CODES).exists()
    # The command creates them through the catalogue service.
    call_command("load_demo_assessments", verbosity=0)
    assert ReportingPeriod.objects.filter(code__in=PERIOD_CODES).count() == 2
