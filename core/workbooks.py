"""What every workbook the portal writes shares: the house styles, a cell writer that keeps
each value's kind, file names every file system accepts, and the bytes of a workbook.

Cells keep their kind (:func:`put`): text through :func:`core.downloads.set_text`
(a note such as "=1+1" or "-dự kiến" stays text and never runs as a formula), numbers
as numeric cells (``Decimal`` without trailing zeros), dates as date cells shown
DD/MM/YYYY; characters that XML cannot hold are dropped from text.
"""

import datetime
import re
from decimal import Decimal
from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
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
