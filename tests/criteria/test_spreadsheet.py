"""criteria.spreadsheet: every spelling a reader accepts or refuses, and every file that
open_workbook refuses, on workbooks written by openpyxl and re-saved by LibreOffice.
No database; messages are asserted in Vietnamese."""

import sys
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from django.utils import translation

from criteria import spreadsheet
from criteria.spreadsheet import (
    CellError,
    SpreadsheetRefused,
    ensure_defusedxml,
    header_map,
    is_percent_format,
    iter_rows,
    open_workbook,
    read_achieved,
    read_date,
    read_number,
    read_percent,
    read_text,
)
from tests.conftest import require
from tests.criteria import spreadsheets as books

MB = 1024 * 1024
NAME = "bao-cao.xlsx"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def refusal(data: bytes, **options) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        open_workbook(data, filename=NAME, **options)
    return str(caught.value)


# --- Workbooks, built once per module ----------------------------------------------------


@pytest.fixture(scope="module")
def lo_root(tmp_path_factory):
    return tmp_path_factory.mktemp("libreoffice")


@pytest.fixture(scope="module")
def cases_xlsx():
    return books.cases_workbook()


@pytest.fixture(scope="module")
def cases_libreoffice(cases_xlsx, lo_root):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    return books.libreoffice_convert(cases_xlsx, suffix=".xlsx", convert_to="xlsx", root=lo_root)


@pytest.fixture(params=["openpyxl", "libreoffice"])
def cases(request):
    """The cases workbook as openpyxl wrote it, then as LibreOffice saved it."""
    fixture = "cases_xlsx" if request.param == "openpyxl" else "cases_libreoffice"
    return open_workbook(request.getfixturevalue(fixture), filename=NAME)


def cell(workbook, code):
    """The value cell of the spelling ``code`` on sheet "Giá trị"."""
    rows = iter_rows(workbook["Giá trị"], header_rows=1, max_rows=100)
    return next(cells[1] for _number, cells in rows if cells[0].value == code)


# --- Cell readers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("real number", D("17.23")),
        ("whole number", D("1234")),
        ("text decimal comma", D("17.23")),
        ("text with spaces", D("17.23")),
        ("text thousands dots", D("1234.5")),
        ("text nbsp thousands", D("1234.5")),
        ("text zero-width", D("17.23")),
        ("blank text", None),
        ("percent small plain", D("0.85")),
    ],
)
def test_numbers_read_in_every_spelling(cases, code, expected):
    assert read_number(cell(cases, code).value) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("not a number", "“17,2,3” không phải là số. Hãy ghi dạng 17,23 hoặc 1.234,5."),
        ("date cell", "“05/07/2020” không phải là số. Hãy ghi dạng 17,23 hoặc 1.234,5."),
    ],
)
def test_what_is_not_a_number_is_refused_with_the_value(cases, code, message):
    with pytest.raises(CellError, match=f"^{message}$"):
        read_number(cell(cases, code).value)


