"""Due dates of a recurring task's periods ("báo cáo hằng tháng trước ngày 20",
"định kỳ hằng quý, trước ngày 15 của tháng cuối quý"). Pure Python, no database.

A period ends with its last month: every month (monthly), March, June, September and
December (quarterly), June and December (semiannual), December (yearly). Its report is
due on ``day`` of that month (the month's last day when ``day`` is None or past the
month's end: day 31 in June is 30/06).

A recurring assignment's ``deadline`` is the due date of its oldest period not yet
reported: set to the first period's on creation, rolled to the next period's
(:func:`following_due`) by each period's report. The texts of :func:`period_label`,
:func:`recurrence_text` and :func:`current_period` are in the current language
(Django's gettext; no database is read).
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy, ngettext

from core.formatting import date_text

# The months that close a period, by recurrence (Recurrence values).
PERIOD_END_MONTHS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "semiannual": (6, 12),
    "yearly": (12,),
}


def _due_in(year: int, month: int, day: int | None) -> datetime.date:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day or last, last))


def next_due(recurrence: str, day: int | None, on_or_after: datetime.date) -> datetime.date:
    """The first due date on or after ``on_or_after`` of a task recurring ``recurrence``
    ("monthly", "quarterly", "semiannual", "yearly") due on ``day`` (1-31, or None for
    the period's last day). Raises ``KeyError`` for another recurrence and ``ValueError``
    for a day outside 1-31.

    >>> next_due("quarterly", 15, datetime.date(2020, 7, 6))
    datetime.date(2020, 9, 15)
    """
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"due day must be 1-31, not {day}")
    months = PERIOD_END_MONTHS[recurrence]
    year = on_or_after.year
    while True:
        for month in months:
            due = _due_in(year, month, day)
            if due >= on_or_after:
                return due
        year += 1


def last_due(recurrence: str, day: int | None, on_or_before: datetime.date) -> datetime.date:
    """The last due date on or before ``on_or_before`` (the mirror of :func:`next_due`):
    the due date of the period an assignment's deadline belongs to, even when an
    extension moved that deadline a little later.

    >>> last_due("quarterly", 15, datetime.date(2020, 9, 30))
    datetime.date(2020, 9, 15)
    """
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"due day must be 1-31, not {day}")
    months = PERIOD_END_MONTHS[recurrence]
    year = on_or_before.year
    while True:
        for month in reversed(months):
            due = _due_in(year, month, day)
            if due <= on_or_before:
                return due
        year -= 1


def following_due(recurrence: str, day: int | None, deadline: datetime.date) -> datetime.date:
    """The due date of the period after the one whose (possibly extended) deadline is
    ``deadline``: where a recurring assignment's deadline rolls once its report for the
    period is filed. ``next_due(..., deadline + 1 day)``.

    >>> following_due("quarterly", 15, datetime.date(2020, 9, 15))
    datetime.date(2020, 12, 15)
    """
    return next_due(recurrence, day, deadline + datetime.timedelta(days=1))


def report_counts_for_period(
    recurrence: str, day: int | None, deadline: datetime.date, today: datetime.date
) -> bool:
    """True when a report filed on ``today`` is the report of the period whose deadline
    is ``deadline`` (and so rolls the deadline to the next period): the period has begun,
    that is its own due date is no later than the first due date on or after ``today``.
    A report filed before (in the period before it, already reported) is only a
    progress report: a period is never skipped ahead."""
    return last_due(recurrence, day, deadline) <= next_due(recurrence, day, today)


def periods_missed(recurrence: str, day: int | None, deadline: datetime.date, today: datetime.date) -> int:
    """How many periods are overdue on ``today`` for an assignment whose oldest period
    not yet reported is due ``deadline``: 0 on or before the deadline, else 1 for that
    period plus one for each later due date already passed (before ``today``).

    >>> periods_missed("quarterly", 15, datetime.date(2020, 9, 15), datetime.date(2020, 12, 20))
    2
    """
    if today <= deadline:
        return 0
    missed, due = 1, following_due(recurrence, day, deadline)
    while due < today:
        missed, due = missed + 1, following_due(recurrence, day, due)
    return missed


@dataclass(frozen=True)
class Period:
    """A reporting period, named by the month that closes it: ``number`` is the month
    (1-12, monthly), the quarter (1-4), the half (1-2) or 1 (yearly) of ``year``."""

    recurrence: str
    year: int
    number: int


def period_of(recurrence: str, due: datetime.date) -> Period:
    """The period whose report is due on ``due`` (a due date of ``recurrence``): due
    15/09/2020, quarterly -> quarter 3 of 2020."""
    months = PERIOD_END_MONTHS[recurrence]
    if due.month not in months:
        raise ValueError(f"{due} closes no {recurrence} period")
    return Period(recurrence, due.year, months.index(due.month) + 1)


ROMAN = ("I", "II", "III", "IV")

# How each recurrence reads (the same msgids as ``Recurrence`` of the models).
RECURRENCE_LABELS = {
    "monthly": gettext_lazy("Monthly"),
    "quarterly": gettext_lazy("Quarterly"),
    "semiannual": gettext_lazy("Every six months"),
    "yearly": gettext_lazy("Yearly"),
}


def period_label(period: Period) -> str:
    """The period in the current language: "quý III/2020", "tháng 9/2020", "6 tháng đầu
    năm 2020", "năm 2020" (English "quarter III/2020", "month 9/2020", "first half of 2020",
    "year 2020")."""
    values = {"year": period.year, "number": period.number}
    if period.recurrence == "monthly":
        return gettext("month %(number)s/%(year)s") % values
    if period.recurrence == "quarterly":
        return gettext("quarter %(roman)s/%(year)s") % (values | {"roman": ROMAN[period.number - 1]})
    if period.recurrence == "semiannual":
        if period.number == 1:
            return gettext("first half of %(year)s") % values
        return gettext("second half of %(year)s") % values
    return gettext("year %(year)s") % values


def recurrence_text(recurrence: str, day: int | None) -> str:
    """The recurrence and its due day in the current language: "Hằng quý, hạn ngày 15
    của tháng cuối kỳ", "Hằng tháng, hạn ngày cuối tháng"."""
    label = str(RECURRENCE_LABELS[recurrence])
    if recurrence == "monthly":
        due = (
            gettext("due on day %(day)s of each month") % {"day": day}
            if day
            else gettext("due on the last day of each month")
        )
    else:
        due = (
            gettext("due on day %(day)s of the period's last month") % {"day": day}
            if day
            else gettext("due on the period's last day")
        )
    return f"{label}, {due}"


