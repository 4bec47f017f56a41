"""The demo is a live cycle on the day it is loaded (issue 11, point 5): an illustrative set
usable now that presents no invented target as a legal one, the last pre-reform half-year
reopened as a coordinator's extension kept in its history, a queue of assessments made by
the demo users through the services, a plan whose deadlines count from today and the
2020 notice's tasks closed in 2020, so that the reminders speak of days. Loading twice
changes nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Notification
from communes.models import AdministrativeUnit
from criteria.models import (
    Assessment,
    AssessmentStatus,
    Comparison,
    CriteriaSet,
    Indicator,
    MeasureType,
    ReportingPeriod,
)
from criteria.services.demo_cycle import DEMO_SET_CODE, EXTENSION_REASON, RETURN_REASON, SOURCE_SET_CODE
from directives.models import Assignment, Directive, ProgressReport
from directives.services.demo import PLAN_NUMBER

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)  # tests/conftest.py NOW


@pytest.fixture
def cycle(db):
    for arguments in (
        ("load_missing", "criteria_sets_national"),
        ("create_periods", "--year", "2025", "--year", "2026"),
        ("load_seed_directive",),
        ("load_missing", "agencies_2025"),
        ("load_commune_agencies", "--province", "19"),
        ("create_demo_users",),
        ("load_demo_cycle",),
        ("load_demo_directives",),
    ):
        call_command(*arguments, stdout=StringIO())


def states() -> list[tuple[str, str, str, str]]:
    return sorted(
        (a.period.code, a.commune.name, a.status, a.submitted_by.username if a.submitted_by else "")
        for a in Assessment.objects.filter(criteria_set__code=DEMO_SET_CODE).select_related(
            "period", "commune", "submitted_by"
        )
    )


def test_the_illustrative_set_is_usable_now_and_invents_no_target(cycle):
    demo, source = CriteriaSet.objects.get(code=DEMO_SET_CODE), CriteriaSet.objects.get(code=SOURCE_SET_CODE)
    assert "minh họa" in demo.name and "không phải văn bản pháp lý" in demo.name
    assert (demo.effective_from, demo.effective_until) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert not demo.criteria.filter(indicators__isnull=True).exists()
    added = Indicator.objects.filter(criterion__criteria_set=demo).exclude(
        code__in=Indicator.objects.filter(criterion__criteria_set=source).values("code")
    )
    assert sorted((i.code, i.measure_type, i.comparison, i.target) for i in added) == [
        (code, MeasureType.BOOLEAN, Comparison.ACHIEVED, None) for code in ("12", "17", "18", "6")
    ]
    assert all("minh họa" in indicator.name for indicator in added)
    targets = {
        (i.criterion.number, i.code): i.target
        for i in Indicator.objects.filter(criterion__criteria_set=source).select_related("criterion")
    }
    copied = {
        (i.criterion.number, i.code): i.target
        for i in Indicator.objects.filter(criterion__criteria_set=demo)
        .exclude(pk__in=added)
        .select_related("criterion")
    }
    assert copied == targets


def test_the_district_half_year_is_extended_from_today_in_its_history(cycle):
    period = ReportingPeriod.objects.get(code="2025-h1")
    assert (period.submission_deadline, period.lock_date) == (
        datetime.date(2026, 12, 10),
        datetime.date(2027, 1, 9),
    )
    change = period.history.latest()
    assert (change.history_user.username, change.history_change_reason) == ("dieuphoi", EXTENSION_REASON)
    assert ReportingPeriod.objects.get(code="2026-h2").submission_deadline == datetime.date(2027, 1, 15)


def test_the_coordinator_finds_a_queue_made_by_other_users(cycle):
    rows = states()
    by_user = {}
    for _period, _commune, status, submitter in rows:
        by_user.setdefault(submitter, []).append(status)
    assert sorted(by_user["daitu"]) == ["submitted"] * 3
    assert sorted(by_user["phubinh"]) == ["returned", "submitted", "submitted"]
    assert by_user["xatancuong"] == ["submitted"]
    assert sorted(by_user[""]) == ["draft", "draft"]  # Đại Từ's two drafts, not submitted
    assert [r for r in rows if r[0] == "2026-h2"] == [("2026-h2", "Xã Tân Cương", "submitted", "xatancuong")]
    xa_phu_binh = AdministrativeUnit.objects.get(code="05908", valid_until=None)
    assert not Assessment.objects.filter(commune=xa_phu_binh).exists()
    assert not Assessment.objects.filter(criteria_set__code=DEMO_SET_CODE, is_demo=False).exists()
    submitted = Assessment.objects.filter(criteria_set__code=DEMO_SET_CODE).exclude(
        status=AssessmentStatus.DRAFT
    )
    assert all(a.values.filter(outcome="missing").count() == 0 for a in submitted)
    returned = Assessment.objects.get(criteria_set__code=DEMO_SET_CODE, status=AssessmentStatus.RETURNED)
    assert (returned.decided_by.username, returned.status_reason) == ("dieuphoi", RETURN_REASON)
    assert (
        Notification.objects.filter(recipient__username="phubinh", message__contains=RETURN_REASON).count()
        == 1
    )
    assert (
        Notification.objects.filter(recipient__username="dieuphoi", message__contains="chờ duyệt").count()
        == 7
    )


def test_the_plan_counts_from_today_and_nothing_of_2020_is_open(cycle):
    plan = Directive.objects.get(number=PLAN_NUMBER)
    assert plan.issued_on == datetime.date(2026, 11, 10)
    assert [task.deadline for task in plan.tasks.all()] == [
        datetime.date(2026, 11, 25),
        datetime.date(2026, 12, 3),
        datetime.date(2026, 12, 20),
        None,
    ]
    leads = {
        a.agency.name
        for a in Assignment.objects.filter(task__directive=plan, role="lead").select_related("agency")
    }
    assert leads == {
        "Sở Nông nghiệp và Môi trường",
        "Ủy ban nhân dân xã Phú Bình",
        "Ủy ban nhân dân xã Tân Cương",
    }
    seed = Assignment.objects.filter(task__directive__number="58/TB-UBND")
    assert not seed.filter(completed_on__isnull=True).exists()
    assert {day.year for day in seed.values_list("completed_on", flat=True)} == {2020}
    reports = ProgressReport.objects.filter(assignment__in=seed)
    assert reports.count() == seed.count() and {r.created_at.year for r in reports} == {2020}


def test_the_reminders_speak_of_days(cycle):
    out = StringIO()
    call_command("run_reminders", stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("- ")]
    assert (
        "- UBND xã Phú Bình: quá hạn 5 ngày (hạn 25/11/2026), văn bản 01/KH-UBND (minh họa): "
        in "\n".join(lines)
    )
    assert any("còn 3 ngày đến hạn (03/12/2026)" in line for line in lines)
    assert not any("58/TB-UBND" in line for line in lines)


def test_loading_twice_changes_nothing(cycle):
    before = (
        states(),
        Notification.objects.count(),
        Assignment.objects.count(),
        ProgressReport.objects.count(),
    )
    call_command("load_demo_cycle", stdout=StringIO())
    call_command("load_demo_directives", stdout=StringIO())
    after = (
        states(),
        Notification.objects.count(),
        Assignment.objects.count(),
        ProgressReport.objects.count(),
    )
    assert after == before
