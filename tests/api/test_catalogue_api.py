"""The REST API of the criteria catalogue, the reporting periods, the recognitions and the
overview: whole payloads, filters (and their bad values), the coordinator's writes through
the pages' services, and lists whose number of queries does not grow with the page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Agency, ApiToken
from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from core.text import fold
from criteria.models import (
    CommuneGroup,
    CriteriaSet,
    Indicator,
    IndicatorGroupTarget,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
    Verification,
)
from criteria.selectors.overview import approved_coverage
from tests.conftest import VN, unit
from tests.criteria import conftest as criteria_fixtures
from tests.criteria import test_catalogue, test_overview
from tests.criteria.test_catalogue import NATIONAL_2016, UNKNOWN_2016
from tests.criteria.test_overview import make_period, recognise, xa_of

# The criteria tests' fixtures, reused: a small set and the 2020-H1 period, the national
# sets (load_missing), and the overview's hand-computed dataset (see its module docstring).
small_set = criteria_fixtures.small_set
period = criteria_fixtures.period
national_sets = test_catalogue.national_sets
data = test_overview.data

pytestmark = pytest.mark.django_db

D = datetime.date


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error_fields(response) -> list:
    return [error["field"] for error in response.json()["errors"]]


@pytest.fixture
def grouped_set(small_set):
    """The small set with one commune group, and indicator 1.2 at 70 % for that group."""
    group = CommuneGroup.objects.create(
        criteria_set=small_set, code="nhom-1", name="Nhóm 1", description="Xã liền kề đô thị."
    )
    IndicatorGroupTarget.objects.create(
        indicator=small_set.criteria.get(number=1).indicators.get(code="1.2"),
        commune_group=group,
        target=Decimal("70"),
    )
    return small_set


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def indicator_payload(indicator: Indicator, **changes) -> dict:
    """The expected payload of one of the small set's indicators."""
    payload = {
        "id": indicator.pk,
        "criterion_id": indicator.criterion_id,
        "criteria_set_id": indicator.criterion.criteria_set_id,
        "code": indicator.code,
        "name": indicator.name,
        "measure_type": indicator.measure_type,
        "unit": "",
        "comparison": indicator.comparison,
        "target": None if indicator.target is None else f"{indicator.target:.2f}",
        "needs_target": indicator.needs_target,
        "verification": indicator.verification,
        "source": "",
        "position": 0,
        "group_targets": [],
    }
    return payload | changes


# --- the catalogue ---------------------------------------------------------------------


def test_a_criteria_set_answers_with_its_commune_groups_criteria_indicators_and_targets(grouped_set, leader):
    cs = grouped_set
    group = cs.commune_groups.get()
    c1, c2 = cs.criteria.order_by("number")
    i11, i12 = c1.indicators.order_by("code")
    i21, i22 = c2.indicators.order_by("code")
    transport, health = agency("so-giao-thong-van-tai"), agency("so-y-te")
    response = as_user(leader).get(f"/api/v1/criteria-sets/{cs.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": cs.pk,
        "code": "test-set",
        "name": "Bộ thử",
        "level": "standard",
        "decision": "",
        "decision_date": None,
        "effective_from": None,
        "effective_until": None,
        "region": "",
        "based_on_id": None,
        "province_id": None,
        "notes": "",
        "criterion_count": 2,
        "indicator_count": 4,
        "missing_target_count": 1,
        "empty_criterion_count": 0,
        "commune_groups": [
            {"id": group.pk, "code": "nhom-1", "name": "Nhóm 1", "description": "Xã liền kề đô thị."}
        ],
        "criteria": [
            {
                "id": c1.pk,
                "criteria_set_id": cs.pk,
                "number": 1,
                "name": "Giao thông",
                "group": "",
                "responsible_agency_id": transport.pk,
                "responsible_agency": transport.name,
                "indicators": [
                    indicator_payload(i11, target=None, needs_target=False),
                    indicator_payload(
                        i12,
                        target="85.00",
                        group_targets=[
                            {
                                "commune_group_id": group.pk,
                                "commune_group_code": "nhom-1",
                                "commune_group": "Nhóm 1",
                                "target": "70.00",
                            }
                        ],
                    ),
                ],
            },
            {
                "id": c2.pk,
                "criteria_set_id": cs.pk,
                "number": 2,
                "name": "Y tế",
                "group": "",
                "responsible_agency_id": health.pk,
                "responsible_agency": health.name,
                "indicators": [
                    indicator_payload(i21, target="26.70"),
                    # The source gave no target: null, judged by the appraiser until set.
                    indicator_payload(i22, target=None, needs_target=True),
                ],
            },
        ],
    }
    assert response["ETag"].startswith('"')