def test_a_boolean_is_not_a_number():
    with pytest.raises(CellError, match="^“TRUE” không phải là số"):
        read_number(True)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("percent number", D("85")),
        ("percent text", D("85")),
        ("percent text spaced", D("85.5")),
        ("percent formatted", D("85")),
        ("percent formatted decimals", D("85.23")),
        ("percent formatted whole", D("100")),
        # A plain number is taken as written, even below 1: 0.85 means 0,85 %.
        ("percent small plain", D("0.85")),
    ],
)
def test_percentages_are_always_0_to_100(cases, code, expected):
    percent = cell(cases, code)
    value = read_percent(percent.value, cell_is_percent_formatted=is_percent_format(percent.number_format))
    assert value == expected
    assert str(value) == str(expected)  # 85, not 85.00


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("percent over 100", "150% không phải là tỷ lệ phần trăm từ 0 đến 100."),
        # 85 typed into a cell formatted as a percentage shows 8500 %.
        ("percent formatted 85", "8500% không phải là tỷ lệ phần trăm từ 0 đến 100."),
        ("percent words", "“tám lăm” không phải là tỷ lệ phần trăm. Hãy ghi dạng 85 hoặc 85%."),
    ],
)
def test_impossible_percentages_are_refused(cases, code, message):
    percent = cell(cases, code)
    with pytest.raises(CellError, match=f"^{message}$"):
        read_percent(percent.value, cell_is_percent_formatted=is_percent_format(percent.number_format))


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [("0%", True), ("0.00%", True), ("#,##0.0%", True), ("General", False), ('0" %"', False), (None, False)],
)
def test_a_percent_format_is_one_that_multiplies_by_100(number_format, expected):
    assert is_percent_format(number_format) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("dat", True),
        ("dat upper", True),
        ("khong dat", False),
        ("khong dat nfd spaces", False),
        ("khong dat capital", False),
        ("khong dat plain", False),
        ("chua dat", False),
        ("ko dat", False),
        ("k.dat", False),
        ("achieved one", True),
        ("achieved zero", False),
        ("achieved one text", True),
        ("achieved zero text", False),
        ("blank text", None),
    ],
)
def test_dat_and_khong_dat_in_any_spelling(cases, code, expected):
    assert read_achieved(cell(cases, code).value) is expected


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (None, None)])
def test_a_boolean_cell_is_its_own_achieved_mark(value, expected):
    assert read_achieved(value) is expected


@pytest.mark.parametrize(("code", "shown"), [("co", "Có"), ("achieved two", "2")])
def test_anything_else_than_dat_is_refused_naming_the_accepted_values(cases, code, shown):
    message = f"“{shown}” không phải “Đạt” hay “Không đạt”. Hãy ghi Đạt hoặc Không đạt."
    with pytest.raises(CellError, match=f"^{message}$"):
        read_achieved(cell(cases, code).value)


def test_a_long_cell_is_quoted_back_cut_short(cases):
    with pytest.raises(CellError) as caught:
        read_number(cell(cases, "long text").value)
    assert str(caught.value) == "“" + "x" * 59 + "…” không phải là số. Hãy ghi dạng 17,23 hoặc 1.234,5."


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("date cell", date(2020, 7, 5)),
        ("datetime cell", date(2020, 7, 6)),
        ("date text", date(2020, 7, 5)),  # day first: the fifth of July, never 7 May
        ("date text short", date(2020, 7, 5)),
        ("date text dashes", date(2020, 7, 5)),
        ("date text dots", date(2020, 7, 5)),
        ("date text iso", date(2020, 7, 5)),
        ("date text spaced", date(2020, 12, 31)),
        ("blank text", None),
    ],
)
def test_dates_are_read_day_first(cases, code, expected):
    assert read_date(cell(cases, code).value) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("date impossible", "“31/02/2020” không phải là ngày có thật."),
        ("date month 13", "“05/13/2020” không phải là ngày có thật."),
        (
            "date two-digit year",
            "“05/07/20” không phải là ngày. Hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/07/2020.",
        ),
        (
            "date mixed separators",
            "“05/07-2020” không phải là ngày. Hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/07/2020.",
        ),
        ("date serial number", "“44017” không phải là ngày. Hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/07/2020."),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused(cases, code, message):
    with pytest.raises(CellError, match=f"^{message}$"):
        read_date(cell(cases, code).value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("text nfd", "Xã Tân Cương"),
        ("text code number", "2.1"),
        ("whole number", "1234"),
        ("date cell", "05/07/2020"),
    ],
)
def test_text_is_nfc_with_spaces_folded(cases, code, expected):
    assert read_text(cell(cases, code).value) == expected


def test_a_cell_error_is_placed_on_its_sheet_row_and_column():
    with pytest.raises(CellError) as caught:
        read_number("mười bảy")
    assert caught.value.located("Số liệu", 7, 5) == (
        "Trang “Số liệu”, dòng 7, cột E: “mười bảy” không phải là số. Hãy ghi dạng 17,23 hoặc 1.234,5."
    )


