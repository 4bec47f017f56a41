"""The demo assessments reproduce the headline of notice 58/TB-UBND (first half of 2020):
103 communes recognised, 17,23 criteria per commune, none under 10, and districts that
still lack a model commune; every row is flagged as demo data; each recognition is under
the set in force on its decision date (QĐ 491 before 01/12/2016, QĐ 1980 after); the
default re-check lists the communes recognised under QĐ 491; loading twice changes
nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scope import unit_scope
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
from criteria.selectors.overview import province_overview
from criteria.selectors.recognitions import recognition_recheck
from criteria.services.catalogue import periods_ensure
from criteria.services.demo import EARLIER_SET_CODE, PERIOD_CODES, SET_CODE, demo_assessments_load

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
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo_assessments", verbosity=0)
    return len(queries)


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
    assert "demo" not in IndicatorValue.objects.first().evidence
    assert IndicatorValue.objects.first().evidence == "Số liệu (minh họa), không phải số liệu chính thức."


def test_each_demo_recognition_is_under_the_set_in_force_on_its_decision_date(demo_loaded):
    earlier = CriteriaSet.objects.get(code=EARLIER_SET_CODE)
    later = CriteriaSet.objects.get(code=SET_CODE)
    cut = datetime.date(2016, 12, 1)  # QĐ 1980/QĐ-TTg took effect
    assert not Recognition.objects.filter(decision_date__lt=cut).exclude(criteria_set=earlier).exists()
    assert not Recognition.objects.filter(decision_date__gte=cut).exclude(criteria_set=later).exists()
    assert Recognition.objects.filter(criteria_set=earlier, level="standard").count() == 48
    assert Recognition.objects.filter(criteria_set=later, level="standard").count() == 55
    for recognition in Recognition.objects.select_related("criteria_set"):
        criteria_set = recognition.criteria_set
        assert criteria_set.decision_date <= recognition.decision_date <= criteria_set.effective_until


def test_a_rerun_moves_demo_recognitions_left_under_the_2016_2020_set(demo_loaded):
    """A database loaded by the earlier demo had its 2014-2016 recognitions under QĐ 1980."""
    earlier = Recognition.objects.filter(criteria_set__code=EARLIER_SET_CODE)
    moved = list(earlier.values_list("pk", flat=True)[:5])
    Recognition.objects.filter(pk__in=moved).update(criteria_set=CriteriaSet.objects.get(code=SET_CODE))
    count = Recognition.objects.count()
    assert demo_assessments_load().recognitions == 0
    assert Recognition.objects.count() == count
    assert set(earlier.values_list("pk", flat=True)) >= set(moved)
    assert Recognition.history.filter(id__in=moved, history_type="~").count() == 5
    criteria_set = CriteriaSet.objects.get(code=SET_CODE)
    indicators = Indicator.objects.filter(criterion__criteria_set=criteria_set).count()
    assert IndicatorValue.objects.count() == 2 * 121 * indicators
    assert CriterionResult.objects.count() == 2 * 121 * 19
    assessment = Assessment.objects.filter(meets_standard=False).first()
    assert assessment.criteria_met == assessment.criterion_results.filter(met=True).count()


def test_many_communes_recognised_in_2014_2016_miss_criteria_of_the_2016_2020_set(demo_loaded, leader):
    rows = recognition_recheck(
        visible=unit_scope(leader),
        older_set=CriteriaSet.objects.get(code=EARLIER_SET_CODE),
        newer_set=CriteriaSet.objects.get(code=SET_CODE),
        period=ReportingPeriod.objects.get(code="2020-h1"),
        recognised_from=2014,
        recognised_until=2016,
    )
    assert len(rows) == 48
    assert all(row.assessment is not None for row in rows)
    assert sum(1 for row in rows if row.unmet) > len(rows) // 2


def test_the_default_recheck_lists_the_communes_recognised_under_qd_491(demo_loaded, client, leader):
    client.force_login(leader)
    response = client.get(reverse("recognition-recheck"))
    context = response.context
    assert context["older"].code == EARLIER_SET_CODE
    assert context["newer"].code == SET_CODE
    assert context["period"].code == "2020-h1"
    assert context["notices"] == []
    rows = context["rows"]
    assert len(rows) == 48
    assert {row.recognition.decision_date.year for row in rows} == {2014, 2015, 2016}
    assert context["count_unmet"] == sum(1 for row in rows if row.unmet) > 24
    assert context["count_unassessed"] == 0
    page = response.content.decode()
    lagging = next(row for row in rows if row.unmet)
    assert lagging.commune.name in page
    assert f"{lagging.unmet[0].number}. {lagging.unmet[0].name}" in page


def test_the_demo_is_written_in_bulk_and_twice_changes_nothing(demo_loaded):
    # 242 assessments of 121 communes, 12,100 values, 108 recognitions: written in bulk,
    # in fewer queries than there are communes (35 today), never one or more per row.
    # How long it takes is measured by hand, not asserted here.
    communes = Assessment.objects.values("commune").distinct().count()
    assert communes == 121
    assert demo_loaded < communes
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


def test_the_first_change_of_a_demo_value_shows_in_the_history(demo_loaded, coordinator):
    from core.templatetags.ntm_format import decimal_vi
    from criteria.selectors.assessments import value_changes
    from criteria.services.assessments import ValueInput, assessment_transition, assessment_update_values
    from criteria.workflow import Action

    assessment = Assessment.objects.filter(period__code="2020-h1").select_related("period").first()
    assessment = assessment_transition(
        user=coordinator,
        assessment=assessment,
        action=Action.REOPEN,
        version=assessment.version,
        reason="Sửa số",
    )
    value = assessment.values.filter(number__isnull=False).select_related("indicator").first()
    assessment_update_values(
        user=coordinator,
        assessment=assessment,
        version=assessment.version,
        values={
            value.indicator_id: ValueInput(
                number=value.number + 1, achieved=value.achieved, evidence=value.evidence
            )
        },
    )
    [change] = [c for c in value_changes(assessment) if c["what"].startswith(f"{value.indicator.code} (")]
    assert (change["old"], change["new"]) == (decimal_vi(value.number), decimal_vi(value.number + 1))
