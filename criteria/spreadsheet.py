"""Open an uploaded criteria report (.xlsx) safely and read its cells the way people in the
province write them. Pure: no models, no database; every message goes through gettext.

:func:`open_workbook` refuses, with a message the uploader can act on, before openpyxl parses
a part: empty or oversized files; old .xls and password-protected .xlsx (both OLE2 containers,
told apart by the ``EncryptionInfo`` stream); PDFs, CSVs and .ods renamed .xlsx; zip bombs
(the sizes the zip directory declares are checked: Python's zipfile never inflates a member
past them); XML entity declarations (defusedxml, see :func:`ensure_defusedxml`); sheets longer
than ``max_rows``, by their declared dimension first.

**Formulas.** The workbook is read with ``data_only=True``: a formula cell reads as the result
Excel or LibreOffice saved with it. A file written by a program (openpyxl, an export script)
has formulas with no saved result, which would read as empty: one streaming pass over each
sheet's XML finds a ``<c>`` with an ``<f>`` and no ``<v>`` text (a ``t="str"`` formula may have
saved the empty text) and refuses the file, asking to open and save it in Excel or
LibreOffice. The same pass measures the rows really used, since openpyxl's read-only mode
trusts the declared dimension and would silently drop rows past one that is too small.

Cell readers return a value or raise :class:`CellError`; the caller places its message with
:meth:`CellError.located` ("Trang “Số liệu”, dòng 7, cột E: …").
"""

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.xml.functions import iterparse

from core.formatting import decimal_text
from core.numbers import NumberFormatError, parse_decimal, trim_decimal
from core.text import clean, fold

try:
    from defusedxml import DefusedXmlException
except ImportError:  # ensure_defusedxml() stops the portal at start-up
    DefusedXmlException = ()

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_ROWS = 5000
MAX_UNPACKED = 100 * MB  # all members together, as the zip directory declares them
MAX_RATIO = 100  # per member larger than RATIO_FROM; real sheets compress 5-30:1
RATIO_FROM = MB
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # an OLE2 directory entry name

PASSWORD = gettext_lazy(
    "The file “%(name)s” is protected by a password, so it cannot be read. Open it in Excel or LibreOffice, "
    "remove the password, save it and upload it again."
)
OLD_XLS = gettext_lazy(
    "The file “%(name)s” is an old Excel workbook (.xls). Open it in Excel or LibreOffice, save it as .xlsx "
    "(Excel Workbook) and upload that file."
)
DAMAGED = gettext_lazy(
    "The file “%(name)s” could not be read as an Excel workbook; it may be damaged. Open it in Excel or "
    "LibreOffice, save it again and upload the saved file."
)
ENTITIES = gettext_lazy(
    "The file “%(name)s” declares XML entities, which are refused for safety. Open it in Excel or "
    "LibreOffice, save it again and upload the saved file."
)
UNSAVED = gettext_lazy(
    "this formula has no saved result (the file was written by a program, not saved by Excel or "
    "LibreOffice). Open the file in Excel or LibreOffice, save it and upload it again."
)


class SpreadsheetRefused(ValueError):
    """The upload is not a workbook we read; ``str()`` is the message for the uploader."""


class CellError(ValueError):
    """A cell's content is not what its column needs; ``str()`` is the message."""

    def located(self, sheet: str, row: int, column: int) -> str:
        return located(sheet, row, column, str(self))


def located(sheet: str, row: int, column: int, message: str) -> str:
    return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s") % {
        "sheet": sheet, "row": row, "column": get_column_letter(column), "message": message,
    }  # fmt: skip


def ensure_defusedxml() -> None:
    """Raise RuntimeError unless openpyxl parses through defusedxml (called at start-up)."""
    try:
        import defusedxml  # noqa: F401
    except ImportError:
        raise RuntimeError("defusedxml is not installed: openpyxl would parse XML unguarded.") from None
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml (is OPENPYXL_DEFUSEDXML=False set?).")


# --- Opening -------------------------------------------------------------------------


