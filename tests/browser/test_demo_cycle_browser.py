"""Every role completes its part of the reporting cycle in a real browser, in the demo as
``make run`` leaves it (issue 11): the commune officer starts, fills and submits the
assessment of their commune; the district officer fills the Excel template of the
district, saved again by LibreOffice, uploads it and confirms; the coordinator returns one
submission and approves another; the submitters read what happened under the bell.

The demo is loaded by the very commands of the Makefile's ``prepare`` and ``demo``
targets. Loading it takes a while, and a browser test empties the database after it, so
on SQLite the loaded database is copied once per module and copied back before each test.
"""

import datetime
import re
import shlex
import sqlite3
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from accounts.models import Notification, User
from accounts.services import DEMO_PASSWORD
from communes.models import AdministrativeUnit
from criteria.models import Assessment, AssessmentStatus, CriteriaSet, Indicator
from criteria.services.demo import indicator_value
from criteria.services.demo_cycle import DEMO_SET_CODE, DISTRICT_PERIOD_CODE, RETURN_REASON
from tests.browser import ARTIFACTS
from tests.conftest import require
from tests.criteria import spreadsheets as books

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"
CURRENT_PERIOD = "2026-h2"  # the half-year of the tests' day, 30/11/2026


def makefile_commands(*targets: str) -> list[list[str]]:
    """The ``manage.py`` commands of ``targets`` in the Makefile, in order, as argument
    lists ("load_admin_units", "--province", "19"), without ``migrate`` (the test database
    is migrated) and without the environment set before a command."""
    commands, current = [], None
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([a-z]+):", line):
            current = match[1]
        elif current in targets and "$(MANAGE) " in line and line.startswith("\t"):
            arguments = shlex.split(line.split("$(MANAGE) ", 1)[1])
            if arguments[0] != "migrate":
                commands.append(arguments)
    return commands


@pytest.fixture(scope="module")
def demo_copy():
    """A copy of the loaded demo database (SQLite only), kept for the module's tests."""
    store: dict[str, sqlite3.Connection] = {}
    yield store
    if "db" in store:
        store["db"].close()


