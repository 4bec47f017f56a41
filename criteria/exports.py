"""Write the criteria results out as files: the province summary workbook, and the full
indicator values as a workbook and a long CSV. Pure: no query here (the selectors read,
see ``criteria.selectors.overview.province_overview`` and ``assessment_export``); every function
takes their results and returns bytes, in the active language.

Cells keep their kind: text through :func:`core.downloads.set_text` (so a note
such as "=1+1" or "-dự kiến" stays text and never runs as a formula), numbers as numeric
cells (``Decimal`` without trailing zeros, percents as 0-100), dates as date cells shown
DD/MM/YYYY. No cell holds a formula: a total is written as the selector computed it, so
the file shows the same figure as the overview page whatever program opens it.

Every sheet is laid out for A4 landscape: title rows, bold bordered header rows that
repeat on each printed page, frozen panes below them, page numbers in the footer; the
summary's sheets are scaled to fit the page width.
"""

import datetime
import math
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from core.downloads import csv_bytes
from core.formatting import date_text
from core.numbers import trim_decimal
from core.workbooks import (
    BOLD,
    BORDER,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    NOTE_FONT,
    TITLE_FONT,
    TOTAL_FILL,
    WARNING_FONT,
    file_name,
    put,
    workbook_bytes,
)
from criteria.models import IndicatorValue, MeasureType, Outcome
from criteria.selectors.overview import AssessmentExport, Overview

AVERAGE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0"
MET_MARK = "✓"
NOT_MET_MARK = "✗"

MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")
WRAP = Alignment(vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center")

# Where sheet 1's table starts: its header row, then one row per figure in this order.
SUMMARY_HEADER_ROW = 10
SUMMARY_FIGURES = (
    "assessed",
    "meeting_standard",
    "recognised",
    "average",
    "under_low",
    "under_high",
    "districts_without_model",
)
# The values sheet is too wide to fit one page's width: it prints across pages at this
# scale, with its commune columns repeated on each.
VALUES_SCALE = 80
TABLE_HEADER_ROW = 5  # sheets 2-4 and the values sheet: title rows 1-4, header from row 5


# --- File names -------------------------------------------------------------------------


def summary_filename(period) -> str:
    """The summary workbook's name: "Tổng hợp NTM 6 tháng đầu năm 2020.xlsx" (in the active
    language; characters a file system refuses become "-")."""
    return file_name(_("NTM summary %(period)s") % {"period": period.name}, "xlsx")


def values_filename(period, extension: str) -> str:
    """The values export's name, "Giá trị chỉ tiêu NTM 6 tháng đầu năm 2020.<extension>"."""
    return file_name(_("NTM indicator values %(period)s") % {"period": period.name}, extension)


# --- Cells ------------------------------------------------------------------------------


def _header_row(ws: Worksheet, row: int, titles: Iterable, *, first_column: int = 1) -> None:
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


def _merged_header(ws: Worksheet, first_row: int, first_column: int, last_row: int, last_column: int, title):
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


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
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
    print wrapped text over the next row. Merged cells are left to :func:`_fit_rows`."""
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


def _fit_rows(ws: Worksheet, row: int, text: str, width: float, *, column: int = 1, size: float = 11) -> None:
    """Wrap ``text`` in its (merged) cell at ``row``, ``column`` and make the row tall
    enough for it: Excel and LibreOffice never size a row holding a merged cell
    themselves. ``width`` is the cell's width in characters; ``size`` the font's size in
    points."""
    lines = _lines(text, width, size)
    ws.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=True)
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, round(size * 1.4 * lines, 1))


def _span_width(ws: Worksheet, span: int) -> float:
    """The width in characters of columns 1 to ``span`` (Excel's default is 8.43)."""
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, span + 1))


def _first_page_columns(ws: Worksheet, last_column: int, *, width: float = 140) -> int:
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


