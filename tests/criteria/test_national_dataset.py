"""The illustrative national dataset of ``manage.py load_national_dataset`` (issue 14,
point 6), loaded for two small pre-2025 provinces: Đà Nẵng (48: 56 units, 11 xã, the
island district Hoàng Sa with no commune) and Bắc Kạn (06: 117 units, 95 xã), whose
units the session's Thái Nguyên load holds already."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from communes.gso_source import LAST_DAY_BEFORE_REFORM, read_legacy
from communes.models import AdministrativeUnit, UnitKind
from criteria.illustrative_progress import commune_progress
from criteria.models import Assessment, AssessmentStatus, CriterionResult, Recognition, ReportingPeriod
from criteria.services.national_dataset import half_years

NATIONAL_CRITERIA = list(range(1, 20))


def load(*arguments: str) -> str:
    out = io.StringIO()
    call_command("load_national_dataset", *arguments, stdout=out)
    return out.getvalue()


def test_progress_is_the_same_for_the_same_seed_and_commune_and_differs_across_seeds():
    runs = [
        commune_progress(seed=1, key=f"{n:05d}", criteria=NATIONAL_CRITERIA, periods=6) for n in range(200)
    ]
    again = [
        commune_progress(seed=1, key=f"{n:05d}", criteria=NATIONAL_CRITERIA, periods=6) for n in range(200)
    ]
    other = [
        commune_progress(seed=2, key=f"{n:05d}", criteria=NATIONAL_CRITERIA, periods=6) for n in range(200)
    ]
    assert runs == again
    assert runs != other


def test_a_commune_never_loses_a_criterion_from_one_period_to_the_next():
    for n in range(500):
        progress = commune_progress(seed=1, key=f"{n:05d}", criteria=NATIONAL_CRITERIA, periods=6)
        assert len(progress.met) == len(progress.days_late) == 6
        for earlier, later in zip(progress.met, progress.met[1:], strict=False):
            assert earlier <= later
        assert all(met <= set(NATIONAL_CRITERIA) for met in progress.met)
        assert all(-10 <= late <= 20 for late in progress.days_late)


def test_communes_improve_over_the_periods_and_some_meet_the_standard():
    progress = [
        commune_progress(seed=1, key=f"{n:05d}", criteria=NATIONAL_CRITERIA, periods=6) for n in range(2000)
    ]
    at_standard = [sum(len(p.met[i]) == 19 for p in progress) for i in range(6)]
    # About 40 % at the start, about 60 % at the end (illustrative shares).
    assert 700 <= at_standard[0] < at_standard[-1] <= 1350
    average = [sum(len(p.met[i]) for p in progress) / len(progress) for i in range(6)]
    assert average == sorted(average) and average[0] < average[-1]


def test_the_half_years_end_with_the_second_half_of_2020():
    assert half_years(3) == [(2019, "h2"), (2020, "h1"), (2020, "h2")]
    assert half_years(6)[0] == (2018, "h1")
    with pytest.raises(ValueError):
        half_years(9)


def test_the_legacy_read_of_the_country_holds_every_pre_2025_unit():
    data = read_legacy()
    kinds = [unit.level for unit in data.units]
    assert (kinds.count("province"), kinds.count("district"), kinds.count("commune")) == (63, 696, 10035)
    assert sum(1 for unit in data.units if unit.kind == UnitKind.COMMUNE) == 7695


@pytest.mark.django_db
def test_two_small_provinces_get_their_units_periods_and_an_approved_assessment_per_xa_and_period():
    units_before = AdministrativeUnit.objects.count()
    output = load("--province", "48", "--province", "6", "--periods", "6", "--seed", "1")

    # Đà Nẵng's 56 units are new; Bắc Kạn's 117 came with Thái Nguyên's load and are kept.
    assert AdministrativeUnit.objects.count() == units_before + 56
    assert "units: 56 created, 117 already there" in output
    hoang_sa = AdministrativeUnit.objects.get(code="498", valid_until=LAST_DAY_BEFORE_REFORM)
    assert hoang_sa.name == "Huyện Hoàng Sa" and not hoang_sa.children.exists()
    assert AdministrativeUnit.objects.get(code="48", valid_until=None).search_key == "thanh pho da nang"

    codes = ["2018-h1", "2018-h2", "2019-h1", "2019-h2", "2020-h1", "2020-h2"]
    periods = ReportingPeriod.objects.filter(code__in=codes)
    assert periods.count() == 6
    assessments = Assessment.objects.filter(period__in=periods, criteria_set__code="qd-1980-2016")
    assert assessments.count() == (11 + 95) * 6
    assert assessments.filter(status=AssessmentStatus.APPROVED, is_demo=True).count() == (11 + 95) * 6
    assert set(assessments.values_list("commune__kind", flat=True)) == {UnitKind.COMMUNE}
    assert CriterionResult.objects.filter(assessment__in=assessments).count() == (11 + 95) * 6 * 19
    assert (
        f"approved assessments: {106 * 6} created, 0 already there; criterion results: {106 * 6 * 19}"
        in output
    )


@pytest.mark.django_db
def test_the_derived_figures_of_every_assessment_agree_with_its_criterion_results():
    load("--province", "48", "--province", "06")
    rows = Assessment.objects.filter(criteria_set__code="qd-1980-2016", is_demo=True).annotate(
        results=Count("criterion_results"),
        met_results=Count("criterion_results", filter=Q(criterion_results__met=True)),
    )
    assert rows.count() == 106 * 6
    for row in rows:
        assert row.criteria_total == row.results == 19
        assert row.criteria_met == row.met_results
        assert row.meets_standard == (row.criteria_met == 19)
    # Plausibly improving: no commune meets fewer criteria in a later period.
    by_commune: dict[int, list[int]] = {}
    for commune_id, met in rows.order_by("commune_id", "period__start").values_list(
        "commune_id", "criteria_met"
    ):
        by_commune.setdefault(commune_id, []).append(met)
    assert all(series == sorted(series) for series in by_commune.values())
    assert any(series[0] < series[-1] for series in by_commune.values())


@pytest.mark.django_db
def test_recognitions_are_demo_data_of_xa_and_standard_ones_match_the_assessments():
    load("--province", "48", "--province", "06")
    recognitions = Recognition.objects.filter(is_demo=True, unit__parent__parent__code__in=["48", "06"])
    assert recognitions.exists()
    assert set(recognitions.values_list("unit__kind", flat=True)) == {UnitKind.COMMUNE}
    assert recognitions.filter(is_demo=False).count() == 0
    # A commune recognised during the periods meets the standard in the period of its decision.
    last = ReportingPeriod.objects.get(code="2020-h2")
    for recognition in recognitions.filter(level="standard", decision_date__gte="2018-01-01"):
        assessment = Assessment.objects.get(
            commune=recognition.unit,
            criteria_set__code="qd-1980-2016",
            period__start__lte=recognition.decision_date,
            period__end__gte=recognition.decision_date,
            period__kind="half_year",
        )
        assert assessment.meets_standard
    # Advanced and model communes meet the standard in the last period.
    for recognition in recognitions.filter(level__in=["advanced", "model"]):
        assert Assessment.objects.get(commune=recognition.unit, period=last).meets_standard


@pytest.mark.django_db
def test_a_second_run_writes_nothing_and_the_same_seed_gives_the_same_figures():
    load("--province", "48", "--periods", "2")
    first = list(
        Assessment.objects.order_by("commune__code", "period__start").values_list("criteria_met", flat=True)
    )
    recognitions = Recognition.objects.count()
    output = load("--province", "48", "--periods", "2")
    assert "units: 0 created, 56 already there" in output
    assert "approved assessments: 0 created, 22 already there; criterion results: 0" in output
    assert Recognition.objects.count() == recognitions
    assert first == list(
        Assessment.objects.order_by("commune__code", "period__start").values_list("criteria_met", flat=True)
    )


@pytest.mark.django_db
def test_refused_when_demo_data_is_off_and_for_a_code_no_province_had(settings):
    with pytest.raises(CommandError, match="No pre-2025 province with GSO code 03"):
        load("--province", "03")
    with pytest.raises(CommandError, match="1 to 8"):
        load("--periods", "9")
    settings.DEMO_DATA = False
    with pytest.raises(CommandError, match="DEMO_DATA is off"):
        load("--province", "48")
    assert not Assessment.objects.filter(is_demo=True).exists()


def _overview_of(province_codes):
    """The overview of 2020-h2 for the pre-2025 provinces ``province_codes``, as a
    function of ``departments`` that runs only the overview's own queries."""
    from communes.models import UnitLevel
    from criteria.models import CriteriaSet
    from criteria.selectors.overview import province_overview

    provinces = list(AdministrativeUnit.objects.filter(code__in=province_codes, level=UnitLevel.PROVINCE))
    visible = AdministrativeUnit.objects.within(*provinces)
    period = ReportingPeriod.objects.get(code="2020-h2")
    criteria_set = CriteriaSet.objects.get(code="qd-1980-2016")
    return lambda departments: province_overview(
        visible=visible, period=period, criteria_set=criteria_set, departments=departments
    )