@pytest.fixture
def demo(transactional_db, demo_copy):
    """The database as ``make run`` leaves it (the Makefile's commands), at the tests' day."""
    connection.ensure_connection()
    if "db" in demo_copy:
        demo_copy["db"].backup(connection.connection)
        ContentType.objects.clear_cache()
        return
    for arguments in makefile_commands("prepare", "demo"):
        call_command(*arguments, stdout=StringIO(), stderr=StringIO())
    if connection.vendor == "sqlite":
        demo_copy["db"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(demo_copy["db"])


def log_in(page, live_server, username: str, path: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{path}")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def met_values() -> dict[Indicator, tuple[Decimal | None, bool | None]]:
    """A value meeting each indicator of the demo set, as the demo writes them."""
    indicators = Indicator.objects.filter(criterion__criteria_set__code=DEMO_SET_CODE).select_related(
        "criterion"
    )
    return {indicator: indicator_value(indicator, met=True, seed=1) for indicator in indicators}


def typed(number: Decimal) -> str:
    """A number as a Vietnamese officer types it: 86,5."""
    return format(number.normalize(), "f").replace(".", ",")


def test_the_browser_tests_load_the_demo_of_make_run():
    commands = [arguments[0] for arguments in makefile_commands("prepare", "demo")]
    assert commands[0] == "load_admin_units" and commands[-1] == "run_reminders"
    assert {"load_demo_assessments", "load_demo_cycle", "load_demo_directives"} <= set(commands)


def test_commune_officer_starts_fills_and_submits_the_assessment_of_their_commune(page, live_server, demo):
    commune = AdministrativeUnit.objects.get(code="05908", valid_until=None)  # Xã Phú Bình
    assert not Assessment.objects.filter(commune=commune).exists()
    log_in(page, live_server, "xaphubinh", f"/units/{commune.pk}/")
    expect(page.get_by_label("Kỳ báo cáo")).to_have_value(CURRENT_PERIOD)
    expect(page.get_by_label("Bộ tiêu chí").locator("option:checked")).to_contain_text("Bộ tiêu chí minh họa")
    page.get_by_role("button", name="Bắt đầu đánh giá").click()
    page.wait_for_url("**/criteria/assessments/*/")
    for indicator, (number, achieved) in met_values().items():
        if number is not None:
            page.get_by_label(indicator.code, exact=True).fill(typed(number))
        if achieved is not None:
            page.get_by_label(f"{indicator.code} Đạt / Không đạt", exact=True).select_option(
                "1" if achieved else "0"
            )
    page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.get_by_text("Đã lưu. Đạt 19/19 tiêu chí.")).to_be_visible()
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_test_id("who")).to_contain_text("Vũ Thị Bình")
    screenshot(page, "demo-commune-officer-submitted.png")
    assessment = Assessment.objects.get(commune=commune)
    assert (assessment.status, assessment.submitted_by.username, assessment.criteria_met) == (
        AssessmentStatus.SUBMITTED,
        "xaphubinh",
        19,
    )
    assert Notification.objects.filter(
        recipient__username="dieuphoi", link__endswith=f"/{assessment.pk}/"
    ).exists()
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def fill_template(data: bytes, rows: dict[str, dict[Indicator, tuple[Decimal | None, bool | None]]]) -> bytes:
    """The downloaded template with, for each commune name of ``rows``, its values written
    in the indicator's columns: the number, and Đạt / Không đạt in the yes/no column or in
    the appraiser's column of an indicator with no target."""
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheet = workbook.worksheets[0]
    communes = {sheet.cell(row, 2).value: row for row in range(3, sheet.max_row + 1)}
    headings = {number: sheet.cell(2, number).value or "" for number in range(3, sheet.max_column + 1)}
    for name, values in rows.items():
        for indicator, (number, achieved) in values.items():
            for column, heading in headings.items():
                if not heading.startswith(f"{indicator.code} "):
                    continue
                judgement = "kết luận" in heading
                if number is not None and not judgement:
                    sheet.cell(communes[name], column).value = float(number)
                elif achieved is not None and (judgement or number is None):
                    sheet.cell(communes[name], column).value = "Đạt" if achieved else "Không đạt"
    return books.xlsx(workbook)


