"""The assessments API as another provincial system lives it: read an assessment whole,
start one, change its values, move it through the workflow, list with filters and
pages, and post many communes' values at once, judged exactly as the Excel upload
judges them. Built on the small two-criterion set in July 2020 (before the 2020-H1 lock
date, the pre-2025 communes in force) unless a test moves time."""

import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, Notification, TokenAccess
from communes.models import AdministrativeUnit
from core.api.views import etag_of
from criteria.models import Assessment, CriteriaSet, Criterion, Indicator, IndicatorValue, ReportUpload
from criteria.selectors.reports import report_layout, set_indicators
from criteria.services.assessments import (
    ValueInput,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.services.bulk_values import PostedCommune, PostedValue, bulk_values_apply, bulk_values_preview
from criteria.workflow import Action
from tests.conftest import NOW, unit
from tests.criteria import conftest as criteria_fixtures
from tests.criteria import spreadsheets as books

# The criteria tests' fixtures: the small two-criterion set and the 2020-H1 period.
small_set = criteria_fixtures.small_set
period = criteria_fixtures.period

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=VN)
AFTER_LOCK = datetime.datetime(2020, 8, 15, 10, 0, tzinfo=VN)
WHEN = "2020-07-03T10:00:00+07:00"
PHUC_LUONG, MINH_TIEN, CU_VAN = "Xã Phúc Lương", "Xã Minh Tiến", "Xã Cù Vân"
URL = "/api/v1/assessments/"


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


@pytest.fixture
def token(issue_token, frozen_time):
    """``token("vpdp-ntm-huyen-dai-tu")`` -> (key, the token's user). Issued today (a
    token lives at most a year from its issue), then back to July 2020."""

    def issue(agency_code: str, access: str = TokenAccess.READ_WRITE):
        frozen_time.move_to(NOW)
        key = issue_token(agency_code, access=access)
        frozen_time.move_to(JULY_2020)
        return key, ApiToken.objects.get(prefix=key.split("_")[1]).user

    return issue


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def xa(name):
    return AdministrativeUnit.objects.get(name=name, valid_until=datetime.date(2025, 6, 30))


def ind(cs, code):
    return Indicator.objects.get(criterion__criteria_set=cs, code=code)


def all_met(cs):
    return {
        ind(cs, "1.1").pk: ValueInput(achieved=True),
        ind(cs, "1.2").pk: ValueInput(number=Decimal("85")),
        ind(cs, "2.1").pk: ValueInput(number=Decimal("20")),
        ind(cs, "2.2").pk: ValueInput(
            number=Decimal("3"), achieved=True, evidence="Biên bản thẩm định số 12"
        ),
    }


@pytest.fixture
def draft(dai_tu_officer, small_set, period):
    return assessment_create(
        user=dai_tu_officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set
    )


def submitted(user, commune_name, cs, period):
    assessment = assessment_create(user=user, commune=xa(commune_name), period=period, criteria_set=cs)
    assessment_update_values(user=user, assessment=assessment, version=1, values=all_met(cs))
    return assessment_transition(user=user, assessment=assessment, action=Action.SUBMIT, version=2)


def errors_of(response) -> dict[str, str]:
    body = response.json()
    assert body["code"] == "invalid", body
    return {error["field"]: error["detail"] for error in body["errors"]}


# --- Reading -------------------------------------------------------------------------------


