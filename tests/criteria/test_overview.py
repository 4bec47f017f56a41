"""The overview figures on a small hand-computed dataset, the recognition re-check, the
recognition service, and the overview pages (scope, roles, bad query strings).

The dataset (period 2020-h1, a three-criterion set "test-3"):

    commune  district  criteria met   recognised (standard)
    A        Đại Từ    1, 2, 3  (3)   2015, under the older set "test-old"
    B        Đại Từ    1, 2     (2)   2016, under test-3
    C        Đại Từ    1        (1)   2016, under the older set
    D        Phú Bình  1, 2, 3  (3)   only after the period's end (not counted)
    E        Phú Bình  2, 3     (2)   advanced level only (not counted)

Criteria 1 and 3 belong to the transport department, criterion 2 to agriculture.
Approved: 5 assessed, 11 criteria met, average 2.20, meeting the standard A and D (2),
recognised A, B and C (3). Draft, submitted and returned assessments of three more
Đại Từ communes, and approved ones of other periods or sets, must not count.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionResult,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
)
from criteria.selectors.overview import average_criteria, province_overview
from criteria.selectors.recognitions import recognition_recheck
from criteria.services.recognitions import recognition_create
from tests.conftest import make_user, unit

pytestmark = pytest.mark.django_db

D = datetime.date
H1_2020 = (D(2020, 1, 1), D(2020, 6, 30))


def xa_of(district_code: str) -> list[AdministrativeUnit]:
    """The pre-reform xã of a district, by GSO code."""
    return list(unit(district_code).children.filter(kind=UnitKind.COMMUNE).order_by("code"))


def make_period(code="2020-h1", start=H1_2020[0], end=H1_2020[1]) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        code=code,
        name=code,
        kind="half_year",
        start=start,
        end=end,
        submission_deadline=end + datetime.timedelta(days=15),
        lock_date=end + datetime.timedelta(days=45),
    )


def make_set(code: str, criteria: int, agencies: list[str] | None = None) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(code=code, name=f"Set {code}", level="standard")
    for number in range(1, criteria + 1):
        agency = Agency.objects.get(code=agencies[number - 1]) if agencies else None
        Criterion.objects.create(
            criteria_set=criteria_set, number=number, name=f"Criterion {number}", responsible_agency=agency
        )
    return criteria_set


def assess(commune, period, criteria_set, met: set[int], *, status="approved", is_demo=False) -> Assessment:
    criteria = list(criteria_set.criteria.order_by("number"))
    assessment = Assessment.objects.create(
        commune=commune,
        period=period,
        criteria_set=criteria_set,
        status=status,
        criteria_met=len(met),
        criteria_total=len(criteria),
        meets_standard=len(met) == len(criteria),
        is_demo=is_demo,
    )
    CriterionResult.objects.bulk_create(
        CriterionResult(assessment=assessment, criterion=c, met=c.number in met) for c in criteria
    )
    return assessment


def recognise(commune, level, criteria_set, day, *, is_demo=False) -> Recognition:
    return Recognition.objects.create(
        unit=commune,
        level=level,
        criteria_set=criteria_set,
        decision_number=f"{commune.pk}/QĐ-UBND",
        decision_date=day,
        is_demo=is_demo,
    )


@pytest.fixture
def data():
    period = make_period()
    other_period = make_period("2019", D(2019, 1, 1), D(2019, 12, 31))
    test3 = make_set("test-3", 3, ["so-giao-thong-van-tai", "so-nong-nghiep-ptnt", "so-giao-thong-van-tai"])
    older = make_set("test-old", 3)
    dai_tu, phu_binh = xa_of("171"), xa_of("173")
    a, b, c, f, g, h = dai_tu[:6]
    d, e = phu_binh[:2]
    assess(a, period, test3, {1, 2, 3})
    assess(b, period, test3, {1, 2})
    assess(c, period, test3, {1})
    assess(d, period, test3, {1, 2, 3})
    assess(e, period, test3, {2, 3})
    # Not counted: not approved, another period, another set.
    assess(f, period, test3, {1, 2, 3}, status=AssessmentStatus.DRAFT)
    assess(g, period, test3, {1, 2, 3}, status=AssessmentStatus.SUBMITTED)
    assess(h, period, test3, {1, 2, 3}, status=AssessmentStatus.RETURNED)
    assess(f, other_period, test3, {1, 2, 3})
    assess(f, period, older, {1, 2, 3})
    recognise(a, RecognitionLevel.STANDARD, older, D(2015, 10, 1))
    recognise(b, RecognitionLevel.STANDARD, test3, D(2016, 12, 20))
    recognise(c, RecognitionLevel.STANDARD, older, D(2016, 3, 1))
    recognise(d, RecognitionLevel.STANDARD, test3, D(2020, 9, 1))  # after the period's end
    recognise(e, RecognitionLevel.ADVANCED, test3, D(2019, 5, 1))  # not the standard level
    recognise(a, RecognitionLevel.MODEL, test3, D(2019, 11, 1))  # Đại Từ has a model commune
    recognise(d, RecognitionLevel.MODEL, test3, D(2020, 8, 1))  # Phú Bình's comes too late
    return {
        "period": period,
        "set": test3,
        "older": older,
        "communes": dict(zip("abcdefgh", [a, b, c, d, e, f, g, h], strict=True)),
    }


def overview_for(user, data):
    return province_overview(visible=unit_scope(user), period=data["period"], criteria_set=data["set"])


# --- The figures ----------------------------------------------------------------------


def test_overview_counts_only_approved_assessments_of_the_period_and_set(data, leader):
    totals = overview_for(leader, data).totals
    assert totals.assessed == 5
    assert totals.criteria_met_total == 11
    assert totals.average == Decimal("2.20")


def test_recognised_and_meeting_by_assessment_are_kept_apart(data, leader):
    totals = overview_for(leader, data).totals
    # Recognised by decision up to 30/06/2020: A (older set), B, C; D's decision is later.
    assert totals.recognised == 3
    # Meeting every criterion in the approved assessment: A and D.
    assert totals.meeting_standard == 2


def test_distribution_counts_communes_by_criteria_met(data, leader):
    assert overview_for(leader, data).distribution == {1: 1, 2: 2, 3: 2}


def test_figures_by_district(data, leader):
    rows = {row.district.code: row.figures for row in overview_for(leader, data).districts}
    assert set(rows) == {"171", "173"}
    dai_tu, phu_binh = rows["171"], rows["173"]
    assert (dai_tu.assessed, dai_tu.meeting_standard, dai_tu.recognised) == (3, 1, 3)
    assert dai_tu.average == Decimal("2.00")
    assert (phu_binh.assessed, phu_binh.meeting_standard, phu_binh.recognised) == (2, 1, 0)
    assert phu_binh.average == Decimal("2.50")


def test_figures_by_criterion(data, leader):
    rows = overview_for(leader, data).criteria
    assert [(row.criterion.number, row.met, row.not_met) for row in rows] == [(1, 4, 1), (2, 4, 1), (3, 3, 2)]
    assert rows[2].percent == Decimal("60.0")


def test_each_department_sees_its_unmet_criteria_and_where(data, leader):
    departments = {row.agency.code: row for row in overview_for(leader, data).departments}
    assert set(departments) == {"so-giao-thong-van-tai", "so-nong-nghiep-ptnt"}
    communes = data["communes"]
    transport = {
        item.criterion.number: set(item.communes) for item in departments["so-giao-thong-van-tai"].unmet
    }
    assert transport == {1: {communes["e"]}, 3: {communes["b"], communes["c"]}}
    assert departments["so-giao-thong-van-tai"].commune_count == 3
    agriculture = {
        item.criterion.number: set(item.communes) for item in departments["so-nong-nghiep-ptnt"].unmet
    }
    assert agriculture == {2: {communes["c"]}}


def test_districts_without_a_model_commune_at_the_period_end(data, leader):
    overview = overview_for(leader, data)
    codes = {district.code for district in overview.districts_without_model}
    # Only districts with NTM data in the period count: Đại Từ and Phú Bình here. The
    # former Bắc Kạn districts (in the province's scope since the 2025 merger) have none.
    assert overview.districts_in_force == 2
    assert "171" not in codes  # Đại Từ: A recognised as a model commune in 2019
    assert codes == {"173"}  # Phú Bình: its model decision came after 30/06/2020


def test_a_district_officer_only_counts_their_district(data, dai_tu_officer):
    overview = overview_for(dai_tu_officer, data)
    assert (overview.totals.assessed, overview.totals.recognised, overview.totals.meeting_standard) == (
        3,
        3,
        1,
    )
    assert overview.totals.average == Decimal("2.00")
    assert [row.district.code for row in overview.districts] == ["171"]
    assert overview.districts_in_force == 1
    assert overview.districts_without_model == ()


def test_overview_is_not_demo_unless_a_counted_row_is(data, leader):
    assert not overview_for(leader, data).has_demo
    Recognition.objects.filter(unit=data["communes"]["b"]).update(is_demo=True)
    assert overview_for(leader, data).has_demo


def test_a_demo_assessment_marks_the_overview_as_demo(data, leader):
    Assessment.objects.filter(commune=data["communes"]["a"], period=data["period"], status="approved").update(
        is_demo=True
    )
    assert overview_for(leader, data).has_demo


def test_a_demo_assessment_outside_the_counted_ones_does_not(data, leader):
    Assessment.objects.filter(status=AssessmentStatus.DRAFT).update(is_demo=True)
    assert not overview_for(leader, data).has_demo


def test_the_average_rounds_half_up_to_two_places(leader):
    assert average_criteria(2085, 121) == Decimal("17.23")
    assert average_criteria(17, 8) == Decimal("2.13")  # 2.125: half up, not to even
    assert average_criteria(0, 0) is None
    period, criteria_set = make_period(), make_set("test-3", 3)
    met_sets = [{1, 2, 3}] * 3 + [{1, 2}] * 4 + [set()]  # 9 + 8 + 0 = 17 over 8 = 2.125
    for commune, met in zip(xa_of("171"), met_sets, strict=False):
        assess(commune, period, criteria_set, met)
    overview = province_overview(visible=unit_scope(leader), period=period, criteria_set=criteria_set)
    assert overview.totals.assessed == 8
    assert overview.totals.average == Decimal("2.13")


def test_under_10_and_under_15_on_a_19_criterion_set(leader):
    period, criteria_set = make_period(), make_set("test-19", 19)
    for commune, met in zip(xa_of("170"), [9, 10, 14, 15, 19], strict=False):
        assess(commune, period, criteria_set, set(range(1, met + 1)))
    totals = province_overview(visible=unit_scope(leader), period=period, criteria_set=criteria_set).totals
    assert (totals.under_low, totals.under_high) == (1, 3)
    assert totals.average == Decimal("13.40")
    assert totals.meeting_standard == 1


def test_communes_directly_under_the_province_form_one_row(leader):
    period = make_period("2026-h1", D(2026, 1, 1), D(2026, 6, 30))
    criteria_set = make_set("test-3", 3)
    new_communes = list(
        AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE, valid_until=None).order_by("code")[:2]
    )
    assert all(c.parent.level == UnitLevel.PROVINCE for c in new_communes)
    for commune in new_communes:
        assess(commune, period, criteria_set, {1, 2, 3})
    recognise(new_communes[0], RecognitionLevel.STANDARD, criteria_set, D(2026, 3, 1))
    overview = province_overview(visible=unit_scope(leader), period=period, criteria_set=criteria_set)
    [row] = overview.districts
    assert row.district is None
    assert (row.figures.assessed, row.figures.recognised) == (2, 1)
    assert overview.districts_in_force == 0
    assert overview.districts_without_model == ()


def _queries_for_overview(leader, count: int) -> int:
    period = ReportingPeriod.objects.get(code="q-test")
    criteria_set = CriteriaSet.objects.get(code="test-q")
    Assessment.objects.filter(period=period).delete()
    Recognition.objects.filter(criteria_set=criteria_set).delete()
    communes = xa_of("171")[: count // 2] + xa_of("167")[: count - count // 2]
    for index, commune in enumerate(communes):
        assess(commune, period, criteria_set, set(range(1, 1 + index % 4)))
        recognise(
            commune,
            RecognitionLevel.STANDARD if index % 2 else RecognitionLevel.MODEL,
            criteria_set,
            D(2019, 1, 1),
        )
    visible = unit_scope(leader)
    with CaptureQueriesContext(connection) as queries:
        overview = province_overview(visible=visible, period=period, criteria_set=criteria_set)
        assert overview.totals.assessed == count
    return len(queries)


def test_the_overview_runs_the_same_number_of_queries_for_5_and_20_communes(leader):
    make_period("q-test")
    make_set("test-q", 3, ["so-giao-thong-van-tai", "so-nong-nghiep-ptnt", "so-y-te"])
    unit_scope(leader).count()  # load the leader's agency and scope once
    five = _queries_for_overview(leader, 5)
    twenty = _queries_for_overview(leader, 20)
    assert five == twenty == 7


# --- The re-check -----------------------------------------------------------------------


def test_recheck_lists_the_unmet_criteria_of_communes_recognised_under_the_older_set(data, leader):
    communes = data["communes"]
    lagging = xa_of("171")[6]  # recognised in 2016 under the older set, not assessed
    recognise(lagging, RecognitionLevel.STANDARD, data["older"], D(2016, 6, 1))
    early = xa_of("171")[7]  # recognised in 2013: outside the years asked
    recognise(early, RecognitionLevel.STANDARD, data["older"], D(2013, 6, 1))
    rows = recognition_recheck(
        visible=unit_scope(leader),
        older_set=data["older"],
        newer_set=data["set"],
        period=data["period"],
        recognised_from=2014,
        recognised_until=2016,
    )
    assert [row.commune for row in rows] == [communes["a"], communes["c"], lagging]
    a_row, c_row, lagging_row = rows
    assert a_row.meets_newer_set and a_row.unmet == ()
    assert [criterion.number for criterion in c_row.unmet] == [2, 3]
    assert not c_row.meets_newer_set
    assert lagging_row.assessment is None and not lagging_row.meets_newer_set


def test_recheck_respects_the_scope(data, phu_binh_officer):
    rows = recognition_recheck(
        visible=unit_scope(phu_binh_officer),
        older_set=data["older"],
        newer_set=data["set"],
        period=data["period"],
    )
    assert rows == []


# --- The recognition service -----------------------------------------------------------


def _create(**overrides):
    """``recognition_create`` with valid values, as the provincial coordinator."""
    coordinator = User.objects.filter(username="coordinator").first() or make_user(
        "coordinator", Role.COORDINATOR, "vpdp-ntm-tinh"
    )
    values = {
        "user": coordinator,
        "unit": xa_of("171")[0],
        "level": RecognitionLevel.STANDARD,
        "criteria_set": CriteriaSet.objects.get(code="test-3"),
        "decision_number": " 1234/QĐ-UBND ",
        "decision_date": D(2019, 12, 20),
        "signer": "Chủ tịch UBND tỉnh",
    }
    values.update(overrides)
    return recognition_create(**values)


def test_recognition_create_records_a_decision_with_history():
    make_set("test-3", 3)
    recognition = _create()
    assert recognition.decision_number == "1234/QĐ-UBND"
    assert recognition.history.count() == 1
    assert not recognition.is_demo


def test_recognition_create_refuses_a_duplicate_and_names_the_unit():
    make_set("test-3", 3)
    _create()
    with pytest.raises(ValidationError) as caught:
        _create(decision_number="999/QĐ-UBND")
    assert list(caught.value.message_dict) == ["unit"]
    assert xa_of("171")[0].name in caught.value.message_dict["unit"][0]


def test_recognition_create_refuses_a_ward_at_a_commune_level():
    make_set("test-3", 3)
    ward = AdministrativeUnit.objects.filter(kind=UnitKind.WARD, valid_until__isnull=False).first()
    with pytest.raises(ValidationError) as caught:
        _create(unit=ward)
    assert list(caught.value.message_dict) == ["unit"]
    assert ward.name in caught.value.message_dict["unit"][0]


def test_recognition_create_gives_a_model_hamlet_only_to_a_hamlet():
    make_set("test-3", 3)
    with pytest.raises(ValidationError) as caught:
        _create(level=RecognitionLevel.MODEL_HAMLET)
    assert list(caught.value.message_dict) == ["unit"]
    hamlet = AdministrativeUnit.objects.create(
        name="Xóm Thử", short_name="Thử", kind=UnitKind.HAMLET, level=UnitLevel.HAMLET, parent=xa_of("171")[0]
    )
    assert _create(unit=hamlet, level=RecognitionLevel.MODEL_HAMLET).unit == hamlet
    with pytest.raises(ValidationError) as caught:
        _create(unit=hamlet, level=RecognitionLevel.STANDARD)
    assert list(caught.value.message_dict) == ["unit"]


def test_recognition_create_refuses_a_decision_date_in_the_future():
    make_set("test-3", 3)
    with pytest.raises(ValidationError) as caught:
        _create(decision_date=D(2026, 12, 1))  # today is 30/11/2026
    assert list(caught.value.message_dict) == ["decision_date"]
    # A pre-reform commune closed on 30/06/2025 cannot be recognised after that day.
    with pytest.raises(ValidationError) as caught:
        _create(decision_date=D(2025, 8, 1))
    assert list(caught.value.message_dict) == ["decision_date"]


def test_recognition_create_refuses_a_date_outside_the_sets_time_and_names_the_field():
    criteria_set = make_set("test-3", 3)
    criteria_set.decision_date = D(2016, 10, 17)
    criteria_set.effective_until = D(2020, 12, 31)
    criteria_set.save()
    with pytest.raises(ValidationError) as caught:
        _create(decision_date=D(2015, 6, 1))
    assert list(caught.value.message_dict) == ["decision_date"]
    assert "17/10/2016" in caught.value.message_dict["decision_date"][0]
    with pytest.raises(ValidationError) as caught:
        _create(decision_date=D(2021, 1, 4))
    assert list(caught.value.message_dict) == ["decision_date"]
    assert "31/12/2020" in caught.value.message_dict["decision_date"][0]
    # The first and the last day are fine.
    assert _create(decision_date=D(2016, 10, 17)).decision_date == D(2016, 10, 17)
    assert _create(unit=xa_of("171")[1], decision_date=D(2020, 12, 31)).decision_date == D(2020, 12, 31)


def test_a_recognition_form_outside_the_sets_time_is_refused_in_vietnamese(client, data, coordinator):
    data["set"].decision_date = D(2016, 10, 17)
    data["set"].effective_until = D(2020, 12, 31)
    data["set"].save()
    client.force_login(coordinator)
    page = client.post(reverse("recognition-create"), _form_data(data, decision_date="20/05/2015")).content
    assert "Ngày quyết định: Ngày quyết định không được trước ngày ban hành Set test-3 (17/10/2016)." in (
        page.decode()
    )
    page = client.post(reverse("recognition-create"), _form_data(data, decision_date="04/01/2021")).content
    assert (
        "Ngày quyết định: Ngày quyết định không được sau ngày cuối cùng áp dụng Set test-3 (31/12/2020)."
        in (page.decode())
    )
    assert not Recognition.objects.filter(decision_number="77/QĐ-UBND").exists()


def test_recognition_create_needs_a_decision_number():
    make_set("test-3", 3)
    with pytest.raises(ValidationError) as caught:
        _create(decision_number="   ")
    assert list(caught.value.message_dict) == ["decision_number"]


# --- The pages --------------------------------------------------------------------------

URLS = ["criteria-overview", "recognition-list", "recognition-recheck", "recognition-create"]
READERS = ["coordinator", "dai_tu_officer", "phu_binh_officer", "department_officer", "leader"]


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(reverse(name)).status_code in (302, 405)


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("name", ["criteria-overview", "recognition-list", "recognition-recheck"])
def test_everyone_logged_in_reads_the_overview_pages(request, client, data, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 200
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("persona", ["dai_tu_officer", "phu_binh_officer", "department_officer", "leader"])
def test_only_a_coordinator_records_a_recognition(request, client, data, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("recognition-create")).status_code == 403
    response = client.post(reverse("recognition-create"), _form_data(data))
    assert response.status_code == 403
    assert not Recognition.objects.filter(decision_number="77/QĐ-UBND").exists()


def _form_data(data, **overrides):
    values = {
        "unit": data["communes"]["e"].pk,
        "level": "standard",
        "criteria_set": data["set"].pk,
        "decision_number": "77/QĐ-UBND",
        "decision_date": "20/12/2019",
        "signer": "",
    }
    values.update(overrides)
    return values


def test_a_coordinator_records_a_recognition_from_the_form(client, data, coordinator):
    client.force_login(coordinator)
    assert 'data-testid="recognition-form"' in client.get(reverse("recognition-list")).content.decode()
    response = client.post(reverse("recognition-create"), _form_data(data))
    assert response.status_code == 302
    recognition = Recognition.objects.get(decision_number="77/QĐ-UBND")
    assert recognition.unit == data["communes"]["e"]
    assert recognition.decision_date == D(2019, 12, 20)
    assert recognition.history.get().history_user == coordinator


def test_a_bad_recognition_form_names_the_field_in_vietnamese(client, data, coordinator):
    client.force_login(coordinator)
    page = client.post(reverse("recognition-create"), _form_data(data, decision_date="31/02/2019")).content
    assert "Ngày quyết định:" in page.decode()
    page = client.post(reverse("recognition-create"), _form_data(data, decision_date="01/12/2026")).content
    assert "Ngày quyết định: Ngày quyết định không được sau ngày hôm nay" in page.decode()
    assert not Recognition.objects.filter(decision_number="77/QĐ-UBND").exists()


def test_a_duplicate_recognition_from_the_form_names_the_commune(client, data, coordinator):
    client.force_login(coordinator)
    b = data["communes"]["b"]
    page = client.post(reverse("recognition-create"), _form_data(data, unit=b.pk)).content.decode()
    assert f"{b.name} đã được công nhận" in page


def test_the_overview_page_shows_the_figures_with_a_decimal_comma(client, data, leader):
    client.force_login(leader)
    page = client.get(reverse("criteria-overview"), {"period": "2020-h1", "set": "test-3"}).content.decode()
    assert 'data-testid="card-average">2,20<' in page
    assert 'data-testid="card-recognised">3<' in page
    assert 'data-testid="card-meeting">2<' in page
    assert "Dữ liệu minh họa" not in page
    assert 'id="distribution-data" type="application/json"' in page
    assert "<script>" not in page  # strict CSP: no inline script


def test_the_overview_defaults_to_the_latest_period_with_approved_assessments(client, data, leader):
    make_period("2020-h2", D(2020, 7, 1), D(2020, 12, 31))  # later, but nothing approved
    client.force_login(leader)
    response = client.get(reverse("criteria-overview"))
    assert response.context["period"] == data["period"]
    assert response.context["criteria_set"] == data["set"]


def test_an_unknown_period_code_gives_a_vietnamese_notice_and_the_default(client, data, leader):
    client.force_login(leader)
    response = client.get(reverse("criteria-overview"), {"period": "2099-h9", "set": "<b>x</b>"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kỳ báo cáo: Không có mục nào có mã “2099-h9”." in page
    assert "Bộ tiêu chí:" in page
    assert response.context["period"] == data["period"]
    assert "<b>x</b>" not in page


def test_a_district_officer_sees_only_their_districts_figures_on_the_page(client, data, dai_tu_officer):
    client.force_login(dai_tu_officer)
    response = client.get(reverse("criteria-overview"), {"period": "2020-h1", "set": "test-3"})
    assert response.context["overview"].totals.assessed == 3
    assert data["communes"]["e"].name not in response.content.decode()


def test_the_recheck_page_lists_unmet_criteria(client, data, leader):
    client.force_login(leader)
    response = client.get(
        reverse("recognition-recheck"),
        {"older": "test-old", "newer": "test-3", "period": "2020-h1", "from": "2014", "until": "2016"},
    )
    page = response.content.decode()
    assert data["communes"]["c"].name in page
    assert "2. Criterion 2" in page
    assert data["communes"]["d"].name not in page


def test_the_recheck_page_defaults_to_the_older_set_of_the_recognitions(client, data, leader):
    """Older: the set the communes were recognised under; newer: the set of the latest
    period's approved assessments; never the same set."""
    client.force_login(leader)
    response = client.get(reverse("recognition-recheck"))
    assert response.context["period"] == data["period"]
    assert response.context["newer"] == data["set"]
    assert response.context["older"] == data["older"]
    assert response.context["notices"] == []
    assert [row.commune for row in response.context["rows"]] == [data["communes"]["a"], data["communes"]["c"]]
    # Choosing only the older set keeps the period's set as the newer one.
    response = client.get(reverse("recognition-recheck"), {"older": "test-old"})
    assert (response.context["older"], response.context["newer"]) == (data["older"], data["set"])


