"""What every sheet of the criteria exports shares: the heading rows every table sheet
starts with (title, selection, demo warning, note) and the texts that name a period and
a set. The cells, header rows and print setup of every workbook are :mod:`core.workbooks`.
"""

import datetime

from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import date_text
from core.workbooks import NOTE_FONT, TITLE_FONT, WARNING_FONT, fit_rows, put, span_width

TABLE_HEADER_ROW = 5  # every table sheet: title rows 1-4, header from row 5


# --- The heading every sheet starts with ------------------------------------------------


def period_label(period) -> str:
    """A period with its days: "6 tháng đầu năm 2020 (01/01/2020 – 30/06/2020)"."""
    return f"{period.name} ({date_text(period.start)} – {date_text(period.end)})"


def set_label(criteria_set) -> str:
    """A criteria set with its decision when known: "Bộ tiêu chí 2016-2020 (1980/QĐ-TTg)"."""
    return f"{criteria_set.name} ({criteria_set.decision})" if criteria_set.decision else criteria_set.name


def demo_warning() -> str:
    """The warning a sheet holding illustrative demo data shows under its title."""
    return _("Illustrative data: some figures here are illustrative demo data, not official data.")


def running_head_text(period, criteria_set, scope_name: str) -> str:
    """What every printed page says at its top left: period · set · scope."""
    return " · ".join([period.name, criteria_set.name, scope_name])


def sheet_heading(
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
        "period": period_label(period),
        "set": set_label(criteria_set),
        "scope": scope_name,
        "day": date_text(generated_on),
    }
    width = span_width(ws, span)
    put(ws, 2, 1, selection)
    fit_rows(ws, 2, selection, width)
    if has_demo:
        put(ws, 3, 1, demo_warning(), font=WARNING_FONT)
        fit_rows(ws, 3, demo_warning(), width)
    if note:
        put(ws, 4, 1, note, font=NOTE_FONT)
        fit_rows(ws, 4, note, width, size=NOTE_FONT.sz)
    if span > 1:
        for row in (1, 2, 3, 4):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