def _print_setup(
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


# --- The heading every sheet starts with ------------------------------------------------


def _period_text(period) -> str:
    return f"{period.name} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"


def _set_text(criteria_set) -> str:
    return f"{criteria_set.name} ({criteria_set.decision})" if criteria_set.decision else criteria_set.name


def _demo_warning() -> str:
    return _("Illustrative data: some figures here are illustrative demo data, not official data.")


def _running_head(period, criteria_set, scope_name: str) -> str:
    return " · ".join([period.name, criteria_set.name, scope_name])


def _sheet_heading(
    ws: Worksheet,
    *,
    title: str,
    period,
    criteria_set,
    scope_name: str,
    generated_on: datetime.date,
    has_demo: bool,
    span: int,
    note: str = "",
) -> None:
    """Rows 1-4 of a table sheet: the title, what was selected, the demo warning (when
    ``has_demo``) and a note; the table's header starts on row 5."""
    put(ws, 1, 1, title, font=TITLE_FONT)
    selection = _("%(period)s · criteria set: %(set)s · scope: %(scope)s · generated on %(day)s") % {
        "period": _period_text(period),
        "set": _set_text(criteria_set),
        "scope": scope_name,
        "day": date_text(generated_on),
    }
    width = _span_width(ws, span)
    put(ws, 2, 1, selection)
    _fit_rows(ws, 2, selection, width)
    if has_demo:
        put(ws, 3, 1, _demo_warning(), font=WARNING_FONT)
        _fit_rows(ws, 3, _demo_warning(), width)
    if note:
        put(ws, 4, 1, note, font=NOTE_FONT)
        _fit_rows(ws, 4, note, width, size=NOTE_FONT.sz)
    if span > 1:
        for row in (1, 2, 3, 4):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)


# --- The summary workbook ---------------------------------------------------------------


def summary_workbook(
    overview: Overview, communes: AssessmentExport, *, scope_name: str, generated_on: datetime.date
) -> bytes:
    """The province (or district) summary of one period under one set, as .xlsx bytes.

    ``overview`` is :func:`criteria.selectors.overview.province_overview`'s result and ``communes``
    :func:`criteria.selectors.overview.assessment_export`'s with ``approved_only=True`` for the same
    scope, period and set (so its rows are the assessments the overview counts).
    ``scope_name`` names the scope ("Huyện Đại Từ"); ``generated_on`` is today.

    Sheets: 1 the headline figures with the selection and the demo warning; 2 the figures
    by district with the total; 3 one row per commune with an approved assessment, one
    column per criterion (✓ met, ✗ not met) and the criteria met; 4 by criterion (met,
    not met, percent met 0-100).
    """
    workbook = Workbook()
    has_demo = overview.has_demo or communes.has_demo
    heading = {
        "period": overview.period,
        "criteria_set": overview.criteria_set,
        "scope_name": scope_name,
        "generated_on": generated_on,
        "has_demo": has_demo,
    }
    running_head = _running_head(overview.period, overview.criteria_set, scope_name)
    _summary_sheet(workbook.active, overview, running_head=running_head, **heading)
    _district_sheet(workbook.create_sheet(), overview, running_head=running_head, **heading)
    _commune_sheet(workbook.create_sheet(), overview, communes, running_head=running_head, **heading)
    _criterion_sheet(workbook.create_sheet(), overview, running_head=running_head, **heading)
    workbook.properties.title = _("NTM summary %(period)s") % {"period": overview.period.name}
    workbook.properties.creator = _("NTM Portal")
    return workbook_bytes(workbook)


