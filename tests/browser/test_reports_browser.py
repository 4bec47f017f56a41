"""The Excel round trip in a real browser: a coordinator downloads the province's
template, fills the commune whose draft is open (Xã Phú Bình), uploads it, reads the
preview and confirms."""

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.services import DEMO_PASSWORD
from communes.models import AdministrativeUnit
from criteria.models import IndicatorValue
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_downloads_fills_uploads_and_confirms(page, live_server, draft, tmp_path):
    page.goto(f"{live_server.url}/login/?next=/criteria/reports/")
    page.fill("#id_username", "dieuphoi")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/criteria/reports/")
    province = AdministrativeUnit.objects.get(code="19", valid_until=None)
    page.get_by_label("Đơn vị báo cáo").select_option(str(province.pk))
    page.get_by_label("Kỳ báo cáo").select_option("2026-h2")
    page.get_by_label("Bộ tiêu chí").select_option("browser-set")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Tải biểu mẫu (.xlsx)").click()
    download = caught.value
    assert (
        download.suggested_filename == "Báo cáo tiêu chí NTM - Tỉnh Thái Nguyên - 6 tháng cuối năm 2026.xlsx"
    )
    workbook = openpyxl.load_workbook(BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    [row] = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 2).value == "Xã Phú Bình"]
    sheet.cell(row, 3).value = "92,5"
    sheet.cell(row, 4).value = "Đạt"
    filled = tmp_path / "Báo cáo tỉnh.xlsx"
    workbook.save(filled)

    page.get_by_label("Biểu mẫu đã nhập số liệu (.xlsx)").set_input_files(str(filled))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_test_id("preview-summary")).to_contain_text("1 xã sẽ được thay đổi (2 giá trị).")
    changes = page.get_by_test_id("change")
    expect(changes).to_have_text(
        [
            "15.1 Tỷ lệ người dân tham gia bảo hiểm y tế: — → 92,5",
            "15.2 Xã đạt tiêu chí quốc gia về y tế: — → Đạt",
        ]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-preview.png"), full_page=True)
    assert not IndicatorValue.objects.filter(number__isnull=False).exists()  # the preview saved nothing
    page.get_by_role("button", name="Xác nhận và nhập").click()
    expect(page.get_by_test_id("outcome")).to_have_text("1 xã đã được nhập.")
    page.screenshot(path=str(ARTIFACTS / "report-imported.png"), full_page=True)
    stored = {
        v.indicator.code: (v.number, v.achieved) for v in IndicatorValue.objects.select_related("indicator")
    }
    assert stored == {"15.1": (Decimal("92.5000"), None), "15.2": (None, True)}
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