def test_the_list_of_sets_has_the_counts_without_the_criteria(grouped_set, leader):
    body = as_user(leader).get("/api/v1/criteria-sets/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert "criteria" not in row
    assert (row["code"], row["criterion_count"], row["indicator_count"], row["missing_target_count"]) == (
        "test-set",
        2,
        4,
        1,
    )


def test_a_criterion_answers_with_its_indicators(grouped_set, commune_officer):
    criterion = grouped_set.criteria.get(number=2)
    i21, i22 = criterion.indicators.order_by("code")
    health = agency("so-y-te")
    response = as_user(commune_officer).get(f"/api/v1/criteria/{criterion.pk}/")
    assert response.json() == {
        "id": criterion.pk,
        "criteria_set_id": grouped_set.pk,
        "number": 2,
        "name": "Y tế",
        "group": "",
        "responsible_agency_id": health.pk,
        "responsible_agency": health.name,
        "indicators": [
            indicator_payload(i21, target="26.70"),
            indicator_payload(i22, target=None, needs_target=True),
        ],
    }


def test_an_indicator_answers_with_its_targets_by_commune_group(grouped_set, department_officer):
    indicator = Indicator.objects.get(criterion__criteria_set=grouped_set, code="1.2")
    group = grouped_set.commune_groups.get()
    response = as_user(department_officer).get(f"/api/v1/indicators/{indicator.pk}/")
    assert response.json() == {
        "id": indicator.pk,
        "criterion_id": indicator.criterion_id,
        "criteria_set_id": grouped_set.pk,
        "code": "1.2",
        "name": "Tỷ lệ cứng hóa",
        "measure_type": "percent",
        "unit": "",
        "comparison": ">=",
        "target": "85.00",
        "needs_target": False,
        "verification": "confirmed",
        "source": "",
        "position": 0,
        "group_targets": [
            {
                "commune_group_id": group.pk,
                "commune_group_code": "nhom-1",
                "commune_group": "Nhóm 1",
                "target": "70.00",
            }
        ],
    }


def test_the_unknown_targets_of_the_2016_2020_set_are_null_and_flagged(national_sets, leader):
    cs = national_sets[NATIONAL_2016]
    body = (
        as_user(leader)
        .get("/api/v1/indicators/", {"criteria_set": cs.pk, "needs_target": "true", "page_size": 100})
        .json()
    )
    assert {row["code"] for row in body["results"]} == UNKNOWN_2016
    assert {row["target"] for row in body["results"]} == {None}
    known = as_user(leader).get("/api/v1/indicators/", {"criteria_set": cs.pk, "code": "17.1a"}).json()
    assert [(row["target"], row["needs_target"]) for row in known["results"]] == [("50.00", False)]


def test_catalogue_filters_and_search(national_sets, leader):
    api = as_user(leader)
    cs = national_sets[NATIONAL_2016]
    criteria = api.get("/api/v1/criteria/", {"criteria_set": cs.pk, "page_size": 100}).json()
    assert criteria["count"] == 19
    assert [row["number"] for row in criteria["results"]] == list(range(1, 20))
    transport = agency("so-giao-thong-van-tai")
    mine = api.get("/api/v1/criteria/", {"criteria_set": cs.pk, "responsible_agency": transport.pk}).json()
    assert mine["count"] >= 1 and {row["responsible_agency_id"] for row in mine["results"]} == {transport.pk}
    number = api.get("/api/v1/criteria/", {"criteria_set": cs.pk, "number": 17}).json()["results"]
    indicator_codes = [row["code"] for row in number[0]["indicators"]]
    assert indicator_codes[:2] == ["17.1", "17.1a"]
    criterion_17 = number[0]["id"]
    by_criterion = api.get("/api/v1/indicators/", {"criterion": criterion_17}).json()
    assert [row["code"] for row in by_criterion["results"]] == indicator_codes
    # Accent-insensitive search on the name.
    found = api.get("/api/v1/criteria/", {"criteria_set": cs.pk, "search": "giao thong"}).json()
    assert [row["number"] for row in found["results"]] == [2]
    sets = api.get("/api/v1/criteria-sets/", {"search": "2016-2020"}).json()["results"]
    assert [row["code"] for row in sets] == [NATIONAL_2016]
    in_force = api.get("/api/v1/criteria-sets/", {"in_force_on": "2018-05-01"}).json()["results"]
    assert [row["code"] for row in in_force] == [NATIONAL_2016]
    # Ordering names only offered fields, in either direction, the id breaking ties.
    descending = api.get("/api/v1/criteria/", {"criteria_set": cs.pk, "ordering": "-number"}).json()
    assert descending["results"][0]["number"] == 19


def test_updated_since_counts_a_change_of_an_indicator_as_a_change_of_its_criterion_and_set(
    grouped_set, national_sets, coordinator, frozen_time
):
    api = as_user(coordinator)
    since = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=VN).isoformat()
    assert api.get("/api/v1/criteria-sets/", {"updated_since": since}).json()["count"] == 0
    frozen_time.shift(datetime.timedelta(hours=1))
    indicator = Indicator.objects.get(criterion__criteria_set=grouped_set, code="2.2")
    assert api.patch(f"/api/v1/indicators/{indicator.pk}/", {"target": "3"}, format="json").status_code == 200

    def changed(url):
        return [row["id"] for row in api.get(url, {"updated_since": since}).json()["results"]]

    assert changed("/api/v1/criteria-sets/") == [grouped_set.pk]
    assert changed("/api/v1/criteria/") == [indicator.criterion_id]
    assert changed("/api/v1/indicators/") == [indicator.pk]
    group_target = IndicatorGroupTarget.objects.get(indicator__criterion__criteria_set=grouped_set)
    group_target.target = Decimal("71")
    group_target.save()
    assert changed("/api/v1/indicators/") == sorted([indicator.pk, group_target.indicator_id])