def _summary_sheet(
    ws, overview: Overview, *, period, criteria_set, scope_name, generated_on, has_demo, running_head
):
    ws.title = _("Summary")
    totals = overview.totals
    _widths(ws, [52, 14, 66])
    put(ws, 1, 1, _("Summary of the New Rural Development (NTM) criteria results"), font=TITLE_FONT)
    ws.merge_cells("A1:C1")
    info = [
        (_("Reporting period"), _period_text(period)),
        (_("Criteria set"), _set_text(criteria_set)),
        (_("Scope"), scope_name),
        (_("Generated on"), generated_on),
    ]
    for offset, (label, value) in enumerate(info):
        row = 3 + offset
        put(ws, row, 1, label, font=BOLD, alignment=Alignment(vertical="top"))
        put(ws, row, 2, value, alignment=Alignment(horizontal="left", vertical="top"))
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        if isinstance(value, str):
            _fit_rows(ws, row, value, 14 + 66, column=2)
    if has_demo:
        put(ws, 7, 1, _demo_warning(), font=WARNING_FONT)
    note = _(
        "Only approved assessments of rural communes (xã) are counted. Recognised communes "
        "(by decision) and communes meeting the standard by assessment are counted apart."
    )
    put(ws, 8, 1, note, font=NOTE_FONT)
    _fit_rows(ws, 8, note, 52 + 14 + 66, size=NOTE_FONT.sz)
    ws.merge_cells("A7:C7")
    ws.merge_cells("A8:C8")

    _header_row(ws, SUMMARY_HEADER_ROW, [_("Figure"), _("Value"), _("Note")])
    end = date_text(period.end)
    figures = [
        (_("Communes assessed (approved assessments)"), totals.assessed, None, ""),
        (
            _("Communes meeting the standard by assessment"),
            totals.meeting_standard,
            None,
            _("every criterion of the set met in the approved assessment"),
        ),
        (
            _("Communes recognised at the NTM standard"),
            totals.recognised,
            None,
            _("by decision, up to %(end)s") % {"end": end},
        ),
        (
            _("Average criteria met per commune"),
            totals.average,
            AVERAGE_FORMAT,
            ngettext("out of %(n)s criterion", "out of %(n)s criteria", overview.criteria_total)
            % {"n": overview.criteria_total},
        ),
        (_("Communes under %(n)s criteria") % {"n": overview.under_low_label}, totals.under_low, None, ""),
        (_("Communes under %(n)s criteria") % {"n": overview.under_high_label}, totals.under_high, None, ""),
        (
            _("Districts without a model NTM commune"),
            len(overview.districts_without_model),
            None,
            ngettext("of %(n)s district", "of %(n)s districts", overview.districts_in_force)
            % {"n": overview.districts_in_force},
        ),
    ]
    for offset, (label, value, number_format, note) in enumerate(figures, start=1):
        row = SUMMARY_HEADER_ROW + offset
        put(ws, row, 1, label, border=BORDER, alignment=WRAP)
        put(ws, row, 2, value, number_format=number_format, border=BORDER, font=BOLD)
        put(ws, row, 3, note, border=BORDER, alignment=WRAP)
    _print_setup(
        ws,
        title_rows=f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}",
        freeze=f"A{SUMMARY_HEADER_ROW + 1}",
        running_head=running_head,
    )


def _district_sheet(ws, overview: Overview, *, running_head, **heading):
    ws.title = _("By district")
    titles = [
        _("No."),
        _("District"),
        _("Assessed"),
        _("Recognised"),
        _("Meeting the standard by assessment"),
        _("Average criteria"),
        _("Under %(n)s") % {"n": overview.under_low_label},
        _("Under %(n)s") % {"n": overview.under_high_label},
    ]
    _widths(ws, [6, 30, 12, 13, 20, 13, 11, 11])
    _sheet_heading(ws, title=_("NTM figures by district"), span=len(titles), **heading)
    _header_row(ws, TABLE_HEADER_ROW, titles)
    row = TABLE_HEADER_ROW
    for number, district_row in enumerate(overview.districts, start=1):
        row += 1
        name = district_row.district.name if district_row.district else _("Directly under the province")
        _figure_cells(ws, row, number, name, district_row.figures)
    row += 1
    _figure_cells(ws, row, None, _("Total"), overview.totals, font=BOLD, fill=TOTAL_FILL)
    _print_setup(
        ws, title_rows=f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}", freeze="C6", running_head=running_head
    )


