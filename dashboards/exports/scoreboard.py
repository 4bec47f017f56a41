"""The timeliness scoreboard (bảng xếp hạng tính kịp thời) of a year as a workbook, for
the year-end emulation ranking (thi đua). Pure: no query; it takes the selectors'
results (:func:`directives.selectors.timeliness.agency_timeliness`,
:func:`criteria.selectors.timeliness.submission_timeliness`) and returns bytes, in the
active language.

Two sheets laid out by :mod:`core.workbooks` (A4, the header row repeated on every
printed page, frozen panes, page numbers): the agencies' lead tasks and the reporting
units' reports, each under the same heading (title, scope, "figures as of" the cut-off
day) and in rank order. Counts are numeric cells shown 1.234 and rates numbers in
percent with one decimal (66,7) in a Vietnamese spreadsheet; no cell holds a formula,
so every program shows the figures the page showed.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from core.formatting import date_text
from core.workbooks import (
    BOLD,
    BORDER,
    NOTE_FONT,
    TITLE_FONT,
    WARNING_FONT,
    WRAP,
    column_widths,
    file_name,
    fit_rows,
    header_row,
    print_setup,
    put,
    span_width,
    workbook_bytes,
)

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.0"
HEADER_ROW = 6


def scoreboard_filename(year: int) -> str:
    """ "Bảng xếp hạng tính kịp thời năm 2020.xlsx" (in the active language)."""
    return file_name(_("Timeliness scoreboard %(year)s") % {"year": year}, "xlsx")


def cutoff_text(day: datetime.date) -> str:
    """ "Số liệu tính đến 30/11/2026": the day the figures are counted on."""
    return _("Figures as of %(day)s") % {"day": date_text(day)}


def scoreboard_workbook(*, year: int, agencies: list, units, scope_name: str, cutoff: datetime.date) -> bytes:
    """The scoreboard of ``year`` as .xlsx bytes. ``agencies`` is
    :func:`~directives.selectors.timeliness.agency_timeliness`'s list, ``units``
    :func:`~criteria.selectors.timeliness.submission_timeliness`'s result, both for the
    reader's scope (``scope_name``, e.g. "Huyện Đại Từ") seen on ``cutoff``."""
    workbook = Workbook()
    running_head = " · ".join([_("Timeliness scoreboard %(year)s") % {"year": year}, scope_name])
    _agency_sheet(workbook.active, year, agencies, scope_name, cutoff, running_head)
    _unit_sheet(workbook.create_sheet(), year, units, scope_name, cutoff, running_head)
    workbook.properties.title = _("Timeliness scoreboard %(year)s") % {"year": year}
    workbook.properties.creator = _("NTM Portal")
    return workbook_bytes(workbook)


def _heading(ws, *, title: str, scope_name: str, cutoff: datetime.date, note: str, span: int, warning=""):
    """Rows 1-4: the title, the scope and cut-off, a warning (demo data) and the rule."""
    put(ws, 1, 1, title, font=TITLE_FONT)
    put(ws, 2, 1, f"{scope_name} · {cutoff_text(cutoff)}", font=BOLD)
    if warning:
        put(ws, 3, 1, warning, font=WARNING_FONT)
    put(ws, 4, 1, note, font=NOTE_FONT)
    for row in (1, 2, 3, 4):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    fit_rows(ws, 4, note, span_width(ws, span), size=NOTE_FONT.sz)


def _counts_row(ws, row: int, rank: int, name: str, counts: list[int], rate) -> None:
    put(ws, row, 1, rank, border=BORDER)
    put(ws, row, 2, name, border=BORDER, alignment=WRAP)
    for offset, value in enumerate(counts):
        put(ws, row, 3 + offset, value, number_format=COUNT_FORMAT, border=BORDER)
    put(ws, row, 3 + len(counts), rate, number_format=RATE_FORMAT, border=BORDER, font=BOLD)