@pytest.mark.parametrize(
    ("url", "query", "parameter"),
    [
        ("/api/v1/criteria-sets/", {"level": "planet"}, "level"),
        ("/api/v1/criteria-sets/", {"in_force_on": "30/02/2020"}, "in_force_on"),
        ("/api/v1/criteria-sets/", {"based_on": "abc"}, "based_on"),
        ("/api/v1/criteria-sets/", {"ordering": "notes"}, "ordering"),
        ("/api/v1/criteria/", {"criteria_set": "x"}, "criteria_set"),
        ("/api/v1/criteria/", {"number": "2.5"}, "number"),
        ("/api/v1/criteria/", {"updated_since": "hôm qua"}, "updated_since"),
        ("/api/v1/indicators/", {"needs_target": "maybe"}, "needs_target"),
        ("/api/v1/indicators/", {"measure_type": "weight"}, "measure_type"),
        ("/api/v1/indicators/", {"ordering": "-source"}, "ordering"),
        ("/api/v1/periods/", {"year": "2020.5"}, "year"),
        ("/api/v1/periods/", {"year": "0"}, "year"),
        ("/api/v1/periods/", {"kind": "quarter"}, "kind"),
        ("/api/v1/periods/", {"locked": "perhaps"}, "locked"),
        ("/api/v1/periods/", {"on": "yesterday"}, "on"),
        ("/api/v1/periods/", {"page": "0"}, "page"),
        ("/api/v1/recognitions/", {"level": "gold"}, "level"),
        ("/api/v1/recognitions/", {"decided_after": "2020-13-01"}, "decided_after"),
        ("/api/v1/recognitions/", {"year": "99999"}, "year"),
        ("/api/v1/recognitions/", {"unit": "one"}, "unit"),
        ("/api/v1/recognitions/", {"within": "one"}, "within"),
        ("/api/v1/recognitions/", {"is_demo": "yes please"}, "is_demo"),
        ("/api/v1/recognitions/", {"page_size": "-1"}, "page_size"),
    ],
)
def test_a_bad_filter_is_400_naming_the_parameter(leader, url, query, parameter):
    response = as_user(leader).get(url, query)
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "invalid_page")
    assert error_fields(response) == [parameter]
    assert not response.json()["errors"][0]["detail"].isascii()  # in Vietnamese


# --- the coordinator's changes to the catalogue -----------------------------------------------


