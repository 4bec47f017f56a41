"""The indicator values of the criteria assessments, written out: a workbook (one row per
commune, one column per indicator) and a long CSV (one row per commune and indicator,
with evidence notes). Pure: no query here (the selector reads:
:func:`criteria.selectors.exports.assessment_export`); every function takes its result
and returns bytes, in the active language.

Cells keep their kind (numbers as numeric cells, ``Decimal`` without trailing zeros,
percents as 0-100); the CSV writes numbers with a decimal point for machines.
"""

import datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.downloads import csv_bytes
from core.numbers import trim_decimal
from core.workbooks import (
    BORDER,
    WRAP,
    column_widths,
    file_name,
    first_page_columns,
    header_row,
    merged_header,
    print_setup,
    put,
    workbook_bytes,
)
from criteria.exports.sheets import TABLE_HEADER_ROW, running_head_text, sheet_heading
from criteria.models import IndicatorValue, MeasureType, Outcome
from criteria.selectors.exports import AssessmentExport

# The values sheet is too wide to fit one page's width: it prints across pages at this
# scale, with its commune columns repeated on each.
VALUES_SCALE = 80


def values_filename(period, extension: str) -> str:
    """The values export's name, "Giá trị chỉ tiêu NTM 6 tháng đầu năm 2020.<extension>"."""
    return file_name(_("NTM indicator values %(period)s") % {"period": period.name}, extension)


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
    """The indicator values of :func:`criteria.selectors.exports.assessment_export`'s result as
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
    column_widths(ws, [9, 24, 22, 12, *([9] * len(indicators))])
    sheet_heading(
        ws,
        title=_("Indicator values of the NTM criteria"),
        period=export.period,
        criteria_set=export.criteria_set,
        scope_name=scope_name,
        generated_on=generated_on,
        has_demo=export.has_demo,
        span=first_page_columns(ws, last_column),
        note=_statuses_note(export),
    )
    top, bottom = TABLE_HEADER_ROW, TABLE_HEADER_ROW + 1
    for column, title in enumerate(fixed, start=1):
        merged_header(ws, top, column, bottom, column, title)
    column = first_indicator
    by_criterion: dict[int, list] = {}
    for indicator in indicators:
        by_criterion.setdefault(indicator.criterion_id, []).append(indicator)
    for group in by_criterion.values():
        criterion = group[0].criterion
        merged_header(ws, top, column, top, column + len(group) - 1, f"{criterion.number}. {criterion.name}")
        column += len(group)
    header_row(
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
    print_setup(
        ws,
        title_rows=f"{top}:{bottom}",
        title_columns="A:D",
        freeze=f"E{bottom + 1}",
        running_head=running_head_text(export.period, export.criteria_set, scope_name),
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
    column_widths(ws, [9, 26, 10, 60, 16, 16, 14, 10])
    sheet_heading(
        ws,
        title=_("Indicators of %(set)s") % {"set": export.criteria_set.name},
        period=export.period,
        criteria_set=export.criteria_set,
        scope_name=scope_name,
        generated_on=generated_on,
        has_demo=export.has_demo,
        span=len(titles),
    )
    header_row(ws, TABLE_HEADER_ROW, titles)
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
    print_setup(
        ws,
        title_rows=f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}",
        freeze=f"A{TABLE_HEADER_ROW + 1}",
        running_head=running_head_text(export.period, export.criteria_set, scope_name),
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