def _figure_cells(ws, row, number, name, figures, **style):
    cells = [
        number,
        name,
        figures.assessed,
        figures.recognised,
        figures.meeting_standard,
        figures.average,
        figures.under_low,
        figures.under_high,
    ]
    for column, value in enumerate(cells, start=1):
        put(
            ws,
            row,
            column,
            value,
            number_format=AVERAGE_FORMAT if column == 6 else None,
            border=BORDER,
            alignment=CENTER if column == 1 else None,
            **style,
        )


def _commune_sheet(ws, overview: Overview, communes: AssessmentExport, *, running_head, **heading):
    ws.title = _("Communes by criterion")
    criteria = [row.criterion for row in overview.criteria]
    first_criterion = 5
    count_column = first_criterion + len(criteria)
    _widths(ws, [6, 9, 24, 22, *([4.6] * len(criteria)), 10])
    _sheet_heading(
        ws,
        title=_("Criteria met by each commune (approved assessments)"),
        span=count_column,
        note=_("%(met)s met · %(not_met)s not met") % {"met": MET_MARK, "not_met": NOT_MET_MARK},
        **heading,
    )
    top, bottom = TABLE_HEADER_ROW, TABLE_HEADER_ROW + 1
    for column, title in enumerate([_("No."), _("Commune code"), _("Commune"), _("District")], start=1):
        _merged_header(ws, top, column, bottom, column, title)
    if criteria:
        _merged_header(ws, top, first_criterion, top, count_column - 1, _("Criteria"))
    _header_row(ws, bottom, [criterion.number for criterion in criteria], first_column=first_criterion)
    _merged_header(ws, top, count_column, bottom, count_column, _("Criteria met"))
    ws.row_dimensions[top].height = 18
    row = bottom
    for number, item in enumerate(communes.rows, start=1):
        row += 1
        district = item.district
        for column, value in enumerate(
            [number, item.commune.code, item.commune.name, district.name if district else ""], start=1
        ):
            put(ws, row, column, value, border=BORDER, alignment=CENTER if column == 1 else None)
        for offset, criterion in enumerate(criteria):
            met = item.criteria.get(criterion.pk, False)
            put(
                ws,
                row,
                first_criterion + offset,
                MET_MARK if met else NOT_MET_MARK,
                border=BORDER,
                alignment=CENTER,
                fill=MET_FILL if met else NOT_MET_FILL,
            )
        put(ws, row, count_column, item.assessment.criteria_met, border=BORDER, font=BOLD)
    _print_setup(ws, title_rows=f"{top}:{bottom}", freeze=f"E{bottom + 1}", running_head=running_head)


def _criterion_sheet(ws, overview: Overview, *, running_head, **heading):
    ws.title = _("By criterion")
    titles = [
        _("No."),
        _("Criterion"),
        _("Responsible department"),
        _("Communes meeting it"),
        _("Not meeting it"),
        _("Met (%)"),
    ]
    _widths(ws, [6, 50, 42, 14, 14, 12])
    _sheet_heading(
        ws,
        title=_("NTM criteria: communes meeting each criterion"),
        span=len(titles),
        note=ngettext(
            "Out of %(n)s commune with an approved assessment.",
            "Out of %(n)s communes with an approved assessment.",
            overview.totals.assessed,
        )
        % {"n": overview.totals.assessed},
        **heading,
    )
    _header_row(ws, TABLE_HEADER_ROW, titles)
    for row, item in enumerate(overview.criteria, start=TABLE_HEADER_ROW + 1):
        agency = item.criterion.responsible_agency
        cells = [
            item.criterion.number,
            item.criterion.name,
            agency.name if agency else "",
            item.met,
            item.not_met,
        ]
        for column, value in enumerate(cells, start=1):
            put(
                ws,
                row,
                column,
                value,
                border=BORDER,
                alignment=WRAP if column in (2, 3) else CENTER if column == 1 else None,
            )
        put(ws, row, 6, item.percent, number_format=PERCENT_FORMAT, border=BORDER)
    _print_setup(
        ws, title_rows=f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}", freeze="C6", running_head=running_head
    )


