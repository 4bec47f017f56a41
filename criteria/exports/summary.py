"""The summary workbook of the criteria results: the province (or district) overview of
one period under one set, by district, commune by criterion and by criterion. Pure: no
query here (the selectors read: :func:`criteria.selectors.overview.province_overview`
and :func:`criteria.selectors.exports.assessment_export`); it takes their results and
returns bytes, in the active language.

No cell holds a formula: a total is written as the selector computed it, so the file
shows the same figure as the overview page whatever program opens it. The sheets are
scaled to fit the page width (:mod:`criteria.exports.sheets`).
"""

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from core.formatting import date_text
from core.workbooks import (
    BOLD,
    BORDER,
    CENTER,
    NOTE_FONT,
    TITLE_FONT,
    TOTAL_FILL,
    WARNING_FONT,
    WRAP,
    column_widths,
    file_name,
    fit_rows,
    header_row,
    merged_header,
    print_setup,
    put,
    workbook_bytes,
)
from criteria.exports.sheets import (
    TABLE_HEADER_ROW,
    demo_warning,
    period_label,
    running_head_text,
    set_label,
    sheet_heading,
)
from criteria.selectors.exports import AssessmentExport
from criteria.selectors.overview import Overview

AVERAGE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0"
MET_MARK = "✓"
NOT_MET_MARK = "✗"

MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")

# The sheets of the workbook, in order: summary, by district, communes by criterion, by criterion.
SUMMARY_SHEETS = 4
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


def summary_filename(period) -> str:
    """The summary workbook's name: "Tổng hợp NTM 6 tháng đầu năm 2020.xlsx" (in the active
    language; characters a file system refuses become "-")."""
    return file_name(_("NTM summary %(period)s") % {"period": period.name}, "xlsx")


def summary_workbook(
    overview: Overview,
    communes: AssessmentExport,
    *,
    scope_name: str,
    generated_on: datetime.date,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The province (or district) summary of one period under one set, as .xlsx bytes.

    ``overview`` is :func:`criteria.selectors.overview.province_overview`'s result and ``communes``
    :func:`criteria.selectors.exports.assessment_export`'s with ``approved_only=True`` for the same
    scope, period and set (so its rows are the assessments the overview counts).
    ``scope_name`` names the scope ("Huyện Đại Từ"); ``generated_on`` is today.

    Sheets: 1 the headline figures with the selection and the demo warning; 2 the figures
    by district with the total; 3 one row per commune with an approved assessment, one
    column per criterion (✓ met, ✗ not met) and the criteria met; 4 by criterion (met,
    not met, percent met 0-100).

    ``progress``, when given, is called after each sheet with the number of sheets written
    so far (1 to :data:`SUMMARY_SHEETS`): a background export moves its bar with it.
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
    running_head = running_head_text(overview.period, overview.criteria_set, scope_name)
    sheets = [
        lambda: _summary_sheet(workbook.active, overview, running_head=running_head, **heading),
        lambda: _district_sheet(workbook.create_sheet(), overview, running_head=running_head, **heading),
        lambda: _commune_sheet(
            workbook.create_sheet(), overview, communes, running_head=running_head, **heading
        ),
        lambda: _criterion_sheet(workbook.create_sheet(), overview, running_head=running_head, **heading),
    ]
    for done, write_sheet in enumerate(sheets, start=1):
        write_sheet()
        if progress is not None:
            progress(done)
    workbook.properties.title = _("NTM summary %(period)s") % {"period": overview.period.name}
    workbook.properties.creator = _("NTM Portal")
    return workbook_bytes(workbook)


def _summary_sheet(
    ws, overview: Overview, *, period, criteria_set, scope_name, generated_on, has_demo, running_head
):
    ws.title = _("Summary")
    totals = overview.totals
    column_widths(ws, [52, 14, 66])
    put(ws, 1, 1, _("Summary of the New Rural Development (NTM) criteria results"), font=TITLE_FONT)
    ws.merge_cells("A1:C1")
    info = [
        (_("Reporting period"), period_label(period)),
        (_("Criteria set"), set_label(criteria_set)),
        (_("Scope"), scope_name),
        (_("Generated on"), generated_on),
    ]
    for offset, (label, value) in enumerate(info):
        row = 3 + offset
        put(ws, row, 1, label, font=BOLD, alignment=Alignment(vertical="top"))
        put(ws, row, 2, value, alignment=Alignment(horizontal="left", vertical="top"))
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        if isinstance(value, str):
            fit_rows(ws, row, value, 14 + 66, column=2)
    if has_demo:
        put(ws, 7, 1, demo_warning(), font=WARNING_FONT)
    note = _(
        "Only approved assessments of rural communes (xã) are counted. Recognised communes "
        "(by decision) and communes meeting the standard by assessment are counted apart."
    )
    put(ws, 8, 1, note, font=NOTE_FONT)
    fit_rows(ws, 8, note, 52 + 14 + 66, size=NOTE_FONT.sz)
    ws.merge_cells("A7:C7")
    ws.merge_cells("A8:C8")

    header_row(ws, SUMMARY_HEADER_ROW, [_("Figure"), _("Value"), _("Note")])
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
    print_setup(
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
    column_widths(ws, [6, 30, 12, 13, 20, 13, 11, 11])
    sheet_heading(ws, title=_("NTM figures by district"), span=len(titles), **heading)
    header_row(ws, TABLE_HEADER_ROW, titles)
    row = TABLE_HEADER_ROW
    for number, district_row in enumerate(overview.districts, start=1):
        row += 1
        name = district_row.district.name if district_row.district else _("Directly under the province")
        _figure_cells(ws, row, number, name, district_row.figures)
    row += 1
    _figure_cells(ws, row, None, _("Total"), overview.totals, font=BOLD, fill=TOTAL_FILL)
    print_setup(
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
    column_widths(ws, [6, 9, 24, 22, *([4.6] * len(criteria)), 10])
    sheet_heading(
        ws,
        title=_("Criteria met by each commune (approved assessments)"),
        span=count_column,
        note=_("%(met)s met · %(not_met)s not met") % {"met": MET_MARK, "not_met": NOT_MET_MARK},
        **heading,
    )
    top, bottom = TABLE_HEADER_ROW, TABLE_HEADER_ROW + 1
    for column, title in enumerate([_("No."), _("Commune code"), _("Commune"), _("District")], start=1):
        merged_header(ws, top, column, bottom, column, title)
    if criteria:
        merged_header(ws, top, first_criterion, top, count_column - 1, _("Criteria"))
    header_row(ws, bottom, [criterion.number for criterion in criteria], first_column=first_criterion)
    merged_header(ws, top, count_column, bottom, count_column, _("Criteria met"))
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
    print_setup(ws, title_rows=f"{top}:{bottom}", freeze=f"E{bottom + 1}", running_head=running_head)


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
    column_widths(ws, [6, 50, 42, 14, 14, 12])
    sheet_heading(
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
    header_row(ws, TABLE_HEADER_ROW, titles)
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
    print_setup(
        ws, title_rows=f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}", freeze="C6", running_head=running_head
    )