def test_a_coordinator_sets_an_unknown_target_through_the_api_and_it_is_in_the_history(
    grouped_set, issue_token, bearer
):
    indicator = Indicator.objects.get(criterion__criteria_set=grouped_set, code="2.2")
    group = grouped_set.commune_groups.get()
    key = issue_token("vpdp-ntm-tinh")
    api = bearer(key)
    url = f"/api/v1/indicators/{indicator.pk}/"
    response = api.patch(
        url, {"target": "12.5", "comparison": "<=", "group_targets": {str(group.pk): 10}}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == indicator_payload(
        indicator,
        target="12.50",
        comparison="<=",
        needs_target=False,
        verification=Verification.SET_BY_COORDINATOR,
        group_targets=[
            {
                "commune_group_id": group.pk,
                "commune_group_code": "nhom-1",
                "commune_group": "Nhóm 1",
                "target": "10.00",
            }
        ],
    )
    assert response["ETag"] == api.get(url)["ETag"]
    indicator.refresh_from_db()
    assert (indicator.target, indicator.comparison) == (Decimal("12.5"), "<=")
    token_user = ApiToken.objects.get(prefix=key.split("_")[1]).user
    assert indicator.history.order_by("-history_id").first().history_user == token_user
    # Clearing it: the appraiser judges it again.
    cleared = api.patch(url, {"target": None}, format="json").json()
    assert (cleared["target"], cleared["needs_target"], cleared["comparison"]) == (None, True, "<=")


def test_a_bad_target_is_400_naming_the_field_and_changes_nothing(grouped_set, coordinator):
    api = as_user(coordinator)
    percent = Indicator.objects.get(criterion__criteria_set=grouped_set, code="1.2")
    yes_no = Indicator.objects.get(criterion__criteria_set=grouped_set, code="1.1")
    group = grouped_set.commune_groups.get()
    url = f"/api/v1/indicators/{percent.pk}/"
    cases = [
        ({"target": "120"}, ["target"]),  # a percentage over 100 (the service's rule)
        ({"target": "-1"}, ["target"]),
        ({"target": "1.234"}, ["target"]),
        ({"target": "85,5"}, ["target"]),  # JSON takes a decimal point
        ({"target": True}, ["target"]),
        ({"comparison": "achieved"}, ["comparison"]),
        ({"group_targets": {str(group.pk): "101"}}, [f"group_targets.{group.pk}"]),
        ({"group_targets": {"999999": "5"}}, ["group_targets.999999"]),
        ({"group_targets": {"nhom-1": "5"}}, ["group_targets"]),
        ({"group_targets": ["5"]}, ["group_targets"]),
        ({"name": "Đổi tên"}, ["name"]),
        ({}, [None]),
        (["85"], [None]),
    ]
    for body, fields in cases:
        response = api.patch(url, body, format="json")
        assert response.status_code == 400, body
        assert error_fields(response) == fields, body
    percent.refresh_from_db()
    assert (percent.target, percent.verification) == (Decimal("85.00"), "confirmed")
    assert IndicatorGroupTarget.objects.get(indicator=percent).target == Decimal("70")
    boolean = api.patch(f"/api/v1/indicators/{yes_no.pk}/", {"target": "5"}, format="json")
    assert (boolean.status_code, error_fields(boolean)) == (400, ["target"])
    assert "Đạt" in boolean.json()["errors"][0]["detail"]


def test_a_stale_if_match_is_412_and_the_current_etag_writes(grouped_set, coordinator):
    api = as_user(coordinator)
    indicator = Indicator.objects.get(criterion__criteria_set=grouped_set, code="2.1")
    url = f"/api/v1/indicators/{indicator.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"target": "25"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api.patch(url, {"target": "24"}, format="json", HTTP_IF_MATCH=etag)
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    indicator.refresh_from_db()
    assert indicator.target == Decimal("25")
    current = api.get(url)["ETag"]
    assert api.patch(url, {"target": "24"}, format="json", HTTP_IF_MATCH=current).json()["target"] == "24.00"


def test_a_coordinator_makes_a_department_answer_for_a_criterion(grouped_set, coordinator):
    api = as_user(coordinator)
    criterion = grouped_set.criteria.get(number=2)
    url = f"/api/v1/criteria/{criterion.pk}/"
    finance = agency("so-tai-chinh")
    response = api.patch(url, {"responsible_agency_id": finance.pk}, format="json")
    assert response.status_code == 200
    assert (response.json()["responsible_agency_id"], response.json()["responsible_agency"]) == (
        finance.pk,
        finance.name,
    )
    not_a_department = api.patch(url, {"responsible_agency_id": agency("ubnd-tinh").pk}, format="json")
    assert (not_a_department.status_code, error_fields(not_a_department)) == (400, ["responsible_agency_id"])
    unknown = api.patch(url, {"responsible_agency_id": 999999}, format="json")
    assert (unknown.status_code, error_fields(unknown)) == (400, ["responsible_agency_id"])
    criterion.refresh_from_db()
    assert criterion.responsible_agency == finance
    stale = api.patch(url, {"responsible_agency_id": finance.pk}, format="json", HTTP_IF_MATCH='"old"')
    assert stale.status_code == 412


def test_a_coordinator_copies_a_set_into_the_provinces_own(grouped_set, coordinator):
    api = as_user(coordinator)
    province = AdministrativeUnit.objects.get(code="19", level=UnitLevel.PROVINCE)
    body = {"code": "tn-thu", "name": "Bộ tiêu chí Thái Nguyên", "province_id": province.pk}
    response = api.post(f"/api/v1/criteria-sets/{grouped_set.pk}/copy/", body, format="json")
    assert response.status_code == 201, response.json()
    copy = CriteriaSet.objects.get(code="tn-thu")
    payload = response.json()
    assert {key: payload[key] for key in ("id", "code", "based_on_id", "province_id", "criterion_count")} == {
        "id": copy.pk,
        "code": "tn-thu",
        "based_on_id": grouped_set.pk,
        "province_id": province.pk,
        "criterion_count": 2,
    }
    assert payload == api.get(f"/api/v1/criteria-sets/{copy.pk}/").json()
    again = api.post(f"/api/v1/criteria-sets/{grouped_set.pk}/copy/", body, format="json")
    assert (again.status_code, error_fields(again)) == (400, ["code"])
    district = unit("171")
    bad = api.post(
        f"/api/v1/criteria-sets/{grouped_set.pk}/copy/",
        {"code": "tn-2", "name": "Ngắn", "province_id": district.pk, "decision_date": "2027-01-01"},
        format="json",
    )
    assert bad.status_code == 400
    assert sorted(error_fields(bad)) == ["decision_date", "name", "province_id"]
    nowhere = api.post(
        f"/api/v1/criteria-sets/{grouped_set.pk}/copy/",
        {"code": "tn-3", "name": "Bộ tiêu chí", "province_id": 999999},
        format="json",
    )
    assert (nowhere.status_code, error_fields(nowhere)) == (400, ["province_id"])
    assert CriteriaSet.objects.count() == 2


# --- periods ---------------------------------------------------------------------------


def test_a_period_answers_with_its_deadline_lock_date_and_whether_it_is_locked(period, leader):
    response = as_user(leader).get(f"/api/v1/periods/{period.pk}/")
    assert response.json() == {
        "id": period.pk,
        "code": "2020-h1",
        "name": "6 tháng đầu năm 2020",
        "kind": "half_year",
        "start": "2020-01-01",
        "end": "2020-06-30",
        "submission_deadline": "2020-07-15",
        "lock_date": "2020-08-14",
        "is_locked": True,
    }


def test_period_filters(leader):
    make_period("2020-h1", D(2020, 1, 1), D(2020, 6, 30))
    make_period("2026-h2", D(2026, 7, 1), D(2026, 12, 31))  # locks on 14/02/2027
    ReportingPeriod.objects.create(
        code="2026", name="Năm 2026", kind="year", start=D(2026, 1, 1), end=D(2026, 12, 31),
        submission_deadline=D(2027, 1, 15), lock_date=D(2027, 2, 14),
    )  # fmt: skip
    api = as_user(leader)

    def codes(**query):
        return [row["code"] for row in api.get("/api/v1/periods/", query).json()["results"]]

    assert codes() == ["2026-h2", "2026", "2020-h1"]  # the newest first, as the pages list them
    assert codes(year=2026) == ["2026-h2", "2026"]
    assert codes(kind="year") == ["2026"]
    assert codes(locked="true") == ["2020-h1"]
    assert codes(locked="false", ordering="start") == ["2026", "2026-h2"]
    assert codes(on="2026-03-01") == ["2026"]
    assert codes(search="nam 2026") == ["2026"]


# --- the overview ----------------------------------------------------------------------


def _ref(unit_):
    return {"id": unit_.pk, "code": unit_.code, "name": unit_.name}


def _figures(assessed, meeting, recognised, total, average):
    return {
        "assessed": assessed,
        "meeting_standard": meeting,
        "recognised": recognised,
        "criteria_met_total": total,
        "average": average,
        "under_low": assessed,
        "under_high": assessed,
    }


def test_the_overview_of_a_period_as_the_overview_page_counts_it(data, leader):
    period, test3, c = data["period"], data["set"], data["communes"]
    dai_tu, phu_binh = unit("171"), unit("173")
    transport, agriculture = agency("so-giao-thong-van-tai"), agency("so-nong-nghiep-ptnt")
    criteria = list(test3.criteria.order_by("number"))
    coverage = approved_coverage(visible=leader.unit_scope(), period=period, criteria_set=test3)
    response = as_user(leader).get(f"/api/v1/periods/{period.pk}/overview/", {"criteria_set": test3.pk})
    assert response.status_code == 200
    by_name = sorted([c["b"], c["c"]], key=lambda u: fold(u.name))
    assert response.json() == {
        "period": {"id": period.pk, "code": "2020-h1", "name": "2020-h1"},
        "criteria_set": {"id": test3.pk, "code": "test-3", "name": "Set test-3"},
        "criteria_total": 3,
        "coverage": {"approved": 5, "total": coverage.total},
        "under_low_threshold": 10,
        "under_high_threshold": 15,
        "totals": _figures(5, 2, 3, 11, "2.20"),
        "distribution": [
            {"criteria_met": 1, "communes": 1},
            {"criteria_met": 2, "communes": 2},
            {"criteria_met": 3, "communes": 2},
        ],
        "districts": [
            {"district_id": dai_tu.pk, "district_code": "171", "district_name": dai_tu.name}
            | _figures(3, 1, 3, 6, "2.00"),
            {"district_id": phu_binh.pk, "district_code": "173", "district_name": phu_binh.name}
            | _figures(2, 1, 0, 5, "2.50"),
        ],
        "criteria": [
            {
                "criterion_id": criteria[0].pk,
                "number": 1,
                "name": "Criterion 1",
                "responsible_agency_id": transport.pk,
                "met": 4,
                "not_met": 1,
                "assessed": 5,
                "percent": "80.0",
            },
            {
                "criterion_id": criteria[1].pk,
                "number": 2,
                "name": "Criterion 2",
                "responsible_agency_id": agriculture.pk,
                "met": 4,
                "not_met": 1,
                "assessed": 5,
                "percent": "80.0",
            },
            {
                "criterion_id": criteria[2].pk,
                "number": 3,
                "name": "Criterion 3",
                "responsible_agency_id": transport.pk,
                "met": 3,
                "not_met": 2,
                "assessed": 5,
                "percent": "60.0",
            },
        ],
        "departments": [
            {
                "agency_id": transport.pk,
                "agency_name": transport.name,
                "commune_count": 3,
                "unmet": [
                    {"criterion_id": criteria[0].pk, "number": 1, "communes": [_ref(c["e"])]},
                    {"criterion_id": criteria[2].pk, "number": 3, "communes": [_ref(u) for u in by_name]},
                ],
            },
            {
                "agency_id": agriculture.pk,
                "agency_name": agriculture.name,
                "commune_count": 1,
                "unmet": [{"criterion_id": criteria[1].pk, "number": 2, "communes": [_ref(c["c"])]}],
            },
        ],
        "districts_without_model": [_ref(phu_binh)],
        "districts_in_force": 2,
        "has_demo": False,
        "mergers": None,
        # A (2015), B and C at the standard; E advanced (2019); A model (2019: D's of
        # 08/2020 comes after the period); no hamlet.
        "recognised_by_level": {"standard": 3, "advanced": 1, "model": 1, "model_hamlet": 0},
    }


def test_a_district_officer_gets_the_overview_of_their_district_only(data, dai_tu_officer):
    period = data["period"]
    # No criteria_set: the set most approved assessments of the period use, as the page.
    body = as_user(dai_tu_officer).get(f"/api/v1/periods/{period.pk}/overview/").json()
    assert body["criteria_set"]["code"] == "test-3"
    assert body["totals"] == _figures(3, 1, 3, 6, "2.00")
    assert [row["district_code"] for row in body["districts"]] == ["171"]
    assert body["coverage"]["approved"] == 3
    assert body["districts_without_model"] == [] and body["districts_in_force"] == 1
    communes = {
        commune["id"] for row in body["departments"] for item in row["unmet"] for commune in item["communes"]
    }
    assert communes == {data["communes"]["b"].pk, data["communes"]["c"].pk}


def test_an_overview_with_nothing_assessed_has_null_averages(data, other_commune_officer):
    body = (
        as_user(other_commune_officer)
        .get(f"/api/v1/periods/{data['period'].pk}/overview/", {"criteria_set": data["set"].pk})
        .json()
    )
    assert body["totals"] == _figures(0, 0, 0, 0, None)
    assert [row["percent"] for row in body["criteria"]] == [None, None, None]
    assert body["districts"] == [] and body["departments"] == []


def test_a_bad_or_unknown_criteria_set_of_the_overview_is_400(data, leader):
    url = f"/api/v1/periods/{data['period'].pk}/overview/"
    for value in ("abc", "0", "999999"):
        response = as_user(leader).get(url, {"criteria_set": value})
        assert (response.status_code, error_fields(response)) == (400, ["criteria_set"]), value
    assert as_user(leader).get("/api/v1/periods/999999/overview/").status_code == 404


def test_an_overview_after_the_reform_has_the_roll_up_of_merged_communes(leader):
    period = make_period("2026-h1", D(2026, 1, 1), D(2026, 6, 30))
    criteria_set = CriteriaSet.objects.create(code="set-2026", name="Bộ 2026", level="standard")
    body = (
        as_user(leader)
        .get(f"/api/v1/periods/{period.pk}/overview/", {"criteria_set": criteria_set.pk})
        .json()
    )
    mergers = body["mergers"]
    assert set(mergers) == {"communes", "former_communes", "recognised", "has_demo", "rows"}
    assert mergers["communes"] == len(mergers["rows"]) > 0
    row = mergers["rows"][0]
    assert set(row) == {"unit", "formed_from", "recognised", "by_level"}
    assert [level["level"] for level in row["by_level"]] == ["standard", "advanced", "model"]


# --- recognitions ----------------------------------------------------------------------


def test_a_recognition_answers_with_its_unit_decision_and_set(small_set, dai_tu_officer):
    commune = xa_of("171")[0]
    recognition = Recognition.objects.create(
        unit=commune,
        level=RecognitionLevel.STANDARD,
        criteria_set=small_set,
        decision_number="1234/QĐ-UBND",
        decision_date=D(2019, 12, 20),
        signer="Chủ tịch UBND tỉnh",
    )
    response = as_user(dai_tu_officer).get(f"/api/v1/recognitions/{recognition.pk}/")
    assert response.json() == {
        "id": recognition.pk,
        "unit_id": commune.pk,
        "unit_code": commune.code,
        "unit_name": commune.name,
        "parent_id": commune.parent_id,
        "parent_name": "Huyện Đại Từ",
        "level": "standard",
        "criteria_set_id": small_set.pk,
        "criteria_set_code": "test-set",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": "2019-12-20",
        "signer": "Chủ tịch UBND tỉnh",
        "is_demo": False,
    }


def test_recognition_filters_and_scope(data, dai_tu_officer, leader):
    api = as_user(leader)
    c, older = data["communes"], data["older"]

    def decisions(client=api, **query):
        rows = client.get("/api/v1/recognitions/", query).json()["results"]
        return [(row["unit_id"], row["level"], row["decision_date"]) for row in rows]

    assert len(decisions()) == 7
    # Newest decision first, as the recognition page lists them.
    assert decisions()[0] == (c["d"].pk, "standard", "2020-09-01")
    assert decisions(level="model") == [
        (c["d"].pk, "model", "2020-08-01"),
        (c["a"].pk, "model", "2019-11-01"),
    ]
    assert decisions(year=2016) == [
        (c["b"].pk, "standard", "2016-12-20"),
        (c["c"].pk, "standard", "2016-03-01"),
    ]
    assert decisions(decided_after="2016-03-01", decided_before="2016-12-19") == [
        (c["c"].pk, "standard", "2016-03-01")
    ]
    assert decisions(criteria_set=older.pk, ordering="decision_date") == [
        (c["a"].pk, "standard", "2015-10-01"),
        (c["c"].pk, "standard", "2016-03-01"),
    ]
    assert {row[0] for row in decisions(unit=c["a"].pk)} == {c["a"].pk}
    assert {row[0] for row in decisions(within=unit("173").pk)} == {c["d"].pk, c["e"].pk}
    found = decisions(search=fold(c["e"].name))  # without accents
    assert (c["e"].pk, "advanced", "2019-05-01") in found and len(found) < 7
    assert decisions(is_demo="true") == []
    # A district officer sees only their district's recognitions.
    assert {row[0] for row in decisions(as_user(dai_tu_officer))} == {c["a"].pk, c["b"].pk, c["c"].pk}
    assert decisions(as_user(dai_tu_officer), within=unit("173").pk) == []


def test_updated_since_lists_the_recognitions_changed_since(data, leader, frozen_time):
    api = as_user(leader)
    frozen_time.shift(datetime.timedelta(hours=1))
    changed = Recognition.objects.get(unit=data["communes"]["b"])
    changed.signer = "Phó Chủ tịch UBND tỉnh"
    changed.save()
    since = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=VN).isoformat()
    rows = api.get("/api/v1/recognitions/", {"updated_since": since}).json()["results"]
    assert [row["id"] for row in rows] == [changed.pk]