# --- The indicator values ---------------------------------------------------------------


def _achieved_text(achieved: bool | None) -> str:
    if achieved is None:
        return ""
    return _("Đạt") if achieved else _("Không đạt")


def _wide_value(indicator, value: IndicatorValue | None):
    """What the wide sheet shows for one indicator: the number (percent 0-100) of a
    number or percent indicator; else, or when only the appraiser's judgement was given,
    "Đạt" / "Không đạt"; None when nothing was entered."""
    if value is None:
        return None
    if indicator.measure_type != MeasureType.BOOLEAN and value.number is not None:
        return value.number
    return _achieved_text(value.achieved) or None


def _statuses_note(export: AssessmentExport) -> str:
    if export.approved_only:
        return _("Approved assessments only.")
    return _(
        "Every assessment of the communes in your scope, whatever its status: only approved "
        "ones are official. Evidence notes are in the CSV export."
    )


def values_workbook(export: AssessmentExport, *, scope_name: str, generated_on: datetime.date) -> bytes:
    """The indicator values of :func:`criteria.selectors.overview.assessment_export`'s result as
    .xlsx bytes.

    Sheet 1: one row per commune (commune code, commune, district, status), then one
    column per indicator, headed by its code ("1.1 (%)" for a percent) and grouped under
    its criterion: the number of a number or percent
    indicator (percent 0-100) as a numeric cell, "Đạt" / "Không đạt" as text, empty when
    nothing was entered; evidence notes are left to the CSV. Sheet 2: the indicators
    (criterion, code, name, unit, measure, comparison, target).
    """
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Indicator values")
    indicators = export.indicators
    fixed = [_("Commune code"), _("Commune"), _("District"), _("Status")]
    first_indicator = len(fixed) + 1
    last_column = len(fixed) + len(indicators)
    _widths(ws, [9, 24, 22, 12, *([9] * len(indicators))])
    _sheet_heading(
        ws,
        title=_("Indicator values of the NTM criteria"),
        period=export.period,
        criteria_set=export.criteria_set,
        scope_name=scope_name,
        generated_on=generated_on,
        has_demo=export.has_demo,
        span=_first_page_columns(ws, last_column),
        note=_statuses_note(export),
    )
    top, bottom = TABLE_HEADER_ROW, TABLE_HEADER_ROW + 1
    for column, title in enumerate(fixed, start=1):
        _merged_header(ws, top, column, bottom, column, title)
    column = first_indicator
    by_criterion: dict[int, list] = {}
    for indicator in indicators:
        by_criterion.setdefault(indicator.criterion_id, []).append(indicator)
    for group in by_criterion.values():
        criterion = group[0].criterion
        _merged_header(ws, top, column, top, column + len(group) - 1, f"{criterion.number}. {criterion.name}")
        column += len(group)
    _header_row(
        ws,
        bottom,
        [f"{i.code} (%)" if i.measure_type == MeasureType.PERCENT else i.code for i in indicators],
        first_column=first_indicator,
    )
    ws.row_dimensions[top].height = 45
    row = bottom
    for item in export.rows:
        row += 1
        district = item.district
        assessment = item.assessment
        for column, value in enumerate(
            [
                item.commune.code,
                item.commune.name,
                district.name if district else "",
                assessment.get_status_display(),
            ],
            start=1,
        ):
            put(ws, row, column, value, border=BORDER)
        for column, indicator in enumerate(indicators, start=first_indicator):
            put(ws, row, column, _wide_value(indicator, item.values.get(indicator.pk)), border=BORDER)
    _print_setup(
        ws,
        title_rows=f"{top}:{bottom}",
        title_columns="A:D",
        freeze=f"E{bottom + 1}",
        running_head=_running_head(export.period, export.criteria_set, scope_name),
        fit_width=False,
        scale=VALUES_SCALE,
    )
    _indicator_sheet(workbook.create_sheet(), export, scope_name=scope_name, generated_on=generated_on)
    workbook.properties.title = _("NTM indicator values %(period)s") % {"period": export.period.name}
    workbook.properties.creator = _("NTM Portal")
    return workbook_bytes(workbook)


