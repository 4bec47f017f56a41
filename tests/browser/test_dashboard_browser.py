"""The leadership dashboard in a real browser, on the demo as ``make run`` leaves it: the
demo leader lands on it after logging in and reads the figures of notice 58/TB-UBND
(06/07/2020: 103 communes at the standard against the target of 100, 17,23 criteria per
commune on average); the charts and the map are drawn; no request leaves the portal; a
screenshot and a print to PDF (A4) are saved in test-artifacts/. A district officer's
dashboard shows only their district."""

import pytest
from playwright.sync_api import expect

from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS
from tests.browser.test_demo_cycle_browser import demo, demo_copy, log_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("distribution", "districts", "criteria", "trend", "cement", "funds")


def outside_requests(page, live_server) -> list[str]:
    """Collects the URL of every request the page makes to another origin."""
    found: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:", "about:"))
            else found.append(request.url)
        ),
    )
    return found


def test_leader_reads_the_dashboard_and_a_district_officer_only_their_district(page, live_server, demo):  # noqa: F811
    outside = outside_requests(page, live_server)
    # Logging in with no page asked for, the leader lands on the dashboard.
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_test_id("card-recognised")).to_have_text("103")
    expect(page.get_by_test_id("card-target")).to_have_text("100")
    expect(page.get_by_test_id("card-average")).to_have_text("17,23")
    expect(page.get_by_test_id("card-under-low")).to_have_text("0")
    expect(page.get_by_test_id("target-note")).to_contain_text("Đã đạt mục tiêu năm 2020")
    for chart in CHARTS:
        expect(page.locator(f'canvas[data-chart="{chart}"]')).to_have_attribute("data-drawn", "true")
    commune_map = page.locator("#commune-map")
    expect(commune_map).to_have_attribute("data-drawn", "true")
    assert int(commune_map.get_attribute("data-markers")) > 100
    cutoffs = page.get_by_test_id("cutoff").all_inner_texts()
    assert len(cutoffs) >= 15 and all(text.startswith("Số liệu tính đến") for text in cutoffs)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-leader.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("dashboard-filter")).to_be_hidden()
    pdf = page.pdf(path=str(ARTIFACTS / "dashboard-leader.pdf"), format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    assert outside == []
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []

    log_in(page, live_server, "daitu", "/dashboard/")
    expect(page.get_by_test_id("card-meeting")).to_be_visible()
    heading = page.get_by_test_id("dashboard-heading")
    expect(heading).to_be_visible()
    district_labels = page.evaluate(
        "JSON.parse(document.getElementById('dashboard-charts').textContent).charts.districts.labels"
    )
    assert district_labels == ["Đại Từ"]
    areas = page.locator("#id_unit option").all_inner_texts()
    assert not any("Phú Bình" in area for area in areas)
    expect(page.locator("body")).not_to_contain_text("Huyện Phú Bình")
    page.screenshot(path=str(ARTIFACTS / "dashboard-district-officer.png"), full_page=True)
    assert outside == []
