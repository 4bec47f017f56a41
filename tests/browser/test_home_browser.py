"""In a real browser: headless Chromium (Debian's package) driven by Playwright."""

import pytest

from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_coordinator_logs_in_and_finds_thai_nguyens_districts(page, live_server, loaded_db):
    page.goto(live_server.url + "/")
    assert "Đăng nhập" in page.title()
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Trước sắp xếp năm 2025").click()
    page.wait_for_selector("text=Cơ cấu có hiệu lực ngày 30/06/2025.")
    assert page.input_value("#id_on") == "30/06/2025"
    assert "Nguyễn Thị Điều Phối" in page.get_by_test_id("current-user").inner_text()
    thai_nguyen, bac_kan = page.locator("[data-testid=tree-root]").all()
    assert bac_kan.locator("h2").inner_text() == "Tỉnh Bắc Kạn"  # merged into Thái Nguyên in 2025
    rows = thai_nguyen.locator("[data-testid=district-row] th a").all_inner_texts()
    assert rows == [
        "Thành phố Thái Nguyên",
        "Thành phố Sông Công",
        "Huyện Định Hóa",
        "Huyện Phú Lương",
        "Huyện Đồng Hỷ",
        "Huyện Võ Nhai",
        "Huyện Đại Từ",
        "Thành phố Phổ Yên",
        "Huyện Phú Bình",
    ]
    assert thai_nguyen.locator("[data-testid=rural-count]").inner_text() == "121 xã"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-coordinator.png"), full_page=True)
    # The htmx swap replaced only the tree, and nothing broke the page's own policy.
    assert page.locator("#tree").count() == 1
    assert "/?on=30/06/2025" in page.url
    # A day typed in dd/mm/yyyy is read day-first: 01/08/2025 is 1 August, after the reform.
    page.fill("#id_on", "01/08/2025")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_selector("text=Cơ cấu có hiệu lực ngày 01/08/2025.")
    assert page.locator("[data-testid=commune-count]").inner_text() == "92 đơn vị cấp xã"
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_search_as_you_type_finds_dong_hy_without_accents(page, live_server, loaded_db):
    page.goto(live_server.url + "/login/?next=/units/search/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/units/search/")
    page.fill("#id_q", "dong hy")
    page.wait_for_selector("[data-testid=search-result]")
    assert page.locator("#results").count() == 1  # swapped, not nested
    assert "Huyện Đồng Hỷ" in page.locator("#results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)


def test_the_api_documentation_renders_under_the_content_security_policy(page, live_server, loaded_db):
    page.goto(live_server.url + "/login/?next=/api/v1/docs/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/api/v1/docs/")
    page.wait_for_selector("#swagger-ui .swagger-ui")
    assert page.console_errors == []


def test_a_hamlet_name_of_one_long_word_wraps_instead_of_widening_the_page(page, live_server, loaded_db):
    from communes.models import AdministrativeUnit, UnitKind, UnitLevel

    commune = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    long_name = "Xóm" + "Đồngtâmthượnghạ" * 9  # one word of 138 letters, as pasted from a code list
    AdministrativeUnit.objects.create(
        name=long_name,
        short_name=long_name,
        kind=UnitKind.HAMLET,
        level=UnitLevel.HAMLET,
        parent=commune,
        valid_from=commune.valid_from,
    )
    page.set_viewport_size({"width": 800, "height": 900})  # a tablet, or a half-screen window
    page.goto(live_server.url + f"/login/?next=/units/{commune.pk}/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/units/{commune.pk}/")
    assert page.get_by_test_id("children").inner_text().startswith("Xóm")
    # No horizontal scroll bar: the name breaks inside the list instead.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.goto(live_server.url + "/units/search/?q=" + long_name[:40])
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
