"""What every workbook the portal writes shares: the house styles, a cell writer that keeps
each value's kind, header cells, column widths, row heights for wrapped text, the A4
print setup, file names every file system accepts, and the bytes of a workbook.

Every table sheet is laid out for A4 landscape: bold bordered header rows that repeat on
each printed page, frozen panes below them, page numbers in the footer; row heights are
set for wrapped text, since a program that opens the file keeps the stored heights.

Cells keep their kind (:func:`put`): text through :func:`core.downloads.set_text`
(a note such as "=1+1" or "-dự kiến" stays text and never runs as a formula), numbers
as numeric cells (``Decimal`` without trailing zeros), dates as date cells shown
DD/MM/YYYY; characters that XML cannot hold are dropped from text.
"""

import datetime
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from core.downloads import set_text
from core.numbers import trim_decimal

DATE_FORMAT = "DD/MM/YYYY"
_THIN = Side(style="thin", color="7F7F7F")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WARNING_FONT = Font(bold=True, color="C00000")
NOTE_FONT = Font(italic=True, size=9)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE = Alignment(vertical="center")  # a table cell, in a row that other cells may make taller

# What a file name may not hold on Windows, macOS or Linux.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(stem: str, extension: str) -> str:
    """``stem`` (any Unicode, e.g. "Tổng hợp NTM 6 tháng đầu năm 2020") with the characters
    a file system refuses replaced by "-", and ``.extension``."""
    return _UNSAFE_IN_FILE_NAME.sub("-", stem).strip(" .-") + "." + extension


def put(ws: Worksheet, row: int, column: int, value, *, number_format: str | None = None, **style):
    """Write ``value`` into a cell keeping its kind (see the module's docstring) and apply
    ``style`` (font, fill, border, alignment; a bordered cell is centred vertically unless
    told otherwise). ``None`` and "" leave the cell empty. Raises TypeError for a boolean
    (write the words a person reads) or a datetime (the workbooks hold dates)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str | Promise):
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        if text:
            set_text(cell, text)
    elif isinstance(value, bool):
        raise TypeError("write a yes/no as the text a person reads, not as a boolean")
    elif isinstance(value, datetime.datetime):
        raise TypeError("the workbooks hold dates, not instants")
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = trim_decimal(value)
    elif value is not None:
        cell.value = value  # int or float
    if number_format:
        cell.number_format = number_format
    if style.get("border") is not None and style.get("alignment") is None:
        style["alignment"] = MIDDLE
    for name, setting in style.items():
        if setting is not None:
            setattr(cell, name, setting)
    return cell


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file of ``workbook``."""
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center")


# --- Cells ------------------------------------------------------------------------------


def header_row(ws: Worksheet, row: int, titles: Iterable, *, first_column: int = 1) -> None:
    """One header cell per title on ``row`` from ``first_column`` on: bold, filled,
    bordered, centred and wrapped."""
    for offset, title in enumerate(titles):
        put(
            ws,
            row,
            first_column + offset,
            title,
            font=BOLD,
            fill=HEADER_FILL,
            border=BORDER,
            alignment=HEADER_ALIGNMENT,
        )


def merged_header(ws: Worksheet, first_row: int, first_column: int, last_row: int, last_column: int, title):
    """A header cell spanning rows and columns, bordered all round (borders of merged
    cells are drawn from each covered cell)."""
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            ws.cell(row=row, column=column).border = BORDER
            ws.cell(row=row, column=column).fill = HEADER_FILL
    put(ws, first_row, first_column, title, font=BOLD, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
    if (first_row, first_column) != (last_row, last_column):
        ws.merge_cells(
            start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column
        )


def column_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    """Set the widths of columns A, B, ... (in characters) in order."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _lines(text: str, width: float, size: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide
    (``size``-point font); a little pessimistic, since lines break between words."""
    per_line = max(width * 11 / size - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _autofit_rows(ws: Worksheet, first_row: int) -> None:
    """Make each row from ``first_row`` on tall enough for its wrapped text: a program
    that opens the file keeps the stored heights, so openpyxl's one-line rows would
    print wrapped text over the next row. Merged cells are left to :func:`fit_rows`."""
    merged = {
        (row, column)
        for cells in ws.merged_cells.ranges
        for row in range(cells.min_row, cells.max_row + 1)
        for column in range(cells.min_col, cells.max_col + 1)
    }
    for row in ws.iter_rows(min_row=first_row):
        lines, size = 1, 11.0
        for cell in row:
            if (cell.row, cell.column) in merged or not isinstance(cell.value, str):
                continue
            if not (cell.alignment and cell.alignment.wrap_text):
                continue
            cell_size = cell.font.sz or 11.0
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            cell_lines = _lines(cell.value, width, cell_size)
            if cell_lines > lines:
                lines, size = cell_lines, cell_size
        if lines > 1:
            ws.row_dimensions[row[0].row].height = round(size * 1.35 * lines, 1)


def fit_rows(ws: Worksheet, row: int, text: str, width: float, *, column: int = 1, size: float = 11) -> None:
    """Wrap ``text`` in its (merged) cell at ``row``, ``column`` and make the row tall
    enough for it: Excel and LibreOffice never size a row holding a merged cell
    themselves. ``width`` is the cell's width in characters; ``size`` the font's size in
    points."""
    lines = _lines(text, width, size)
    ws.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=True)
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, round(size * 1.4 * lines, 1))


def span_width(ws: Worksheet, span: int) -> float:
    """The width in characters of columns 1 to ``span`` (Excel's default is 8.43)."""
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, span + 1))


def first_page_columns(ws: Worksheet, last_column: int, *, width: float = 140) -> int:
    """How many columns from the first fit in ``width`` characters (about a landscape A4
    page at the values sheet's scale): the title rows span no more, so that no printed
    page cuts them."""
    total, count = 0.0, 0
    for column in range(1, last_column + 1):
        total += ws.column_dimensions[get_column_letter(column)].width or 8.43
        if total > width:
            break
        count = column
    return max(count, 1)


def _header_footer_text(text: str) -> str:
    """Data put in a header or footer: "&" starts a code there, "&&" is a literal "&"."""
    return text.replace("&", "&&")


def print_setup(
    ws: Worksheet,
    *,
    title_rows: str,
    freeze: str,
    running_head: str,
    fit_width: bool = True,
    title_columns: str | None = None,
    scale: int | None = None,
) -> None:
    """A4 landscape, ``title_rows`` (e.g. "5:6") repeated on every page, panes frozen at
    ``freeze``, the period and scope at the top left of every page and "Trang 1 / 3" at
    the bottom; scaled to the page's width when ``fit_width`` (as many pages high as
    needed), else printed at ``scale`` percent."""
    # The sheet is complete now: size its table's rows for their wrapped text.
    _autofit_rows(ws, int(title_rows.split(":")[0]))
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    elif scale:
        ws.page_setup.scale = scale
    ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    ws.freeze_panes = freeze
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.left.text = _header_footer_text(running_head)
    ws.oddHeader.left.size = 8
    ws.oddFooter.center.text = _("Page &P of &N")
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = "&A"  # the sheet's name
    ws.oddFooter.right.size = 8