def test_a_coordinator_records_a_recognition_with_its_history(small_set, issue_token, bearer):
    key = issue_token("vpdp-ntm-tinh")
    api = bearer(key)
    commune = xa_of("171")[1]
    body = {
        "unit_id": commune.pk,
        "level": "standard",
        "criteria_set_id": small_set.pk,
        "decision_number": " 88/QĐ-UBND ",
        "decision_date": "2020-03-01",
    }
    response = api.post("/api/v1/recognitions/", body, format="json")
    assert response.status_code == 201, response.json()
    recognition = Recognition.objects.get()
    assert response.json() == {
        "id": recognition.pk,
        "unit_id": commune.pk,
        "unit_code": commune.code,
        "unit_name": commune.name,
        "parent_id": commune.parent_id,
        "parent_name": "Huyện Đại Từ",
        "level": "standard",
        "criteria_set_id": small_set.pk,
        "criteria_set_code": "test-set",
        "decision_number": "88/QĐ-UBND",
        "decision_date": "2020-03-01",
        "signer": "",
        "is_demo": False,
    }
    assert response["ETag"] == api.get(f"/api/v1/recognitions/{recognition.pk}/")["ETag"]
    record = recognition.history.get()
    assert record.history_user == ApiToken.objects.get(prefix=key.split("_")[1]).user
    again = api.post("/api/v1/recognitions/", body, format="json")
    assert (again.status_code, error_fields(again)) == (400, ["unit_id"])
    assert Recognition.objects.count() == 1


