"""The permission matrix of the assessments API: every endpoint and method, for every
persona, read-only and read-write tokens of several agencies, the outsiders of another
district and another commune, and no credentials. Outside the scope is 404; a role that
reads but may not do it is 403; a read-only token is 403 on every write."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, TokenAccess
from accounts.roles import Role
from communes.models import AdministrativeUnit
from criteria.models import Assessment
from criteria.services.assessments import assessment_create, assessment_transition
from criteria.workflow import Action
from tests.conftest import NOW, make_user, unit
from tests.criteria import conftest as criteria_fixtures

small_set = criteria_fixtures.small_set
period = criteria_fixtures.period

pytestmark = pytest.mark.django_db

COVERED_ROUTES = {
    "assessment-api-list",
    "assessment-api-detail",
    "assessment-api-values",
    "assessment-api-submit",
    "assessment-api-approve",
    "assessment-api-return",
    "assessment-api-reopen",
    "assessment-api-bulk-values",
}

JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
URL = "/api/v1/assessments/"
DAI_TU, PHU_BINH = "171", "173"
BOTH = {DAI_TU, PHU_BINH}
# Per district: the communes of a draft, two submitted assessments, an approved one, and
# one without an assessment (to start one). Phú Bình's lie in the new Xã Phú Bình (2025),
# so its commune officer sees them.
COMMUNES = {
    DAI_TU: ("Xã Phúc Lương", "Xã Minh Tiến", "Xã Cù Vân", "Xã Cát Nê", "Xã Bình Thuận"),
    PHU_BINH: ("Xã Úc Kỳ", "Xã Bảo Lý", "Xã Nhã Lộng", "Xã Xuân Phương", "Xã Thượng Đình"),
}

# (label, the districts whose assessments it sees, what it may do: "coordinator",
# "officer" (starts, edits and submits), None (reads only) or "read-only token").
CALLERS = [
    ("coordinator", BOTH, "coordinator"),
    ("dai_tu_officer", {DAI_TU}, "officer"),
    ("phu_binh_officer", {PHU_BINH}, "officer"),
    ("commune_officer", {PHU_BINH}, "officer"),
    ("other_commune_officer", set(), "officer"),
    ("department_officer", BOTH, None),
    ("leader", BOTH, None),
    ("api_client_user", BOTH, None),
    ("token vpdp-ntm-tinh read_write", BOTH, "coordinator"),
    ("token vpdp-ntm-huyen-dai-tu read_write", {DAI_TU}, "officer"),
    ("token vpdp-ntm-huyen-dai-tu read", {DAI_TU}, "read-only token"),
    ("token vpdp-ntm-huyen-phu-binh read", {PHU_BINH}, "read-only token"),
    ("token ubnd-tinh read", BOTH, "read-only token"),
    ("token so-tai-chinh read", BOTH, "read-only token"),
]


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


def xa(name):
    return AdministrativeUnit.objects.get(name=name, valid_until=datetime.date(2025, 6, 30))


@pytest.fixture
def world(dai_tu_officer, phu_binh_officer, small_set, period):
    """Per district: {"draft", "to_approve", "to_return", "approved"} assessments and the
    commune to start one in."""
    approver = make_user("approver", Role.COORDINATOR, "vpdp-ntm-tinh")
    found = {}
    for district, officer in ((DAI_TU, dai_tu_officer), (PHU_BINH, phu_binh_officer)):
        rows = {}
        for key, name in zip(
            ("draft", "to_approve", "to_return", "approved"), COMMUNES[district], strict=False
        ):
            rows[key] = assessment_create(
                user=officer, commune=xa(name), period=period, criteria_set=small_set
            )
            if key != "draft":
                assessment_transition(user=officer, assessment=rows[key], action=Action.SUBMIT, version=1)
        assessment_transition(user=approver, assessment=rows["approved"], action=Action.APPROVE, version=2)
        rows["start_in"] = xa(COMMUNES[district][4])
        found[district] = rows
    return found


def client_of(label, request, issue_token, bearer, frozen_time):
    if not label.startswith("token "):
        api = APIClient()
        api.force_authenticate(request.getfixturevalue(label))
        return api
    _token, code, access = label.split()
    frozen_time.move_to(NOW)  # a token is issued for at most a year from today
    key = issue_token(code, access=TokenAccess(access))
    frozen_time.move_to(JULY_2020)
    assert ApiToken.objects.get(prefix=key.split("_")[1]).read_only == (access == "read")
    return bearer(key)


# The units whose template a bulk call may name (their change scope's provinces and districts).
BULK_UNITS = {
    "coordinator": BOTH,
    "token vpdp-ntm-tinh read_write": BOTH,
    "dai_tu_officer": {DAI_TU},
    "token vpdp-ntm-huyen-dai-tu read_write": {DAI_TU},
    "phu_binh_officer": {PHU_BINH},
}


@pytest.mark.parametrize(("label", "sees", "may"), CALLERS, ids=[row[0] for row in CALLERS])
def test_every_endpoint_for_every_caller(
    label, sees, may, world, small_set, period, request, issue_token, bearer, frozen_time
):
    api = client_of(label, request, issue_token, bearer, frozen_time)
    listed = api.get(URL, {"page_size": 100})
    assert listed.status_code == 200, label
    assert {row["id"] for row in listed.json()["results"]} == {
        world[district][key].pk
        for district in sees
        for key in ("draft", "to_approve", "to_return", "approved")
    }, label
    writes = may in ("coordinator", "officer")

    def expect(method, path, body, wanted):
        if may == "read-only token" and method != "get":
            wanted = 403
        response = getattr(api, method)(path, body, format="json")
        assert response.status_code == wanted, (label, method, path, response.json())
        if may == "read-only token" and method != "get":
            assert response.json()["code"] == "token_read_only", (label, path)

    for district in (DAI_TU, PHU_BINH):
        rows, visible = world[district], district in sees
        draft = f"{URL}{rows['draft'].pk}/"
        editing = (200 if writes else 403) if visible else 404
        deciding = (200 if may == "coordinator" else 403) if visible else 404
        expect("get", draft, None, 200 if visible else 404)
        expect("patch", f"{draft}values/", {"values": [{"indicator_code": "1.2", "number": 90}]}, editing)
        expect("post", f"{draft}submit/", {}, editing)
        expect("post", f"{URL}{rows['to_approve'].pk}/approve/", {}, deciding)
        expect("post", f"{URL}{rows['to_return'].pk}/return/", {"reason": "Thiếu số liệu"}, deciding)
        expect("post", f"{URL}{rows['approved'].pk}/reopen/", {"reason": "Phúc tra"}, deciding)
        start = {"commune_id": rows["start_in"].pk, "period_id": period.pk, "criteria_set_id": small_set.pk}
        expect("post", URL, start, (201 if visible else 404) if writes else 403)
        # Methods that do not exist: 405 (403 first for a read-only token).
        for method, path in (("delete", draft), ("put", draft), ("patch", draft), ("put", f"{draft}values/")):
            status = getattr(api, method)(path, {}, format="json").status_code
            assert status == (403 if may == "read-only token" else 405), (label, method, path, status)
    bulk = {
        "period_id": period.pk,
        "criteria_set_id": small_set.pk,
        "communes": [{"code": "05767", "values": []}],
    }
    expect("post", f"{URL}bulk-values/", bulk, 200 if writes else 403)
    for district in (DAI_TU, PHU_BINH):
        named = bulk | {"unit_id": unit(district).pk}
        wanted = (200 if district in BULK_UNITS.get(label, set()) else 404) if writes else 403
        expect("post", f"{URL}bulk-values/", named, wanted)


def test_an_outsider_cannot_even_learn_an_assessment_exists(world, phu_binh_officer, other_commune_officer):
    for user in (phu_binh_officer, other_commune_officer):
        api = APIClient()
        api.force_authenticate(user)
        for key in ("draft", "to_approve", "approved"):
            pk = world[DAI_TU][key].pk
            for method, path, body in (
                ("get", f"{URL}{pk}/", None),
                ("patch", f"{URL}{pk}/values/", {"values": [{"indicator_code": "1.2", "number": 1}]}),
                ("post", f"{URL}{pk}/submit/", {}),
                ("post", f"{URL}{pk}/approve/", {}),
                ("post", f"{URL}{pk}/reopen/", {"reason": "x"}),
            ):
                response = getattr(api, method)(path, body, format="json")
                assert (response.status_code, response.json()["code"]) == (404, "not_found"), (user, path)
    assert Assessment.objects.get(pk=world[DAI_TU]["draft"].pk).version == 1


def test_no_credentials_is_401_everywhere(world, small_set, period):
    anonymous = APIClient()
    pk = world[DAI_TU]["draft"].pk
    for method, path in (
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}{pk}/"),
        ("patch", f"{URL}{pk}/values/"),
        ("post", f"{URL}{pk}/submit/"),
        ("post", f"{URL}{pk}/approve/"),
        ("post", f"{URL}{pk}/return/"),
        ("post", f"{URL}{pk}/reopen/"),
        ("post", f"{URL}bulk-values/"),
    ):
        response = getattr(anonymous, method)(path, {}, format="json")
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), (method, path)