@dataclass(frozen=True)
class CurrentPeriod:
    """What a page shows of a recurring assignment on a day: the period its deadline is
    for (the oldest not yet reported), that deadline, how many periods are overdue, and
    the texts in the current language: ``text`` "Kỳ quý III/2020 · hạn 15/09/2020",
    ``missed_text`` "còn thiếu 2 kỳ" (empty when none is missed), ``recurrence``
    "Hằng quý, hạn ngày 15 của tháng cuối kỳ"."""

    period: Period
    deadline: datetime.date
    missed: int
    label: str
    text: str
    missed_text: str
    recurrence: str


def current_period(
    recurrence: str, day: int | None, deadline: datetime.date, today: datetime.date
) -> CurrentPeriod:
    """The :class:`CurrentPeriod` of an open recurring assignment due ``deadline``."""
    period = period_of(recurrence, last_due(recurrence, day, deadline))
    label = period_label(period)
    missed = periods_missed(recurrence, day, deadline, today)
    return CurrentPeriod(
        period=period,
        deadline=deadline,
        missed=missed,
        label=label,
        text=gettext("Period %(period)s · due %(day)s") % {"period": label, "day": date_text(deadline)},
        missed_text=(
            ngettext("%(n)s period missing", "%(n)s periods missing", missed) % {"n": missed}
            if missed
            else ""
        ),
        recurrence=recurrence_text(recurrence, day),
    )
