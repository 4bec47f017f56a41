"""In a real browser: a coordinator opens notice 58/TB-UBND (tasks by section, every
agency in its status colour), then the overdue board; nothing breaks the page's Content
Security Policy. Screenshots land in test-artifacts/."""

import io

import pytest
from django.core.management import call_command

from accounts.services import DEMO_PASSWORD, demo_users_ensure
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(django_db_setup, django_db_blocker):
    """Units, agencies, demo users and the seed directive; Đại Từ has done one task."""
    from directives.models import Assignment
    from directives.services.assignments import assignment_mark_done

    call_command("load_admin_units", province="19", verbosity=0)
    call_command("load_missing", "agencies_thai_nguyen", verbosity=0)
    demo_users_ensure()
    call_command("load_seed_directive", stdout=io.StringIO())
    from accounts.models import User

    dai_tu = Assignment.objects.get(task__position=7, agency__code="ubnd-huyen-dai-tu")
    assignment_mark_done(
        user=User.objects.get(username="daitu"), assignment=dai_tu, note="Đã giải ngân hết vốn."
    )


def test_coordinator_reads_the_directive_and_the_overdue_board(page, live_server, seeded):
    page.goto(live_server.url + "/login/?next=/directives/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/directives/")
    page.get_by_role("link", name="58/TB-UBND").click()
    page.wait_for_selector("[data-testid=section]")

    assert page.get_by_test_id("section").count() == 3
    assert page.get_by_test_id("task").count() == 14
    deadlines = page.get_by_test_id("task-deadline").all_inner_texts()
    assert deadlines == ["17/07/2020", "15/07/2020", "31/12/2020"]
    # The office on its two dated tasks; each district's UBND and BCĐ on the task due
    # "đến cuối năm 2020".
    overdue = page.locator("[data-testid=assignment][data-bucket=open_overdue]")
    texts = overdue.all_inner_texts()
    assert texts[:2] == ["VPĐP NTM tỉnh", "VPĐP NTM tỉnh"] and len(texts) == 2 + 9 + 9
    assert "UBND Đại Từ" in texts and "BCĐ NTM Đại Từ (phối hợp)" in texts
    done = page.locator("[data-testid=assignment][data-bucket=done_on_time]")
    assert done.all_inner_texts() == ["UBND Đại Từ"]
    # Overdue badges are red, done ones green: the colours a user reads.
    assert "text-bg-danger" in overdue.first.get_attribute("class")
    assert "text-bg-success" in done.first.get_attribute("class")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "directive-58.png"), full_page=True)

    page.goto(live_server.url + "/directives/board/")
    rows = page.get_by_test_id("board-row")
    first = rows.first
    assert first.get_attribute("data-agency") == "VPĐP NTM tỉnh"
    assert first.get_by_test_id("open_overdue").inner_text() == "2"
    dai_tu = page.locator("[data-testid=board-row][data-agency='UBND Đại Từ']")
    assert dai_tu.get_by_test_id("done_on_time").inner_text() == "1"
    assert page.get_by_test_id("overdue-count").inner_text() == "11"
    assert page.get_by_test_id("overdue-row").count() == 11
    page.screenshot(path=str(ARTIFACTS / "directive-board.png"), full_page=True)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
