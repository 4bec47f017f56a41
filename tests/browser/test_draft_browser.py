"""In a real browser: a coordinator pastes notice 58/TB-UBND, splits a task of the draft,
gives two tasks another lead agency in one go, confirms, and reads the directive saved.
Screenshots land in test-artifacts/."""

from pathlib import Path

import pytest

from accounts.services import DEMO_PASSWORD
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED = Path(__file__).resolve().parents[2] / "directives" / "seeds" / "thong-bao-58-TB-UBND-2020.txt"


def test_coordinator_pastes_splits_changes_agencies_in_bulk_and_confirms(page, live_server, loaded_db):
    from directives.models import Directive, DirectiveDraft

    page.goto(live_server.url + "/login/?next=/directives/new/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/directives/new/")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Đề xuất nhiệm vụ").click()
    page.wait_for_url("**/directives/drafts/*/")
    tasks = page.get_by_test_id("draft-task")
    assert tasks.count() == 14
    assert "Trang 1/1 · 14 nhiệm vụ" in page.get_by_test_id("page-info").inner_text()

    # Split task 1 into two typed parts: both keep its agencies.
    agencies = tasks.first.get_by_test_id("task-agencies").inner_text()
    tasks.first.get_by_test_id("task-split").click()
    page.wait_for_selector("[data-testid=split-form]")
    page.fill("#id_first", "Rà soát mục tiêu giai đoạn 2016-2020 của các xã.")
    page.fill("#id_second", "Tổ chức thực hiện hoàn thành các mục tiêu đã rà soát.")
    page.get_by_test_id("split-save").click()
    page.wait_for_selector("text=Đã tách nhiệm vụ 1 thành hai nhiệm vụ.")
    assert tasks.count() == 15
    second = page.locator("#task-2")
    assert (
        second.get_by_test_id("task-text").inner_text()
        == "Tổ chức thực hiện hoàn thành các mục tiêu đã rà soát."
    )
    assert second.get_by_test_id("task-agencies").inner_text() == agencies

    # Tick tasks 1 and 2, give them Sở Tài chính as their only lead agency.
    page.locator("#task-1 [data-testid=tick]").check()
    page.locator("#task-2 [data-testid=tick]").check()
    page.select_option("#id_action", "set_leads")
    page.select_option("#id_agencies", label="Sở TC")
    page.get_by_test_id("bulk-apply").click()
    page.wait_for_selector("text=Đã áp dụng cho 2 nhiệm vụ.")
    for number in (1, 2):
        leads = page.locator(f"#task-{number} [data-role=lead]").all_inner_texts()
        assert leads == ["Sở TC"]
    assert page.locator("#task-3 [data-role=lead]").all_inner_texts() != ["Sở TC"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "directive-draft.png"), full_page=True)

    page.get_by_test_id("confirm").click()
    page.wait_for_selector("[data-testid=section]")
    assert page.get_by_test_id("task").count() == 15
    assert "Đã lưu văn bản 58/TB-UBND với 15 nhiệm vụ." in page.content()
    directive = Directive.objects.get(number="58/TB-UBND")
    first = directive.tasks.get(position=1)
    assert list(first.assignments.filter(role="lead").values_list("agency__code", flat=True)) == [
        "so-tai-chinh"
    ]
    assert not DirectiveDraft.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "directive-from-draft.png"), full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