def open_workbook(
    data: bytes, *, filename: str, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> openpyxl.Workbook:
    """A read-only, data-only workbook whose every sheet has at most ``max_rows`` rows and
    no formula without a saved result; raises :class:`SpreadsheetRefused` otherwise."""
    name = {"name": clean(filename)}
    if not data:
        raise SpreadsheetRefused(_("The file “%(name)s” is empty.") % name)
    if len(data) > max_bytes:
        limit = decimal_text(Decimal(max_bytes) / MB, grouping=False)
        raise SpreadsheetRefused(
            _("The file “%(name)s” is larger than %(limit)s MB.") % {**name, "limit": limit}
        )
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise SpreadsheetRefused(PASSWORD % name)
        raise SpreadsheetRefused(OLD_XLS % name)
    if not data.startswith(b"PK"):
        raise SpreadsheetRefused(_not_a_zip(data) % name)
    try:
        members = zipfile.ZipFile(BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise SpreadsheetRefused(DAMAGED % name) from None
    _check_members(members, name)
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            if sheet.max_row is not None and sheet.max_row > max_rows:  # the declared dimension
                raise SpreadsheetRefused(_too_long(sheet.title, sheet.max_row, max_rows))
            last_row, last_column = _scan(sheet, max_rows=max_rows)[1:]
            if last_row > (sheet.max_row or 0) or last_column > (sheet.max_column or 0):
                sheet.reset_dimensions()  # understated or missing: measure the real one
                sheet.calculate_dimension(force=True)
    except SpreadsheetRefused:
        raise
    except Exception as error:  # openpyxl wraps defusedxml's refusal in its own ValueError
        cause = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        raise SpreadsheetRefused((DAMAGED if cause is None else ENTITIES) % name) from None
    return workbook


def _check_members(members: list[zipfile.ZipInfo], name: dict) -> None:
    if sum(member.file_size for member in members) > MAX_UNPACKED or any(
        member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    ):
        raise SpreadsheetRefused(
            _("The file “%(name)s” unpacks to far more data than a report holds, so it was not opened.")
            % name
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            ods = _(
                "The file “%(name)s” is an OpenDocument spreadsheet (.ods). Open it in LibreOffice, save it "
                "as .xlsx (Excel 2007-365) and upload that file."
            )
            raise SpreadsheetRefused(ods % name)
        raise SpreadsheetRefused(_("The file “%(name)s” is not an Excel workbook (.xlsx).") % name)


def _not_a_zip(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return _(
            "The file “%(name)s” is a PDF document, not an Excel workbook. Upload the .xlsx file the report "
            "was made from."
        )
    head = data[:4096]  # UTF-8, a legacy code page (its letters become U+FFFD), or UTF-16
    text = head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig", "replace")
    if text.strip() and all(ch.isprintable() or ch in "\t\r\n" for ch in text):
        return _(
            "The file “%(name)s” is a text (CSV) file, not an Excel workbook. "
            "Open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)."
        )
    return _("The file “%(name)s” is not an Excel workbook (.xlsx).")


def _too_long(sheet: str, row: int, limit: int) -> str:
    return _(
        "Sheet “%(sheet)s” reaches row %(row)s; at most %(limit)s rows are accepted. Delete the rows below "
        "the data, save the file and upload it again."
    ) % {"sheet": sheet, "row": _count(row), "limit": _count(limit)}


def _scan(sheet, *, max_rows: int | None = None) -> tuple[list[str], int, int]:
    """One streaming pass over a sheet's XML: (merged ranges, last row, last column with
    content). Raises SpreadsheetRefused for a formula without a saved result or content
    below ``max_rows``."""
    merged, last_row, last_column, row_number, sheet_data = [], 0, 0, 0, None
    with sheet._get_source() as source:  # openpyxl 3.1 ReadOnlyWorksheet: the sheet's XML part
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                sheet_data = element if tag == "sheetData" else sheet_data
            elif tag == "mergeCell":
                merged.append(element.get("ref"))
            elif tag == "row":
                row_number = int(element.get("r", row_number + 1))
                for position, cell in enumerate(element, start=1):
                    parts = {child.tag.rpartition("}")[2]: child for child in cell}
                    saved = "v" in parts and bool(parts["v"].text)
                    if not (saved or "is" in parts or "f" in parts):
                        continue
                    column = coordinate_to_tuple(cell.get("r"))[1] if cell.get("r") else position
                    if "f" in parts and not saved and cell.get("t") != "str":
                        raise SpreadsheetRefused(located(sheet.title, row_number, column, UNSAVED))
                    if max_rows is not None and row_number > max_rows:
                        raise SpreadsheetRefused(_too_long(sheet.title, row_number, max_rows))
                    last_row, last_column = row_number, max(last_column, column)
                sheet_data.remove(element)  # keep memory flat on long sheets
    return merged, last_row, last_column


# --- Rows and headers ----------------------------------------------------------------


def header_map(sheet, header_rows: int = 2) -> dict[int, tuple[str, ...]]:
    """For each column (1-based) with a header, its texts from top to bottom; a merged
    header's text applies to every column and row it spans."""
    grid = [
        [read_text(cell.value) for cell in row]
        for row in sheet.iter_rows(min_row=1, max_row=header_rows)
    ]  # fmt: skip
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    grid += [[""] * width for _row in range(header_rows - len(grid))]
    for ref in _scan(sheet)[0]:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        text = grid[min_row - 1][min_col - 1] if min_row <= header_rows and min_col <= width else ""
        for row in range(min_row, min(max_row, header_rows) + 1):
            for column in range(min_col, min(max_col, width) + 1):
                grid[row - 1][column - 1] = text
    columns = {index + 1: tuple(row[index] for row in grid) for index in range(width)}
    return {column: texts for column, texts in columns.items() if any(texts)}


def iter_rows(sheet, *, header_rows: int, max_rows: int):
    """Yield ``(row_number, cells)`` for each non-empty row below the headers; ``cells``
    are openpyxl read-only cells (``.value``, ``.number_format``), column A first.
    More than ``max_rows`` non-empty rows is refused."""
    count = 0
    for number, cells in enumerate(sheet.iter_rows(min_row=header_rows + 1), header_rows + 1):
        if all(_blank(cell.value) for cell in cells):
            continue
        count += 1
        if count > max_rows:
            raise SpreadsheetRefused(
                _("Sheet “%(sheet)s” has more than %(limit)s rows of data.")
                % {"sheet": sheet.title, "limit": _count(max_rows)}
            )
        yield number, cells


def is_percent_format(number_format: str | None) -> bool:
    """Whether a number format shows the value times 100 ("0%", "0.00%"; not ``0"%"``)."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format or "")


# --- Cell readers ----------------------------------------------------------------------


def read_number(value) -> Decimal | None:
    """A number cell, or text in the province's spellings ("17,23", "1.234,5", "1 234,5")."""
    if _blank(value):
        return None
    if isinstance(value, str):
        try:
            return parse_decimal(value)
        except NumberFormatError:
            pass
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)  # Excel: 15 digits
    raise CellError(
        _("“%(value)s” is not a number. Write it like 17,23 or 1.234,5.") % {"value": _echo(value)}
    )


def read_percent(value, *, cell_is_percent_formatted: bool) -> Decimal | None:
    """A percentage, always 0-100: 85, "85%", or 0.85 in a percent-formatted cell (Excel
    stores 85% as 0.85). A plain number is taken as written, even at or below 1: 0.85
    without a percent format means 0,85 %, and the form then shows 0,85 to the appraiser."""
    try:
        number = read_number(value)
    except CellError:
        raise CellError(
            _("“%(value)s” is not a percentage. Write it like 85 or 85%%.") % {"value": _echo(value)}
        ) from None
    if number is not None and cell_is_percent_formatted and not isinstance(value, str):
        number = trim_decimal(number * 100)
    if number is not None and not 0 <= number <= 100:
        raise CellError(_("%(value)s%% is not a percentage between 0 and 100.") % {"value": _show(number)})
    return number


# "Chưa đạt" (not yet met) is how NTM reports say Không đạt; "ko", "k" and "k." are the
# usual shorthands; 1 and 0 (as numbers or as text) are what a spreadsheet's checkbox or
# a formula gives.
_ACHIEVED = {
    "dat": True,
    "khong dat": False,
    "chua dat": False,
    "ko dat": False,
    "k dat": False,
    "k.dat": False,
    "k. dat": False,
    "1": True,
    "0": False,
}


def read_achieved(value) -> bool | None:
    """ "Đạt" -> True; "Không đạt", "Chưa đạt", "Ko đạt", "K.Đạt" -> False, in any case,
    spelling or spacing; booleans; 1 and 0."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    if isinstance(value, str) and fold(value) in _ACHIEVED:
        return _ACHIEVED[fold(value)]
    raise CellError(
        _("“%(value)s” is neither Đạt nor Không đạt. Write Đạt or Không đạt.") % {"value": _echo(value)}
    )


_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


def read_date(value) -> date | None:
    """A date cell, or text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, and ISO
    yyyy-mm-dd). Never month-first: "05/07/2020" is 5 July 2020."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean(value) if isinstance(value, str) else ""
    if day_first := _DAY_FIRST.fullmatch(text):
        day, month, year = day_first[1], day_first[3], day_first[4]
    elif iso := _ISO.fullmatch(text):
        year, month, day = iso.groups()
    if day_first or iso:
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise CellError(_("“%(value)s” is not a real date.") % {"value": _echo(value)}) from None
    raise CellError(
        _("“%(value)s” is not a date. Write it as dd/mm/yyyy, for example 05/07/2020.")
        % {"value": _echo(value)}
    )


def read_text(value) -> str:
    """Text in NFC, with non-breaking and doubled spaces folded; a number as Excel shows it
    (2.1, not 2.1000000000000001); a date as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return _show(value)


# --- Helpers ---------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


def _count(number: int) -> str:
    return decimal_text(number)


ECHO_LIMIT = 60


def _echo(value) -> str:
    """A cell's value quoted back in a message, cut to :data:`ECHO_LIMIT` characters."""
    text = _show(value)
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"


def _show(value) -> str:
    """A cell's value as the uploader saw it: text cleaned, numbers and dates localised."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    # Django's localisation of whatever openpyxl read (a number as stored, a date, a time):
    # the uploader's own cell, quoted back, not a figure of the portal's.
    return localize(value)
