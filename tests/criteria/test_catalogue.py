"""The criteria catalogue: the national sets fixture, the coordinator's changes (targets,
departments, a provincial copy), reporting periods, and the pages."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency
from communes.models import AdministrativeUnit
from core.numbers import trim_decimal
from criteria.catalogue import comparison_symbol, year_periods
from criteria.models import (
    CommuneGroup,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    ReportingPeriod,
    Verification,
)
from criteria.services.catalogue import (
    criteria_set_copy,
    criterion_set_responsible_agency,
    indicator_set_target,
    periods_ensure,
)

pytestmark = pytest.mark.django_db

NATIONAL_2009 = "qd-491-2009"
NATIONAL_2016 = "qd-1980-2016"
NATIONAL_2021 = "qd-318-2022"
NATIONAL_2026 = "qd-51-2025"
# Numeric indicators of QĐ 1980 whose TDMNPB target the sources did not give.
UNKNOWN_2016 = {"4.2", "5", "6.3", "9.2", "11", "12", "16", "17.2", "17.6", "17.7", "17.8", "18.4"}


@pytest.fixture
def national_sets(db):
    call_command("load_missing", "criteria_sets_national", verbosity=0)
    return {
        code: CriteriaSet.objects.get(code=code)
        for code in (NATIONAL_2009, NATIONAL_2016, NATIONAL_2021, NATIONAL_2026)
    }


def indicator(set_code: str, code: str) -> Indicator:
    return Indicator.objects.get(criterion__criteria_set__code=set_code, code=code)


def thai_nguyen() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code="19", level="province")


def target_url(set_code: str, code: str) -> str:
    return reverse("indicator-target", args=[indicator(set_code, code).pk])


def detail_url(set_code: str) -> str:
    return reverse("criteria-set-detail", args=[set_code])


# --- the fixture ---------------------------------------------------------------------


def test_the_2016_2020_set_has_19_criteria_in_5_groups_and_50_indicators(national_sets):
    national = national_sets[NATIONAL_2016]
    assert national.decision == "1980/QĐ-TTg"
    assert national.decision_date == datetime.date(2016, 10, 17)
    assert national.effective_from == datetime.date(2016, 12, 1)
    assert national.effective_until == datetime.date(2020, 12, 31)
    assert national.region == "Trung du và miền núi phía Bắc"
    assert national.criteria.count() == 19
    assert list(national.criteria.values_list("number", flat=True)) == list(range(1, 20))
    assert national.criteria.values("group").distinct().count() == 5
    assert Indicator.objects.filter(criterion__criteria_set=national).count() == 50


@pytest.mark.parametrize(
    ("code", "comparison", "target"),
    [
        ("10", ">=", Decimal("36")),
        ("14.2", ">=", Decimal("70")),
        ("15.1", ">=", Decimal("85")),
        ("15.3", "<=", Decimal("26.7")),
        ("17.1", ">=", Decimal("90")),
        ("17.1a", ">=", Decimal("50")),
    ],
)
def test_confirmed_targets_of_the_2016_2020_set_are_exact(national_sets, code, comparison, target):
    row = indicator(NATIONAL_2016, code)
    assert (row.comparison, row.target, row.verification) == (comparison, target, Verification.CONFIRMED)


def test_income_is_a_number_in_million_dong_per_person_and_17_1_is_split_in_two(national_sets):
    income = indicator(NATIONAL_2016, "10")
    assert (income.measure_type, income.unit) == ("number", "triệu đồng/người/năm")
    water = indicator(NATIONAL_2016, "17.1")
    clean_water = indicator(NATIONAL_2016, "17.1a")
    assert water.criterion_id == clean_water.criterion_id
    assert water.position < clean_water.position
    assert "nước sạch" in clean_water.name


def test_yes_no_indicators_are_judged_achieved_with_no_target(national_sets):
    for code in ("1.1", "2.1", "8.1", "9.1", "15.2", "19.2"):
        row = indicator(NATIONAL_2016, code)
        assert (row.measure_type, row.comparison, row.target) == ("boolean", "achieved", None)


def test_unknown_targets_are_null_and_the_set_page_lists_them_as_needing_a_target(
    client, leader, national_sets
):
    missing = Indicator.objects.filter(
        criterion__criteria_set__code=NATIONAL_2016, target__isnull=True
    ).exclude(comparison="achieved")
    assert set(missing.values_list("code", flat=True)) == UNKNOWN_2016
    assert not missing.exclude(verification__in=["target_unknown", "unverified"]).exists()
    client.force_login(leader)
    page = client.get(detail_url(NATIONAL_2016)).content.decode()
    assert "12 chỉ tiêu chưa có mức yêu cầu" in page
    assert page.count('data-testid="needs-target"') == 12
    assert page.count("chưa có mức yêu cầu — người thẩm định đánh giá Đạt / Không đạt") == 12


def test_each_criterion_has_its_department(national_sets):
    criteria = Criterion.objects.filter(criteria_set__code=NATIONAL_2016).select_related("responsible_agency")
    departments = {criterion.number: criterion.responsible_agency.code for criterion in criteria}
    assert departments[2] == "so-giao-thong-van-tai"
    assert Agency.objects.get(code=departments[2]).name == "Sở Giao thông vận tải"
    assert departments[17] == "so-tai-nguyen-moi-truong"
    assert departments[18] == "so-noi-vu"
    assert departments[19] == "cong-an-tinh"
    assert departments[1] == departments[9] == "so-xay-dung"
    assert len(departments) == 19


def test_the_2021_2025_set_has_19_criteria_and_its_two_confirmed_health_targets(national_sets):
    assert national_sets[NATIONAL_2021].criteria.count() == 19
    assert Criterion.objects.get(criteria_set__code=NATIONAL_2021, number=2).responsible_agency.code == (
        "so-giao-thong-van-tai"
    )
    stunting = indicator(NATIONAL_2021, "15.3")
    ehealth = indicator(NATIONAL_2021, "15.4")
    assert (stunting.comparison, stunting.target) == ("<=", Decimal("24"))
    assert (ehealth.comparison, ehealth.target) == (">=", Decimal("50"))
    # Placeholders of the domain file ("17.x", "(not confirmed)") are not indicators.
    assert not Indicator.objects.filter(
        criterion__criteria_set__code=NATIONAL_2021, code__endswith=".x"
    ).exists()


def test_the_2026_2030_set_has_10_criteria_3_commune_groups_and_notes_that_indicators_are_missing(
    national_sets,
):
    newest = national_sets[NATIONAL_2026]
    assert newest.decision == "51/2025/QĐ-TTg"
    assert newest.effective_from == datetime.date(2026, 2, 15)
    assert newest.criteria.count() == 10
    assert sorted(newest.commune_groups.values_list("code", flat=True)) == ["nhom-1", "nhom-2", "nhom-3"]
    assert not Indicator.objects.filter(criterion__criteria_set=newest).exists()
    assert "chỉ tiêu" in newest.notes and "Văn phòng Điều phối" in newest.notes


def test_the_2010_2015_set_of_qd_491_has_its_dates_and_no_criteria(client, leader, national_sets):
    first = national_sets[NATIONAL_2009]
    assert first.name == "Bộ tiêu chí quốc gia về nông thôn mới (giai đoạn 2010-2015)"
    assert (first.level, first.decision) == ("standard", "491/QĐ-TTg")
    assert first.decision_date == first.effective_from == datetime.date(2009, 4, 16)
    # The day before QĐ 1980/QĐ-TTg took effect.
    assert first.effective_until == national_sets[NATIONAL_2016].effective_from - datetime.timedelta(days=1)
    assert not first.criteria.exists()
    assert "342/QĐ-TTg" in first.notes and "2013" in first.notes
    assert "chưa được nhập" in first.notes
    client.force_login(leader)
    assert client.get(detail_url(NATIONAL_2009)).status_code == 200
    assert "giai đoạn 2010-2015" in client.get(reverse("criteria-set-list")).content.decode()


FIXTURE = Path(__file__).resolve().parents[2] / "criteria" / "fixtures" / "criteria_sets_national.json"
# Words of English a Vietnamese text never holds (URLs are left out before looking).
ENGLISH = re.compile(
    r"\b(the|and|of|not|is|are|with|from|seen|value|wording|unconfirmed|target|source)\b", re.I
)


def test_the_fixture_shows_users_no_english_and_no_developer_paths():
    texts = [
        (record.get("pk"), name, value)
        for record in json.loads(FIXTURE.read_text(encoding="utf-8"))
        for name, value in record["fields"].items()
        if isinstance(value, str)
        and name not in {"code", "level", "measure_type", "comparison", "verification"}
    ]
    for pk, name, value in texts:
        prose = re.sub(r"https?://\S+", "", value)
        assert not ENGLISH.search(prose), (pk, name, value)
        assert "../" not in prose and ".json" not in prose and ".md" not in prose, (pk, name, value)


def test_unconfirmed_wording_is_said_in_vietnamese(national_sets):
    market = indicator(NATIONAL_2021, "7")
    assert market.name.endswith("(nội dung chưa được kiểm chứng)")
    notes = national_sets[NATIONAL_2016].notes
    assert "Nguồn: tổng hợp từ văn bản và trang tin công khai" in notes
    assert "shared" not in notes


def test_loading_the_fixture_twice_adds_nothing(coordinator, national_sets):
    counts = (CriteriaSet.objects.count(), Criterion.objects.count(), Indicator.objects.count())
    groups = CommuneGroup.objects.count()
    indicator_set_target(user=coordinator, indicator=indicator(NATIONAL_2016, "15.3"), target=Decimal("25"))
    call_command("load_missing", "criteria_sets_national", verbosity=0)
    assert (CriteriaSet.objects.count(), Criterion.objects.count(), Indicator.objects.count()) == counts
    assert CommuneGroup.objects.count() == groups
    # What a coordinator changed is not overwritten by the second load.
    assert indicator(NATIONAL_2016, "15.3").target == Decimal("25")


# --- setting a target ----------------------------------------------------------------


def test_coordinator_sets_a_target_with_a_decimal_comma_and_it_is_in_the_history(
    client, coordinator, national_sets
):
    client.force_login(coordinator)
    url = target_url(NATIONAL_2016, "11")
    response = client.post(url, {"comparison": "<=", "target": "26,7"})
    assert response.status_code == 302
    assert response.url == detail_url(NATIONAL_2016) + f"#indicator-{indicator(NATIONAL_2016, '11').pk}"
    poverty = indicator(NATIONAL_2016, "11")
    assert poverty.target == Decimal("26.70")
    assert str(poverty.target) == "26.70"
    assert poverty.verification == Verification.SET_BY_COORDINATOR
    latest = poverty.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == coordinator
    assert latest.target == Decimal("26.70")
    page = client.get(detail_url(NATIONAL_2016)).content.decode()
    assert "≤ 26,7 %" in page
    assert "11 chỉ tiêu chưa có mức yêu cầu" in page


def test_the_target_form_shows_the_current_target_with_a_decimal_comma(client, coordinator, national_sets):
    client.force_login(coordinator)
    response = client.get(target_url(NATIONAL_2016, "15.3"))
    assert response.status_code == 200
    assert 'value="26,7"' in response.content.decode()


def test_htmx_target_form_and_post_answer_with_the_indicator_row(client, coordinator, national_sets):
    client.force_login(coordinator)
    url = target_url(NATIONAL_2016, "4.2")
    pk = indicator(NATIONAL_2016, "4.2").pk
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert form.lstrip().startswith(f'<tr id="indicator-{pk}"')
    assert 'hx-swap="outerHTML"' in form
    row = client.post(url, {"comparison": ">=", "target": "98"}, headers={"HX-Request": "true"})
    html = row.content.decode()
    assert row.status_code == 200
    assert html.lstrip().startswith(f'<tr id="indicator-{pk}"')
    assert "≥ 98 %" in html
    assert "<html" not in html
    assert indicator(NATIONAL_2016, "4.2").target == Decimal("98")


@pytest.mark.parametrize("persona", ["dai_tu_officer", "department_officer", "leader"])
def test_only_a_coordinator_may_set_a_target_others_get_403_and_nothing_changes(
    request, client, national_sets, persona
):
    client.force_login(request.getfixturevalue(persona))
    url = target_url(NATIONAL_2016, "15.3")
    assert client.get(url).status_code == 403
    assert client.post(url, {"comparison": "<=", "target": "10"}).status_code == 403
    stunting = indicator(NATIONAL_2016, "15.3")
    assert (stunting.target, stunting.verification) == (Decimal("26.7"), Verification.CONFIRMED)
    assert stunting.history.count() == 1


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        ("15.3", "abc", "Mức yêu cầu: Nhập một số, ví dụ 26,7."),
        ("15.3", "120", "Mức yêu cầu: Tỷ lệ phần trăm không được lớn hơn 100."),
        ("15.3", "-5", "Mức yêu cầu: Không được là số âm."),
        ("10", "-5", "Mức yêu cầu: Không được là số âm."),
        ("15.3", "26,755", "Mức yêu cầu: Chỉ dùng tối đa 2 chữ số thập phân."),
    ],
)
def test_bad_target_input_shows_the_vietnamese_field_error_and_changes_nothing(
    client, coordinator, national_sets, code, typed, message
):
    client.force_login(coordinator)
    before = indicator(NATIONAL_2016, code)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            target_url(NATIONAL_2016, code), {"comparison": "<=", "target": typed}, headers=headers
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    after = indicator(NATIONAL_2016, code)
    assert (after.target, after.comparison, after.verification) == (
        before.target,
        before.comparison,
        before.verification,
    )


def test_income_may_be_above_100_because_it_is_not_a_percentage(coordinator, national_sets):
    income = indicator_set_target(
        user=coordinator, indicator=indicator(NATIONAL_2016, "10"), target=Decimal("120")
    )
    assert income.target == Decimal("120")


def test_a_coordinator_may_clear_a_target_so_the_appraiser_judges_it_again(coordinator, national_sets):
    stunting = indicator_set_target(user=coordinator, indicator=indicator(NATIONAL_2016, "15.3"), target=None)
    stunting.refresh_from_db()
    assert stunting.target is None and stunting.needs_target


def test_a_yes_no_indicator_has_no_target_to_set(client, coordinator, national_sets):
    with pytest.raises(ValidationError) as error:
        indicator_set_target(
            user=coordinator, indicator=indicator(NATIONAL_2016, "2.1"), target=Decimal("80")
        )
    assert "target" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        indicator_set_target(
            user=coordinator,
            indicator=indicator(NATIONAL_2016, "15.3"),
            target=Decimal("1"),
            comparison="achieved",
        )
    assert "comparison" in error.value.message_dict
    client.force_login(coordinator)
    response = client.post(target_url(NATIONAL_2016, "2.1"), {"comparison": ">=", "target": "80"})
    assert response.status_code == 200
    assert indicator(NATIONAL_2016, "2.1").target is None


# --- departments ---------------------------------------------------------------------


def test_coordinator_makes_a_department_responsible_for_a_criterion(client, coordinator, national_sets):
    criterion = Criterion.objects.get(criteria_set__code=NATIONAL_2026, number=2)
    construction = Agency.objects.get(code="so-xay-dung")
    client.force_login(coordinator)
    url = reverse("criterion-agency", args=[criterion.pk])
    response = client.post(url, {"agency": construction.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="criterion-{criterion.pk}-agency"' in response.content.decode()
    assert "Sở Xây dựng" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.responsible_agency == construction
    assert criterion.history.order_by("-history_date", "-history_id").first().history_user == coordinator
    assert client.get(url).status_code == 405


def test_only_a_department_may_answer_for_a_criterion(client, coordinator, national_sets):
    criterion = Criterion.objects.get(criteria_set__code=NATIONAL_2016, number=2)
    office = Agency.objects.get(code="vpdp-ntm-huyen-dai-tu")
    with pytest.raises(ValidationError) as error:
        criterion_set_responsible_agency(user=coordinator, criterion=criterion, agency=office)
    assert "agency" in error.value.message_dict
    client.force_login(coordinator)
    response = client.post(reverse("criterion-agency", args=[criterion.pk]), {"agency": office.pk})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.responsible_agency.code == "so-giao-thong-van-tai"


@pytest.mark.parametrize("persona", ["dai_tu_officer", "department_officer", "leader"])
def test_others_get_403_setting_a_department(request, client, national_sets, persona):
    criterion = Criterion.objects.get(criteria_set__code=NATIONAL_2016, number=2)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("criterion-agency", args=[criterion.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"agency": Agency.objects.get(code="so-xay-dung").pk}).status_code == 403
    criterion.refresh_from_db()
    assert criterion.responsible_agency.code == "so-giao-thong-van-tai"


# --- copying a set -------------------------------------------------------------------


def test_copying_the_2016_2020_set_into_thai_nguyen_own_set_copies_criteria_and_indicators(
    coordinator, national_sets
):
    national = national_sets[NATIONAL_2016]
    own = criteria_set_copy(
        user=coordinator,
        source=national,
        code="tn-2017-2020",
        name="Bộ tiêu chí xã nông thôn mới tỉnh Thái Nguyên giai đoạn 2017-2020",
        province=thai_nguyen(),
        decision="1282/QĐ-UBND",
        decision_date=datetime.date(2017, 5, 26),
    )
    assert (own.based_on, own.province, own.level) == (national, thai_nguyen(), national.level)
    assert own.criteria.count() == 19
    copied = Indicator.objects.filter(criterion__criteria_set=own)
    assert copied.count() == 50
    assert indicator("tn-2017-2020", "15.3").target == Decimal("26.7")
    assert indicator("tn-2017-2020", "15.3").verification == Verification.CONFIRMED
    assert copied.filter(target__isnull=True).exclude(comparison="achieved").count() == 12
    assert (
        Criterion.objects.get(criteria_set=own, number=2).responsible_agency.code == "so-giao-thong-van-tai"
    )
    assert copied.first().history.exists()

    indicator_set_target(user=coordinator, indicator=indicator("tn-2017-2020", "15.3"), target=Decimal("20"))
    indicator_set_target(user=coordinator, indicator=indicator("tn-2017-2020", "11"), target=Decimal("12"))
    assert indicator(NATIONAL_2016, "15.3").target == Decimal("26.7")
    assert indicator(NATIONAL_2016, "11").target is None


def test_copying_a_set_copies_its_commune_groups_and_group_targets(coordinator, national_sets):
    newest = national_sets[NATIONAL_2026]
    criterion = newest.criteria.get(number=3)
    income = Indicator.objects.create(
        criterion=criterion, code="3.1", name="Thu nhập", measure_type="number", unit="triệu đồng/người/năm",
        comparison=">=", target=Decimal("70"), verification=Verification.SET_BY_COORDINATOR,
    )  # fmt: skip
    IndicatorGroupTarget.objects.create(
        indicator=income, commune_group=newest.commune_groups.get(code="nhom-3"), target=Decimal("55.5")
    )
    own = criteria_set_copy(
        user=coordinator, source=newest, code="tn-2026-2030", name="Bộ tiêu chí tỉnh", province=thai_nguyen()
    )
    assert sorted(own.commune_groups.values_list("code", flat=True)) == ["nhom-1", "nhom-2", "nhom-3"]
    target = IndicatorGroupTarget.objects.get(indicator__criterion__criteria_set=own)
    assert (target.indicator.code, target.commune_group.criteria_set, target.target) == (
        "3.1",
        own,
        Decimal("55.5"),
    )


def test_a_copy_with_a_used_code_is_refused_naming_the_code_field(client, coordinator, national_sets):
    with pytest.raises(ValidationError) as error:
        criteria_set_copy(
            user=coordinator,
            source=national_sets[NATIONAL_2016],
            code=NATIONAL_2021,
            name="Bản sao",
            province=thai_nguyen(),
        )
    assert list(error.value.message_dict) == ["code"]
    client.force_login(coordinator)
    response = client.post(
        reverse("criteria-set-copy", args=[NATIONAL_2016]),
        {"code": NATIONAL_2021, "name": "Bản sao", "province": thai_nguyen().pk},
    )
    assert response.status_code == 200
    assert "Mã: Đã có bộ tiêu chí với mã này." in response.content.decode()
    assert CriteriaSet.objects.count() == 4


def test_coordinator_copies_a_set_through_its_page(client, coordinator, national_sets):
    client.force_login(coordinator)
    url = reverse("criteria-set-copy", args=[NATIONAL_2016])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "tn-2017-2020",
            "name": "Bộ tiêu chí tỉnh Thái Nguyên 2017-2020",
            "province": thai_nguyen().pk,
            "decision": "1282/QĐ-UBND",
            "decision_date": "26/05/2017",
        },
    )
    assert response.status_code == 302
    assert response.url == detail_url("tn-2017-2020")
    own = CriteriaSet.objects.get(code="tn-2017-2020")
    assert own.decision_date == datetime.date(2017, 5, 26)
    assert own.history.first().history_user == coordinator


@pytest.mark.parametrize("persona", ["dai_tu_officer", "department_officer", "leader"])
def test_others_get_403_copying_a_set(request, client, national_sets, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("criteria-set-copy", args=[NATIONAL_2016])
    assert client.get(url).status_code == 403
    assert client.post(url, {"code": "x", "name": "x", "province": thai_nguyen().pk}).status_code == 403
    assert CriteriaSet.objects.count() == 4


def test_a_copy_with_a_short_name_or_a_future_decision_date_is_refused(coordinator, national_sets):
    with pytest.raises(ValidationError) as error:
        criteria_set_copy(
            user=coordinator,
            source=national_sets[NATIONAL_2016],
            code="tn-x",
            name=" Bộ  TN ",  # "Bộ TN": 5 characters once the spaces are normalised
            province=thai_nguyen(),
            decision_date=datetime.date(2026, 12, 1),  # today is 30/11/2026
        )
    assert sorted(error.value.message_dict) == ["decision_date"]
    with pytest.raises(ValidationError) as error:
        criteria_set_copy(
            user=coordinator,
            source=national_sets[NATIONAL_2016],
            code="tn-x",
            name=" Bộ ",
            province=thai_nguyen(),
        )
    assert sorted(error.value.message_dict) == ["name"]
    assert not CriteriaSet.objects.filter(code="tn-x").exists()
    # Today and a five-character name are fine.
    own = criteria_set_copy(
        user=coordinator,
        source=national_sets[NATIONAL_2016],
        code="tn-x",
        name="Bộ TN",
        province=thai_nguyen(),
        decision_date=datetime.date(2026, 11, 30),
    )
    assert own.decision_date == datetime.date(2026, 11, 30)


def test_the_copy_page_names_a_short_name_and_a_future_date_in_vietnamese(client, coordinator, national_sets):
    client.force_login(coordinator)
    response = client.post(
        reverse("criteria-set-copy", args=[NATIONAL_2016]),
        {"code": "tn-x", "name": "TN", "province": thai_nguyen().pk, "decision_date": "01/12/2026"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên: Tên bộ tiêu chí phải có ít nhất 5 ký tự." in page
    assert "Ngày quyết định: Ngày quyết định không được sau ngày hôm nay (30/11/2026)." in page
    assert not CriteriaSet.objects.filter(code="tn-x").exists()


# --- reporting periods ---------------------------------------------------------------


def test_periods_ensure_creates_the_three_periods_of_2020_with_default_deadlines(db):
    periods = periods_ensure(year=2020)
    assert [period.code for period in periods] == ["2020-h1", "2020-h2", "2020"]
    first_half, second_half, whole_year = periods
    assert (first_half.start, first_half.end) == (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
    assert first_half.submission_deadline == datetime.date(2020, 7, 15)
    assert first_half.lock_date == datetime.date(2020, 8, 14)
    assert (second_half.submission_deadline, second_half.lock_date) == (
        datetime.date(2021, 1, 15),
        datetime.date(2021, 2, 14),
    )
    assert (whole_year.kind, whole_year.start, whole_year.end) == (
        "year",
        datetime.date(2020, 1, 1),
        datetime.date(2020, 12, 31),
    )
    assert [period.name for period in periods] == [
        "6 tháng đầu năm 2020",
        "6 tháng cuối năm 2020",
        "Năm 2020",
    ]


def test_periods_ensure_a_second_time_creates_nothing_and_keeps_edited_dates(db):
    first_half = periods_ensure(year=2020)[0]
    first_half.submission_deadline = datetime.date(2020, 7, 20)
    first_half.save()
    periods_ensure(year=2020)
    assert ReportingPeriod.objects.count() == 3
    assert ReportingPeriod.objects.get(code="2020-h1").submission_deadline == datetime.date(2020, 7, 20)


def test_create_periods_command_makes_the_periods_of_each_year(db):
    call_command("create_periods", "--year", "2019", "--year", "2020", verbosity=0)
    call_command("create_periods", "--year", "2020", verbosity=0)
    assert sorted(ReportingPeriod.objects.values_list("code", flat=True)) == [
        "2019",
        "2019-h1",
        "2019-h2",
        "2020",
        "2020-h1",
        "2020-h2",
    ]


def test_a_year_out_of_range_is_refused(db):
    with pytest.raises(ValidationError) as error:
        periods_ensure(year=20)
    assert "year" in error.value.message_dict


# --- pages ---------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_catalogue_and_anonymous_is_sent_to_login(
    client, dai_tu_officer, national_sets
):
    for url in (reverse("criteria-set-list"), detail_url(NATIONAL_2016)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(dai_tu_officer)
    listing = client.get(reverse("criteria-set-list")).content.decode()
    assert "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016-2020" in listing
    assert "Sao chép cho tỉnh" not in listing
    page = client.get(detail_url(NATIONAL_2016)).content.decode()
    assert "Sở Giao thông vận tải" in page
    assert "≥ 36 triệu đồng/người/năm" in page
    assert "Đặt mức yêu cầu" not in page


def test_unknown_set_indicator_or_criterion_is_404(client, coordinator, national_sets):
    client.force_login(coordinator)
    assert client.get(detail_url("no-such-set")).status_code == 404
    assert client.get(reverse("criteria-set-copy", args=["no-such-set"])).status_code == 404
    assert client.get(reverse("indicator-target", args=[999999])).status_code == 404
    assert client.post(reverse("criterion-agency", args=[999999]), {"agency": 1}).status_code == 404


def test_the_2026_2030_page_shows_its_commune_groups_and_criteria_without_indicators(
    client, leader, national_sets
):
    client.force_login(leader)
    page = client.get(detail_url(NATIONAL_2026)).content.decode()
    assert page.count('data-testid="no-indicators"') == 10
    assert "Nhóm 3" in page and "Xã khu vực II và khu vực III" in page


def test_set_list_and_detail_answer_in_a_bounded_number_of_queries(
    client, coordinator, national_sets, django_assert_max_num_queries
):
    client.force_login(coordinator)
    bound = 14  # session, user, roles, the base template's own, and 5 for the set page

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    with django_assert_max_num_queries(bound):
        assert client.get(reverse("criteria-set-list")).status_code == 200
    with django_assert_max_num_queries(bound):
        assert client.get(detail_url(NATIONAL_2016)).status_code == 200
    before = (queries(reverse("criteria-set-list")), queries(detail_url(NATIONAL_2016)))
    # Three times as many indicators, and a provincial copy: the same number of queries.
    criterion = Criterion.objects.get(criteria_set__code=NATIONAL_2016, number=17)
    Indicator.objects.bulk_create(
        Indicator(
            criterion=criterion, code=f"17.{n}x", name=f"Chỉ tiêu {n}", measure_type="percent", unit="%",
            comparison=">=", verification=Verification.UNVERIFIED, position=100 + n,
        )
        for n in range(100)
    )  # fmt: skip
    criteria_set_copy(
        user=coordinator,
        source=national_sets[NATIONAL_2016],
        code="tn-2017-2020",
        name="Bộ tiêu chí TN",
        province=thai_nguyen(),
    )
    assert (queries(reverse("criteria-set-list")), queries(detail_url(NATIONAL_2016))) == before
    assert max(before) <= bound
    page = client.get(detail_url(NATIONAL_2016)).content.decode()
    assert "112 chỉ tiêu chưa có mức yêu cầu" in page


# --- pure helpers --------------------------------------------------------------------


def test_targets_show_without_trailing_zeros():
    assert str(trim_decimal(Decimal("26.70"))) == "26.7"
    assert str(trim_decimal(Decimal("36.00"))) == "36"
    assert str(trim_decimal(Decimal("100.00"))) == "100"
    assert trim_decimal(None) is None
    assert (comparison_symbol(">="), comparison_symbol("<="), comparison_symbol("achieved")) == ("≥", "≤", "")


def test_year_periods_count_deadlines_from_the_last_day():
    first_half, second_half, whole_year = year_periods(2024)
    assert first_half.submission_deadline == datetime.date(2024, 7, 15)
    assert second_half.lock_date == datetime.date(2025, 2, 14)
    assert whole_year.code == "2024"
