"""What every API call shares: tokens, the error format, paging, ordering, search, ETags."""

import datetime

import pytest
import time_machine
from django.test import override_settings

from accounts.models import ApiToken, TokenAccess
from accounts.services import api_token_revoke
from core.api.pagination import ApiPagination

pytestmark = pytest.mark.django_db


def test_a_token_sees_its_agency_scope_and_nothing_else(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-huyen-dai-tu"))
    response = api.get("/api/v1/units/", {"level": "district"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Huyện Đại Từ"]
    phu_binh = api.get("/api/v1/units/", {"code": "173"}).json()
    assert phu_binh["count"] == 0


def test_no_token_bad_token_expired_and_revoked_are_401_with_their_codes(issue_token, bearer, issuer):
    assert bearer("ntm_deadbeef_nothing").get("/api/v1/units/").json()["code"] == "token_invalid"
    response = bearer("").get("/api/v1/units/")
    assert response.status_code == 401
    from rest_framework.test import APIClient

    anonymous = APIClient().get("/api/v1/units/")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"].startswith("Bearer")

    key = issue_token("vpdp-ntm-huyen-dai-tu", days=1)
    assert bearer(key).get("/api/v1/units/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC)):
        expired = bearer(key).get("/api/v1/units/")
    assert (expired.status_code, expired.json()["code"]) == (401, "token_expired")

    other = issue_token("vpdp-ntm-huyen-dai-tu")
    api_token_revoke(user=issuer, token=ApiToken.objects.get(prefix=other.split("_")[1]))
    revoked = bearer(other).get("/api/v1/units/")
    assert (revoked.status_code, revoked.json()["code"]) == (401, "token_revoked")


def test_the_key_is_kept_only_as_a_digest_and_last_use_is_recorded(issue_token, bearer):
    key = issue_token("vpdp-ntm-tinh", access=TokenAccess.READ)
    token = ApiToken.objects.get()
    assert key not in {token.key_hash, token.prefix} and len(token.key_hash) == 64
    assert token.last_used_at is None
    bearer(key).get("/api/v1/agencies/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert str(token.user) == "API " + token.name or token.user.get_full_name() == f"API {token.name}"


def test_a_read_only_token_cannot_write(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh", access=TokenAccess.READ))
    response = api.post("/api/v1/directives/parse/", {"text": "1. Sở Y tế: báo cáo."}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "token_read_only")
    writer = bearer(issue_token("vpdp-ntm-tinh"))
    assert (
        writer.post("/api/v1/directives/parse/", {"text": "1. Sở Y tế: báo cáo."}, format="json").status_code
        == 200
    )


@override_settings(NTM_API_RATE="3/minute")
def test_past_the_rate_a_token_gets_429_with_retry_after(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    assert [api.get("/api/v1/agencies/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/agencies/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert bearer(issue_token("vpdp-ntm-tinh")).get("/api/v1/agencies/").status_code == 200


def test_bad_parameters_are_400_naming_the_parameter_in_vietnamese(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    cases = {
        "page": {"page": "abc"},
        "page_size": {"page_size": "0"},
        "ordering": {"ordering": "password"},
        "level": {"level": "planet"},
        "updated_since": {"updated_since": "hôm qua"},
        "in_force": {"in_force": "maybe"},
        "parent": {"parent": "1.5"},
    }
    for parameter, query in cases.items():
        response = api.get("/api/v1/units/", query)
        assert response.status_code == 400, parameter
        body = response.json()
        assert body["code"] in ("invalid", "invalid_page")
        assert [error["field"] for error in body["errors"]] == [parameter]
        assert body["detail"].isascii() is False or body["errors"][0]["detail"].isascii() is False


def test_past_the_last_page_is_404_and_an_empty_list_is_one_empty_page(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-huyen-dai-tu"))
    count = api.get("/api/v1/units/").json()["count"]
    last = (count + 49) // 50
    assert api.get("/api/v1/units/", {"page": last}).status_code == 200
    past = api.get("/api/v1/units/", {"page": last + 1})
    assert (past.status_code, past.json()["code"]) == (404, "not_found")
    empty = api.get("/api/v1/units/", {"code": "nothing"})
    assert empty.status_code == 200 and empty.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_page_size_is_capped(issue_token, bearer, monkeypatch):
    monkeypatch.setattr(ApiPagination, "max_page_size", 100)
    api = bearer(issue_token("vpdp-ntm-tinh"))
    body = api.get("/api/v1/units/", {"page_size": 100000}).json()
    assert body["count"] > 100 and len(body["results"]) == 100
    assert "page_size=100000" in body["next"] or "page=2" in body["next"]


def test_search_ignores_accents_and_case(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    names = {
        row["name"]
        for row in api.get("/api/v1/units/", {"search": "dai tu", "level": "district"}).json()["results"]
    }
    assert names == {"Huyện Đại Từ"}
    accented = api.get("/api/v1/units/", {"search": "ĐẠI TỪ", "level": "district"}).json()["results"]
    assert {row["name"] for row in accented} == names


def test_an_object_has_an_etag_and_if_none_match_answers_304(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    unit_id = api.get("/api/v1/units/", {"code": "171"}).json()["results"][0]["id"]
    first = api.get(f"/api/v1/units/{unit_id}/")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    again = api.get(f"/api/v1/units/{unit_id}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_unit_outside_the_scope_is_404(issue_token, bearer):
    coordinator = bearer(issue_token("vpdp-ntm-tinh"))
    phu_binh = coordinator.get("/api/v1/units/", {"code": "173"}).json()["results"][0]["id"]
    response = bearer(issue_token("vpdp-ntm-huyen-dai-tu")).get(f"/api/v1/units/{phu_binh}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_unit_answers_with_its_lineage(issue_token, bearer):
    """Xã Phú Bình of 2025 was formed from Hương Sơn, Bảo Lý, Nhã Lộng, Xuân Phương,
    Úc Kỳ and part of Thượng Đình (NQ 1683/NQ-UBTVQH15)."""
    from communes.models import AdministrativeUnit

    new = AdministrativeUnit.objects.get(code="05908", valid_until=None)
    old = {unit.name: unit.pk for unit in AdministrativeUnit.objects.filter(valid_until="2025-06-30")}
    province = AdministrativeUnit.objects.get(code="19", valid_until=None)

    def link(name, *, partial=False):
        return {
            "unit_id": old[name],
            "effective_date": "2025-07-01",
            "is_partial": partial,
            "is_primary": not partial,
            "legal_basis": "NQ 1683/NQ-UBTVQH15",
        }

    body = bearer(issue_token("vpdp-ntm-tinh")).get(f"/api/v1/units/{new.pk}/").json()
    predecessors = body.pop("predecessors")
    assert body == {
        "id": new.pk,
        "code": "05908",
        "name": "Xã Phú Bình",
        "short_name": "Phú Bình",
        "kind": "xa",
        "level": "commune",
        "parent_id": province.pk,
        "valid_from": "2025-07-01",
        "valid_until": None,
        "in_force": True,
        "latitude": "21.473400",
        "longitude": "105.956000",
        "area_km2": "44.18",
        "successors": [],
    }
    assert sorted(predecessors, key=lambda row: row["unit_id"]) == sorted(
        [
            link("Thị trấn Hương Sơn"),
            link("Xã Bảo Lý"),
            link("Xã Nhã Lộng"),
            link("Xã Xuân Phương"),
            link("Xã Úc Kỳ"),
            link("Xã Thượng Đình", partial=True),
        ],
        key=lambda row: row["unit_id"],
    )
    # The old commune names the new one as its successor.
    uc_ky = bearer(issue_token("vpdp-ntm-tinh")).get(f"/api/v1/units/{old['Xã Úc Kỳ']}/").json()
    assert [row["unit_id"] for row in uc_ky["successors"]] == [new.pk]
    assert uc_ky["in_force"] is False and uc_ky["valid_until"] == "2025-06-30"


def test_an_agency_answers_with_its_merger(issue_token, bearer):
    """Sở Giao thông vận tải went into Sở Xây dựng on 01/03/2025 (agencies_2025)."""
    from django.core.management import call_command

    call_command("load_missing", "agencies_2025", verbosity=0)
    api = bearer(issue_token("vpdp-ntm-tinh"))
    rows = api.get("/api/v1/agencies/", {"search": "giao thong van tai"}).json()["results"]
    assert len(rows) == 1
    from accounts.models import Agency
    from communes.models import AdministrativeUnit

    assert rows[0] == {
        "id": rows[0]["id"],
        "code": "so-giao-thong-van-tai",
        "name": "Sở Giao thông vận tải",
        "short_name": "Sở GTVT",
        "kind": "department",
        "scope_id": AdministrativeUnit.objects.get(code="19", valid_until=None).pk,
        "is_active": True,
        "assignable": False,
        "merged_into_id": Agency.objects.get(code="so-xay-dung").pk,
        "merged_on": "2025-03-01",
    }


def test_updated_since_lists_only_what_changed_since(issue_token, bearer, frozen_time):
    """Incremental sync: a system that last read at T asks for what changed since T."""
    from communes.models import AdministrativeUnit

    # The units were loaded before the clock was frozen, in real time: go past it.
    frozen_time.move_to("2027-01-04T09:00:00+07:00")
    api = bearer(issue_token("vpdp-ntm-tinh"))
    since = "2027-01-04T10:00:00+07:00"
    assert api.get("/api/v1/units/", {"updated_since": since}).json()["count"] == 0
    frozen_time.move_to("2027-01-04T10:30:00+07:00")
    unit = AdministrativeUnit.objects.get(code="05908", valid_until=None)
    unit.short_name = "Phú Bình (mới)"
    unit.save()
    changed = api.get("/api/v1/units/", {"updated_since": since}).json()
    assert [row["id"] for row in changed["results"]] == [unit.pk]
    assert api.get("/api/v1/units/", {"updated_since": "2027-01-04T11:00:00+07:00"}).json()["count"] == 0


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/agencies/"])
def test_a_list_costs_the_same_queries_whatever_its_page_size(issue_token, bearer, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = bearer(issue_token("vpdp-ntm-tinh"))
    api.get(url)  # the token's last use is written once a minute: not in the counts below
    counts = []
    for size in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


def test_an_unknown_api_address_is_a_json_404(issue_token, bearer):
    response = bearer(issue_token("vpdp-ntm-tinh")).get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Không có địa chỉ này trong API.", "errors": []}


def test_a_body_django_cannot_read_is_a_json_400(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    response = api.generic(
        "POST", "/api/v1/directives/parse/", b"--\r\n", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert response.json() == {"code": "malformed", "detail": "Không đọc được yêu cầu gửi lên.", "errors": []}


def test_unreadable_json_is_malformed_in_vietnamese(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    response = api.generic("POST", "/api/v1/directives/parse/", b"{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "malformed", "detail": "Không đọc được dữ liệu JSON.", "errors": []}


def test_an_id_past_the_databases_integers_is_a_400_not_a_500(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    response = api.get("/api/v1/units/", {"parent": "9" * 25})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["parent"]
    assert api.get("/api/v1/units/", {"parent": str(2**63 - 1)}).json()["count"] == 0


def test_an_address_without_its_final_slash_works_for_reads_and_writes(issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    assert api.get("/api/v1/units").json()["count"] == api.get("/api/v1/units/").json()["count"]
    response = api.post("/api/v1/directives/parse", {"text": "1. Sở Y tế: báo cáo."}, format="json")
    assert response.status_code == 200 and response.json()["tasks"]
    assert api.post("/api/v1/units", {}, format="json").json()["code"] == "method_not_allowed"


def test_drf_words_that_cannot_be_translated_come_in_vietnamese(issue_token, bearer, coordinator):
    api = bearer(issue_token("vpdp-ntm-tinh"))
    wrong_method = api.put("/api/v1/directives/parse/", {"text": "x"}, format="json").json()
    assert wrong_method["detail"] == "Không cho phép phương thức PUT tại đây."
    null_body = api.generic("POST", "/api/v1/cement-uses/", "null", content_type="application/json").json()
    assert [error["detail"] for error in null_body["errors"]] == ["Hãy gửi dữ liệu dạng một đối tượng JSON."]
    from rest_framework.test import APIClient

    session = APIClient(enforce_csrf_checks=True)
    session.force_login(coordinator)
    refused = session.post("/api/v1/directives/parse/", {"text": "x"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
    assert refused.json()["detail"].startswith("Phiên đăng nhập phải gửi kèm mã CSRF")
    # OPTIONS describes nothing in English: the schema is the description.
    assert api.options("/api/v1/units/").status_code == 405


def test_a_step_the_role_never_takes_says_so(issue_token, bearer):
    """A district's token allocating funds is refused for its role, not as "read only"."""
    api = bearer(issue_token("vpdp-ntm-huyen-dai-tu"))
    response = api.post("/api/v1/fund-allocations/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "Vai trò của bạn không được làm việc này.",
        "errors": [],
    }
