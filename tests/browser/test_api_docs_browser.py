"""In a real browser: the API's two documentation pages, Swagger UI and ReDoc, render
from our own static files under the portal's Content Security Policy (no violation in
the console), anonymously (they are public), with the Vietnamese description; a logged-in
coordinator tries a call from Swagger UI. Screenshots land in test-artifacts/."""

import pytest

from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every CSP violation the page reports, also those a console might not show.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    """The page, with every console message, page error and CSP violation recorded, and
    no request leaving the test server (no CDN)."""
    page.messages = []
    page.outside = []
    page.on("console", lambda message: page.messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: page.messages.append(f"pageerror: {error}"))
    page.on(
        "request",
        lambda request: (
            request.url.startswith(("http://localhost", "http://127.0.0.1", "blob:", "data:"))
            or page.outside.append(request.url)
        ),
    )
    page.add_init_script(_RECORD_VIOLATIONS)
    return page


def _assert_clean(page):
    violations = page.evaluate("window.__cspViolations")
    assert violations == []
    assert [m for m in page.messages if "Content Security Policy" in m or "pageerror" in m] == []
    assert page.outside == []


def _operations_in_schema(client) -> set[str]:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    return {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_swagger_ui_lists_every_operation_under_the_csp_for_anyone(watched, live_server, loaded_db, client):
    page = watched
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.title() == "API Cổng NTM · Swagger UI"
    assert page.locator("html").get_attribute("lang") == "vi"
    # The schema's Vietnamese description is shown above the operations.
    info = page.locator(".swagger-ui .info")
    assert "API Cổng NTM" in info.locator(".title").inner_text()
    assert "Authorization: Bearer ntm_" in info.inner_text()
    assert "Danh sách: phân trang, sắp xếp, tìm kiếm" in info.inner_text()
    # Each tag shows what people call its resource.
    units = page.locator('.opblock-tag[data-tag="units"]')
    assert "Đơn vị hành chính" in units.inner_text()
    # Every operation of the schema is listed (the tags are expanded: docExpansion=list).
    shown = {
        f"{block.locator('.opblock-summary-method').inner_text()} {block.locator('.opblock-summary-path').get_attribute('data-path')}"
        for block in page.locator(".opblock").all()
    }
    assert shown == _operations_in_schema(client)
    assert "GET /api/v1/units/" in shown
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-swagger.png"), full_page=False)
    _assert_clean(page)


def test_a_coordinator_tries_a_call_from_swagger_ui(watched, live_server, loaded_db):
    page = watched
    page.goto(live_server.url + "/login/?next=/api/v1/docs/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/api/v1/docs/")
    # A logged-in coordinator is offered the API keys page in the bar.
    assert page.get_by_test_id("api-docs-bar").get_by_role("link", name="Khóa API").count() == 1
    block = page.locator(".opblock-get", has=page.locator('[data-path="/api/v1/units/"]'))
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.locator('input[placeholder="level"], select').first.wait_for()
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    body = block.locator(".live-responses-table .microlight").first.inner_text()
    assert body.lstrip().startswith('{\n  "count": ') and '"results": [' in body
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "api-docs-swagger-try.png"), full_page=False)
    _assert_clean(page)


def test_redoc_renders_the_operations_and_searches_under_the_csp(watched, live_server, loaded_db, client):
    page = watched
    page.goto(live_server.url + "/api/v1/redoc/")
    page.wait_for_selector("#redoc-container .api-content")
    assert page.title() == "API Cổng NTM · ReDoc"
    # The description in Vietnamese, in the menu too, then one section per operation.
    assert page.locator("#redoc-container h1").first.inner_text().startswith("API Cổng NTM")
    menu = page.locator("#redoc-container .menu-content")
    for heading in (
        "Khóa API",
        "Lỗi",
        "Thay đổi đồng thời: ETag và If-Match",
        "Đơn vị hành chính",
        "Kỳ báo cáo",
    ):
        assert menu.get_by_text(heading, exact=True).count() == 1
    operations = page.locator("#redoc-container [data-section-id^='tag/'][data-section-id*='/operation/']")
    assert operations.count() == len(_operations_in_schema(client))
    # ReDoc's own words that it lets us translate are in Vietnamese.
    assert page.get_by_text("Mẫu câu trả lời").count() > 0
    # Its styles were applied (the nonce'd <style> elements, not refused): the menu is laid out.
    assert page.evaluate("document.querySelector('.menu-content').getBoundingClientRect().width") > 150
    # The search runs in a Web Worker made from a blob: URL (worker-src blob: on this page).
    page.get_by_role("textbox", name="Search").fill("units")
    results = page.locator("#redoc-container [data-role='search:results'] li")
    results.first.wait_for()
    assert (
        "GET\nCác đơn vị hành chính trong phạm vi của bên gọi, kèm quá trình sáp nhập"
        in results.all_inner_texts()
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-redoc.png"), full_page=False)
    _assert_clean(page)
