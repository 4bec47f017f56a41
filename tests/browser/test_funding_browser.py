"""The cement reserve proposal in a real browser: a coordinator enters the 2020 reserve,
reads the ranked proposal, adjusts two shares (the running total says when they no
longer add up), approves it with the decision and lands on the recorded reserve batch."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.services import DEMO_PASSWORD
from funding.models import CementBatch
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_funding(loaded_db):
    call_command("load_demo_funding", stdout=io.StringIO())


def test_coordinator_makes_adjusts_and_approves_the_reserve_proposal(page, live_server, demo_funding):
    page.goto(f"{live_server.url}/login/?next=/funding/cement/reserve/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/funding/cement/reserve/")
    expect(page.get_by_test_id("menu-funding")).to_be_visible()
    page.fill("#id_year", "2020")
    page.select_option("#id_level", "district")
    page.fill("#id_reserve", "500")
    page.get_by_test_id("propose").click()
    rows = page.get_by_test_id("proposal-row")
    expect(rows).to_have_count(9)
    proposed = [int(text) for text in page.get_by_test_id("proposed").all_inner_texts()]
    assert sum(proposed) == 500 and proposed == sorted(proposed, reverse=True)
    expect(page.get_by_test_id("proposed-total")).to_have_text("500")
    expect(page.get_by_test_id("share-total")).to_have_text("500 ✓")
    # Move 10 t from the first unit to the last: while only the first is changed the
    # total is 490 and says so.
    shares = page.get_by_test_id("share")
    shares.first.fill(str(proposed[0] - 10))
    expect(page.get_by_test_id("share-total")).to_have_text("490 ≠ 500")
    shares.last.fill(f"{proposed[-1] + 10},5")
    expect(page.get_by_test_id("share-total")).to_have_text("500,5 ≠ 500")
    page.fill("#id_decision_number", "2050/QĐ-UBND")
    page.fill("#id_decision_date", "20/07/2020")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("shares-error")).to_contain_text("500,5")  # refused: nothing recorded
    assert not CementBatch.objects.filter(kind="reserve").exists()
    page.get_by_test_id("share").last.fill(str(proposed[-1] + 10))
    expect(page.get_by_test_id("share-total")).to_have_text("500 ✓")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "funding-reserve-proposal.png"), full_page=True)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("batch-title")).to_contain_text("2050/QĐ-UBND")
    expect(page.get_by_test_id("batch-total")).to_contain_text("500")
    page.screenshot(path=str(ARTIFACTS / "funding-reserve-approved.png"), full_page=True)
    reserve = CementBatch.objects.get(kind="reserve")
    assert sum(a.tonnes for a in reserve.allocations.all()) == 500
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