def test_district_officer_uploads_the_template_saved_by_libreoffice_and_confirms(
    page, live_server, demo, tmp_path
):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    daitu = User.objects.get(username="daitu")
    drafts = Assessment.objects.filter(created_by=daitu, status=AssessmentStatus.DRAFT).select_related(
        "commune"
    )
    draft = drafts.order_by("commune__code").first()
    untouched = (
        AdministrativeUnit.objects.within(daitu.agency.scope)
        .assessed()
        .valid_on(datetime.date(2025, 6, 30))
        .exclude(assessments__period__code=DISTRICT_PERIOD_CODE)
        .order_by("code")
        .first()
    )
    log_in(page, live_server, "daitu", "/criteria/reports/")
    page.get_by_label("Đơn vị báo cáo").select_option(str(daitu.agency.scope.pk))
    page.get_by_label("Kỳ báo cáo").select_option(DISTRICT_PERIOD_CODE)
    page.get_by_label("Bộ tiêu chí").select_option(DEMO_SET_CODE)
    with page.expect_download() as caught:
        page.get_by_role("button", name="Tải biểu mẫu (.xlsx)").click()
    values = met_values()
    filled = fill_template(
        Path(caught.value.path()).read_bytes(), {draft.commune.name: values, untouched.name: values}
    )
    saved = books.libreoffice_convert(filled, suffix=".xlsx", convert_to="xlsx", root=tmp_path)
    upload = tmp_path / "Báo cáo Đại Từ 6 tháng đầu năm 2025.xlsx"
    upload.write_bytes(saved)

    page.get_by_label("Biểu mẫu đã nhập số liệu (.xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_test_id("preview-summary")).to_contain_text("2 xã sẽ được thay đổi")
    expect(page.locator(f"[data-testid=preview-row][data-code='{untouched.code}']")).to_contain_text("19/19")
    screenshot(page, "demo-district-officer-preview.png")
    assert not Assessment.objects.filter(commune=untouched, period__code=DISTRICT_PERIOD_CODE).exists()
    page.get_by_role("button", name="Xác nhận và nhập").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("2 xã đã được nhập.")
    screenshot(page, "demo-district-officer-imported.png")
    created = Assessment.objects.get(commune=untouched, period__code=DISTRICT_PERIOD_CODE)
    draft.refresh_from_db()
    assert (created.status, created.created_by, created.criteria_met) == (AssessmentStatus.DRAFT, daitu, 19)
    assert (draft.status, draft.criteria_met) == (AssessmentStatus.DRAFT, 19)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_coordinator_returns_one_submission_and_approves_another_and_the_submitters_are_told(
    page, live_server, demo
):
    demo_set = CriteriaSet.objects.get(code=DEMO_SET_CODE)
    queue = Assessment.objects.filter(criteria_set=demo_set, status=AssessmentStatus.SUBMITTED)
    to_return = queue.filter(submitted_by__username="daitu").order_by("commune__code").first()
    to_approve = queue.get(submitted_by__username="xatancuong")
    log_in(page, live_server, "dieuphoi", "/criteria/assessments/?status=submitted")
    rows = page.get_by_test_id("assessment-row")
    expect(rows).to_have_count(queue.count())
    screenshot(page, "demo-coordinator-queue.png")

    rows.filter(has_text=to_return.commune.name).get_by_role("link").click()
    page.get_by_placeholder("Lý do trả lại (bắt buộc)").fill("Thiếu minh chứng chỉ tiêu 2.1 (minh họa).")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_test_id("status-reason")).to_contain_text("Thiếu minh chứng chỉ tiêu 2.1")
    page.goto(f"{live_server.url}/criteria/assessments/{to_approve.pk}/")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_test_id("who")).to_contain_text("Nguyễn Thị Điều Phối")
    screenshot(page, "demo-coordinator-approved.png")
    to_return.refresh_from_db()
    to_approve.refresh_from_db()
    assert (to_return.status, to_approve.status) == (AssessmentStatus.RETURNED, AssessmentStatus.APPROVED)

    log_in(page, live_server, "daitu")
    page.get_by_test_id("notifications").click()
    returned = f"Phiếu đánh giá của {to_return.commune.name} (6 tháng đầu năm 2025) bị trả lại: "
    expect(page.get_by_test_id("notification").filter(has_text=returned)).to_contain_text(
        returned + "Thiếu minh chứng chỉ tiêu 2.1 (minh họa)."
    )
    screenshot(page, "demo-submitter-returned.png")
    log_in(page, live_server, "xatancuong")
    page.get_by_test_id("notifications").click()
    approved = "Phiếu đánh giá của Xã Tân Cương (6 tháng cuối năm 2026) đã được Nguyễn Thị Điều Phối duyệt."
    expect(page.get_by_test_id("notification").filter(has_text=approved)).to_have_count(1)


def test_the_submitter_of_the_demo_returned_assessment_reads_why_under_the_bell(page, live_server, demo):
    returned = Assessment.objects.get(criteria_set__code=DEMO_SET_CODE, status=AssessmentStatus.RETURNED)
    log_in(page, live_server, "phubinh")
    bell = page.get_by_test_id("notifications")
    expect(bell).to_contain_text("1")
    bell.click()
    notice = page.get_by_test_id("notification").filter(has_text="bị trả lại")
    expect(notice).to_contain_text(RETURN_REASON)
    screenshot(page, "demo-submitter-notifications.png")
    notice.get_by_role("link").click()
    page.wait_for_url(f"**/criteria/assessments/{returned.pk}/")
    expect(page.get_by_test_id("status-reason")).to_contain_text(RETURN_REASON)
    expect(page.get_by_role("button", name="Gửi duyệt")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu số liệu")).to_be_visible()