def test_the_recheck_page_prefers_the_qd_491_set_when_it_has_recognitions(client, data, leader):
    earliest = make_set("test-earliest", 3)
    earliest.effective_from = D(2000, 1, 1)
    earliest.save()
    qd_491 = CriteriaSet.objects.create(
        code="qd-491-2009", name="Bộ tiêu chí 2010-2015", level="standard", effective_from=D(2009, 4, 16)
    )
    client.force_login(leader)
    # Neither has a recognition yet: the older set stays the one the communes were recognised under.
    assert client.get(reverse("recognition-recheck")).context["older"] == data["older"]
    recognise(xa_of("171")[8], RecognitionLevel.STANDARD, earliest, D(2012, 6, 1))
    assert client.get(reverse("recognition-recheck")).context["older"] == earliest  # the oldest set
    recognise(xa_of("171")[9], RecognitionLevel.STANDARD, qd_491, D(2015, 6, 1))
    response = client.get(reverse("recognition-recheck"))
    assert response.context["older"] == qd_491
    assert [row.commune for row in response.context["rows"]] == [xa_of("171")[9]]


def test_the_recheck_page_refuses_one_set_as_both_in_vietnamese(client, data, leader):
    client.force_login(leader)
    response = client.get(reverse("recognition-recheck"), {"older": "test-3", "newer": "test-3"})
    assert response.status_code == 200
    assert response.context["rows"] == []
    page = response.content.decode()
    assert "Không thể rà soát lại các xã được công nhận theo Set test-3 bằng chính bộ tiêu chí đó" in page
    assert "Hãy chọn hai bộ tiêu chí khác nhau." in page
    # The same when only the older set is chosen and the period's set is that set.
    response = client.get(reverse("recognition-recheck"), {"older": "test-3"})
    assert response.context["rows"] == []
    assert len(response.context["notices"]) == 1


def test_the_recheck_page_survives_bad_years(client, data, leader):
    client.force_login(leader)
    response = client.get(reverse("recognition-recheck"), {"from": "abc", "until": "1"})
    assert response.status_code == 200
    assert len(response.context["notices"]) == 2


def test_the_recognition_list_is_scoped(client, data, phu_binh_officer):
    client.force_login(phu_binh_officer)
    response = client.get(reverse("recognition-list"))
    units = {recognition.unit for recognition in response.context["page"]}
    assert units == {data["communes"]["d"], data["communes"]["e"]}
    assert response.context["form"] is None