# --- Headers and rows ----------------------------------------------------------------------


def test_merged_header_cells_apply_to_every_column_they_span(cases):
    assert header_map(cases["Số liệu"], header_rows=2) == {
        1: ("STT", "STT"),
        2: ("Xã", "Xã"),
        3: ("Tiêu chí 2. Giao thông", "2.1"),
        4: ("Tiêu chí 2. Giao thông", "2.2"),
        5: ("Tiêu chí 17. Môi trường", "17.1"),
        6: ("Tiêu chí 17. Môi trường", "17.2"),
        7: ("Ngày thẩm định", "Ngày thẩm định"),
    }


def test_rows_below_the_headers_are_read_with_their_numbers_skipping_empty_ones(cases):
    rows = [
        (
            number,
            read_text(cells[1].value),
            read_achieved(cells[2].value),
            read_percent(cells[3].value, cell_is_percent_formatted=is_percent_format(cells[3].number_format)),
            read_number(cells[5].value),
            read_date(cells[6].value),
        )
        for number, cells in iter_rows(cases["Số liệu"], header_rows=2, max_rows=10)
    ]
    assert rows == [
        (3, "Xã Tân Cương", True, D("85"), D("95.5"), date(2020, 7, 5)),
        (4, "Xã Phúc Xuân", False, D("90"), D("100"), date(2020, 7, 6)),
        (6, "Xã Phúc Trìu", None, D("70"), D("1234.5"), None),
    ]


def test_more_rows_of_data_than_allowed_are_refused(cases):
    with pytest.raises(SpreadsheetRefused, match="^Trang “Số liệu” có hơn 2 dòng dữ liệu.$"):
        list(iter_rows(cases["Số liệu"], header_rows=2, max_rows=2))


@pytest.mark.parametrize("dimension", ["A1:B2", None])
def test_an_understated_or_missing_dimension_loses_no_row(cases_xlsx, dimension):
    # openpyxl's read-only mode trusts <dimension>: rows past it would vanish unread.
    data = books.rewrite_part(cases_xlsx, "xl/worksheets/sheet1.xml", books.with_dimension(dimension))
    sheet = open_workbook(data, filename=NAME)["Số liệu"]
    assert (sheet.max_row, sheet.max_column) == (6, 7)
    assert [number for number, _cells in iter_rows(sheet, header_rows=2, max_rows=10)] == [3, 4, 6]
    assert header_map(sheet)[7] == ("Ngày thẩm định", "Ngày thẩm định")


# --- Formulas ----------------------------------------------------------------------------


def test_a_formula_saved_by_libreoffice_reads_as_its_result(tmp_path):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    data = books.libreoffice_convert(
        books.formula_workbook(), suffix=".xlsx", convert_to="xlsx", root=tmp_path
    )
    sheet = open_workbook(data, filename=NAME)["Số liệu"]
    [(number, cells)] = [row for row in iter_rows(sheet, header_rows=2, max_rows=10) if row[0] == 7]
    assert read_number(cells[4].value) == D("100")
    assert read_text(cells[5].value) == ""  # a formula whose result is the empty text


def test_a_formula_without_a_saved_result_is_refused_asking_to_save_it_in_an_office_suite():
    assert refusal(books.formula_workbook()) == (
        "Trang “Số liệu”, dòng 7, cột E: công thức này chưa có kết quả được lưu (tệp do một chương trình "
        "tạo ra, chưa được lưu bằng Excel hoặc LibreOffice). Hãy mở tệp bằng Excel hoặc LibreOffice, "
        "lưu lại rồi tải lên lần nữa."
    )


# --- Refused files -----------------------------------------------------------------------