def _agency_sheet(ws, year, agencies, scope_name, cutoff, running_head) -> None:
    ws.title = _("Agencies")[:31]
    titles = [
        pgettext("scoreboard", "Rank"),
        _("Agency"),
        _("Done on time"),
        _("Done late"),
        _("Open, overdue"),
        _("Open, within term"),
        _("Total"),
        _("On-time rate (%)"),
    ]
    column_widths(ws, [8, 48, 12, 12, 12, 12, 10, 12])
    _heading(
        ws,
        title=_("Timeliness scoreboard %(year)s: the agencies' lead tasks") % {"year": year},
        scope_name=scope_name,
        cutoff=cutoff,
        note=agency_rule_text(),
        span=len(titles),
    )
    header_row(ws, HEADER_ROW, titles)
    ws.row_dimensions[HEADER_ROW].height = 32
    for row, item in enumerate(agencies, start=HEADER_ROW + 1):
        counts = item.counts
        _counts_row(
            ws,
            row,
            item.rank,
            item.agency.name,
            [
                counts.done_on_time,
                counts.done_late,
                counts.open_overdue,
                counts.open_within_term,
                counts.total,
            ],
            item.on_time_rate,
        )
    if not agencies:
        put(ws, HEADER_ROW + 1, 1, _("No lead task is due in this year."), font=NOTE_FONT)
    print_setup(
        ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", freeze=f"A{HEADER_ROW + 1}", running_head=running_head
    )


def _unit_sheet(ws, year, units, scope_name, cutoff, running_head) -> None:
    ws.title = _("Reporting units")[:31]
    titles = [
        pgettext("scoreboard", "Rank"),
        _("Reporting unit"),
        _("Submitted on time"),
        _("Submitted late"),
        _("Not submitted"),
        _("Not yet due"),
        _("Total"),
        _("On-time rate (%)"),
    ]
    column_widths(ws, [8, 40, 12, 12, 12, 12, 10, 12])
    periods = "; ".join(
        _("%(period)s (deadline %(day)s)")
        % {"period": period.name, "day": date_text(period.submission_deadline)}
        for period in units.periods
    )
    note = unit_rule_text()
    if periods:
        note = f"{note} {_('Periods counted: %(periods)s.') % {'periods': periods}}"
    warning = (
        _("Illustrative data: some figures here are illustrative demo data, not official data.")
        if units.has_demo
        else ""
    )
    _heading(
        ws,
        title=_("Timeliness scoreboard %(year)s: the reporting units' assessments") % {"year": year},
        scope_name=scope_name,
        cutoff=cutoff,
        note=note,
        span=len(titles),
        warning=warning,
    )
    header_row(ws, HEADER_ROW, titles)
    ws.row_dimensions[HEADER_ROW].height = 32
    for row, item in enumerate(units.rows, start=HEADER_ROW + 1):
        counts = item.counts
        _counts_row(
            ws,
            row,
            item.rank,
            item.unit.name,
            [counts.on_time, counts.late, counts.not_submitted, counts.not_yet_due, counts.total],
            item.on_time_rate,
        )
    if not units.rows:
        put(ws, HEADER_ROW + 1, 1, _("No report is due in this year."), font=NOTE_FONT)
    print_setup(
        ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", freeze=f"A{HEADER_ROW + 1}", running_head=running_head
    )


def agency_rule_text() -> str:
    """What the agencies' table counts, in words (the page shows the same)."""
    return _(
        "Lead assignments whose deadline falls in the year (standing tasks without a deadline are not "
        "counted). On-time rate: done on time over those due by the cut-off day (done, or open past the "
        "deadline). Ranked by the rate, then the fewest overdue, then the name; equal figures share a rank."
    )


def unit_rule_text() -> str:
    """What the reporting units' table counts, in words (the page shows the same)."""
    return _(
        "One report per rural commune (xã) and reporting period whose submission deadline falls in the "
        "year; a district reports for its communes before 01/07/2025, each commune for itself after. On "
        "time: last submitted on or before the deadline (a report returned and resubmitted late is late); "
        "a draft, a returned report or none is not submitted once the deadline has passed. Ranked by the "
        "on-time rate, then the fewest not submitted, then the name; equal figures share a rank."
    )
