"""The Excel round trip as a district officer lives it: download the district's template,
fill it in Excel or LibreOffice, upload it, read the preview, confirm, and find exactly
the cells filled in the portal, with their history. Bad files and bad cells are refused
with a Vietnamese message naming sheet, row, column and commune, and leave the database
as it was."""

import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from criteria.models import (
    Assessment,
    AssessmentStatus,
    Indicator,
    IndicatorValue,
    ReportUpload,
    UploadStatus,
)
from criteria.report_workbook import META_SHEET
from criteria.services.assessments import (
    ValueInput,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.spreadsheet import OLE2_MAGIC
from criteria.workflow import Action
from tests.conftest import require, unit
from tests.criteria import spreadsheets as books

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=VN)
AFTER_LOCK = datetime.datetime(2020, 8, 15, 10, 0, tzinfo=VN)
DAI_TU = "171"
PHUC_LUONG, MINH_TIEN = "Xã Phúc Lương", "Xã Minh Tiến"


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def officer(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    return dai_tu_officer


@pytest.fixture(params=["openpyxl", "libreoffice"])
def written(request, tmp_path):
    """The file as a program writes it (openpyxl), or as a person's office suite saves it
    (LibreOffice headless opens and saves it again as .xlsx)."""
    if request.param == "openpyxl":
        return lambda data: data
    require(books.soffice_available(), books.SOFFICE_MISSING)
    return lambda data: books.libreoffice_convert(data, suffix=".xlsx", convert_to="xlsx", root=tmp_path)


def xa(name):
    return unit_named(name)


def unit_named(name):
    from communes.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(name=name, valid_until=datetime.date(2025, 6, 30))


def download(client, unit_code=DAI_TU, period="2020-h1", criteria_set="test-set"):
    response = client.get(
        reverse("report-template"),
        {"unit": unit(unit_code).pk, "period": period, "criteria_set": criteria_set},
    )
    assert response.status_code == 200, response.content[:2000]
    return response.content


def data_sheet(workbook):
    return workbook.worksheets[0]


def fill(data: bytes, cells: dict[tuple[str, str], object], *, formats: dict | None = None) -> bytes:
    """The template with ``cells`` written: keys are (commune name, column) where the
    column is an indicator code ("1.2") or "2.2 kết luận" for the appraiser's column."""
    workbook = openpyxl.load_workbook(BytesIO(data))
    sheet = data_sheet(workbook)
    rows = {sheet.cell(row, 2).value: row for row in range(3, sheet.max_row + 1)}
    for (commune, column), value in cells.items():
        cell = sheet.cell(rows[commune], column_of(sheet, column))
        cell.value = value
        if formats and (commune, column) in formats:
            cell.number_format = formats[(commune, column)]
    return books.xlsx(workbook)


def column_of(sheet, column: str) -> int:
    code, _space, judgement = column.partition(" ")
    for number in range(3, sheet.max_column + 1):
        heading = sheet.cell(2, number).value or ""
        if heading.startswith(f"{code} ") and (("kết luận" in heading) == bool(judgement)):
            return number
    raise KeyError(column)


def upload(client, data: bytes, name="Báo cáo Đại Từ.xlsx"):
    return client.post(reverse("report-upload-create"), {"file": SimpleUploadedFile(name, data)})


def uploaded(client, data: bytes) -> ReportUpload:
    response = upload(client, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ReportUpload.objects.latest("pk")


def entry(report: ReportUpload, commune: str) -> dict:
    [found] = [e for e in report.preview if e["name"] == commune]
    return found


def snapshot() -> dict:
    """Every row that an upload could change, and the history tables' sizes."""
    return {
        "assessments": list(Assessment.objects.order_by("pk").values()),
        "values": list(IndicatorValue.objects.order_by("pk").values()),
        "value history": IndicatorValue.history.count(),
        "assessment history": Assessment.history.count(),
    }


def values_of(commune: str) -> dict[str, tuple]:
    return {
        v.indicator.code: (v.number, v.achieved)
        for v in IndicatorValue.objects.filter(assessment__commune=xa(commune)).select_related("indicator")
    }


# --- The template --------------------------------------------------------------------------


def test_the_template_has_a_row_per_xa_of_the_district_and_a_two_row_header(
    client, officer, small_set, period
):
    workbook = openpyxl.load_workbook(BytesIO(download(client)))
    sheet = data_sheet(workbook)
    assert workbook.sheetnames == ["Số liệu", "Hướng dẫn", META_SHEET]
    assert (sheet["A1"].value, sheet["B1"].value) == ("Mã xã", "Xã")
    assert sheet["C1"].value == "1. Giao thông" and sheet["E1"].value == "2. Y tế"
    assert "C1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(2, c).value for c in range(3, 8)] == [
        "1.1 Đường trục xã",
        "1.2 Tỷ lệ cứng hóa",
        "2.1 Suy dinh dưỡng",
        "2.2 Chỉ tiêu chưa có mức",
        "2.2 kết luận của người thẩm định (Đạt / Không đạt)",
    ]
    names = [sheet.cell(row, 2).value for row in range(3, sheet.max_row + 1)]
    from communes.models import AdministrativeUnit

    expected = AdministrativeUnit.objects.within(unit(DAI_TU)).assessed().valid_on(period.end)
    assert sorted(names) == sorted(expected.values_list("name", flat=True))
    assert PHUC_LUONG in names and "Thị trấn Hùng Sơn" not in names  # a township is not assessed
    assert sheet.cell(3, 1).data_type == "s" and len(sheet.cell(3, 1).value) == 5


def test_the_template_guards_its_structure_and_offers_dat_khong_dat_lists(client, officer, small_set, period):
    workbook = openpyxl.load_workbook(BytesIO(download(client)))
    sheet = data_sheet(workbook)
    assert sheet.protection.sheet and workbook.security.lockStructure
    assert sheet["C3"].protection.locked is False and sheet["A3"].protection.locked is not False
    lists = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    last = sheet.max_row
    assert lists == {f"C3:C{last} G3:G{last}": '"Đạt,Không đạt"'}
    meta = {row[0].value: row[1].value for row in workbook[META_SHEET].iter_rows()}
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    assert meta["template_version"] == "1" and meta["unit_code"] == DAI_TU
    assert (meta["period"], meta["criteria_set"]) == ("2020-h1", "test-set")
    assert len(meta["checksum"]) == 20
    instructions = "\n".join(str(c.value) for c in workbook["Hướng dẫn"]["A"] if c.value)
    assert "Đơn vị: Huyện Đại Từ. Kỳ báo cáo: 6 tháng đầu năm 2020. Bộ tiêu chí: Bộ thử." in instructions
    assert "Ô để trống giữ nguyên giá trị" in instructions


def test_the_template_is_prefilled_with_the_stored_values(client, officer, small_set, period):
    draft = assessment_create(user=officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set)
    one_two = Indicator.objects.get(criterion__criteria_set=small_set, code="1.2")
    one_one = Indicator.objects.get(criterion__criteria_set=small_set, code="1.1")
    assessment_update_values(
        user=officer,
        assessment=draft,
        version=draft.version,
        values={one_two.pk: ValueInput(number=Decimal("86.5")), one_one.pk: ValueInput(achieved=False)},
    )
    sheet = data_sheet(openpyxl.load_workbook(BytesIO(download(client))))
    [row] = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 2).value == PHUC_LUONG]
    assert sheet.cell(row, 3).value == "Không đạt"
    assert sheet.cell(row, 4).value == 86.5 and sheet.cell(row, 4).data_type == "n"
    assert sheet.cell(row, 5).value is None


