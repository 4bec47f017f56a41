"""The assessment form in a real browser: values typed, criterion evaluated live (htmx),
saved, and the history shows who changed what."""

import pytest
from playwright.sync_api import expect

from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_sees_a_criterion_turn_met_while_typing_and_saves(page, live_server, draft):
    page.goto(f"{live_server.url}/login/?next=/criteria/assessments/{draft.pk}/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/criteria/assessments/{draft.pk}/")
    card = page.locator("[data-testid=criterion-card]")
    assert card.locator("[data-testid=criterion-outcome]").inner_text() == "Không đạt"
    page.get_by_label("15.1", exact=True).fill("84,9")
    page.get_by_label("15.1", exact=True).dispatch_event("change")
    expect(page.locator("[data-testid='indicator-15.1'] [data-testid=outcome]")).to_have_text("Không đạt")
    page.get_by_label("15.1", exact=True).fill("85")
    page.get_by_label("15.1", exact=True).dispatch_event("change")
    expect(page.locator("[data-testid='indicator-15.1'] [data-testid=outcome]")).to_have_text("Đạt")
    # Typing an evidence note right after a value: a live check must not wipe it.
    page.get_by_label("15.1 Minh chứng").fill("Báo cáo của Bảo hiểm xã hội huyện")
    page.get_by_label("15.2 Đạt / Không đạt").select_option("1")
    expect(page.locator("[data-testid=criterion-outcome]")).to_have_text("Đạt")
    expect(page.locator("[data-testid=criteria-met]")).to_have_text("Đạt 1/1 tiêu chí")  # live, before saving
    page.get_by_role("button", name="Lưu số liệu").click()
    page.wait_for_selector("text=Đã lưu. Đạt 1/1 tiêu chí.")
    assert page.locator("[data-testid=criteria-met]").inner_text() == "Đạt 1/1 tiêu chí"
    assert page.get_by_label("15.1 Minh chứng").input_value() == "Báo cáo của Bảo hiểm xã hội huyện"
    history = page.locator("[data-testid=history]").inner_text()
    assert "15.1" in history and "Nguyễn Thị Điều Phối" in history
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "assessment-form.png"), full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    draft.refresh_from_db()
    assert (draft.criteria_met, draft.meets_standard) == (1, True)