def test_a_bad_recognition_is_400_naming_the_field_and_records_nothing(small_set, coordinator):
    api = as_user(coordinator)
    commune = xa_of("171")[2]
    good = {
        "unit_id": commune.pk,
        "level": "standard",
        "criteria_set_id": small_set.pk,
        "decision_number": "1/QĐ-UBND",
        "decision_date": "2020-03-01",
    }
    district = unit("171")
    # A unit of another province: outside the coordinator's scope, never written.
    elsewhere = AdministrativeUnit.objects.create(
        code="99", name="Tỉnh Khác", kind=UnitKind.PROVINCE, level=UnitLevel.PROVINCE
    )
    foreign = AdministrativeUnit.objects.create(
        code="99001", name="Xã Khác", kind=UnitKind.COMMUNE, level=UnitLevel.COMMUNE, parent=elsewhere
    )
    cases = [
        ({"unit_id": district.pk}, ["unit_id"]),  # a district is not a xã
        ({"unit_id": foreign.pk}, ["unit_id"]),
        ({"unit_id": 999999}, ["unit_id"]),
        ({"unit_id": "abc"}, ["unit_id"]),
        ({"level": "gold"}, ["level"]),
        ({"level": "model_hamlet"}, ["unit_id"]),  # only a hamlet is a model hamlet
        ({"criteria_set_id": 999999}, ["criteria_set_id"]),
        ({"decision_number": "  "}, ["decision_number"]),
        ({"decision_date": "2027-01-01"}, ["decision_date"]),  # after today
        ({"decision_date": "2025-12-01"}, ["decision_date"]),  # the old commune was merged
        ({"decision_date": "01/03/2020"}, ["decision_date"]),
        ({"is_demo": True}, ["is_demo"]),
    ]
    for change, fields in cases:
        response = api.post("/api/v1/recognitions/", good | change, format="json")
        assert response.status_code == 400, change
        assert error_fields(response) == fields, (change, response.json())
    missing = api.post("/api/v1/recognitions/", {}, format="json")
    assert sorted(error_fields(missing)) == [
        "criteria_set_id",
        "decision_date",
        "decision_number",
        "level",
        "unit_id",
    ]
    assert Recognition.objects.count() == 0