def test_the_template_file_name_keeps_its_vietnamese_letters(client, officer, small_set, period):
    response = client.get(
        reverse("report-template"), {"unit": unit(DAI_TU).pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert (
        "B%C3%A1o%20c%C3%A1o%20ti%C3%AAu%20ch%C3%AD%20NTM%20-%20Huy%E1%BB%87n%20%C4%90%E1%BA%A1i%20T%E1%BB%AB"
        in disposition
    )


def test_a_district_officer_gets_no_template_of_another_district(client, officer, small_set, period):
    response = client.get(
        reverse("report-template"), {"unit": unit("173").pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    assert response.status_code == 404


def test_a_template_of_an_incomplete_set_is_refused_with_the_criteria_named(
    client, officer, small_set, period
):
    from criteria.models import Criterion

    Criterion.objects.create(criteria_set=small_set, number=3, name="Thủy lợi")
    response = client.get(
        reverse("report-template"), {"unit": unit(DAI_TU).pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    assert response.status_code == 400
    assert "Bộ thử chưa đầy đủ: tiêu chí 3 chưa có chỉ tiêu" in response.content.decode()


# --- The round trip --------------------------------------------------------------------------


FILLED = {
    (PHUC_LUONG, "1.1"): "Đạt",
    (PHUC_LUONG, "1.2"): "86,5",
    (MINH_TIEN, "2.1"): 20,
    (MINH_TIEN, "2.2"): "1.234,5",
    (MINH_TIEN, "2.2 kết luận"): books.nfd("  Không  đạt "),
}


def test_the_round_trip_changes_exactly_the_cells_filled(client, officer, small_set, period, written):
    before = snapshot()
    report = uploaded(client, written(fill(download(client), FILLED)))
    assert snapshot() == before  # the preview writes nothing
    phuc_luong, minh_tien = entry(report, PHUC_LUONG), entry(report, MINH_TIEN)
    assert [(c["code"], c["old"], c["new"]) for c in phuc_luong["changes"]] == [
        ("1.1", "—", "Đạt"),
        ("1.2", "—", "86,5"),
    ]
    assert [(c["code"], c["old"], c["new"]) for c in minh_tien["changes"]] == [
        ("2.1", "—", "20"),
        ("2.2", "—", "1.234,5 · Không đạt"),
    ]
    assert (phuc_luong["met_before"], phuc_luong["met_after"], phuc_luong["total"]) == (None, 1, 2)
    assert phuc_luong["state"] == "Bản nháp mới"
    assert [e for e in report.preview if e["changes"]] == [minh_tien, phuc_luong]  # in the file's order

    response = client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == UploadStatus.APPLIED
    assert values_of(PHUC_LUONG) == {
        "1.1": (None, True), "1.2": (Decimal("86.5000"), None), "2.1": (None, None), "2.2": (None, None),
    }  # fmt: skip
    assert values_of(MINH_TIEN) == {
        "1.1": (None, None), "1.2": (None, None), "2.1": (Decimal("20.0000"), None), "2.2": (Decimal("1234.5000"), False),
    }  # fmt: skip
    assert Assessment.objects.count() == 2  # no other commune got an assessment
    phuc = Assessment.objects.get(commune=xa(PHUC_LUONG))
    assert (phuc.status, phuc.criteria_met, phuc.criteria_total) == (AssessmentStatus.DRAFT, 1, 2)
    history = IndicatorValue.history.filter(assessment_id=phuc.pk, number=Decimal("86.5"))
    assert {record.history_user for record in history} == {officer}
    page = client.get(reverse("report-upload", args=[report.pk])).content.decode()
    assert "2 xã đã được nhập." in page


def test_uploading_the_same_file_again_changes_nothing(client, officer, small_set, period):
    filled = fill(download(client), FILLED)
    client.post(reverse("report-upload-confirm", args=[uploaded(client, filled).pk]))
    before = snapshot()
    again = uploaded(client, filled)
    assert [e["changes"] for e in again.preview if e["changes"]] == []
    page = client.get(reverse("report-upload", args=[again.pk])).content.decode()
    assert "Không có gì trong tệp này có thể nhập" in page and 'data-testid="confirm"' not in page
    response = client.post(reverse("report-upload-confirm", args=[again.pk]), follow=True)
    assert "không có gì để xác nhận" in response.content.decode()
    assert snapshot() == before


def test_a_blank_cell_never_erases_a_stored_value(client, officer, small_set, period):
    client.post(reverse("report-upload-confirm", args=[uploaded(client, fill(download(client), FILLED)).pk]))
    cleared = fill(download(client), {(PHUC_LUONG, "1.2"): None, (PHUC_LUONG, "1.1"): "Không đạt"})
    report = uploaded(client, cleared)
    assert [(c["code"], c["old"], c["new"]) for c in entry(report, PHUC_LUONG)["changes"]] == [
        ("1.1", "Đạt", "Không đạt")
    ]
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert values_of(PHUC_LUONG)["1.2"] == (Decimal("86.5000"), None)


def test_the_round_trip_through_libreoffice_reads_the_same(client, officer, small_set, period, tmp_path):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    filled = fill(download(client), {**FILLED, (MINH_TIEN, "1.2"): 0.9}, formats={(MINH_TIEN, "1.2"): "0%"})
    saved = books.libreoffice_convert(filled, suffix=".xlsx", convert_to="xlsx", root=tmp_path)
    by_openpyxl, by_libreoffice = uploaded(client, filled), uploaded(client, saved)
    assert by_libreoffice.preview == by_openpyxl.preview
    assert [(c["code"], c["new"]) for c in entry(by_libreoffice, MINH_TIEN)["changes"]][:2] == [
        ("1.2", "90"),
        ("2.1", "20"),
    ]


def test_formulas_saved_by_libreoffice_are_read_through_their_results(
    client, officer, small_set, period, tmp_path
):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    filled = fill(download(client), {(PHUC_LUONG, "1.2"): "=80+6.5", (PHUC_LUONG, "2.1"): "=ROUND(10/4,1)"})
    unsaved = upload(client, filled)
    assert unsaved.status_code == 400
    row = [
        e
        for e in range(3, 40)
        if data_sheet(openpyxl.load_workbook(BytesIO(filled))).cell(e, 2).value == PHUC_LUONG
    ][0]
    assert (
        f"Trang “Số liệu”, dòng {row}, cột D: công thức này chưa có kết quả được lưu (tệp do một chương trình tạo ra, "
        "chưa được lưu bằng Excel hoặc LibreOffice). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lần nữa."
    ) in unsaved.content.decode()
    saved = books.libreoffice_convert(filled, suffix=".xlsx", convert_to="xlsx", root=tmp_path)
    report = uploaded(client, saved)
    assert [(c["code"], c["new"]) for c in entry(report, PHUC_LUONG)["changes"]] == [
        ("1.2", "86,5"),
        ("2.1", "2,5"),
    ]


# --- Errors in cells and rows ---------------------------------------------------------------


def test_each_bad_row_is_named_and_left_alone_while_the_rest_goes_in(
    client, officer, small_set, period, written
):
    workbook = openpyxl.load_workbook(BytesIO(fill(download(client), {
        (PHUC_LUONG, "1.2"): "tám lăm",
        (PHUC_LUONG, "1.1"): "Đạt",
        (MINH_TIEN, "2.1"): 150,
        ("Xã Bình Thuận", "1.1"): "Có",
        ("Xã Cát Nê", "2.2"): -3,
        ("Xã Cù Vân", "1.2"): "90%",
    })))  # fmt: skip
    sheet = data_sheet(workbook)
    last = sheet.max_row
    sheet.cell(last + 1, 1).value = "99999"
    sheet.cell(last + 1, 2).value = "Xã Không Có"
    sheet.cell(last + 1, 4).value = 50
    phu_binh_commune = unit_named("Xã Tân Khánh")
    sheet.cell(last + 2, 1).value = phu_binh_commune.code
    sheet.cell(last + 2, 4).value = 50
    sheet.cell(last + 3, 1).value = xa(PHUC_LUONG).code
    sheet.cell(last + 3, 4).value = 50
    report = uploaded(client, written(books.xlsx(workbook)))
    row_of = {e["name"]: e["row"] for e in report.preview if e["row"] <= last}
    errors = {e["name"]: e["errors"] for e in report.preview if e["errors"] and e["row"] <= last}
    errors |= {e["row"]: e["errors"] for e in report.preview if e["row"] > last}
    phuc = row_of[PHUC_LUONG]
    repeated = (
        f"Xã Phúc Lương có ở các dòng {phuc}, {last + 3}; mỗi xã chỉ giữ một dòng. Xã này không bị thay đổi."
    )
    assert errors[PHUC_LUONG] == [
        f"Số liệu, dòng {phuc}: {repeated}",
        f"Trang “Số liệu”, dòng {phuc}, cột D: Xã Phúc Lương, 1.2: “tám lăm” không phải là tỷ lệ phần trăm. "
        "Hãy ghi dạng 85 hoặc 85%.",
    ]
    assert errors[MINH_TIEN] == [
        f"Trang “Số liệu”, dòng {row_of[MINH_TIEN]}, cột E: Xã Minh Tiến, 2.1: 150% không phải là tỷ lệ phần trăm "
        "từ 0 đến 100."
    ]
    assert errors["Xã Bình Thuận"] == [
        f"Trang “Số liệu”, dòng {row_of['Xã Bình Thuận']}, cột C: Xã Bình Thuận, 1.1: “Có” không phải “Đạt” "
        "hay “Không đạt”. Hãy ghi Đạt hoặc Không đạt."
    ]
    assert errors["Xã Cát Nê"] == [
        f"Trang “Số liệu”, dòng {row_of['Xã Cát Nê']}, cột F: Xã Cát Nê, 2.2: Giá trị không được âm."
    ]
    assert errors[last + 1] == [
        f"Số liệu, dòng {last + 1}: không có xã nào của Huyện Đại Từ có mã “99999” (cột A)."
    ]
    assert errors[last + 2] == [
        f"Số liệu, dòng {last + 2}: {phu_binh_commune.name} (mã {phu_binh_commune.code}) nằm ngoài địa bàn của bạn."
    ]
    assert errors[last + 3] == [f"Số liệu, dòng {last + 3}: {repeated}"]
    assert [e["name"] for e in report.preview if e["changes"] and not e["errors"]] == ["Xã Cù Vân"]
    before = snapshot()
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert values_of("Xã Cù Vân")["1.2"] == (Decimal("90.0000"), None)
    assert not Assessment.objects.filter(
        commune__name__in=[PHUC_LUONG, MINH_TIEN, "Xã Bình Thuận", "Xã Cát Nê"]
    ).exists()
    assert Assessment.objects.count() == len(before["assessments"]) + 1
    page = client.get(reverse("report-upload", args=[report.pk])).content.decode()
    assert "1 xã đã được nhập." in page and "7 dòng không được nhập (xem bên dưới)." in page


def test_a_file_whose_every_row_is_wrong_imports_nothing_and_says_so(client, officer, small_set, period):
    before = snapshot()
    report = uploaded(client, fill(download(client), {(PHUC_LUONG, "1.2"): "abc"}))
    response = client.post(reverse("report-upload-confirm", args=[report.pk]), follow=True)
    page = response.content.decode()
    assert "không có gì để xác nhận" in page and "đã được nhập" not in page
    assert snapshot() == before


def test_submitted_and_approved_communes_are_refused_and_the_others_go_in(
    client, officer, coordinator, small_set, period, written
):
    submitted = assessment_create(user=officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set)
    assessment_transition(user=officer, assessment=submitted, action=Action.SUBMIT, version=submitted.version)
    approved = assessment_create(user=officer, commune=xa(MINH_TIEN), period=period, criteria_set=small_set)
    assessment_transition(user=officer, assessment=approved, action=Action.SUBMIT, version=approved.version)
    assessment_transition(
        user=coordinator, assessment=approved, action=Action.APPROVE, version=approved.version
    )
    report = uploaded(client, written(fill(download(client), {**FILLED, ("Xã Cù Vân", "1.1"): "Đạt"})))
    phuc, minh = entry(report, PHUC_LUONG), entry(report, MINH_TIEN)
    assert phuc["errors"] == [
        f"Số liệu, dòng {phuc['row']}, Xã Phúc Lương: Phiếu đang chờ duyệt. "
        "Điều phối viên cấp tỉnh có thể duyệt hoặc trả lại."
    ]
    assert minh["errors"][0].endswith(
        "Phiếu đã được duyệt và khóa. Điều phối viên cấp tỉnh có thể mở lại, kèm lý do."
    )
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert values_of(PHUC_LUONG)["1.1"] == (None, None) and values_of(MINH_TIEN)["2.1"] == (None, None)
    assert values_of("Xã Cù Vân")["1.1"] == (None, True)


def test_after_the_lock_date_a_district_officer_is_refused_and_a_coordinator_is_not(
    client, officer, coordinator, small_set, period, frozen_time, written
):
    filled = written(fill(download(client), {(PHUC_LUONG, "1.1"): "Đạt"}))
    frozen_time.move_to(AFTER_LOCK)
    client.force_login(officer)  # the July session has expired
    report = uploaded(client, filled)
    assert entry(report, PHUC_LUONG)["errors"] == [
        f"Số liệu, dòng {entry(report, PHUC_LUONG)['row']}, Xã Phúc Lương: Kỳ báo cáo đã khóa sổ ngày 14/08/2020: "
        "chỉ Điều phối viên cấp tỉnh được sửa phiếu này."
    ]
    client.force_login(coordinator)
    report = uploaded(client, filled)
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert values_of(PHUC_LUONG)["1.1"] == (None, True)


def test_a_commune_changed_after_the_preview_is_refused_with_what_changed(
    client, officer, coordinator, small_set, period
):
    draft = assessment_create(user=officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set)
    report = uploaded(client, fill(download(client), FILLED))
    one_one = Indicator.objects.get(criterion__criteria_set=small_set, code="1.1")
    assessment_update_values(
        user=coordinator,
        assessment=draft,
        version=draft.version,
        values={one_one.pk: ValueInput(achieved=False)},
    )
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    report.refresh_from_db()
    phuc = report.outcome[str(xa(PHUC_LUONG).pk)]
    assert phuc["status"] == "refused"
    assert (
        "Xã Phúc Lương đã được thay đổi trên Cổng thông tin sau khi xem trước (bởi coordinator). Những thay đổi "
        "trong lúc đó: 1.1 (Đạt / Không đạt): — → Không đạt. Hãy tải tệp lên lại để xem bản xem trước mới."
    ) in phuc["message"]
    assert values_of(PHUC_LUONG)["1.1"] == (None, False)
    assert report.outcome[str(xa(MINH_TIEN).pk)]["status"] == "imported"


def test_confirming_twice_writes_once(client, officer, small_set, period):
    report = uploaded(client, fill(download(client), FILLED))
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    history = IndicatorValue.history.count()
    response = client.post(reverse("report-upload-confirm", args=[report.pk]), follow=True)
    assert "Tệp này đã được xác nhận." in response.content.decode()
    assert IndicatorValue.history.count() == history


def test_someone_elses_upload_is_404(client, officer, phu_binh_officer, small_set, period):
    report = uploaded(client, fill(download(client), FILLED))
    client.force_login(phu_binh_officer)
    assert client.get(reverse("report-upload", args=[report.pk])).status_code == 404
    assert client.post(reverse("report-upload-confirm", args=[report.pk])).status_code == 404


# --- Files refused whole ---------------------------------------------------------------------


def test_another_districts_template_is_refused_whole(
    client, officer, phu_binh_officer, small_set, period, written
):
    filled = written(fill(download(client), FILLED))
    client.force_login(phu_binh_officer)
    before = snapshot()
    response = upload(client, filled, name="dai-tu.xlsx")
    assert response.status_code == 400
    assert (
        "Tệp “dai-tu.xlsx” là biểu mẫu của Huyện Đại Từ, nằm ngoài địa bàn của bạn. "
        "Hãy tải biểu mẫu của huyện mình."
    ) in response.content.decode()
    assert snapshot() == before and not ReportUpload.objects.exists()


def test_a_workbook_that_is_not_our_template_is_refused(client, officer, small_set, period, written):
    response = upload(client, written(books.xlsx(openpyxl.Workbook())), name="tong-hop.xlsx")
    assert response.status_code == 400
    assert (
        "Tệp “tong-hop.xlsx” không phải là biểu mẫu báo cáo của Cổng thông tin." in response.content.decode()
    )


def rewrite_meta(data: bytes, key: str, value: str) -> bytes:
    workbook = openpyxl.load_workbook(BytesIO(data))
    for row in workbook[META_SHEET].iter_rows():
        if row[0].value == key:
            row[1].value = value
    return books.xlsx(workbook)


def test_an_older_template_version_is_refused(client, officer, small_set, period, written):
    response = upload(
        client, written(rewrite_meta(download(client), "template_version", "0")), name="cu.xlsx"
    )
    assert response.status_code == 400
    assert "Tệp “cu.xlsx” được làm từ biểu mẫu phiên bản 0; Cổng thông tin hiện đọc phiên bản 1." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("key", "value"), [("period", "2020-h2"), ("unit_id", "1"), ("criteria_set", "qd-318-2022")]
)
def test_a_template_whose_hidden_information_was_edited_is_refused(
    client, officer, small_set, period, written, key, value
):
    response = upload(client, written(rewrite_meta(download(client), key, value)), name="ky.xlsx")
    assert response.status_code == 400
    assert (
        "Thông tin ẩn của tệp “ky.xlsx” (đơn vị, kỳ báo cáo hoặc bộ tiêu chí) đã bị sửa nên không thể tin cậy tệp "
        "này. Hãy tải biểu mẫu mới và chép số liệu sang."
    ) in response.content.decode()


def test_a_template_made_before_the_set_changed_is_refused(client, officer, small_set, period, written):
    filled = written(fill(download(client), FILLED))
    indicator = Indicator.objects.get(criterion__criteria_set=small_set, code="2.2")
    indicator.target = Decimal("3")  # the appraiser's column disappears
    indicator.save()
    response = upload(client, filled, name="cu.xlsx")
    assert response.status_code == 400
    assert "Tệp “cu.xlsx” được làm trước khi bộ tiêu chí “Bộ thử” thay đổi" in response.content.decode()


def test_a_moved_column_is_refused_naming_it(client, officer, small_set, period, written):
    workbook = openpyxl.load_workbook(BytesIO(download(client)))
    sheet = data_sheet(workbook)
    sheet["D2"].value, sheet["E2"].value = sheet["E2"].value, sheet["D2"].value
    response = upload(client, written(books.xlsx(workbook)))
    assert response.status_code == 400
    assert (
        "Trang “Số liệu”, dòng 2, cột D: chỉ tiêu 1.2 phải ở đây, nhưng tiêu đề ghi “2.1 Suy dinh dưỡng”."
    ) in response.content.decode()


REFUSED_FILES = {
    "empty": (lambda: b"", "Tệp “bao-cao.xlsx” trống."),
    "xls": (
        lambda: OLE2_MAGIC + bytes(1024),
        "Tệp “bao-cao.xlsx” là sổ tính Excel đời cũ (.xls). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu dưới "
        "dạng .xlsx (Excel Workbook) rồi tải tệp đó lên.",
    ),
    "csv": (
        lambda: "Mã xã,Xã\n05443,Xã Phúc Lương\n".encode(),
        "Tệp “bao-cao.xlsx” là tệp văn bản (CSV), không phải sổ tính Excel. Hãy mở tệp bằng Excel hoặc "
        "LibreOffice rồi lưu dưới dạng .xlsx (Excel Workbook).",
    ),
    "pdf": (
        lambda: b"%PDF-1.7\n%\xe2\xe3\n1 0 obj",
        "Tệp “bao-cao.xlsx” là tài liệu PDF, không phải sổ tính Excel. Hãy tải lên tệp .xlsx dùng để lập báo cáo.",
    ),
    "entity": (
        lambda: books.rewrite_part(books.xlsx(openpyxl.Workbook()), "xl/workbook.xml", books.with_entity),
        "Tệp “bao-cao.xlsx” có khai báo thực thể XML, bị từ chối vì lý do an toàn. Hãy mở tệp bằng Excel hoặc "
        "LibreOffice, lưu lại rồi tải lên tệp vừa lưu.",
    ),
    "zip bomb": (
        lambda: books.zip_of({**books.minimal_xlsx_parts(), "xl/media/zeros.bin": 200 * 1024 * 1024}),
        "Tệp “bao-cao.xlsx” khi giải nén lớn bất thường so với một báo cáo nên không được mở.",
    ),
    "million rows": (
        lambda: books.rewrite_part(
            books.xlsx(openpyxl.Workbook()), "xl/worksheets/sheet1.xml", books.with_dimension("A1:B1048576")
        ),
        "Trang “Sheet” kéo dài đến dòng 1.048.576; chỉ chấp nhận tối đa 5.000 dòng. Hãy xóa các dòng bên dưới "
        "dữ liệu, lưu tệp rồi tải lên lần nữa.",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_a_refused_file_answers_400_with_its_reason_and_stores_nothing(
    client, officer, small_set, period, case
):
    build, message = REFUSED_FILES[case]
    response = upload(client, build(), name="bao-cao.xlsx")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportUpload.objects.exists()


def test_a_file_over_the_size_limit_answers_400(client, officer, small_set, period, settings):
    response = upload(client, b"PK" + bytes(10 * 1024 * 1024 + 10), name="lon.xlsx")
    assert response.status_code == 400
    assert "Tệp “lon.xlsx” lớn hơn 10 MB." in response.content.decode()


def test_a_password_protected_file_answers_400(client, officer, small_set, period, tmp_path):
    require(books.uno_available(), books.UNO_MISSING)
    protected = books.libreoffice_encrypt(download(client), password="matkhau", root=tmp_path)
    response = upload(client, protected, name="mat-khau.xlsx")
    assert response.status_code == 400
    assert "Tệp “mat-khau.xlsx” được bảo vệ bằng mật khẩu" in response.content.decode()


def test_an_upload_without_a_file_names_the_field(client, officer, small_set, period):
    response = client.post(reverse("report-upload-create"), {})
    assert response.status_code == 400
    assert "Chọn tệp .xlsx để tải lên." in response.content.decode()


# --- Large uploads ----------------------------------------------------------------------------


def test_a_large_upload_is_written_by_a_celery_task_with_progress(
    client, officer, small_set, period, django_capture_on_commit_callbacks
):
    workbook = openpyxl.load_workbook(BytesIO(download(client)))
    sheet = data_sheet(workbook)
    for row in range(3, sheet.max_row + 1):
        sheet.cell(row, 3).value = "Đạt"
    communes = sheet.max_row - 2
    assert communes > 10
    report = uploaded(client, books.xlsx(workbook))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert len(callbacks) == 1
    progress = client.get(reverse("report-upload-progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert f"Đang nhập: 0 trên {communes} xã" in progress.content.decode()
    assert f'max="{communes}" value="0"' in progress.content.decode()
    callbacks[0]()  # the Celery task (eager here; a worker in production)
    done = client.get(reverse("report-upload-progress", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    report.refresh_from_db()
    assert report.status == UploadStatus.APPLIED and report.progress_done == communes
    assert IndicatorValue.objects.filter(indicator__code="1.1", achieved=True).count() == communes


def test_the_upload_query_count_does_not_grow_with_the_communes(client, officer, small_set, period):
    def queries_for(cells):
        data = fill(download(client), cells)
        with CaptureQueriesContext(connection) as context:
            upload(client, data)
        return len(context.captured_queries)

    few = queries_for({(PHUC_LUONG, "1.1"): "Đạt"})
    many = queries_for(
        {(name, "1.1"): "Đạt" for name in [PHUC_LUONG, MINH_TIEN, "Xã Cù Vân", "Xã Cát Nê", "Xã Bình Thuận"]}
    )
    assert few == many


def test_the_portal_refuses_to_start_without_defusedxml(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    call_command("check")  # defusedxml is installed: the checks pass
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(SystemCheckError, match="criteria.E001"):
        call_command("check")


# --- Found by a new user (QA of issue 4) ------------------------------------------------------


def test_an_old_template_never_undoes_a_change_made_on_the_portal_since(
    client, officer, coordinator, small_set, period
):
    draft = assessment_create(user=officer, commune=xa(PHUC_LUONG), period=period, criteria_set=small_set)
    one_two = Indicator.objects.get(criterion__criteria_set=small_set, code="1.2")
    assessment_update_values(
        user=officer,
        assessment=draft,
        version=draft.version,
        values={one_two.pk: ValueInput(number=Decimal("89"))},
    )
    old_template = download(client)  # Phúc Lương 1.2 = 89 in the file
    draft.refresh_from_db()
    assessment_update_values(
        user=coordinator,
        assessment=draft,
        version=draft.version,
        values={one_two.pk: ValueInput(number=Decimal("70"))},
    )
    report = uploaded(client, fill(old_template, {(MINH_TIEN, "1.1"): "Đạt", (PHUC_LUONG, "1.1"): "Đạt"}))
    phuc = entry(report, PHUC_LUONG)
    assert phuc["errors"] == [
        f"Số liệu, dòng {phuc['row']}, Xã Phúc Lương: phiếu đánh giá đã được thay đổi trên Cổng thông tin sau khi "
        "biểu mẫu này được tải về (bởi coordinator). Những thay đổi trong lúc đó: 1.2 (giá trị): 89 → 70. "
        "Hãy tải biểu mẫu mới và nhập lại số liệu của bạn."
    ]
    client.post(reverse("report-upload-confirm", args=[report.pk]))
    assert values_of(PHUC_LUONG)["1.2"] == (Decimal("70.0000"), None)  # the colleague's value stays
    assert values_of(MINH_TIEN)["1.1"] == (None, True)


def test_a_row_whose_name_is_not_the_codes_commune_is_refused(client, officer, small_set, period):
    workbook = openpyxl.load_workbook(BytesIO(fill(download(client), {(PHUC_LUONG, "1.1"): "Đạt"})))
    sheet = data_sheet(workbook)
    [row] = [r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 2).value == PHUC_LUONG]
    sheet.cell(row, 2).value = "Xã Minh Tiến"
    sheet.cell(row + 1, 2).value = "phuc luong"  # the next row: a name without "Xã" and accents is fine
    report = uploaded(client, books.xlsx(workbook))
    [wrong] = [e for e in report.preview if e["row"] == row]
    assert wrong["errors"] == [
        f"Số liệu, dòng {row}: mã {xa(PHUC_LUONG).code} ở cột A là của Xã Phúc Lương, nhưng cột B ghi “Xã Minh Tiến”. "
        "Hãy sửa mã hoặc tên; xã này không bị thay đổi."
    ]


def test_an_upload_can_be_cancelled_and_then_never_confirmed(client, officer, small_set, period):
    report = uploaded(client, fill(download(client), FILLED))
    response = client.post(reverse("report-upload-cancel", args=[report.pk]), follow=True)
    assert "Đã hủy lượt tải lên “Báo cáo Đại Từ.xlsx”; không có gì được nhập." in response.content.decode()
    before = snapshot()
    response = client.post(reverse("report-upload-confirm", args=[report.pk]), follow=True)
    assert "Lượt tải lên này đã bị hủy; hãy tải tệp lên lại nếu muốn nhập." in response.content.decode()
    assert snapshot() == before
    report.refresh_from_db()
    assert report.status == UploadStatus.CANCELLED
    page = client.get(reverse("report-upload", args=[report.pk])).content.decode()
    assert "Lượt tải lên này đã bị hủy; không có gì được nhập." in page


def test_an_upload_with_nothing_to_import_is_listed_as_such(client, officer, small_set, period):
    report = uploaded(client, download(client))
    assert report.status == UploadStatus.NOTHING
    page = client.get(reverse("report-index")).content.decode()
    assert "Không có gì để nhập" in page and "Chờ xác nhận" not in page


def test_reloading_the_upload_address_after_a_refusal_goes_back_to_the_page(client, officer):
    response = client.get(reverse("report-upload-create"))
    assert response.status_code == 302 and response.url == reverse("report-index")


def test_a_district_officer_is_told_before_downloading_that_a_period_is_locked(
    client, officer, small_set, period, frozen_time
):
    frozen_time.move_to(AFTER_LOCK)
    client.force_login(officer)
    response = client.get(
        reverse("report-template"), {"unit": unit(DAI_TU).pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    assert response.status_code == 400
    assert (
        "Kỳ báo cáo: Kỳ báo cáo đã khóa sổ ngày 14/08/2020: chỉ Điều phối viên cấp tỉnh được sửa phiếu này."
        in response.content.decode()
    )


def test_a_set_not_in_force_during_the_period_gives_no_template(client, officer, small_set, period):
    small_set.effective_from, small_set.effective_until = (
        datetime.date(2021, 1, 1),
        datetime.date(2025, 12, 31),
    )
    small_set.save()
    response = client.get(
        reverse("report-template"), {"unit": unit(DAI_TU).pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    assert response.status_code == 400
    assert "Bộ thử có hiệu lực từ 01/01/2021 đến 31/12/2025, không áp dụng cho 6 tháng đầu năm 2020." in (
        response.content.decode()
    )


def test_the_page_offers_the_officers_own_district_first_and_districts_in_vietnamese_order(
    client, coordinator
):
    client.force_login(coordinator)
    page = client.get(reverse("report-index")).content.decode()
    province = unit("19", current=True)
    assert f'<option value="{province.pk}" selected>Tỉnh Thái Nguyên</option>' in page
    names = [label for label in page.split("<option") if "(đến 30/06/2025)" in label]
    position = {
        name: index for index, label in enumerate(names) for name in ("Chợ Đồn", "Chợ Mới") if name in label
    }
    assert (
        position["Chợ Đồn"] < position["Chợ Mới"]
    )  # Đ comes after D and before E in the Vietnamese alphabet
