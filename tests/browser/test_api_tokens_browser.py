"""API keys in a real browser: the demo coordinator issues a key through the form, sees
it once (copied with the button, under the strict CSP), cannot see it again by reloading,
and revokes it from the list; the key then stops working."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken
from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _call_units(live_server, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the test's own server, http)
        f"{live_server.url}/api/v1/units/?page_size=2", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_coordinator_issues_a_key_sees_it_once_and_revokes_it(page, live_server, loaded_db):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    # The coordinator's menu bar, the longest, fits a 1280-pixel screen.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.get_by_test_id("current-user").click()  # the key pages are in the user's menu
    page.get_by_test_id("menu-api-tokens").click()
    page.wait_for_url("**/tokens/")
    expect(page.get_by_test_id("tokens")).to_contain_text("Chưa cấp khóa API nào.")
    page.get_by_test_id("token-new").click()
    page.wait_for_url("**/tokens/new/")
    expect(page.locator("#id_expires_on")).to_have_value("28/02/2027")  # 90 days ahead

    # A date past the limit comes back on its field, nothing issued.
    page.fill("#id_name", "Hệ thống báo cáo tổng hợp")
    page.select_option(
        "#id_agency", label="Hệ thống báo cáo tổng hợp của tỉnh (minh họa) · Hệ thống kết nối (API)"
    )
    page.get_by_label("Chỉ đọc").check()
    page.fill("#id_expires_on", "31/12/2027")
    page.get_by_role("button", name="Cấp khóa").click()
    expect(page.get_by_test_id("error-expires_on")).to_have_text(
        "Hiệu lực đến: Khóa có hiệu lực tối đa một năm; hãy chọn ngày sớm hơn."
    )
    assert not ApiToken.objects.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-token-form-refused.png"), full_page=True)
    page.fill("#id_expires_on", "28/02/2027")
    page.get_by_role("button", name="Cấp khóa").click()

    expect(page.get_by_test_id("key-warning")).to_contain_text("khóa sẽ không được hiển thị lại")
    key = page.get_by_test_id("token-key").input_value()
    token = ApiToken.objects.get()
    assert key.startswith(f"ntm_{token.prefix}_")
    expect(page.get_by_test_id("token-curl")).to_have_text(
        f'curl -H "Authorization: Bearer {key}" {live_server.url}/api/v1/units/'
    )
    page.get_by_test_id("copy-key").click()
    expect(page.get_by_test_id("copy-key")).to_have_text("Đã sao chép")
    assert page.evaluate("navigator.clipboard.readText()") == key
    page.screenshot(path=str(ARTIFACTS / "api-token-issued.png"), full_page=True)

    status, body = _call_units(live_server, key)
    assert status == 200 and body["count"] > 0

    # Reloading sends the form again: no second token, no key on the page.
    page.reload()
    expect(page.get_by_test_id("form-notice")).to_contain_text("khóa đã được cấp và sẽ không hiển thị lại")
    assert key not in page.content()
    assert ApiToken.objects.count() == 1

    page.goto(f"{live_server.url}/tokens/")
    row = page.get_by_test_id("token-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("token-state")).to_have_text("Còn hiệu lực")
    expect(row.get_by_test_id("token-access")).to_have_text("Chỉ đọc")
    expect(row.get_by_test_id("token-role")).to_have_text("Hệ thống kết nối (API)")
    expect(row.get_by_test_id("token-valid-until")).to_have_text("28/02/2027")
    assert key not in page.content()
    row.get_by_text("Thu hồi", exact=True).click()  # opens the confirmation
    expect(row.get_by_test_id("token-revoke-confirm")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "api-token-list-revoke.png"), full_page=True)
    row.get_by_test_id("token-revoke-confirm").click()
    page.wait_for_url("**/tokens/")
    expect(page.get_by_role("alert")).to_contain_text("Đã thu hồi khóa “Hệ thống báo cáo tổng hợp”")
    expect(page.get_by_test_id("token-row").get_by_test_id("token-state")).to_contain_text("Đã thu hồi")
    expect(page.get_by_test_id("token-revoke")).to_have_count(0)

    status, body = _call_units(live_server, key)
    assert status == 401 and body["code"] == "token_revoked"
    # The refused form (400) and the form sent again (409) are logged by the browser; nothing else.
    assert [e for e in page.console_errors if "status of 400" not in e and "status of 409" not in e] == []