def test_an_assessment_answers_whole_with_its_values_results_and_the_callers_actions(
    dai_tu_officer, coordinator, small_set, period
):
    assessment = submitted(dai_tu_officer, PHUC_LUONG, small_set, period)
    response = as_user(coordinator).get(f"{URL}{assessment.pk}/")
    assert response.status_code == 200
    c1, c2 = small_set.criteria.order_by("number")
    officer = {"id": dai_tu_officer.pk, "name": "daitu_officer"}

    def value(code, criterion, number, achieved, outcome, target, evidence=""):
        return {
            "indicator_id": ind(small_set, code).pk,
            "indicator_code": code,
            "criterion_id": criterion.pk,
            "number": number,
            "achieved": achieved,
            "evidence": evidence,
            "outcome": outcome,
            "target": target,
        }

    assert response.json() == {
        "id": assessment.pk,
        "commune_id": xa(PHUC_LUONG).pk,
        "commune_code": xa(PHUC_LUONG).code,
        "commune_name": PHUC_LUONG,
        "period_id": period.pk,
        "period_code": "2020-h1",
        "criteria_set_id": small_set.pk,
        "criteria_set_code": "test-set",
        "commune_group_id": None,
        "status": "submitted",
        "status_reason": "",
        "criteria_met": 2,
        "criteria_total": 2,
        "meets_standard": True,
        "version": 3,
        "created_by": officer,
        "submitted_by": officer,
        "submitted_at": WHEN,
        "decided_by": None,
        "decided_at": None,
        "updated_at": WHEN,
        "is_demo": False,
        "values": [
            value("1.1", c1, None, True, "met", None),
            value("1.2", c1, "85.0000", None, "met", "85.00"),
            value("2.1", c2, "20.0000", None, "met", "26.70"),
            value("2.2", c2, "3.0000", True, "met", None, "Biên bản thẩm định số 12"),
        ],
        "criterion_results": [
            {"criterion_id": c1.pk, "criterion_number": 1, "met": True},
            {"criterion_id": c2.pk, "criterion_number": 2, "met": True},
        ],
        "actions": ["approve", "comment", "return"],
    }
    assert response["ETag"] == etag_of(response.json())
    again = as_user(coordinator).get(f"{URL}{assessment.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_list_row_is_the_assessment_without_its_values(draft, dai_tu_officer, small_set, period):
    body = as_user(dai_tu_officer).get(URL).json()
    assert body == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": draft.pk,
                "commune_id": xa(PHUC_LUONG).pk,
                "commune_code": xa(PHUC_LUONG).code,
                "commune_name": PHUC_LUONG,
                "period_id": period.pk,
                "period_code": "2020-h1",
                "criteria_set_id": small_set.pk,
                "criteria_set_code": "test-set",
                "commune_group_id": None,
                "status": "draft",
                "status_reason": "",
                "criteria_met": 0,
                "criteria_total": 2,
                "meets_standard": False,
                "version": 1,
                "created_by": {"id": dai_tu_officer.pk, "name": "daitu_officer"},
                "submitted_by": None,
                "submitted_at": None,
                "decided_by": None,
                "decided_at": None,
                "updated_at": WHEN,
                "is_demo": False,
            }
        ],
    }


