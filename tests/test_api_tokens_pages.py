"""The API key pages (issue 13): a coordinator issues a key in the portal, sees it once,
finds it in the list and revokes it; nobody else may open these pages."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Agency, ApiToken, TokenAccess, User
from accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

LIST, NEW = reverse("api-token-list"), reverse("api-token-new")
UNITS = "/api/v1/units/"


def _form(client):
    """Open the form as a browser does; answer its one-time value."""
    response = client.get(NEW)
    assert response.status_code == 200
    return response.context["once"]


def _valid(client, **changes) -> dict:
    data = {
        "name": "Hệ thống báo cáo tổng hợp",
        "agency": Agency.objects.get(code="trung-tam-thong-tin-tinh").pk,
        "access": TokenAccess.READ,
        "expires_on": "28/02/2027",
        "once": _form(client),
    }
    return {**data, **changes}


def _issue(client, **changes) -> str:
    response = client.post(NEW, _valid(client, **changes))
    assert response.status_code == 200
    return response.context["key"]


def _text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def _rows(response) -> list[str]:
    html = response.content.decode()
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r'<tr data-testid="token-row".*?</tr>', html, flags=re.S)
    ]


def test_the_form_offers_assignable_agencies_by_kind_and_a_90_day_expiry(client, coordinator):
    client.force_login(coordinator)
    response = client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="28/02/2027"' in html  # 30/11/2026 + 90 days
    assert '<optgroup label="Sở, ngành của tỉnh">' in html
    assert ">Sở Xây dựng · Cán bộ sở, ngành</option>" in html
    assert ">Văn phòng Điều phối nông thôn mới tỉnh · Điều phối viên cấp tỉnh</option>" in html
    assert ">Văn phòng Điều phối nông thôn mới huyện Đại Từ · Cán bộ cấp huyện</option>" in html
    # The radio of the access, read only ticked.
    assert re.search(r'<input type="radio" name="access" value="read"[^>]*checked', html)


def test_an_inactive_agency_is_not_offered(client, coordinator):
    Agency.objects.filter(code="bao-thai-nguyen").update(is_active=False)
    client.force_login(coordinator)
    html = client.get(NEW).content.decode()
    assert Agency.objects.get(code="bao-thai-nguyen").name not in html


def test_coordinator_issues_a_key_that_is_shown_once_and_stored_as_a_digest(client, coordinator):
    client.force_login(coordinator)
    response = client.post(NEW, _valid(client))
    assert response.status_code == 200
    key = response.context["key"]
    token = ApiToken.objects.get()
    assert key.startswith(f"ntm_{token.prefix}_")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.name, token.prefix, token.key_hash, token.user.username, token.user.password}
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    assert "Đã cấp khóa cho “Hệ thống báo cáo tổng hợp”" in text
    assert "Hãy sao chép khóa ngay bây giờ: khóa sẽ không được hiển thị lại." in text
    assert (
        f'curl -H "Authorization: Bearer {key}" http://testserver/api/v1/units/' in response.content.decode()
    )
    assert "Hiệu lực đến hết ngày 28/02/2027" in text
    assert "Vai trò của khóa Hệ thống kết nối (API)" in text
    # The list shows the token, never its key.
    listing = client.get(LIST)
    assert key not in listing.content.decode()
    assert _rows(listing) == [
        f"Hệ thống báo cáo tổng hợp ntm_{token.prefix}_… Trung tâm Thông tin tỉnh Chỉ đọc "
        "Hệ thống kết nối (API) coordinator 30/11/2026 09:00 28/02/2027 chưa dùng Còn hiệu lực "
        "Thu hồi Thu hồi khóa của “Hệ thống báo cáo tổng hợp”? Hệ thống sẽ không thể gọi API "
        "bằng khóa này nữa; không thể hoàn tác. Thu hồi khóa"
    ]


def test_reloading_the_page_of_the_key_issues_nothing_and_shows_no_key(client, coordinator):
    client.force_login(coordinator)
    data = _valid(client)
    key = client.post(NEW, data).context["key"]
    again = client.post(NEW, data)  # the browser sends the same form again
    assert again.status_code == 409
    assert ApiToken.objects.count() == 1
    assert key not in again.content.decode()
    assert "Biểu mẫu này đã được gửi: khóa đã được cấp và sẽ không hiển thị lại." in _text(again)
    # The form comes back filled in, with a new one-time value: sent on purpose, it issues.
    assert again.context["form"]["name"].value() == "Hệ thống báo cáo tổng hợp"
    assert client.post(NEW, {**data, "once": again.context["once"]}).status_code == 200
    assert ApiToken.objects.count() == 2


def test_the_key_reads_the_units_until_it_is_revoked(client, coordinator):
    client.force_login(coordinator)
    key = _issue(client, access=TokenAccess.READ_WRITE)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get(UNITS)
    assert response.status_code == 200
    assert response.json()["count"] > 0
    token = ApiToken.objects.get()
    row = _rows(client.get(LIST))[0]
    assert "Đọc và ghi" in row
    assert "coordinator 30/11/2026 09:00 28/02/2027 30/11/2026 09:00 Còn hiệu lực" in row

    response = client.post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST
    listing = client.get(LIST)
    assert "Đã thu hồi khóa “Hệ thống báo cáo tổng hợp”: hệ thống không thể gọi API bằng khóa này nữa." in (
        _text(listing)
    )
    row = _rows(listing)[0]
    assert "Đã thu hồi 30/11/2026 09:00, bởi coordinator" in row
    assert "Thu hồi khóa" not in row  # no button for a revoked key
    token.refresh_from_db()
    assert token.revoked_by == coordinator
    assert not token.user.is_active
    refused = api.get(UNITS)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    # Revoking it again changes nothing and says so.
    client.post(reverse("api-token-revoke", args=[token.pk]))
    assert "Khóa “Hệ thống báo cáo tổng hợp” đã bị thu hồi từ trước." in _text(client.get(LIST))


def test_an_expired_key_is_shown_expired_without_a_revoke_button(client, coordinator, frozen_time):
    api_token_issue(
        user=coordinator,
        agency=Agency.objects.get(code="so-xay-dung"),
        name="Hệ thống cũ",
        access=TokenAccess.READ,
        expires_on=datetime.date(2026, 12, 1),
    )
    frozen_time.move_to(datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC))  # 07:00 in Vietnam
    client.force_login(coordinator)
    row = _rows(client.get(LIST))[0]
    assert "01/12/2026 chưa dùng Đã hết hạn" in row
    assert "Thu hồi" not in row


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "Tên hệ thống: Hãy nhập tên hệ thống sẽ dùng khóa."),
        ({"name": "x" * 121}, "name", "Tên hệ thống: Giá trị này chỉ có tối đa 120 kí tự (hiện có 121)"),
        ({"expires_on": "29/11/2026"}, "expires_on", "Hiệu lực đến: Ngày hết hạn phải sau hôm nay."),
        ({"expires_on": "30/11/2026"}, "expires_on", "Hiệu lực đến: Ngày hết hạn phải sau hôm nay."),
        (
            {"expires_on": "02/12/2027"},
            "expires_on",
            "Hiệu lực đến: Khóa có hiệu lực tối đa một năm; hãy chọn ngày sớm hơn.",
        ),
        (
            {"expires_on": ""},
            "expires_on",
            "Hiệu lực đến: Hãy nhập ngày cuối cùng khóa còn dùng được (dd/mm/yyyy).",
        ),
        ({"agency": ""}, "agency", "Cơ quan: Hãy chọn cơ quan mà khóa hoạt động thay mặt."),
        (
            {"access": "admin"},
            "access",
            "Quyền truy cập: Hãy chọn một lựa chọn hợp lệ: “admin” không có trong danh sách.",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_in_vietnamese_and_saves_nothing(
    client, coordinator, changes, field, message
):
    client.force_login(coordinator)
    users = User.objects.count()
    response = client.post(NEW, _valid(client, **changes))
    assert response.status_code == 400
    errors = re.findall(rf'data-testid="error-{field}">([^<]*)<', response.content.decode())
    assert errors == [message]
    controls = re.findall(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', response.content.decode())
    assert controls and all("is-invalid" in control for control in controls)
    assert ApiToken.objects.count() == 0
    assert User.objects.count() == users


def test_a_key_may_live_exactly_a_year_and_a_day(client, coordinator):
    """Today plus 366 days (TOKEN_MAX_DAYS) is the latest expiry the service accepts."""
    client.force_login(coordinator)
    _issue(client, expires_on="01/12/2027")
    assert ApiToken.objects.get().expires_at == datetime.datetime(2027, 12, 2, tzinfo=datetime.UTC) - (
        datetime.timedelta(hours=7)
    )


@pytest.mark.parametrize("persona", ["dai_tu_officer", "leader", "department_officer"])
def test_only_a_coordinator_opens_the_token_pages(request, client, coordinator, persona):
    client.force_login(coordinator)
    data = _valid(client)
    key = _issue(client)
    token = ApiToken.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data).status_code == 403
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None
    assert key not in client.get(LIST).content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    for response in (client.get(LIST), client.get(NEW), client.post(reverse("api-token-revoke", args=[1]))):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_revoking_an_unknown_token_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("api-token-revoke", args=[999999])).status_code == 404
    assert client.get(reverse("api-token-revoke", args=[1])).status_code == 405


def test_the_menu_links_the_keys_for_coordinators_and_the_docs_for_everyone(client, coordinator, leader):
    client.force_login(coordinator)
    html = client.get(reverse("notifications")).content.decode()
    assert f'href="{LIST}" data-testid="menu-api-tokens">Khóa API</a>' in html
    assert 'href="/api/v1/docs/" data-testid="menu-api-docs">Tài liệu API</a>' in html
    client.force_login(leader)
    html = client.get(reverse("notifications")).content.decode()
    assert "menu-api-tokens" not in html
    assert "menu-api-docs" in html


def test_the_list_has_50_keys_a_page_newest_first_in_a_fixed_number_of_queries(
    client, coordinator, frozen_time
):
    agency = Agency.objects.get(code="trung-tam-thong-tin-tinh")
    for number in range(1, 52):
        api_token_issue(
            user=coordinator,
            agency=agency,
            name=f"Hệ thống {number}",
            access=TokenAccess.READ,
            expires_on=datetime.date(2027, 1, 1),
        )
        frozen_time.shift(60)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(LIST)
    rows = _rows(first)
    assert len(rows) == 50
    assert rows[0].startswith("Hệ thống 51 ")
    assert rows[-1].startswith("Hệ thống 2 ")
    assert "Trang 1/2" in _text(first)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(LIST, {"page": 2})
    assert [row.split(" ntm_")[0] for row in _rows(second)] == ["Hệ thống 1"]
    assert len(first_queries) == len(second_queries)


def test_the_service_refuses_a_name_longer_than_the_column_on_its_field(coordinator):
    """Another caller than the form (the admin, a script) gets the field's error, not a
    database error."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        api_token_issue(
            user=coordinator,
            agency=Agency.objects.get(code="so-xay-dung"),
            name="x" * 121,
            access=TokenAccess.READ,
            expires_on=datetime.date(2027, 1, 1),
        )
    assert refused.value.message_dict == {"name": ["Tên quá dài: tối đa 120 ký tự."]}
    assert not ApiToken.objects.exists()