def _indicator_sheet(ws, export: AssessmentExport, *, scope_name, generated_on):
    ws.title = _("Indicators")
    titles = [
        _("Criterion"),
        _("Criterion name"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Measure type"),
        _("Comparison"),
        _("Target"),
    ]
    _widths(ws, [9, 26, 10, 60, 16, 16, 14, 10])
    _sheet_heading(
        ws,
        title=_("Indicators of %(set)s") % {"set": export.criteria_set.name},
        period=export.period,
        criteria_set=export.criteria_set,
        scope_name=scope_name,
        generated_on=generated_on,
        has_demo=export.has_demo,
        span=len(titles),
    )
    _header_row(ws, TABLE_HEADER_ROW, titles)
    for row, indicator in enumerate(export.indicators, start=TABLE_HEADER_ROW + 1):
        cells = [
            indicator.criterion.number,
            indicator.criterion.name,
            indicator.code,
            indicator.name,
            indicator.unit,
            indicator.get_measure_type_display(),
            indicator.get_comparison_display(),
            indicator.target,
        ]
        for column, value in enumerate(cells, start=1):
            put(ws, row, column, value, border=BORDER, alignment=WRAP)
    _print_setup(
        ws,
        title_rows=f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}",
        freeze=f"A{TABLE_HEADER_ROW + 1}",
        running_head=_running_head(export.period, export.criteria_set, scope_name),
    )


def values_csv_header() -> list[str]:
    """The CSV's column titles, in the active language."""
    return [
        _("Commune code"),
        _("Commune"),
        _("District"),
        _("Period code"),
        _("Criteria set code"),
        _("Criterion"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Đạt / Không đạt"),
        _("Outcome"),
        _("Evidence"),
        _("Status"),
        _("Illustrative data"),
    ]


def values_csv(export: AssessmentExport) -> bytes:
    """The indicator values in long format: one row per assessment (commune) × indicator
    of the set, in the order of :func:`values_workbook`, as CSV bytes (UTF-8 with a BOM,
    see :func:`core.downloads.csv_bytes`).

    Columns: commune code, commune, district, period code, set code, criterion number,
    indicator code, indicator name, unit, value (a decimal point, no trailing zeros,
    percent 0-100; empty when none), "Đạt" / "Không đạt" / empty, the outcome's label,
    evidence, the assessment's status, and "Dữ liệu minh họa" on illustrative demo rows.
    An indicator with nothing entered still has its row, with the outcome "No value".
    """
    period, criteria_set = export.period, export.criteria_set
    demo = _("Illustrative data")

    def rows():
        for item in export.rows:
            district = item.district
            assessment = item.assessment
            common = [item.commune.code, item.commune.name, district.name if district else ""]
            for indicator in export.indicators:
                value = item.values.get(indicator.pk)
                yield [
                    *common,
                    period.code,
                    criteria_set.code,
                    indicator.criterion.number,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    trim_decimal(value.number) if value else None,
                    _achieved_text(value.achieved) if value else "",
                    value.get_outcome_display() if value else str(Outcome.MISSING.label),
                    value.evidence if value else "",
                    assessment.get_status_display(),
                    demo if assessment.is_demo else "",
                ]

    return csv_bytes(values_csv_header(), rows())
