"""The reserve proposal as a workbook, for the coordination office's report to the
provincial People's Committee (notice 58/TB-UBND: "tham mưu cho UBND tỉnh phân bổ nguồn
dự phòng xi măng năm 2020"). Pure: no query; takes the proposal and returns bytes, in
the active language.

One sheet laid out for A4 landscape (as ``criteria.exports``): title rows, the bold
bordered header repeated on every printed page, frozen panes, page numbers in the
footer, scaled to the page's width. Text goes through
:func:`core.downloads.set_text` (a unit name never runs as a formula); numbers are
numeric cells (tonnes with up to three decimals, ratios in percent with one); no cell
holds a formula: the totals are written as computed, so every program shows the figures
the page showed. Below the table, the method in words (the priority and the rounding).
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from core.formatting import date_text, decimal_text
from core.workbooks import (
    BOLD,
    BORDER,
    NOTE_FONT,
    TITLE_FONT,
    TOTAL_FILL,
    WARNING_FONT,
    column_widths,
    file_name,
    header_row,
    print_setup,
    put,
    workbook_bytes,
)
from funding.allocation import Proposal
from funding.selectors.cement import Level

WRAP = Alignment(vertical="top", wrap_text=True)
TONNES_FORMAT = "#,##0.###"
POINTS_FORMAT = "0.##"
PERCENT_FORMAT = "0.0"
HEADER_ROW = 5


def proposal_filename(year: int) -> str:
    """ "Đề xuất phân bổ xi măng dự phòng năm 2020.xlsx" (in the active language)."""
    return file_name(_("Cement reserve proposal %(year)s") % {"year": year}, "xlsx")


def _method_lines(proposal: Proposal) -> list[str]:
    weights = proposal.weights
    return [
        _("Method"),
        _(
            "1. Points: %(usage)s points for a usage ratio of 100 %% (cement used over cement allocated in "
            "the year, counted up to 100 %%; a unit with nothing allocated gets no usage points), %(registered)s "
            "points per commune registered to reach the NTM standard this year, %(road)s points per km of road "
            "still to harden (criterion 2)."
        )
        % {
            "usage": decimal_text(weights.usage),
            "registered": decimal_text(weights.per_registered),
            "road": decimal_text(weights.per_road_km),
        },
        _(
            "2. Rank: more points first; on equal points the higher usage ratio, then more registered "
            "communes, then the lower GSO code."
        ),
        _(
            "3. Shares in whole tonnes by the largest remainder (Hamilton) method: each unit's exact quota is "
            "reserve × points / total points; each gets its whole part, and the tonnes left over go one each "
            "to the largest fractional parts (equal parts in rank order). The shares add up exactly to the "
            "reserve."
        ),
    ]


def proposal_workbook(
    *,
    proposal: Proposal,
    units: dict,
    year: int,
    level: str,
    adjusted: dict[int, Decimal] | None,
    generated_on: datetime.date,
    has_demo: bool,
) -> bytes:
    """The workbook of ``proposal`` (rows in rank order; ``units`` by id for the names
    and parents). ``adjusted`` (tonnes by unit id, adding up to the reserve) adds the
    coordinator's column "Adjusted"; without it the proposed shares are the proposal.
    """
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Reserve proposal")[:31]
    headers = [
        _("No."),
        _("Locality"),
        _("GSO code"),
        _("Allocated (t)"),
        _("Used (t)"),
        _("Usage ratio (%)"),
        _("Communes registered this year"),
        _("Road to harden (km)"),
        _("Usage points"),
        _("Registered points"),
        _("Road points"),
        _("Total points"),
        _("Exact quota (t)"),
        _("Proposed (t)"),
    ]
    if adjusted is not None:
        headers.append(_("Adjusted (t)"))
    widths = [6, 30, 9, 12, 12, 10, 13, 12, 9, 10, 9, 9, 11, 11, 11][: len(headers)]
    column_widths(ws, widths)
    span = len(headers)
    level_label = _("districts") if level == Level.DISTRICT else _("communes")
    title = _("Proposal to share the cement reserve of %(year)s among the %(level)s") % {
        "year": year,
        "level": level_label,
    }
    put(ws, 1, 1, title, font=TITLE_FONT)
    selection = _("Reserve: %(reserve)s tonnes · generated on %(day)s") % {
        "reserve": decimal_text(proposal.reserve),
        "day": date_text(generated_on),
    }
    put(ws, 2, 1, selection)
    if has_demo:
        put(
            ws,
            3,
            1,
            _("Illustrative data: some figures here are illustrative demo data, not official data."),
            font=WARNING_FONT,
        )
    put(
        ws,
        4,
        1,
        _(
            "Notice 58/TB-UBND of 06/07/2020: priority to a high usage ratio and to communes registered to reach the standard."
        ),
        font=NOTE_FONT,
    )
    for row in (1, 2, 3, 4):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    header_row(ws, HEADER_ROW, headers)
    ws.row_dimensions[HEADER_ROW].height = 45
    line = HEADER_ROW
    for row in proposal.rows:
        line += 1
        item = row.priority
        candidate = row.candidate
        unit = units.get(candidate.key)
        quota = Decimal(row.quota.numerator) / Decimal(row.quota.denominator)
        values = [
            row.rank,
            unit.name if unit is not None else candidate.name,
            candidate.code,
            candidate.allocated,
            candidate.used,
            item.ratio,
            candidate.registered,
            candidate.road_km,
            item.usage_points,
            item.target_points,
            item.road_points,
            item.points,
            quota.quantize(Decimal("0.001")),
            row.share,
        ]
        formats = [None, None, None, TONNES_FORMAT, TONNES_FORMAT, PERCENT_FORMAT, None, TONNES_FORMAT,
                   POINTS_FORMAT, POINTS_FORMAT, POINTS_FORMAT, POINTS_FORMAT, TONNES_FORMAT, TONNES_FORMAT]  # fmt: skip
        if adjusted is not None:
            values.append(adjusted.get(candidate.key, Decimal(0)))
            formats.append(TONNES_FORMAT)
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            put(ws, line, column, value, number_format=number_format, border=BORDER)
    line += 1
    totals = {
        2: _("Total"),
        4: sum((r.candidate.allocated for r in proposal.rows), Decimal(0)),
        5: sum((r.candidate.used for r in proposal.rows), Decimal(0)),
        7: sum(r.candidate.registered for r in proposal.rows),
        12: proposal.total_points,
        14: proposal.total_share,
    }
    if adjusted is not None:
        totals[15] = sum(adjusted.values(), Decimal(0))
    for column in range(1, span + 1):
        value = totals.get(column)
        number_format = (
            TONNES_FORMAT if column in (4, 5, 14, 15) else (POINTS_FORMAT if column == 12 else None)
        )
        put(ws, line, column, value, number_format=number_format, font=BOLD, fill=TOTAL_FILL, border=BORDER)
    line += 2
    for text in _method_lines(proposal):
        put(ws, line, 1, text, font=BOLD if text == _("Method") else NOTE_FONT, alignment=WRAP)
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=span)
        ws.row_dimensions[line].height = 15 if text == _("Method") else 36
        line += 1
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", freeze=f"C{HEADER_ROW + 1}", running_head=title)
    return workbook_bytes(workbook)