@pytest.mark.django_db
def test_the_overview_of_the_dataset_counts_what_the_rows_say_in_the_same_queries_at_two_sizes(
    django_assert_num_queries,
):
    load("--province", "48", "--province", "06")
    for codes, communes in ((["48"], 11), (["48", "06"], 106)):
        overview = _overview_of(codes)
        with django_assert_num_queries(7):
            full = overview(True)
        with django_assert_num_queries(6):
            light = overview(False)
        rows = Assessment.objects.filter(
            period__code="2020-h2", commune__parent__parent__code__in=codes, status=AssessmentStatus.APPROVED
        )
        assert full.totals == light.totals
        assert full.totals.assessed == communes == rows.count()
        assert full.totals.meeting_standard == rows.filter(meets_standard=True).count()
        assert full.totals.criteria_met_total == sum(rows.values_list("criteria_met", flat=True))
        assert sum(row.figures.assessed for row in full.districts) == communes
        assert full.criteria == light.criteria and light.departments == ()
        unmet = {
            (result.criterion.number, result.assessment.commune_id)
            for result in CriterionResult.objects.filter(assessment__in=rows, met=False).select_related(
                "criterion", "assessment"
            )
        }
        assert {
            (item.criterion.number, commune.pk)
            for department in full.departments
            for item in department.unmet
            for commune in item.communes
        } == unmet
