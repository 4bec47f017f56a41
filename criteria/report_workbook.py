"""The Excel round trip of criteria reports, first half: what a template holds (its
:class:`Layout`) and how a district's (or the province's) template is built. Pure: plain
data in, bytes out; no models and no queries (``criteria.selectors.reports`` builds the
:class:`Layout` from the database; :mod:`criteria.report_reading` reads a filled template
back; ``criteria.services.reports`` decides what the values change).

**The template** has three sheets:

* the data sheet ("Số liệu"): rows 1-2 are the header (row 1 the criterion, merged over its
  columns; row 2 the indicator code, name and unit); column A the commune's GSO code,
  column B its name, one row per xã from row 3; one column per indicator, and for a
  numeric indicator whose target nobody has set yet (judged by the appraiser, see
  :mod:`criteria.evaluation`) a second column for the appraiser's Đạt / Không đạt. Cells
  hold the portal's current values; Đạt / Không đạt cells have a drop-down list; the
  sheet is protected (no password: it guards against slips, not people) with the value
  cells unlocked, and the workbook's structure is locked;
* an instructions sheet in the user's language (Vietnamese by default);
* a very hidden metadata sheet: template version, criteria set, period, unit (code and
  id), the data sheet's name and a checksum of the structure (version, set and column
  keys), so a template made before a coordinator changed the set is refused.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from core.downloads import set_text
from core.formatting import datetime_text
from core.workbooks import BORDER, HEADER_FILL, workbook_bytes

TEMPLATE_VERSION = "1"
META_SHEET = "ntm_meta"
VERSION_KEY = "assessment_version:"
HEADER_ROWS = 2
CODE_COLUMN, NAME_COLUMN, FIRST_VALUE_COLUMN = 1, 2, 3
VALUE_COLUMN_WIDTH = 18  # characters
HEADING_CHARS_PER_LINE = 16  # a wrapped heading in a value column of that width
COMMUNE_CODE_DIGITS = 5  # GSO commune codes: "05443"; Excel drops the leading zero of 5443
ACHIEVED_TEXT = {True: "Đạt", False: "Không đạt"}


class Field(StrEnum):
    """What a column holds: a number, a percent (0-100), the Đạt / Không đạt of a yes/no
    indicator, or the appraiser's Đạt / Không đạt of a numeric indicator with no target.
    ``number`` and ``percent`` go to ``IndicatorValue.number``, the others to ``achieved``."""

    NUMBER = "number"
    PERCENT = "percent"
    ACHIEVED = "achieved"
    JUDGEMENT = "judgement"

    @property
    def is_mark(self) -> bool:
        return self in (Field.ACHIEVED, Field.JUDGEMENT)


@dataclass(frozen=True)
class Column:
    """One value column of the data sheet."""

    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    criterion_number: int
    criterion_name: str
    field: Field

    @property
    def key(self) -> str:
        return f"{self.indicator_code}|{self.field}"

    @property
    def heading(self) -> str:
        """Row 2's text; it always starts with the indicator code and a space."""
        if self.field == Field.JUDGEMENT:
            return f"{self.indicator_code} " + _("appraiser's conclusion (Đạt / Không đạt)")
        named = not self.unit or self.unit in self.indicator_name  # "Thu nhập (triệu đồng/người/năm)"
        unit = "" if named else f" ({self.unit})"
        return f"{self.indicator_code} {self.indicator_name}{unit}"


@dataclass(frozen=True)
class Commune:
    """A row of the template: the unit's id, GSO code and name."""

    unit_id: int
    code: str
    name: str


@dataclass(frozen=True)
class Layout:
    """What a template holds: which set, period and unit (district or province), its
    columns in order and its communes in order."""

    criteria_set_code: str
    criteria_set_name: str
    period_code: str
    period_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    columns: tuple[Column, ...]
    communes: tuple[Commune, ...]

    @property
    def checksum(self) -> str:
        """A hash of the structure: template version, criteria set and column keys."""
        text = "\n".join([TEMPLATE_VERSION, self.criteria_set_code, *(c.key for c in self.columns)])
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    @property
    def data_sheet(self) -> str:
        return _("Data")


# --- Building the template ----------------------------------------------------------------