OLD_XLS = (
    "Tệp “bao-cao.xlsx” là sổ tính Excel đời cũ (.xls). Hãy mở tệp bằng Excel hoặc LibreOffice, "
    "lưu dưới dạng .xlsx (Excel Workbook) rồi tải tệp đó lên."
)
PASSWORD = (
    "Tệp “bao-cao.xlsx” được bảo vệ bằng mật khẩu nên không đọc được. Hãy mở tệp bằng Excel hoặc "
    "LibreOffice, bỏ mật khẩu, lưu lại rồi tải lên lần nữa."
)
NOT_XLSX = "Tệp “bao-cao.xlsx” không phải là sổ tính Excel (.xlsx)."
CSV = (
    "Tệp “bao-cao.xlsx” là tệp văn bản (CSV), không phải sổ tính Excel. Hãy mở tệp bằng Excel hoặc "
    "LibreOffice rồi lưu dưới dạng .xlsx (Excel Workbook)."
)
DAMAGED = (
    "Không đọc được tệp “bao-cao.xlsx” như một sổ tính Excel; có thể tệp đã bị hỏng. Hãy mở tệp bằng "
    "Excel hoặc LibreOffice, lưu lại rồi tải lên tệp vừa lưu."
)
BOMB = "Tệp “bao-cao.xlsx” khi giải nén lớn bất thường so với một báo cáo nên không được mở."
ENTITIES = (
    "Tệp “bao-cao.xlsx” có khai báo thực thể XML, bị từ chối vì lý do an toàn. Hãy mở tệp bằng Excel "
    "hoặc LibreOffice, lưu lại rồi tải lên tệp vừa lưu."
)


def test_an_empty_file_is_refused():
    assert refusal(b"") == "Tệp “bao-cao.xlsx” trống."


@pytest.mark.parametrize(("max_bytes", "limit"), [(10 * MB, "10"), (1536 * 1024, "1,5")])
def test_a_file_over_the_size_limit_is_refused_naming_the_limit(max_bytes, limit):
    message = refusal(b"PK" + bytes(max_bytes - 1), max_bytes=max_bytes)
    assert message == f"Tệp “bao-cao.xlsx” lớn hơn {limit} MB."


def test_the_default_limit_is_10_mb(cases_xlsx):
    assert refusal(b"PK" + bytes(10 * MB - 1)) == "Tệp “bao-cao.xlsx” lớn hơn 10 MB."
    assert open_workbook(cases_xlsx, filename=NAME).sheetnames == ["Số liệu", "Giá trị"]


def test_an_old_xls_saved_by_libreoffice_is_refused_asking_for_xlsx(cases_xlsx, lo_root):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    data = books.libreoffice_convert(cases_xlsx, suffix=".xlsx", convert_to="xls", root=lo_root)
    assert data.startswith(spreadsheet.OLE2_MAGIC)
    assert refusal(data) == OLD_XLS