def test_another_districts_assessment_is_404_and_not_listed(draft, phu_binh_officer):
    api = as_user(phu_binh_officer)
    assert api.get(URL).json()["count"] == 0
    response = api.get(f"{URL}{draft.pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api.get(f"{URL}abc/").status_code == 404


# --- Starting one ------------------------------------------------------------------------------


def test_a_district_officer_starts_an_assessment_and_gets_it_with_its_address(
    token, bearer, small_set, period
):
    key, system = token("vpdp-ntm-huyen-dai-tu")
    body = {"commune_id": xa(MINH_TIEN).pk, "period_id": period.pk, "criteria_set_id": small_set.pk}
    response = bearer(key).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    created = Assessment.objects.get(commune=xa(MINH_TIEN))
    assert response["Location"] == f"{URL}{created.pk}/"
    assert response.json() == bearer(key).get(f"{URL}{created.pk}/").json()
    assert response["ETag"] == bearer(key).get(f"{URL}{created.pk}/")["ETag"]
    assert (response.json()["status"], response.json()["created_by"]["id"]) == ("draft", system.pk)
    assert [v["outcome"] for v in response.json()["values"]] == ["missing"] * 4
    assert {record.history_user for record in created.history.all()} == {system}


def test_starting_is_refused_with_the_field_named(dai_tu_officer, draft, small_set, period):
    api = as_user(dai_tu_officer)
    good = {"commune_id": xa(MINH_TIEN).pk, "period_id": period.pk, "criteria_set_id": small_set.pk}
    assert errors_of(api.post(URL, {}, format="json")) == {
        "commune_id": "Trường này là bắt buộc.",
        "period_id": "Trường này là bắt buộc.",
        "criteria_set_id": "Trường này là bắt buộc.",
    }
    assert errors_of(api.post(URL, good | {"period_id": 999999}, format="json")) == {
        "period_id": "Không có kỳ báo cáo nào có mã số 999999."
    }
    assert errors_of(api.post(URL, good | {"commune_id": "mười"}, format="json")) == {
        "commune_id": "Hãy nhập một số nguyên."
    }
    assert errors_of(api.post(URL, good | {"commune_id": xa(PHUC_LUONG).pk}, format="json")) == {
        "commune_id": "Xã Phúc Lương đã có phiếu đánh giá cho kỳ và bộ tiêu chí này."
    }
    township = AdministrativeUnit.objects.get(
        name="Thị trấn Hùng Sơn", valid_until=datetime.date(2025, 6, 30)
    )
    assert list(errors_of(api.post(URL, good | {"commune_id": township.pk}, format="json"))) == ["commune_id"]
    assert errors_of(api.post(URL, [good], format="json")) == {None: "Chỗ này cần một đối tượng JSON."}
    # A commune of another district is not even found.
    outside = api.post(URL, good | {"commune_id": xa("Xã Úc Kỳ").pk}, format="json")
    assert outside.status_code == 404
    assert Assessment.objects.count() == 1


def test_after_the_lock_date_only_a_coordinator_starts_one(
    dai_tu_officer, coordinator, small_set, period, frozen_time
):
    frozen_time.move_to(AFTER_LOCK)
    body = {"commune_id": xa(MINH_TIEN).pk, "period_id": period.pk, "criteria_set_id": small_set.pk}
    refused = as_user(dai_tu_officer).post(URL, body, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "conflict",
        "detail": "Kỳ báo cáo đã khóa sổ ngày 14/08/2020: chỉ Điều phối viên cấp tỉnh được sửa phiếu này.",
        "errors": [],
    }
    assert as_user(coordinator).post(URL, body, format="json").status_code == 201


# --- Values --------------------------------------------------------------------------------------


def test_values_are_stored_evaluated_and_recorded_under_the_tokens_user(draft, token, bearer, small_set):
    key, system = token("vpdp-ntm-huyen-dai-tu")
    response = bearer(key).patch(
        f"{URL}{draft.pk}/values/",
        {
            "values": [
                {"indicator_code": "1.1", "value": True},
                {"indicator_id": ind(small_set, "1.2").pk, "number": 90.5},
                {"indicator_code": "2.1", "number": "20.25", "evidence": "  Báo cáo của trạm y tế  "},
            ],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["criteria_met"], body["meets_standard"]) == (2, 1, False)
    assert [(v["indicator_code"], v["number"], v["achieved"], v["outcome"]) for v in body["values"]] == [
        ("1.1", None, True, "met"),
        ("1.2", "90.5000", None, "met"),
        ("2.1", "20.2500", None, "met"),
        ("2.2", None, None, "missing"),
    ]
    assert body["values"][2]["evidence"] == "Báo cáo của trạm y tế"
    assert response["ETag"] == bearer(key).get(f"{URL}{draft.pk}/")["ETag"]
    changed = IndicatorValue.history.filter(assessment_id=draft.pk, history_type="~")
    assert {record.history_user for record in changed} == {system}
    assert draft.history.order_by("history_id").last().history_user == system

    # An omitted field keeps what is stored; null erases.
    kept = (
        bearer(key)
        .patch(
            f"{URL}{draft.pk}/values/",
            {"values": [{"indicator_code": "2.1", "number": 21}, {"indicator_code": "1.2", "number": None}]},
            format="json",
        )
        .json()
    )
    assert [(v["number"], v["evidence"]) for v in kept["values"][1:3]] == [
        (None, ""),
        ("21.0000", "Báo cáo của trạm y tế"),
    ]


def test_a_bad_value_is_400_naming_the_value_and_the_indicator_and_nothing_is_saved(
    draft, dai_tu_officer, small_set, period
):
    other_set = CriteriaSet.objects.create(code="other", name="Khác", level="standard")
    other_set_indicator = Indicator.objects.create(
        criterion=Criterion.objects.create(criteria_set=other_set, number=1, name="Khác"),
        code="1.1",
        name="Khác",
        measure_type="percent",
        comparison=">=",
        target=Decimal("50"),
        verification="confirmed",
    )
    api = as_user(dai_tu_officer)

    def refused(*values):
        response = api.patch(f"{URL}{draft.pk}/values/", {"values": list(values)}, format="json")
        assert response.status_code == 400
        return errors_of(response)

    # What the service would refuse, each value named with its indicator.
    assert refused(
        {"indicator_code": "1.2", "number": 101},
        {"indicator_code": "2.1", "number": -1},
        {"indicator_code": "1.1", "number": 1},
        {"indicator_id": other_set_indicator.pk, "number": 1},
        {"indicator_code": "9.9", "value": 1},
        {"indicator_code": "2.2", "value": 3, "number": 3},
        {"indicator_code": "1.2", "number": 50},
    ) == {
        "values[0].number": "1.2: Tỷ lệ phần trăm nằm trong khoảng 0 đến 100.",
        "values[1].number": "2.1: Giá trị không được âm.",
        "values[2].number": "1.1: Chỉ tiêu này đánh giá Đạt / Không đạt, không nhập số.",
        "values[3].indicator_id": (
            f"Bộ tiêu chí của phiếu đánh giá không có chỉ tiêu nào có mã số {other_set_indicator.pk}."
        ),
        "values[4].indicator_code": "Bộ tiêu chí của phiếu đánh giá không có chỉ tiêu nào có mã “9.9”.",
        "values[5].value": "Hãy gửi value hoặc number, không gửi cả hai.",
        "values[6].indicator_code": "Chỉ tiêu 1.2 được gửi hai lần.",
    }
    assert refused({"indicator_code": "2.2", "value": True}, {"indicator_code": "1.1", "value": 1}) == {
        "values[0].value": "2.2: Hãy nhập một số cho chỉ tiêu này.",
        "values[1].value": "1.1: Chỉ tiêu này đánh giá Đạt / Không đạt, không nhập số.",
    }
    # What is not a value at all.
    assert refused(
        {"indicator_code": "1.2", "number": 85},
        {"indicator_code": "2.2", "number": "ba"},
        {"number": 3},
        {"indicator_code": "2.1", "achieved": "có lẽ"},
        {"indicator_code": "2.1", "number": 1e12},
        {"indicator_code": "2.1", "evidence": "x" * 2001},
        "2.1=20",
    ) == {
        "values[1].number": "Hãy nhập một số, dùng dấu chấm cho phần thập phân (85.5).",
        "values[2].indicator_id": "Hãy gửi indicator_id hoặc indicator_code (chỉ một trong hai).",
        "values[3].achieved": "Hãy gửi true (Đạt), false (Không đạt) hoặc null.",
        "values[4].number": "Giá trị quá lớn.",
        "values[5].evidence": "Tối đa 2000 ký tự.",
        "values[6]": "Chỗ này cần một đối tượng JSON.",
    }
    draft.refresh_from_db()
    assert draft.version == 1
    assert set(draft.values.values_list("number", flat=True)) == {None}
    for body in (
        {},
        {"values": []},
        {"values": "1.2=85"},
        {"values": [{"indicator_code": "1.2"}], "version": 0},
    ):
        assert api.patch(f"{URL}{draft.pk}/values/", body, format="json").status_code == 400, body


def test_a_stale_version_is_409_and_a_stale_etag_412_and_the_current_etag_saves(
    draft, dai_tu_officer, coordinator, small_set
):
    api = as_user(dai_tu_officer)
    read = api.get(f"{URL}{draft.pk}/")
    # Someone else saves meanwhile.
    assessment_update_values(
        user=coordinator,
        assessment=draft,
        version=1,
        values={ind(small_set, "1.2").pk: ValueInput(number=Decimal("70"))},
    )
    change = {"values": [{"indicator_code": "1.2", "number": 90}]}
    stale = api.patch(f"{URL}{draft.pk}/values/", change | {"version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Đã có người lưu phiếu này sau khi bạn mở (coordinator)")
    assert "1.2 (giá trị): — → 70" in stale.json()["detail"]
    precondition = api.patch(f"{URL}{draft.pk}/values/", change, format="json", HTTP_IF_MATCH=read["ETag"])
    assert (precondition.status_code, precondition.json()["code"]) == (412, "precondition_failed")
    draft.refresh_from_db()
    assert draft.version == 2
    current = api.get(f"{URL}{draft.pk}/")["ETag"]
    saved = api.patch(f"{URL}{draft.pk}/values/", change, format="json", HTTP_IF_MATCH=current)
    assert saved.status_code == 200
    assert saved.json()["values"][1]["number"] == "90.0000"


def test_after_the_lock_date_a_district_officer_cannot_change_values(draft, dai_tu_officer, frozen_time):
    frozen_time.move_to(AFTER_LOCK)
    response = as_user(dai_tu_officer).patch(
        f"{URL}{draft.pk}/values/", {"values": [{"indicator_code": "1.2", "number": 90}]}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Kỳ báo cáo đã khóa sổ ngày 14/08/2020")


# --- Workflow ----------------------------------------------------------------------------------------


def test_every_workflow_action_through_the_api(draft, dai_tu_officer, coordinator, small_set, token, bearer):
    officer = as_user(dai_tu_officer)
    key, system = token("vpdp-ntm-tinh")
    province = bearer(key)
    assert (
        officer.patch(
            f"{URL}{draft.pk}/values/",
            {"values": [{"indicator_code": "1.1", "value": True}]},
            format="json",
        ).status_code
        == 200
    )

    def act(api, action, body=None):
        response = api.post(f"{URL}{draft.pk}/{action}/", body or {}, format="json")
        assert response.status_code == 200, (action, response.json())
        return response.json()

    done = act(officer, "submit")
    assert (done["status"], done["submitted_by"]["id"], done["actions"]) == (
        "submitted",
        dai_tu_officer.pk,
        [],
    )
    done = act(province, "return", {"reason": "Thiếu biên bản chỉ tiêu 1.2"})
    assert (done["status"], done["status_reason"], done["decided_by"]["id"]) == (
        "returned",
        "Thiếu biên bản chỉ tiêu 1.2",
        system.pk,
    )
    assert Notification.objects.filter(recipient=dai_tu_officer, message__contains="Thiếu biên bản").exists()
    assert act(officer, "submit", {"version": done["version"]})["status"] == "submitted"
    approved = act(province, "approve")
    assert (approved["status"], approved["decided_at"]) == ("approved", WHEN)
    reopened = act(province, "reopen", {"reason": "Sửa số liệu theo kết quả phúc tra"})
    assert (reopened["status"], reopened["status_reason"]) == ("draft", "Sửa số liệu theo kết quả phúc tra")
    statuses = [record.status for record in draft.history.order_by("history_date", "history_id")]
    assert statuses[-5:] == ["submitted", "returned", "submitted", "approved", "draft"]
    assert draft.history.order_by("history_id").last().history_user == system


def test_a_transition_the_workflow_refuses_is_409_with_the_reason(draft, dai_tu_officer, coordinator):
    officer, province = as_user(dai_tu_officer), as_user(coordinator)
    refused = province.post(f"{URL}{draft.pk}/approve/", {}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "conflict",
        "detail": "Vai trò của bạn không thực hiện được thao tác này với phiếu ở trạng thái hiện tại.",
        "errors": [],
    }
    assert officer.post(f"{URL}{draft.pk}/submit/", {}, format="json").status_code == 200
    again = officer.post(f"{URL}{draft.pk}/submit/", {}, format="json")
    assert (again.status_code, again.json()["detail"]) == (
        409,
        "Phiếu đang chờ duyệt. Điều phối viên cấp tỉnh có thể duyệt hoặc trả lại.",
    )
    no_reason = province.post(f"{URL}{draft.pk}/return/", {"reason": "   "}, format="json")
    assert errors_of(no_reason) == {"reason": "Hãy nêu lý do."}
    stale = province.post(f"{URL}{draft.pk}/approve/", {"version": 1}, format="json")
    assert stale.status_code == 409 and "Đã có người lưu phiếu này" in stale.json()["detail"]
    # A role that never approves is 403, not 409.
    forbidden = officer.post(f"{URL}{draft.pk}/approve/", {}, format="json")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_a_coordinator_cannot_approve_what_they_submitted(coordinator, small_set, period):
    assessment = submitted(coordinator, PHUC_LUONG, small_set, period)
    response = as_user(coordinator).post(f"{URL}{assessment.pk}/approve/", {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (
        409,
        "Bạn đã gửi phiếu này; một cán bộ điều phối khác phải duyệt.",
    )


def test_a_transition_with_a_stale_etag_is_412(draft, dai_tu_officer):
    api = as_user(dai_tu_officer)
    etag = api.get(f"{URL}{draft.pk}/")["ETag"]
    api.patch(f"{URL}{draft.pk}/values/", {"values": [{"indicator_code": "1.2", "number": 1}]}, format="json")
    assert api.post(f"{URL}{draft.pk}/submit/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    fresh = api.get(f"{URL}{draft.pk}/")["ETag"]
    assert api.post(f"{URL}{draft.pk}/submit/", {}, format="json", HTTP_IF_MATCH=fresh).status_code == 200


# --- Lists: filters, ordering, search, pages --------------------------------------------------------


@pytest.fixture
def several(coordinator, dai_tu_officer, phu_binh_officer, small_set, period):
    """Six assessments: four in Đại Từ (one submitted), two in Phú Bình."""
    rows = {}
    for name in ("Xã Bình Thuận", "Xã Cát Nê", CU_VAN, MINH_TIEN):
        rows[name] = assessment_create(
            user=dai_tu_officer, commune=xa(name), period=period, criteria_set=small_set
        )
    for name in ("Xã Úc Kỳ", "Xã Bảo Lý"):
        rows[name] = assessment_create(
            user=phu_binh_officer, commune=xa(name), period=period, criteria_set=small_set
        )
    assessment_transition(user=dai_tu_officer, assessment=rows[CU_VAN], action=Action.SUBMIT, version=1)
    return rows


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["commune_name"] for row in response.json()["results"]]


def test_the_list_filters_by_period_set_commune_unit_and_status(coordinator, several, small_set, period):
    api = as_user(coordinator)
    assert len(names(api.get(URL, {"period": period.pk, "criteria_set": small_set.pk}))) == 6
    assert names(api.get(URL, {"period": period.pk + 1000})) == []
    assert names(api.get(URL, {"criteria_set": small_set.pk + 1000})) == []
    assert names(api.get(URL, {"commune": xa(MINH_TIEN).pk})) == [MINH_TIEN]
    assert set(names(api.get(URL, {"unit": unit("173").pk}))) == {"Xã Bảo Lý", "Xã Úc Kỳ"}
    assert names(api.get(URL, {"unit": xa(CU_VAN).pk})) == [CU_VAN]
    assert len(names(api.get(URL, {"unit": AdministrativeUnit.objects.get(code="19").pk}))) == 6
    assert names(api.get(URL, {"status": "submitted"})) == [CU_VAN]
    assert names(api.get(URL, {"search": "bao ly"})) == ["Xã Bảo Lý"]
    assert names(api.get(URL, {"search": "BẢO LÝ"})) == ["Xã Bảo Lý"]


def test_the_list_orders_as_asked_with_the_id_last(coordinator, several):
    api = as_user(coordinator)
    by_name = names(api.get(URL, {"ordering": "commune__name"}))
    in_database_order = Assessment.objects.order_by("commune__name", "pk").values_list(
        "commune__name", flat=True
    )
    assert by_name == list(in_database_order) and len(by_name) == 6
    assert names(api.get(URL, {"ordering": "-commune__name"})) == by_name[::-1]
    assert names(api.get(URL, {"ordering": "-status,commune__name"}))[0] == CU_VAN
    # By default: the newest period, then the district, then the commune, as the page lists them.
    assert names(api.get(URL, {"unit": unit("171").pk})) == ["Xã Bình Thuận", "Xã Cát Nê", CU_VAN, MINH_TIEN]
    ids = [row["id"] for row in api.get(URL, {"ordering": "updated_at"}).json()["results"]]
    assert ids == sorted(ids)  # all saved at the same instant: the id decides


def test_updated_since_finds_assessments_whose_values_changed(coordinator, several, small_set, frozen_time):
    api = as_user(coordinator)
    frozen_time.move_to(JULY_2020 + datetime.timedelta(days=1))
    later = (JULY_2020 + datetime.timedelta(hours=12)).isoformat()
    assert names(api.get(URL, {"updated_since": later})) == []
    # A change of one value (its history) counts as a change of its assessment.
    value = several["Xã Cát Nê"].values.get(indicator__code="1.2")
    value.number = Decimal("12")
    value._history_user = coordinator
    value.save()
    assert names(api.get(URL, {"updated_since": later})) == ["Xã Cát Nê"]
    assessment_transition(
        user=coordinator, assessment=several[CU_VAN], action=Action.RETURN, version=2, reason="Thiếu số liệu"
    )
    assert set(names(api.get(URL, {"updated_since": later}))) == {CU_VAN, "Xã Cát Nê"}
    assert len(names(api.get(URL, {"updated_since": "2020-07-01T00:00:00+07:00"}))) == 6


def test_bad_parameters_are_400_naming_them(coordinator, several):
    api = as_user(coordinator)
    for parameter, value in (
        ("period", "abc"),
        ("unit", "tỉnh"),
        ("status", "finished"),
        ("updated_since", "hôm qua"),
        ("ordering", "password"),
        ("page", "0"),
        ("page_size", "x"),
    ):
        response = api.get(URL, {parameter: value})
        assert response.status_code == 400, parameter
        assert [error["field"] for error in response.json()["errors"]] == [parameter]
    assert api.get(URL, {"page": 99}).status_code == 404


def test_paging_walks_every_row_once_and_the_query_count_does_not_grow_with_the_page(
    coordinator, several, small_set, period
):
    api = as_user(coordinator)
    seen, page = [], 1
    while True:
        body = api.get(URL, {"page_size": 4, "page": page, "ordering": "status"}).json()
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            break
        page += 1
    assert sorted(seen) == sorted(a.pk for a in several.values()) and page == 2

    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL, {"page_size": size}).status_code == 200
        return len(captured)

    assert queries(2) == queries(50)


# --- Bulk values ---------------------------------------------------------------------------------------


def _template(client) -> bytes:
    response = client.get(
        reverse("report-template"), {"unit": unit("171").pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    assert response.status_code == 200
    return response.content


def _filled(data: bytes, cells: dict[tuple[str, int], object], extra_rows: list[list]) -> bytes:
    """The template with ``cells`` ((commune name, column number) -> value) written and
    ``extra_rows`` added below."""
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(row, 2).value: row for row in range(3, sheet.max_row + 1)}
    for (name, column), value in cells.items():
        sheet.cell(rows[name], column).value = value
    last = sheet.max_row
    for offset, values in enumerate(extra_rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(last + offset, column).value = value
    return books.xlsx(workbook)


def _body_of(workbook_data: bytes, small_set, period) -> list[dict]:
    """Each row of the workbook as a commune of a bulk call: its code and a value per
    filled cell, in the columns' order (the template's layout)."""
    layout = report_layout(
        unit=unit("171"), period=period, criteria_set=small_set, indicators=set_indicators(small_set)
    )
    sheet = openpyxl.load_workbook(BytesIO(workbook_data)).worksheets[0]
    communes = []
    for row in range(3, sheet.max_row + 1):
        values: dict[int, dict] = {}
        for index, column in enumerate(layout.columns):
            cell = sheet.cell(row, 3 + index).value
            if cell is not None:
                part = "number" if column.field in ("number", "percent") else "achieved"
                values.setdefault(column.indicator_id, {"indicator_id": column.indicator_id})[part] = cell
        communes.append({"code": str(sheet.cell(row, 1).value), "values": list(values.values())})
    return communes


def test_a_bulk_dry_run_answers_exactly_the_preview_of_the_same_excel_upload(
    client, dai_tu_officer, coordinator, small_set, period
):
    client.force_login(dai_tu_officer)
    stored = assessment_create(
        user=dai_tu_officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set
    )
    assessment_update_values(
        user=dai_tu_officer,
        assessment=stored,
        version=1,
        values={ind(small_set, "1.2").pk: ValueInput(number=Decimal("70"))},
    )
    submitted(dai_tu_officer, "Xã Bình Thuận", small_set, period)
    workbook = _filled(
        _template(client),
        {
            (PHUC_LUONG, 3): "Đạt",  # 1.1
            (PHUC_LUONG, 4): "86,5",  # 1.2: 70 -> 86,5
            (MINH_TIEN, 5): 150,  # 2.1: not a percentage
            (MINH_TIEN, 4): 90,
            (CU_VAN, 6): 3,  # 2.2
            (CU_VAN, 7): "Không đạt",  # 2.2's conclusion
            ("Xã Cát Nê", 3): "Có",  # not Đạt nor Không đạt
            ("Xã Cát Nê", 6): -3,
            ("Xã Bình Thuận", 4): 95,  # submitted: refused
        },
        [["99999", None, None, 50], [xa("Xã Úc Kỳ").code, None, None, 50]],
    )
    response = client.post(
        reverse("report-upload-create"), {"file": SimpleUploadedFile("Đại Từ.xlsx", workbook)}
    )
    assert response.status_code == 302
    preview = ReportUpload.objects.latest("pk").preview
    assert len([entry for entry in preview if entry["errors"]]) == 5  # the data exercises the refusals

    body = {
        "period_id": period.pk,
        "criteria_set_id": small_set.pk,
        "communes": _body_of(workbook, small_set, period),
    }
    answer = as_user(dai_tu_officer).post(f"{URL}bulk-values/", body, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["communes"] == preview
    assert answer.json()["summary"] == {
        "to_change": 2,
        "with_errors": 5,
        "unchanged": len(preview) - 7,
    }
    assert (answer.json()["dry_run"], answer.json()["unit_id"]) == (True, unit("171").pk)
    phuc = next(entry for entry in preview if entry["name"] == PHUC_LUONG)
    assert [(c["code"], c["old"], c["new"]) for c in phuc["changes"]] == [
        ("1.1", "—", "Đạt"),
        ("1.2", "70", "86,5"),
    ]
    assert Assessment.objects.count() == 2  # a dry run writes nothing


def test_a_bulk_run_writes_each_commune_alone_and_the_history_names_the_tokens_user(
    token, bearer, dai_tu_officer, small_set, period
):
    key, system = token("vpdp-ntm-huyen-dai-tu")
    waiting = submitted(dai_tu_officer, "Xã Bình Thuận", small_set, period)
    body = {
        "period_id": period.pk,
        "criteria_set_id": small_set.pk,
        "dry_run": False,
        "communes": [
            {
                "code": xa(PHUC_LUONG).code,
                "values": [
                    {"indicator_code": "1.1", "value": "Đạt"},
                    {"indicator_code": "1.2", "number": 86.5},
                ],
            },
            {"commune_id": xa(MINH_TIEN).pk, "values": [{"indicator_code": "2.1", "number": 150}]},
            {"commune_id": waiting.commune_id, "values": [{"indicator_code": "1.2", "number": 10}]},
            {
                "commune_id": xa(CU_VAN).pk,
                "values": [{"indicator_code": "2.2", "number": "1.234,5", "achieved": False}],
            },
            {"commune_id": xa("Xã Cát Nê").pk, "values": []},
        ],
    }
    response = bearer(key).post(f"{URL}bulk-values/", body, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert [entry["result"] for entry in answer["communes"]] == [
        {"status": "imported", "changed": 2},
        {"status": "invalid"},
        {"status": "invalid"},
        {"status": "imported", "changed": 1},
        {"status": "unchanged"},
    ]
    assert answer["summary"] == {
        "to_change": 2,
        "with_errors": 2,
        "unchanged": 1,
        "imported": 2,
        "refused": 0,
    }
    assert answer["communes"][1]["errors"] == [
        "Trang “Số liệu”, dòng 4, cột E: Xã Minh Tiến, 2.1: 150% không phải là tỷ lệ phần trăm từ 0 đến 100."
    ]
    phuc = Assessment.objects.get(commune=xa(PHUC_LUONG))
    assert {v.indicator.code: (v.number, v.achieved) for v in phuc.values.select_related("indicator")} == {
        "1.1": (None, True),
        "1.2": (Decimal("86.5000"), None),
        "2.1": (None, None),
        "2.2": (None, None),
    }
    assert Assessment.objects.get(commune=xa(CU_VAN)).values.get(indicator__code="2.2").number == Decimal(
        "1234.5"
    )
    assert not Assessment.objects.filter(commune=xa(MINH_TIEN)).exists()
    waiting.refresh_from_db()
    assert waiting.version == 3 and waiting.values.get(indicator__code="1.2").number == Decimal("85")
    assert {record.history_user for record in phuc.history.all()} == {system}
    changed = IndicatorValue.history.filter(assessment_id=phuc.pk, history_type="~")
    assert {record.history_user for record in changed} == {system}


def test_a_commune_changed_between_preview_and_write_is_refused_and_the_others_go_in(
    dai_tu_officer, coordinator, small_set, period
):
    stored = assessment_create(
        user=dai_tu_officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set
    )
    preview = bulk_values_preview(
        user=dai_tu_officer,
        period=period,
        criteria_set=small_set,
        communes=[
            PostedCommune(
                code=xa(PHUC_LUONG).code,
                values=(PostedValue(indicator_id=ind(small_set, "1.2").pk, number=90),),
            ),
            PostedCommune(
                code=xa(MINH_TIEN).code,
                values=(PostedValue(indicator_id=ind(small_set, "1.2").pk, number=91),),
            ),
        ],
    )
    assessment_update_values(
        user=coordinator,
        assessment=stored,
        version=1,
        values={ind(small_set, "2.1").pk: ValueInput(number=Decimal("5"))},
    )
    outcomes = bulk_values_apply(user=dai_tu_officer, preview=preview)
    assert outcomes[0]["status"] == "refused"
    assert outcomes[0]["message"].startswith(
        "Xã Phúc Lương đã được thay đổi trên Cổng thông tin sau khi xem trước (bởi coordinator)."
    )
    assert outcomes[1] == {"status": "imported", "changed": 1}


def test_a_bulk_call_is_refused_whole_for_what_has_no_cell_in_the_template(dai_tu_officer, small_set, period):
    api = as_user(dai_tu_officer)
    base = {"period_id": period.pk, "criteria_set_id": small_set.pk}
    code = xa(PHUC_LUONG).code
    response = api.post(
        f"{URL}bulk-values/",
        base
        | {
            "communes": [
                {
                    "code": code,
                    "values": [{"indicator_code": "1.1", "number": 1}, {"indicator_id": 999999, "number": 1}],
                },
                {
                    "code": xa(MINH_TIEN).code,
                    "values": [
                        {"indicator_code": "1.2", "achieved": True},
                        {"indicator_code": "1.2", "number": 2},
                    ],
                },
            ]
        },
        format="json",
    )
    assert errors_of(response) == {
        "communes[0].values[0].number": "Chỉ tiêu 1.1 được đánh giá Đạt / Không đạt: hãy gửi “achieved”, không gửi “number”.",
        "communes[0].values[1].indicator_id": "Bộ tiêu chí không có chỉ tiêu nào có mã số 999999.",
        "communes[1].values[0].achieved": (
            "Chỉ tiêu 1.2 đã có mức: hãy gửi “number”; “achieved” là kết luận của người thẩm định cho chỉ tiêu "
            "chưa có mức."
        ),
        "communes[1].values[1].indicator_id": "Chỉ tiêu 1.2 được gửi hai lần cho xã này.",
    }
    shapes = api.post(
        f"{URL}bulk-values/",
        base
        | {"communes": [{"values": []}, {"code": code, "values": [{"indicator_code": "1.1", "value": [1]}]}]},
        format="json",
    )
    assert errors_of(shapes) == {
        "communes[0].commune_id": "Hãy gửi commune_id hoặc code (chỉ một trong hai).",
        "communes[1].values[0].value": "Hãy gửi một số, một chuỗi văn bản hoặc true / false.",
    }
    assert errors_of(api.post(f"{URL}bulk-values/", base | {"communes": []}, format="json")) == {
        "communes": "Hãy gửi ít nhất một mục."
    }
    too_many = base | {"communes": [{"code": code, "values": []}] * 501}
    assert errors_of(api.post(f"{URL}bulk-values/", too_many, format="json")) == {
        "communes": "Tối đa 500 mục trong một lần gọi."
    }
    assert errors_of(
        api.post(f"{URL}bulk-values/", {"communes": [{"code": code, "values": []}]}, format="json")
    ) == {
        "period_id": "Trường này là bắt buộc.",
        "criteria_set_id": "Trường này là bắt buộc.",
    }
    commune_unit = base | {"unit_id": xa(PHUC_LUONG).pk, "communes": [{"code": code, "values": []}]}
    assert list(errors_of(api.post(f"{URL}bulk-values/", commune_unit, format="json"))) == ["unit_id"]
    other_district = base | {"unit_id": unit("173").pk, "communes": [{"code": code, "values": []}]}
    assert api.post(f"{URL}bulk-values/", other_district, format="json").status_code == 404
    assert Assessment.objects.count() == 0


def test_a_value_too_large_to_store_is_named_in_the_preview_not_a_server_error(
    dai_tu_officer, small_set, period
):
    body = {
        "period_id": period.pk,
        "criteria_set_id": small_set.pk,
        "communes": [{"code": xa(PHUC_LUONG).code, "values": [{"indicator_code": "2.2", "number": 10**40}]}],
    }
    response = as_user(dai_tu_officer).post(f"{URL}bulk-values/", body, format="json")
    assert response.status_code == 200
    assert response.json()["communes"][0]["errors"] == [
        "Trang “Số liệu”, dòng 3, cột F: Xã Phúc Lương, 2.2: Giá trị quá lớn."
    ]