def build_template(
    layout: Layout,
    current: dict[tuple[int, str], Decimal | bool],
    *,
    versions: dict[int, int],
    generated_at: datetime,
) -> bytes:
    """The .xlsx template of ``layout`` as bytes, prefilled with ``current`` (values by
    ``(unit_id, column key)``: Decimal for numbers and percents, bool for Đạt / Không đạt).
    ``versions`` maps a commune's unit id to its assessment's version at download time
    (communes without an assessment are absent): an upload refuses a commune whose
    assessment changed since, as the form refuses a stale page."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.data_sheet
    _write_header(sheet, layout)
    mark_list = DataValidation(
        type="list",
        formula1=f'"{ACHIEVED_TEXT[True]},{ACHIEVED_TEXT[False]}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Đạt / Không đạt"),
        error=_("Choose Đạt or Không đạt from the list."),
    )
    sheet.add_data_validation(mark_list)
    last_row = HEADER_ROWS + len(layout.communes)
    for offset, commune in enumerate(layout.communes):
        row = HEADER_ROWS + 1 + offset
        set_text(sheet.cell(row, CODE_COLUMN), commune.code)
        set_text(sheet.cell(row, NAME_COLUMN), commune.name)
        for index, column in enumerate(layout.columns):
            cell = sheet.cell(row, FIRST_VALUE_COLUMN + index)
            value = current.get((commune.unit_id, column.key))
            if isinstance(value, bool):
                set_text(cell, ACHIEVED_TEXT[value])
            elif value is not None:
                cell.value = value
            cell.protection = Protection(locked=False)
            cell.border = BORDER
        sheet.cell(row, CODE_COLUMN).border = sheet.cell(row, NAME_COLUMN).border = BORDER
    for index, column in enumerate(layout.columns):
        if column.field.is_mark and layout.communes:
            letter = get_column_letter(FIRST_VALUE_COLUMN + index)
            mark_list.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last_row}")
    sheet.freeze_panes = sheet.cell(HEADER_ROWS + 1, FIRST_VALUE_COLUMN)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    _write_instructions(workbook.create_sheet(_("Instructions")), layout, generated_at)
    _write_meta(workbook.create_sheet(META_SHEET), layout, versions, generated_at)
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    return workbook_bytes(workbook)


def _write_header(sheet, layout: Layout) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for column, text in ((CODE_COLUMN, _("Commune code")), (NAME_COLUMN, _("Commune"))):
        set_text(sheet.cell(1, column), text)
        sheet.merge_cells(start_row=1, end_row=HEADER_ROWS, start_column=column, end_column=column)
    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 24
    start = FIRST_VALUE_COLUMN
    for index, column in enumerate(layout.columns):
        number = FIRST_VALUE_COLUMN + index
        set_text(sheet.cell(2, number), column.heading)
        sheet.column_dimensions[get_column_letter(number)].width = VALUE_COLUMN_WIDTH
        following = layout.columns[index + 1] if index + 1 < len(layout.columns) else None
        if following is None or following.criterion_number != column.criterion_number:
            set_text(sheet.cell(1, start), f"{column.criterion_number}. {column.criterion_name}")
            if number > start:
                sheet.merge_cells(start_row=1, end_row=1, start_column=start, end_column=number)
            start = number + 1
    for row in sheet.iter_rows(min_row=1, max_row=HEADER_ROWS):
        for cell in row:
            cell.font, cell.alignment, cell.fill, cell.border = bold, wrap, HEADER_FILL, BORDER
    longest = max((len(column.heading) for column in layout.columns), default=0)
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = min(409, 15 * (2 + longest // HEADING_CHARS_PER_LINE))  # points


def _write_instructions(sheet, layout: Layout, generated_at: datetime) -> None:
    lines = [
        _("How to fill in this criteria report"),
        "",
        _("Unit: %(unit)s. Period: %(period)s. Criteria set: %(set)s.")
        % {"unit": layout.unit_name, "period": layout.period_name, "set": layout.criteria_set_name},
        _("Template version %(version)s, made on %(when)s.")
        % {"version": TEMPLATE_VERSION, "when": datetime_text(generated_at)},
        "",
        _("1. Fill in the sheet “%(sheet)s”: one row per commune, one column per indicator.")
        % {"sheet": layout.data_sheet},
        _("2. Do not change column A (the commune code), the two header rows or the sheet names."),
        _("3. Numbers: write them as usual, for example 17,23 or 1.234,5."),
        _(
            "4. Percentages: write 85 for 85 %; a cell formatted as a percentage that shows 85% is read as 85 too."
        ),
        _("5. Đạt / Không đạt: choose from the list in the cell."),
        _("6. An empty cell leaves the portal's value as it is; to erase a value, use the assessment form."),
        _("7. Formulas are allowed once the file is saved in Excel or LibreOffice: their results are read."),
        _(
            "8. Upload the file on the portal's page “Excel reports”. The portal shows what would change, "
            "commune by commune, and saves nothing until you confirm."
        ),
        _(
            "9. A commune whose assessment is submitted, approved or in a locked period is not changed; the "
            "preview says why."
        ),
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, line in enumerate(lines, start=1):
        set_text(sheet.cell(row, 1), line)
        sheet.cell(row, 1).alignment = wrap
        sheet.row_dimensions[row].height = 15 * (1 + len(line) // 100)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 100
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True


def _write_meta(sheet, layout: Layout, versions: dict[int, int], generated_at: datetime) -> None:
    pairs = [
        ("template_version", TEMPLATE_VERSION),
        ("criteria_set", layout.criteria_set_code),
        ("period", layout.period_code),
        ("unit_code", layout.unit_code),
        ("unit_id", str(layout.unit_id)),
        ("data_sheet", layout.data_sheet),
        ("checksum", layout.checksum),
        ("generated_at", generated_at.isoformat()),
        *((f"{VERSION_KEY}{unit_id}", str(version)) for unit_id, version in sorted(versions.items())),
    ]
    pairs.append(("signature", signature(pairs)))
    for row, (key, value) in enumerate(pairs, start=1):
        set_text(sheet.cell(row, 1), key)
        set_text(sheet.cell(row, 2), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def signature(pairs: list[tuple[str, str]]) -> str:
    """An HMAC of the metadata with the portal's secret key: a template whose hidden sheet
    was edited (another period, unit or set typed in) is refused."""
    text = "\n".join(f"{key}={value}" for key, value in pairs)
    # The salt names this module; keep it if the module moves, or every template already
    # downloaded would be refused.
    return salted_hmac("criteria.report_workbook", text, algorithm="sha256").hexdigest()[:32]