def test_a_password_protected_xlsx_saved_by_libreoffice_is_refused_as_such(cases_xlsx, lo_root):
    require(books.uno_available(), books.UNO_MISSING)
    data = books.libreoffice_encrypt(cases_xlsx, password="Demo@2026", root=lo_root)
    assert data.startswith(spreadsheet.OLE2_MAGIC)  # an OLE2 container, not a zip
    assert refusal(data) == PASSWORD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (spreadsheet.OLE2_MAGIC + bytes(504) + "Workbook".encode("utf-16-le"), OLD_XLS),
        (spreadsheet.OLE2_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le"), PASSWORD),
    ],
    ids=["ole2", "ole2-encryption-info"],
)
def test_ole2_containers_are_told_apart_by_their_encryption_stream(data, message):
    assert refusal(data) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("STT;Xã;2.1\n1;Tân Cương;85\n".encode(), CSV),
        ("\ufeffSTT,Xã,2.1\r\n1,Tân Cương,85\r\n".encode(), CSV),
        ("STT\tXã\n1\tTân Cương\n".encode("utf-16"), CSV),  # Excel's "Unicode text"
        (b"STT;X\xe3;T\xe2n C\xfd\xf4ng\n", CSV),  # a legacy code page
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "Tệp “bao-cao.xlsx” là tài liệu PDF, không phải sổ tính Excel. Hãy tải lên tệp .xlsx dùng để "
            "lập báo cáo.",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NOT_XLSX),
    ],
    ids=["csv", "csv-bom", "csv-utf16", "csv-legacy", "pdf", "png"],
)
def test_files_renamed_xlsx_are_refused_saying_what_they_are(data, message):
    assert refusal(data) == message


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert refusal(
        books.zip_of({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"})
    ) == (NOT_XLSX)


def test_an_ods_saved_by_libreoffice_is_refused_asking_for_xlsx(cases_xlsx, lo_root):
    require(books.soffice_available(), books.SOFFICE_MISSING)
    data = books.libreoffice_convert(cases_xlsx, suffix=".xlsx", convert_to="ods", root=lo_root)
    assert refusal(data) == (
        "Tệp “bao-cao.xlsx” là bảng tính OpenDocument (.ods). Hãy mở tệp bằng LibreOffice, lưu dưới "
        "dạng .xlsx (Excel 2007-365) rồi tải tệp đó lên."
    )


def test_a_damaged_workbook_is_refused(cases_xlsx):
    assert refusal(cases_xlsx[: len(cases_xlsx) // 2]) == DAMAGED
    parts = {**books.minimal_xlsx_parts(), "xl/workbook.xml": b"<workbook"}
    assert refusal(books.zip_of(parts)) == DAMAGED


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_anything_is_unpacked():
    # 200 MB of zeros, about 200 KB zipped: over the 100 MB unpacked limit.
    data = books.zip_of({**books.minimal_xlsx_parts(), "xl/media/zeros.bin": 200 * MB})
    assert len(data) < MB
    assert refusal(data) == BOMB


def test_a_member_compressed_more_than_100_to_1_is_refused():
    # 20 MB of zeros, under the total limit but about 1000:1.
    assert refusal(books.zip_of({**books.minimal_xlsx_parts(), "xl/worksheets/sheet1.xml": 20 * MB})) == BOMB


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
def test_xml_entity_declarations_are_refused(cases_xlsx, part):
    assert refusal(books.rewrite_part(cases_xlsx, part, books.with_entity)) == ENTITIES


def test_xml_entity_declarations_in_libreoffice_shared_strings_are_refused(cases_libreoffice):
    assert (
        refusal(books.rewrite_part(cases_libreoffice, "xl/sharedStrings.xml", books.with_entity)) == ENTITIES
    )


def test_a_sheet_whose_dimension_claims_a_million_rows_is_refused_before_it_is_read(cases_xlsx):
    data = books.rewrite_part(cases_xlsx, "xl/worksheets/sheet2.xml", books.with_dimension("A1:Z1000000"))
    assert refusal(data) == (
        "Trang “Giá trị” kéo dài đến dòng 1.000.000; chỉ chấp nhận tối đa 5.000 dòng. Hãy xóa các dòng "
        "bên dưới dữ liệu, lưu tệp rồi tải lên lần nữa."
    )


def test_rows_past_the_limit_are_refused_even_when_the_dimension_understates_them(cases_xlsx):
    data = books.rewrite_part(cases_xlsx, "xl/worksheets/sheet2.xml", books.with_dimension("A1:B2"))
    assert refusal(data, max_rows=10) == (
        "Trang “Giá trị” kéo dài đến dòng 11; chỉ chấp nhận tối đa 10 dòng. Hãy xóa các dòng bên dưới "
        "dữ liệu, lưu tệp rồi tải lên lần nữa."
    )


# --- defusedxml ----------------------------------------------------------------------------


def test_defusedxml_is_in_place():
    ensure_defusedxml()


def test_start_up_stops_without_defusedxml(monkeypatch):
    monkeypatch.setitem(sys.modules, "defusedxml", None)  # import defusedxml -> ImportError
    with pytest.raises(RuntimeError, match="defusedxml is not installed"):
        ensure_defusedxml()


def test_start_up_stops_when_openpyxl_does_not_use_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="openpyxl does not use defusedxml"):
        ensure_defusedxml()