# --- the number of queries of every list ----------------------------------------------------


def _queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def many_rows(national_sets, data):
    """More rows than a small page of each list: the national sets, 8 recognitions, and
    some periods; every indicator of 1.2 of the small set with a group target."""
    for number in range(3):
        make_period(f"2021-p{number}", D(2021, 1, 1), D(2021, 6, 30))
    cs = national_sets[NATIONAL_2016]
    group = CommuneGroup.objects.create(criteria_set=cs, code="g", name="G")
    for indicator in Indicator.objects.filter(criterion__criteria_set=cs, target__isnull=False)[:10]:
        IndicatorGroupTarget.objects.create(indicator=indicator, commune_group=group, target=indicator.target)
    recognise(xa_of("170")[0], RecognitionLevel.STANDARD, data["set"], D(2019, 1, 1))


# The queries of each list: the count, the page, and one per prefetched relation (the
# criteria's indicators and their group targets, an indicator's group targets); the
# recognitions also read the caller's scope.
LIST_QUERIES = {
    "/api/v1/criteria-sets/": 2,
    "/api/v1/criteria/": 4,
    "/api/v1/indicators/": 3,
    "/api/v1/periods/": 2,
    "/api/v1/recognitions/": 3,
}


@pytest.mark.parametrize(("url", "expected"), LIST_QUERIES.items())
def test_the_queries_of_a_list_do_not_grow_with_the_page(many_rows, dai_tu_officer, url, expected):
    api = as_user(dai_tu_officer)
    api.get(url)  # the first call of a user caches their roles
    assert api.get(url, {"page_size": 100}).json()["count"] > 2
    assert _queries(api, url, page_size=2) == _queries(api, url, page_size=100) == expected
